"""The aiohttp adapter: the chat websocket and the moderators' REST endpoints. Thin on purpose.

``install_chat(app, service)`` adds the routes and an ``on_shutdown`` hook that
closes every chat socket with 4000 (reconnect). Starting and closing the service
(``await service.start()`` / ``await service.close()``) belongs to the composition
root; :func:`chat_context` is a ready-made ``cleanup_ctx`` for it.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from aiohttp import WSMsgType, web

from chat.frames import CLOSE_SHUTDOWN, ws_frame
from chat.heartbeat import Heartbeat
from chat.service import ChatService
from common.errors import Forbidden, Invalid, LivehireError, Malformed, NotFound, Unauthenticated
from common.http import read_json_object, render_error
from identity.http import caller, require
from identity.policy import chat_permissions, may_view_room
from identity.principal import Principal
from moderation.decision import CATEGORIES

log = logging.getLogger(__name__)
CHAT_SERVICE = web.AppKey("chat_service", ChatService)
HEARTBEAT = web.AppKey("chat_heartbeat", Heartbeat)
MAX_WS_MESSAGE = 64 * 1024  # above this aiohttp closes with 1009; up to it we answer with an error frame
PING_FRAME = ws_frame(b"", 0x9)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
_END = frozenset({WSMsgType.CLOSE, WSMsgType.CLOSING, WSMsgType.CLOSED})  # where ``async for`` over a socket stops


def install_chat(app: web.Application, service: ChatService, *, heartbeat: float = 30.0) -> None:
    """``heartbeat``: a socket silent this long is pinged, and dropped if still silent half as long again."""
    app[CHAT_SERVICE] = service
    app[HEARTBEAT] = beats = Heartbeat(heartbeat)
    app.cleanup_ctx.append(beats.context())
    app.router.add_get("/ws/rooms/{room}", _websocket)
    app.router.add_get("/api/v1/rooms/{room}/held", _json_errors(_held))
    app.router.add_post("/api/v1/rooms/{room}/held/{id}/approve", _json_errors(_approve))
    app.router.add_post("/api/v1/rooms/{room}/held/{id}/reject", _json_errors(_reject))
    app.router.add_delete("/api/v1/rooms/{room}/messages/{id}", _json_errors(_delete))
    app.router.add_get("/api/v1/rooms/{room}/audit", _json_errors(_audit))

    async def close_sockets(app: web.Application) -> None:
        await service.close_sockets(CLOSE_SHUTDOWN)

    app.on_shutdown.append(close_sockets)


def chat_context(service: ChatService) -> Callable[[web.Application], AsyncIterator[None]]:
    """A ``cleanup_ctx`` entry that starts the service and closes it at shutdown."""

    async def context(app: web.Application) -> AsyncIterator[None]:
        await service.start()
        yield
        await service.close(CLOSE_SHUTDOWN)

    return context


def _json_errors(handler: Handler) -> Handler:
    async def wrapped(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except LivehireError as exc:  # the chat app may run without the root's middleware
            return render_error(exc)

    return wrapped


def _caller(request: web.Request) -> Principal:
    return caller(request.app[CHAT_SERVICE].authenticate, request)


async def _moderator(request: web.Request) -> tuple[ChatService, str, Principal]:
    """A moderator of this room by the policy's chat command table (``identity.policy``)."""
    service = request.app[CHAT_SERVICE]
    room = request.match_info["room"]
    principal = require(service.authenticate, request)
    facts = await service.room_facts(room)
    if facts is None:
        raise NotFound("room_not_found", f"没有直播间 {room!r}")
    if "review" not in chat_permissions(principal, facts):  # also when the chat runs without the middleware
        raise Forbidden("forbidden", "只有本直播间的主播、机构管理员和平台审核人员可以管理聊天")
    return service, room, principal


async def _websocket(request: web.Request) -> web.StreamResponse:
    service = request.app[CHAT_SERVICE]
    room = request.match_info["room"]
    try:
        principal = _caller(request)
    except LivehireError as exc:
        return render_error(exc)
    if not principal.may_act_in_room(room):
        return render_error(Forbidden("wrong_room", "此凭证只能用于另一个直播间"))
    facts = await service.room_facts(room)
    if facts is None:
        return render_error(NotFound("room_not_found", f"没有直播间 {room!r}"))
    if not may_view_room(principal, facts):  # the route's policy checks this too; the chat may run without it
        refusal = Unauthenticated if principal.anonymous else Forbidden
        return render_error(refusal("forbidden", "你不能观看这个直播间"))
    since_raw = request.query.get("since")
    since: int | None = None
    if since_raw is not None:
        if not since_raw.isdigit() or len(since_raw) > 18:
            return render_error(Malformed("bad_since", "since 必须是小于 10^18 的非负整数"))
        since = int(since_raw)
    epoch = request.query.get("epoch")
    if epoch is not None and not (0 < len(epoch) <= 32 and epoch.isascii() and epoch.isalnum()):
        return render_error(Malformed("bad_epoch", "epoch 必须是 1–32 个字母或数字"))
    binary = request.query.get("format") == "msgpack"
    # compress=False: fan-out writes pre-built uncompressed frames straight to the transport.
    # No aiohttp heartbeat (a timer re-armed per message) and no autoping: pings, pongs and liveness are
    # ours (chat.heartbeat), one counter per frame.
    ws = web.WebSocketResponse(compress=False, max_msg_size=MAX_WS_MESSAGE, autoping=False)
    await ws.prepare(request)
    transport = request.transport
    if transport is None:
        return ws
    connection = await service.connect(room, principal, transport, binary=binary, since=since, ws=ws,
                                       room_facts=facts, epoch=epoch)
    outlet = connection.outlet
    alive = request.app[HEARTBEAT].watch(functools.partial(outlet.write, PING_FRAME), transport.abort)
    receive, handle = ws.receive, service.receive
    try:
        while True:  # ``async for`` without ``__anext__``'s extra coroutine per frame
            message = await receive()
            kind = message.type
            alive.heard += 1
            if kind is WSMsgType.TEXT or kind is WSMsgType.BINARY:
                await handle(connection, message.data)
            elif kind is WSMsgType.PING:
                outlet.write(ws_frame(message.data, 0xA))  # the pong, a whole frame like every raw write
            elif kind in _END:
                break
            elif kind is WSMsgType.ERROR:
                log.info("chat %s: socket error %s", room, ws.exception())
                break
    finally:
        request.app[HEARTBEAT].forget(alive)
        service.disconnect(connection)
    return ws


async def _held(request: web.Request) -> web.StreamResponse:
    service, room, _ = await _moderator(request)
    return web.json_response({"room": room, "held": await service.bus.review.held(room)})


async def _resolve(request: web.Request, approve: bool) -> web.StreamResponse:
    """A rejection may name the category the message broke (``{"category"}``; the filter's when not given)."""
    service, room, principal = await _moderator(request)
    category = None
    if not approve and request.can_read_body:
        raw = (await read_json_object(request, max_bytes=1024)).get("category")
        if raw is not None and raw not in CATEGORIES:
            raise Invalid("invalid_category", f"category 须为 {'、'.join(CATEGORIES)} 之一")
        category = raw
    result = await service.ops.review(room, request.match_info["id"], approve, principal, category)
    return web.json_response(result)


async def _approve(request: web.Request) -> web.StreamResponse:
    return await _resolve(request, True)


async def _reject(request: web.Request) -> web.StreamResponse:
    return await _resolve(request, False)


async def _delete(request: web.Request) -> web.StreamResponse:
    service, room, principal = await _moderator(request)
    await service.ops.delete(room, request.match_info["id"], principal)
    return web.Response(status=204)


async def _audit(request: web.Request) -> web.StreamResponse:
    service, room, _ = await _moderator(request)
    records: list[dict[str, Any]] = [r.to_json() for r in await service.bus.audit.recent(room)]
    return web.json_response({"room": room, "audit": records})
