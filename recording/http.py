"""Replays and clips over REST: lists, the media file (HTTP ranges), cards, clip cutting, takedown (4.3.1 a).

Every request for the file itself checks who may watch (the middleware has
checked only the route's audience), so a copied URL is no way round a
recording's visibility.
"""

from __future__ import annotations

import re
from typing import Any

from aiohttp import web

from common.errors import Forbidden, Invalid, NotFound, Unauthenticated
from common.http import read_json_object
from identity.http import Authenticate, caller
from identity.principal import Principal

from .chat import ReplayChat
from .forward import forwardable, from_origin
from .repository import RecordingRow
from .service import Recordings

RECORDINGS = web.AppKey("recordings", Recordings)
REPLAY_CHAT = web.AppKey("replay_chat", ReplayChat)
AUTHENTICATE: web.AppKey[Authenticate] = web.AppKey("recordings_authenticate")  # the app's own, given at install
CHUNK = 1 << 20


async def _watchable(request: web.Request) -> tuple[Recordings, RecordingRow, Principal]:
    recordings = request.app[RECORDINGS]
    row = await recordings.get(request.match_info["id"])
    principal = caller(request.app[AUTHENTICATE], request)
    if not recordings.may_watch(principal, row):
        if principal.anonymous:
            raise Unauthenticated("unauthenticated", "请先登录再观看这个回放")
        raise Forbidden("forbidden", "你没有观看这个回放的权限")
    return recordings, row, principal


async def room_recordings(request: web.Request) -> web.Response:
    room = request.match_info["room"]
    if await request.app[RECORDINGS].rooms.get(room) is None:
        raise NotFound("unknown_room", f"没有名为 {room!r} 的直播间")
    recordings = request.app[RECORDINGS]
    principal = caller(request.app[AUTHENTICATE], request)
    rows = [r for r in await recordings.repo.of_room(room) if recordings.may_watch(principal, r)]
    return web.json_response([recordings.view(r) for r in rows])


async def org_clips(request: web.Request) -> web.Response:
    recordings = request.app[RECORDINGS]
    principal = caller(request.app[AUTHENTICATE], request)
    rows = await recordings.repo.clips_of_org(request.match_info["org"])
    return web.json_response([recordings.view(r) for r in rows if recordings.may_watch(principal, r)])


async def get_recording(request: web.Request) -> web.Response:
    """One recording, with ``can_edit``: whether the caller may cut clips and change its settings."""
    recordings, row, principal = await _watchable(request)
    return web.json_response({**recordings.view(row), "can_edit": recordings.may_edit(principal, row)})


async def recording_media(request: web.Request) -> web.StreamResponse:
    """The file (a live's growing one too): sendfile from the local dir, else byte ranges from the blob store."""
    recordings, row, _ = await _watchable(request)
    headers = {"Content-Type": row.media_type, "Cache-Control": "private, no-store"}
    path = recordings.path_of(row)
    if path is not None and path.exists():
        return web.FileResponse(path, headers=headers)
    if row.ended_at is None and forwardable(request, row.origin, recordings.node_url):
        assert row.origin is not None
        return await from_origin(request, row.origin)  # still growing on the node writing it
    size = None if row.blob_key is None else await recordings.blobs.size(row.blob_key)
    if row.blob_key is None or size is None:
        raise NotFound("recording_gone", "回放文件尚未写入或已删除")
    start, end = _range(request.headers.get("Range"), size)
    status = 206 if "Range" in request.headers else 200
    if status == 206:
        headers["Content-Range"] = f"bytes {start}-{end - 1}/{size}"
    response = web.StreamResponse(status=status, headers={**headers, "Accept-Ranges": "bytes",
                                                          "Content-Length": str(end - start)})
    await response.prepare(request)
    for offset in range(start, end, CHUNK):
        await response.write(await recordings.blobs.read(row.blob_key, offset, min(end, offset + CHUNK)))
    await response.write_eof()
    return response


def _range(header: str | None, size: int) -> tuple[int, int]:
    """One ``bytes=a-b`` / ``a-`` / ``-n`` range (RFC 9110 §14.1.2) as [start, end); 416 when unsatisfiable."""
    if header is None:
        return 0, size
    match = re.fullmatch(r"bytes=(\d*)-(\d*)", header.strip())
    if match is None or match.groups() == ("", ""):
        raise web.HTTPRequestRangeNotSatisfiable(headers={"Content-Range": f"bytes */{size}"})
    first, last = match.groups()
    if first == "":
        start, end = max(0, size - int(last)), size
    else:
        start, end = int(first), min(size, int(last) + 1) if last else size
    if start >= end:
        raise web.HTTPRequestRangeNotSatisfiable(headers={"Content-Range": f"bytes */{size}"})
    return start, end


async def recording_cards(request: web.Request) -> web.Response:
    recordings, row, _ = await _watchable(request)
    return web.json_response(await recordings.cards(row))


async def recording_chat(request: web.Request) -> web.Response:
    """The live's chat at its times, only if the room's owner chose to replay it (404 ``chat_not_replayed``)."""
    recordings, row, _ = await _watchable(request)
    parent = None if row.parent_id is None else await recordings.get(row.parent_id)
    if not row.chat_replay:  # a clip has its own choice
        raise NotFound("chat_not_replayed", "主办方未开放这个回放的聊天记录")
    bounds = []
    for name in ("from_s", "to_s"):
        raw = request.query.get(name)
        try:
            value = None if raw in (None, "") else float(raw)
        except ValueError:
            value = float("nan")
        if value is not None and not 0 <= value < 1e7:
            raise Invalid("invalid_range", f"{name} 须为非负秒数")
        bounds.append(value)
    return web.json_response(await request.app[REPLAY_CHAT].lines(row, parent, bounds[0] or 0.0, bounds[1]))


async def create_clip(request: web.Request) -> web.Response:
    recordings, row, principal = await _watchable(request)
    if not recordings.may_edit(principal, row):
        raise Forbidden("forbidden", "只有本直播间所属机构的主播或成员可以剪辑")
    clip = await recordings.clip(row, principal, await read_json_object(request))
    return web.json_response(recordings.view(clip), status=201)


async def edit_recording(request: web.Request) -> web.Response:
    recordings, row, principal = await _watchable(request)
    if not recordings.may_edit(principal, row):
        raise Forbidden("forbidden", "只有本直播间所属机构的主播或成员可以修改回放设置")
    return web.json_response(recordings.view(await recordings.edit(row, await read_json_object(request))))


async def take_down(request: web.Request) -> web.Response:
    recordings = request.app[RECORDINGS]
    row = await recordings.get(request.match_info["id"])
    body = await read_json_object(request)
    reason = body.get("reason")
    if not isinstance(reason, str) or not reason.strip() or len(reason) > 500:
        raise Invalid("invalid_reason", "下架须写明理由（不超过 500 字）")
    principal = caller(request.app[AUTHENTICATE], request)
    return web.json_response(recordings.view(await recordings.take_down(row, principal, reason.strip())))


def install_recordings_api(app: web.Application, recordings: Recordings, authenticate: Authenticate,
                           replay_chat: ReplayChat) -> None:
    app[RECORDINGS] = recordings
    app[REPLAY_CHAT] = replay_chat
    app[AUTHENTICATE] = authenticate
    app.router.add_get("/api/v1/rooms/{room}/recordings", room_recordings)
    app.router.add_get("/api/v1/orgs/{org}/clips", org_clips)
    app.router.add_get("/api/v1/recordings/{id}", get_recording)
    app.router.add_patch("/api/v1/recordings/{id}", edit_recording)
    app.router.add_get("/api/v1/recordings/{id}/media", recording_media)
    app.router.add_get("/api/v1/recordings/{id}/cards", recording_cards)
    app.router.add_post("/api/v1/recordings/{id}/clips", create_clip)
    app.router.add_get("/api/v1/recordings/{id}/chat", recording_chat)
    app.router.add_post("/api/v1/review/recordings/{id}/takedown", take_down)


_ID = [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}]
OPENAPI_PATHS: dict[str, Any] = {
    "/api/v1/rooms/{room}/recordings": {"get": {
        "summary": "The room's replays and clips the caller may watch",
        "parameters": [{"name": "room", "in": "path", "required": True, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "[{id, session_id, started_at, duration_s, visibility, url, kind}]"},
                      "404": {"description": "unknown room"}}}},
    "/api/v1/orgs/{org}/clips": {"get": {"summary": "An organisation's clips the caller may watch",
                                         "responses": {"200": {"description": "clips"}}}},
    "/api/v1/recordings/{id}": {"get": {"summary": "One replay or clip", "parameters": _ID,
                                        "responses": {"200": {"description": "recording"},
                                                      "401": {"description": "sign in"},
                                                      "403": {"description": "not visible to the caller"}}},
                                "patch": {"summary": "Change visibility, title or chat_replay (host or member of the room's org)",
                                          "security": [{"bearer": []}], "parameters": _ID,
                                          "responses": {"200": {"description": "recording"},
                                                        "403": {"description": "not the room's organisation"},
                                                        "422": {"description": "bad visibility or title"}}}},
    "/api/v1/recordings/{id}/media": {"get": {
        "summary": "The media file, with HTTP range support; visibility checked on every request",
        "parameters": _ID, "responses": {"200": {"description": "video/mp4 or video/webm"},
                                         "206": {"description": "a range"}, "401": {"description": "sign in"},
                                         "403": {"description": "not visible to the caller"}}}},
    "/api/v1/recordings/{id}/cards": {"get": {"summary": "Job cards pinned during the live, with offsets in seconds",
                                              "parameters": _ID, "responses": {"200": {"description": "cards"}}}},
    "/api/v1/recordings/{id}/chat": {"get": {
        "summary": "The live's chat with offsets in seconds (from_s, to_s), if the owner set chat_replay",
        "parameters": _ID, "responses": {"200": {"description": "[{id, offset_s, name, role, text}]"},
                                         "404": {"description": "chat not replayed"}}}},
    "/api/v1/recordings/{id}/clips": {"post": {
        "summary": "Cut a clip (at keyframes, no re-encoding): {start_s, end_s, title?, job_id?, visibility?}",
        "security": [{"bearer": []}], "parameters": _ID,
        "responses": {"201": {"description": "the clip"}, "400": {"description": "bad range"},
                      "403": {"description": "not a host or member of the room's organisation"}}}},
    "/api/v1/review/recordings/{id}/takedown": {"post": {
        "summary": "Take a replay or clip down with a reason (platform reviewers; in the ledger)",
        "security": [{"bearer": []}], "parameters": _ID, "responses": {"200": {"description": "taken down"}}}},
}
