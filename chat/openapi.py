"""OpenAPI paths of the chat's REST side (moderation of live chat, standard 5.1.3 d, 4.4.1 b)."""

from __future__ import annotations

from typing import Any

_ROOM = {"name": "room", "in": "path", "required": True, "schema": {"type": "string"}}
_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
_MODERATOR_ERRORS = {
    "401": {"description": "no or invalid token"},
    "403": {"description": "not a moderator of this room (host of the room, reviewer, admin)"},
    "404": {"description": "unknown room or message"},
}


def _op(summary: str, ok: str, parameters: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "summary": summary,
        "security": [{"bearer": []}],
        "parameters": parameters,
        "responses": {ok: {"description": "done"}, **_MODERATOR_ERRORS, **extra},
    }


def paths() -> dict[str, Any]:
    return {
        "/api/v1/rooms/{room}/held": {
            "get": _op("Messages held for review in this room, oldest first", "200", [_ROOM]),
        },
        "/api/v1/rooms/{room}/held/{id}/approve": {
            "post": _op("Publish a held message to the room", "200", [_ROOM, _ID], **{"409": {"description": "already resolved"}}),
        },
        "/api/v1/rooms/{room}/held/{id}/reject": {
            "post": _op("Drop a held message", "200", [_ROOM, _ID], **{"409": {"description": "already resolved"}}),
        },
        "/api/v1/rooms/{room}/messages/{id}": {
            "delete": _op("Delete a published message for everyone and from history", "200", [_ROOM, _ID]),
        },
        "/api/v1/rooms/{room}/audit": {
            "get": _op("Moderation actions taken in this room (who, what, when)", "200", [_ROOM]),
        },
    }
