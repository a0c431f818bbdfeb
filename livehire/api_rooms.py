"""Rooms and guest access over REST (standard 3.1, 4.3.1 a)."""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web

from common.errors import Conflict, Forbidden, Invalid, NotFound
from common.http import read_json_object
from identity.http import require
from identity.policy import ROUTES, decide
from livehire import keys
from store.rooms import VISIBILITIES, Room, RoomError


def room_links(base_url: str, slug: str) -> dict[str, str]:
    return {
        "whip_url": f"{base_url}/whip/{slug}",
        "whep_url": f"{base_url}/whep/{slug}",
        "viewer_url": f"{base_url}/live/{slug}",
        "studio_url": f"{base_url}/studio/{slug}",
        "chat_url": base_url.replace("http", "ws", 1) + f"/ws/rooms/{slug}",
    }


async def room_view(app: web.Application, room: Room) -> dict[str, Any]:
    state = app[keys.ROOM_STATE](room.slug)
    if not state["live"] and await app[keys.ROOM_LIVE_ELSEWHERE](room.slug):
        # live on another node or worker (serve --workers): a viewer here is served through a relay;
        # the viewer count and codecs stay this node's
        state = {**state, "live": True}
    return {**room.to_json(), **room_links(app[keys.SETTINGS].base_url, room.slug), **state}


async def list_rooms(request: web.Request) -> web.Response:
    rooms = await request.app[keys.ROOMS].list()
    views = list(await asyncio.gather(*(room_view(request.app, room) for room in rooms if room.visibility == "public")))
    views.sort(key=lambda view: (not view.get("live", False), view["slug"]))
    return web.json_response({"rooms": views})


async def get_room(request: web.Request) -> web.Response:
    slug = request.match_info["room"]
    room = await request.app[keys.ROOMS].get(slug)
    if room is None:
        raise NotFound("unknown_room", f"没有名为 {slug!r} 的直播间")
    return web.json_response(await room_view(request.app, room))


async def room_media_stats(request: web.Request) -> web.Response:
    """Per-viewer loss, jitter and bitrate for the room's own hosts and platform staff (policy: room_manage)."""
    slug = request.match_info["room"]
    if await request.app[keys.ROOMS].get(slug) is None:
        raise NotFound("unknown_room", f"没有名为 {slug!r} 的直播间")
    return web.json_response(request.app[keys.ROOM_STATS](slug))


async def create_room(request: web.Request) -> web.Response:
    """Admins create rooms; the stream key is in this response only (stored hashed)."""
    principal = require(request.app[keys.AUTHENTICATE], request, "admin")
    body = await read_json_object(request)
    slug = body.get("slug")
    title = body.get("title")
    visibility = body.get("visibility", "public")
    org = body.get("org", principal.org)
    if decide(ROUTES["POST /api/v1/rooms"], principal, org=org if isinstance(org, str) else None) != "allow":
        raise Forbidden("forbidden", "只能为本机构创建直播间")  # review M1: the policy's org relation
    if not isinstance(slug, str):
        raise Invalid("invalid_slug", "slug 必须是字符串")
    if title is not None and not isinstance(title, str):
        raise Invalid("invalid_title", "title 必须是字符串")
    if visibility not in VISIBILITIES:
        raise Invalid("invalid_visibility", f"visibility 必须是 {', '.join(VISIBILITIES)} 之一")
    if org is not None and (not isinstance(org, str) or await request.app[keys.ORGS].get_org(org) is None):
        raise Invalid("unknown_org", f"没有机构 {org!r}")
    try:
        room, key = await request.app[keys.ROOMS].create(slug, title=title, org_id=org, visibility=visibility)
    except RoomError as exc:
        raise (Conflict if exc.code == "room_exists" else Invalid)(exc.code, str(exc)) from exc
    return web.json_response({**(await room_view(request.app, room)), "stream_key": key}, status=201)


def install_room_api(app: web.Application) -> None:
    app.router.add_get("/api/v1/rooms", list_rooms)
    app.router.add_post("/api/v1/rooms", create_room)
    app.router.add_get("/api/v1/rooms/{room}", get_room)
    app.router.add_get("/api/v1/rooms/{room}/stats", room_media_stats)


OPENAPI_PATHS: dict[str, Any] = {
    "/api/v1/rooms": {
        "get": {"summary": "Public rooms with live state", "responses": {"200": {"description": "rooms"}}},
        "post": {
            "summary": "Create a room (admin); returns the stream key once",
            "security": [{"bearer": []}],
            "responses": {"201": {"description": "created"}, "401": {"description": "no token"},
                          "403": {"description": "not an admin"}, "409": {"description": "exists"}},
        },
    },
    "/api/v1/rooms/{room}": {
        "get": {"summary": "One room: live state, viewers, URLs",
                "parameters": [{"name": "room", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "room"}, "404": {"description": "unknown room"}}},
    },
    "/api/v1/openapi.json": {
        "get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3.1"}}},
    },
    "/api/v1/rooms/{room}/stats": {
        "get": {"summary": "Media statistics of the room: upstream and per-viewer loss, jitter, bitrate",
                "security": [{"bearer": []}],
                "parameters": [{"name": "room", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "stats"}, "401": {"description": "no token"},
                              "403": {"description": "not the room's host or platform staff"},
                              "404": {"description": "unknown room"}}},
    },
}
