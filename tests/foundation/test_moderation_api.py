"""Run-time moderation terms (standard 4.4.1 d, 5.1.3 d): added by an org admin, used at once, kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from livehire import keys
from livehire.api_moderation import TermSync
from livehire.app import MODERATOR, create_app
from livehire.settings import load_settings
from moderation.engine import Moderator
from store.engine import open_store
from store.orgs import OrgRepository
from store.terms import TermRepository

pytestmark = pytest.mark.clause("4.4.1 d", "5.1.3 d")


def bearer(client: Any, **claims: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {client.server.app[keys.SIGNER].mint(session='test', **claims)}"}


async def test_org_admin_adds_a_term_that_applies_to_its_org_at_once(client: Any) -> None:
    moderator: Moderator = client.server.app[MODERATOR]
    text = "来我们的蓝鲸群聊细节"
    assert moderator.moderate(text, role="host", org="demo-org").action == "allow"
    admin = bearer(client, role="admin", user="demo-admin", org="demo-org")
    response = await client.post(
        "/api/v1/orgs/demo-org/moderation/terms", json={"category": "diversion", "terms": ["蓝鲸群"]}, headers=admin
    )
    assert response.status == 201 and (await response.json())["added"] == 1
    decision = moderator.moderate(text, role="host", org="demo-org")
    assert decision.action != "allow" and "diversion" in decision.categories
    assert moderator.moderate(text, role="host", org="other-org").action == "allow"
    listed = await (await client.get("/api/v1/orgs/demo-org/moderation/terms", headers=admin)).json()
    assert [t["term"] for t in listed["terms"]] == ["蓝鲸群"]
    checked = await client.post("/api/v1/moderation/check", json={"text": text}, headers=admin)
    assert (await checked.json())["action"] != "allow"


async def test_terms_api_refuses_other_orgs_viewers_and_bad_bodies(client: Any) -> None:
    path = "/api/v1/orgs/demo-org/moderation/terms"
    body = {"category": "fee", "terms": ["会员费"]}
    assert (await client.post(path, json=body)).status == 401
    assert (await client.post(path, json=body, headers=bearer(client, role="viewer", user="v"))).status == 403
    other = bearer(client, role="admin", user="x", org="other-org")
    assert (await client.post(path, json=body, headers=other)).status == 403
    admin = bearer(client, role="admin", user="demo-admin", org="demo-org")
    for bad in ({"category": "spam", "terms": ["x"]}, {"category": "fee", "terms": []},
                {"category": "fee", "terms": [""]}, {"category": "fee", "terms": "会员费"}):
        response = await client.post(path, json=bad, headers=admin)
        assert response.status == 422, bad
        assert (await response.json())["error"]["code"] in {"invalid_category", "invalid_terms"}
    platform = bearer(client, role="reviewer", user="r")
    assert (await client.post("/api/v1/orgs/nope/moderation/terms", json=body, headers=platform)).status == 404
    assert (await client.post("/api/v1/moderation/terms", json=body, headers=admin)).status == 403
    assert (await client.post("/api/v1/moderation/terms", json=body, headers=platform)).status == 201


async def test_stored_terms_reach_a_fresh_node(store_url: str, tmp_path: Path) -> None:
    """A second node (or a restart) picks up terms that another node stored."""
    store = await open_store(store_url)
    try:
        await OrgRepository(store).create_org("acme", "Acme")
        repo = TermRepository(store)
        assert await repo.add("acme", "fee", ["蓝莓卡", "蓝莓卡"], "u1") == 1
        assert await repo.add(None, "diversion", ["飞鸽群"], "u2") == 1
        node = Moderator()
        assert node.moderate("入职记得带上蓝莓卡", role="host", org="acme").action == "allow"
        assert node.moderate("来我们的飞鸽群聊细节", role="host").action == "allow"
        sync = TermSync(repo, node)
        assert await sync.sync() == 2
        assert node.moderate("入职记得带上蓝莓卡", role="host", org="acme").action == "block"
        assert "diversion" in node.moderate("来我们的飞鸽群聊细节", role="host").categories
        assert node.moderate("入职记得带上蓝莓卡", role="host", org="other").action == "allow"
        assert await sync.sync() == 0
    finally:
        await store.close()


async def test_terms_survive_a_restart(aiohttp_client: Any, tmp_path: Path) -> None:
    settings = load_settings({"data_dir": tmp_path}, environ={})
    first = await aiohttp_client(create_app(settings))
    admin = bearer(first, role="admin", user="demo-admin", org="demo-org")
    await first.post("/api/v1/orgs/demo-org/moderation/terms", json={"category": "fee", "terms": ["紫藤券"]}, headers=admin)
    await first.close()
    assert Moderator().moderate("请准备好紫藤券", role="host", org="demo-org").action == "allow"
    second = await aiohttp_client(create_app(settings))
    assert second.server.app[MODERATOR].moderate("请准备好紫藤券", role="host", org="demo-org").action == "block"
