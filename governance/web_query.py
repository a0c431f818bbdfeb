"""The review desk's query parameters, read the same way by every governance route (422 when malformed)."""

from __future__ import annotations

from aiohttp import web

from common.errors import Invalid


def query_limit(request: web.Request, default: int = 100) -> int:
    """``?limit=``: an integer, at least 1 (each queue caps it at its own maximum)."""
    try:
        return max(1, int(request.query.get("limit", str(default))))
    except ValueError as exc:
        raise Invalid("invalid_limit", "limit 须为整数") from exc


def query_flag(request: web.Request, name: str) -> bool | None:
    """``?name=true|false``; absent or empty: None (no filter)."""
    raw = request.query.get(name)
    if raw is None or raw == "":
        return None
    if raw not in ("true", "false"):
        raise Invalid(f"invalid_{name}", f"{name} 须为 true 或 false")
    return raw == "true"
