"""Personas with real server-side sessions, and the small world the identity tests share."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from livehire import keys


async def bearer(app: web.Application, role: str, user: str, org: str | None = None,
                 room: str | None = None, name: str | None = None) -> dict[str, str]:
    """``Authorization`` of a real session (revocable) for this capacity."""
    grant = await app[keys.SESSIONS].open(user_id=user, role=role, org=org, room=room, name=name)  # type: ignore[arg-type]
    return {"Authorization": "Bearer " + grant.access_token}


async def second_org(app: web.Application, org: str = "acme", room: str = "acme-room") -> str:
    """Another organisation with a public room of its own; returns the room's stream key."""
    await app[keys.ORGS].create_org(org, "Acme 人力")
    _, key = await app[keys.ROOMS].create(room, title="Acme 专场", org_id=org)
    return key


async def sms_code(client: Any, phone: str) -> str:
    """Asks for a code and reads it back from the simulated provider, as the operator's CLI does."""
    response = await client.post("/api/v1/auth/sms-code", json={"phone": phone})
    assert response.status == 202, await response.text()
    messages = await client.server.app[keys.SMS_PROVIDER].outbox(phone)
    return str(messages[0]["code"])


async def sign_in_by_phone(client: Any, phone: str, name: str | None = None) -> dict[str, Any]:
    code = await sms_code(client, phone)
    body: dict[str, Any] = {"phone": phone, "code": code}
    if name is not None:
        body["name"] = name
    response = await client.post("/api/v1/auth/sms-login", json=body)
    assert response.status == 200, await response.text()
    answer: dict[str, Any] = await response.json()
    return answer


async def error_of(response: Any, status: int) -> dict[str, Any]:
    text = await response.text()
    assert response.status == status, text
    error: dict[str, Any] = json.loads(text)["error"]
    return error
