"""One chat socket as the service sees it, the context extension handlers get, and the chat metrics.

Kept apart from :mod:`chat.service` so the room state (:mod:`chat.rooms`) and the moderation actions
can name a connection without importing the service.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from prometheus_client import CollectorRegistry, Counter, Gauge

from chat.bus.ports import BusUnavailable
from chat.fanout import Outlet
from chat.frames import OP_BINARY, OP_TEXT, dumps, packs, ws_frame
from chat.protocol import Admit, ChatSession, Command, Event, Extension, Hold, Publish, Reply, Report
from common.errors import LivehireError
from identity.principal import Principal
from store.faults import store_unavailable, unreachable

log = logging.getLogger("chat.service")

Broadcast = Callable[[str, Mapping[str, Any]], Awaitable[None]]


@dataclass(eq=False, slots=True)
class Connection:
    """One websocket: its protocol session, its outlet and the aiohttp response."""

    room: str
    session: ChatSession
    outlet: Outlet
    ws: web.WebSocketResponse | None = None
    context: Context | None = None  # built on the first extension frame, then reused
    serial: int = 0  # unique on this node for its lifetime: names an anonymous socket in statistics

    @property
    def principal(self) -> Principal:
        return self.session.principal

    def reply(self, frame: Mapping[str, Any]) -> None:
        """Encoded for this socket's format only (no ``Encoded``: nobody else shares the bytes)."""
        outlet = self.outlet
        outlet.write(ws_frame(packs(frame), OP_BINARY) if outlet.binary else ws_frame(dumps(frame), OP_TEXT))


class Context:
    """The :class:`~common.frames.FrameContext` given to extension handlers."""

    def __init__(self, connection: Connection, broadcast: Broadcast) -> None:
        self.room = connection.room
        self.principal = connection.principal
        self._broadcast = broadcast
        self.reply: Callable[[Mapping[str, Any]], None] = connection.reply  # straight to the socket (hot path)

    async def broadcast(self, frame: Mapping[str, Any]) -> None:
        await self._broadcast(self.room, frame)


def ref_of(event: Event | None) -> str | None:
    """The client's ``ref`` of the frame an event came from."""
    if isinstance(event, Reply):
        ref = event.frame.get("ref")
        return ref if isinstance(ref, str) else None
    if isinstance(event, Command | Extension | Admit):
        return event.frame.ref
    if isinstance(event, Publish | Hold | Report):
        return event.ref
    return None


def failure(error: Exception, where: str) -> LivehireError:
    """The one place a frame that failed gets its error for the sender (``where``: room and user, for the log).

    A refusal keeps its code (Redis away, the review queue full, a handler's own); the database away
    (a pin, an apply, a report meeting PostgreSQL down) is ``unavailable``, as REST's 503, logged as
    one warning line; anything else is ``handler_failed``, its traceback logged, its cause never told.
    """
    if isinstance(error, LivehireError):
        if isinstance(error, BusUnavailable):
            log.warning("%s: a frame failed: %s", where, error.details)
        return error
    if unreachable(error):
        log.warning("%s: a frame met the store away: %s", where, type(error).__name__)
        return store_unavailable()
    log.error("%s: a frame handler failed", where, exc_info=error)
    return LivehireError("handler_failed", "处理失败，请稍后再试", kind="internal")


class Metrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.messages = Counter("livehire_chat_messages_total", "Chat messages by moderation outcome", ["action"], registry=registry)
        self.deliveries = Counter("livehire_chat_deliveries_total", "Frames written to chat sockets", registry=registry)
        self.connections = Gauge("livehire_chat_connections", "Open chat websockets on this node", registry=registry)
        self.slow = Counter("livehire_chat_slow_consumers_total", "Sockets closed because they fell behind", registry=registry)
        self.errors = Counter("livehire_chat_frame_errors_total", "Client frames refused", ["code"], registry=registry)
