"""Licence lapses (standard 5.1.1, 4.2.3): a re-verification left overdue past its grace period suspends the
licence like expiry does (moved ManualClock, SQLite and PostgreSQL), and a lapse while the organisation is
live ends its running WHIP session (a real aiortc publisher over loopback against the whole server)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from common.clock import ManualClock
from common.errors import Forbidden
from governance.blobs import MemoryBlobStore
from governance.ledger_sql import StoreLedger
from governance.licences_sql import LicenceReview
from governance.web import GOVERNANCE
from livehire import keys
from livehire.app import LIVE_GUARD, SIGNALING, create_app
from livehire.settings import load_settings
from recruiting.repositories.jobs import JobRepository
from store.engine import open_store
from store.orgs import OrgRepository
from store.recruiting_tables import job_pins, jobs, qualifications
from tests.governance.test_licences import DAY_S, _review, licence_body
from tests.identity.helpers import bearer
from tests.media.peers import answer_into, publisher, wait_for
from tests.recruiting.conftest import job_body
from tests.signaling.helpers import post_sdp

pytestmark = pytest.mark.clause("5.1.1")


async def test_overdue_reverification_suspends_like_expiry(store_url: str) -> None:
    from governance.licences import parse_submission

    store = await open_store(store_url)
    try:
        await OrgRepository(store).create_org("lic", "持证公司")
        clock = ManualClock(time.time())
        review = _review(store, clock)
        lapses: list[str] = []

        async def listener(org: str) -> None:
            lapses.append(org)

        review.on_lapse(listener)
        submitted = await review.submit("lic", parse_submission(licence_body(until="2099-12-31"), review.today()), "u")
        await review.decide(submitted["id"], "approve", None, "rev-1")
        year = int(time.time() * 1000) + 365 * DAY_S * 1000  # valid past the lapse and the re-approval
        own = await JobRepository(store).create("lic", job_body("own", valid_until=year), created_by="r-1")
        async with store.engine.begin() as connection:
            await connection.execute(job_pins.insert().values(id="pin-1", room="r", job_id=own["id"], pinned_by="h",
                                                              pinned_at=1))

        clock.advance(183 * DAY_S)  # due, inside the grace period (30 days): still counting
        assert await review.sweep() == {"expired": 0, "lapsed": 0, "closed_jobs": 0, "due": 1}
        await review.check_live("lic")
        clock.advance(28 * DAY_S)  # 211 days: one day short of 182 + 30
        assert (await review.sweep())["lapsed"] == 0 and lapses == []
        clock.advance(1 * DAY_S)
        swept = await review.sweep()
        assert (swept["lapsed"], swept["closed_jobs"], swept["due"]) == (1, 1, 0)
        assert lapses == ["lic"]
        async with store.engine.connect() as connection:
            status, reason = (await connection.execute(select(jobs.c.status, jobs.c.status_reason)
                                                       .where(jobs.c.id == own["id"]))).one()
            assert (await connection.execute(select(job_pins.c.unpinned_at))).scalar() is not None
        assert status == "closed" and "逾期未复核" in reason
        [view] = await review.of_org("lic")
        assert view["state"] == "lapsed" and view["reverify_due"] and view["suspended_jobs"][0]["id"] == own["id"]
        assert [v["id"] for v in await review.queue("lapsed")] == [submitted["id"]]
        with pytest.raises(Forbidden) as refused:
            await review.check_live("lic")
        assert refused.value.code == "licence_required"
        with pytest.raises(Exception) as posting:
            await JobRepository(store).create("lic", job_body("own"), created_by="r-1")
        assert getattr(posting.value, "code", "") == "qualification_required"
        assert (await review.sweep())["lapsed"] == 0  # once

        again = await review.decide(submitted["id"], "approve", "复核通过", "rev-2")  # re-verified: counts again
        assert again["state"] == "verified" and not again["reverify_due"]
        await review.check_live("lic")
        async with store.engine.connect() as connection:  # what the lapse closed is published again, unchanged
            status, reason = (await connection.execute(select(jobs.c.status, jobs.c.status_reason)
                                                       .where(jobs.c.id == own["id"]))).one()
        assert (status, reason) == ("published", None)
        assert (await JobRepository(store).get(own["id"]))["version"] == own["version"]
        ledger = StoreLedger(store)
        entries = [e async for e in ledger.export(0, 2**62)]
        assert [e.kind for e in entries] == ["licence.submitted", "licence.approved", "licence.lapsed",
                                             "licence.reverified"]
        assert entries[2].body["closed_jobs"] == [own["id"]] and entries[2].body["grace_days"] == 30
        assert entries[3].body["reopened_jobs"] == [own["id"]]
        assert (await ledger.verify()).ok
    finally:
        await store.close()


async def _live_world(aiohttp_client: Any, tmp_path: Path) -> tuple[Any, Any, str, dict[str, str]]:
    settings = load_settings({"data_dir": tmp_path / "data", "port": 0, "ice_include_loopback": True}, environ={})
    client = await aiohttp_client(create_app(settings))
    app = client.server.app
    await app[keys.ORGS].create_org("lic", "持证公司")
    await JobRepository(app[keys.STORE]).add_qualification("lic", "business_licence", "91110105MA01LIC01X",
                                                           state="verified")
    _, key = await app[keys.ROOMS].create("lic-room", title="持证专场", org_id="lic")
    return client, app, key, await bearer(app, "reviewer", "rev-1")


async def _go_live(client: Any, app: Any, key: str) -> Any:
    pub, offer = await publisher("video/VP8", audio=False)
    created = await post_sdp(client, "/whip/lic-room", offer, token=key)
    assert created.status == 201, created.body
    await answer_into(pub, created.sdp)
    await wait_for(lambda: "lic-room" in app[SIGNALING].live_rooms(), 15)
    return pub


@pytest.mark.media
async def test_revocation_while_live_ends_the_whip_session(aiohttp_client: Any, tmp_path: Path) -> None:
    client, app, key, reviewer = await _live_world(aiohttp_client, tmp_path)
    pub = await _go_live(client, app, key)
    try:
        async with app[keys.STORE].engine.connect() as connection:
            licence = (await connection.execute(select(qualifications.c.id)
                                                .where(qualifications.c.org_id == "lic"))).scalar()
        revoked = await client.post(f"/api/v1/review/licences/{licence}", headers=reviewer,
                                    json={"decision": "revoke", "reason": "证照已被登记机关注销"})
        assert revoked.status == 200, await revoked.text()
        await wait_for(lambda: "lic-room" not in app[SIGNALING].live_rooms(), 10)
        assert app[SIGNALING].room_state("lic-room")["live"] is False
        ended = [e async for e in app[GOVERNANCE].ledger.export(0, 2**62) if e.kind == "live.ended"]
        assert [(e.subject, e.body["org"], e.body["reason"]) for e in ended] == [
            ("room:lic-room", "lic", "licence_required")]
        again_pub, offer = await publisher("video/VP8", audio=False)
        try:
            refused = await post_sdp(client, "/whip/lic-room", offer, token=key)
            assert refused.status == 403 and refused.body["error"]["code"] == "licence_required"
        finally:
            await again_pub.close()
    finally:
        await pub.close()


@pytest.mark.media
async def test_a_lapse_on_another_node_is_caught_by_the_sweep(aiohttp_client: Any, tmp_path: Path) -> None:
    """The licence expires through a review object without this server's listener (as another node's sweep
    would); this node's periodic guard then ends the stream. An organisation still licensed keeps its stream."""
    client, app, key, _ = await _live_world(aiohttp_client, tmp_path)
    gov = app[GOVERNANCE]
    async with app[keys.STORE].engine.begin() as connection:  # valid until tomorrow
        await connection.execute(qualifications.update().where(qualifications.c.org_id == "lic").values(
            valid_until=int(time.time() * 1000) + DAY_S * 1000))
    pub = await _go_live(client, app, key)
    try:
        assert await app[LIVE_GUARD].sweep() == 0  # still licensed: nothing ended
        assert "lic-room" in app[SIGNALING].live_rooms()
        other_node = LicenceReview(app[keys.STORE], gov.ledger, MemoryBlobStore(), pseudonym_key=gov.pseudonym_key,
                                   clock=ManualClock(time.time() + 2 * DAY_S))
        assert (await other_node.sweep())["expired"] == 1
        assert "lic-room" in app[SIGNALING].live_rooms()  # nobody told this node yet
        assert await app[LIVE_GUARD].sweep() == 1
        await wait_for(lambda: "lic-room" not in app[SIGNALING].live_rooms(), 10)
    finally:
        await pub.close()
