"""The outbox lease and sweep interval are settings (environment, TOML; docs/recruiting.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from livehire import keys
from livehire.app import RECRUITING, create_app
from livehire.settings import Settings, SettingsError, load_settings
from store.outbox_tables import event_outbox
from tests.recruiting.conftest import job_body, make_org

SECRET = "o" * 40


def test_defaults_environment_and_toml(tmp_path: Path) -> None:
    defaults = load_settings(environ={})
    assert (defaults.outbox_lease_ms, defaults.outbox_sweep_seconds) == (5000, 2.0)
    from_env = load_settings(environ={"LIVEHIRE_OUTBOX_LEASE_MS": "1500", "LIVEHIRE_OUTBOX_SWEEP_SECONDS": "0.25"})
    assert (from_env.outbox_lease_ms, from_env.outbox_sweep_seconds) == (1500, 0.25)
    config = tmp_path / "livehire.toml"
    config.write_text("outbox_lease_ms = 9000\noutbox_sweep_seconds = 3\n", encoding="utf-8")
    from_toml = load_settings(environ={}, config_file=config)
    assert (from_toml.outbox_lease_ms, from_toml.outbox_sweep_seconds) == (9000, 3.0)
    both = load_settings(environ={"LIVEHIRE_OUTBOX_LEASE_MS": "1200"}, config_file=config)
    assert (both.outbox_lease_ms, both.outbox_sweep_seconds) == (1200, 3.0)  # environment over TOML


@pytest.mark.parametrize(("name", "value"), [("outbox_lease_ms", "50"), ("outbox_sweep_seconds", "0"),
                                             ("outbox_lease_ms", "soon")])
def test_unusable_values_are_refused_by_name(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        load_settings(environ={f"LIVEHIRE_{name.upper()}": value})


async def test_the_server_leases_its_event_rows_for_the_configured_time(
    aiohttp_client: Any, tmp_path: Path, store_url: str
) -> None:
    settings: Settings = load_settings(
        {"data_dir": tmp_path, "database_url": store_url, "secret": SECRET},
        environ={"LIVEHIRE_OUTBOX_LEASE_MS": "7777", "LIVEHIRE_OUTBOX_SWEEP_SECONDS": "0.75"},
    )
    app = create_app(settings)
    client = await aiohttp_client(app)
    service = app[RECRUITING]
    assert service.outbox.sweep_seconds == 0.75
    await make_org(app[keys.STORE])
    job = await service.jobs.create("acme", job_body(), created_by="rec1")
    headers = {"Authorization": "Bearer " + app[keys.SIGNER].mint(session="test", role="viewer", user="cand1")}
    profile = {"name": "张三", "phone": "13912345678", "resume": "五年叉车经验", "consent_to_share": True}
    assert (await client.put("/api/v1/me/profile", json=profile, headers=headers)).status == 200
    applied = await client.post(f"/api/v1/jobs/{job['id']}/applications", json={"ref": "r1"}, headers=headers)
    assert applied.status == 201, await applied.text()
    async with app[keys.STORE].engine.connect() as connection:
        row = (await connection.execute(select(event_outbox.c.created_at, event_outbox.c.lease_until))).one()
    assert row.lease_until - row.created_at == 7777
