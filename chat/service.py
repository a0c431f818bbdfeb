"""ChatService: rooms on this node, the bus, the protocol core and the fan-out, wired together.

The websocket handler (:mod:`chat.http`) only moves bytes: it gives each received
message to :meth:`ChatService.receive`, which runs the sans-I/O
:class:`~chat.protocol.ChatSession` and carries out its events against the bus.
Everything a room hears arrives through the bus (``_deliver``), also on the node
that sent it, so one node and many behave the same.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from aiohttp import web
from prometheus_client import CollectorRegistry, Counter, Gauge

from chat.buckets import ADMITTED
from chat.bus import Bus, BusUnavailable, Envelope
from chat.controls import RoomControls
from chat.fanout import MODERATORS, Outlet, RoomHub, Transport
from chat.frames import (
    CLOSE_FORBIDDEN,
    CLOSE_SHUTDOWN,
    OP_BINARY,
    OP_TEXT,
    Encoded,
    dumps,
    packs,
    ws_frame,
)
from chat.moderation_ops import ModerationOps
from chat.protocol import (
    Admit,
    ChatSession,
    Command,
    Counters,
    Event,
    Extension,
    Hold,
    Moderates,
    Publish,
    Reply,
    Report,
    user_of,
)
from chat.writers import ParallelWriter
from common.frames import FrameHandler, error_frame
from identity.policy import CHAT_COMMANDS, RoomFacts
from identity.principal import Principal

log = logging.getLogger(__name__)
WELCOME_HISTORY: Final = 50
PRESENCE_INTERVAL: Final = 1.0  # presence frames at most once a second
PRESENCE_HEARTBEAT: Final = 5.0
PRESENCE_STALE: Final = 15.0


@dataclass(eq=False, slots=True)
class Connection:
    """One websocket: its protocol session, its outlet and the aiohttp response."""

    room: str
    session: ChatSession
    outlet: Outlet
    ws: web.WebSocketResponse | None = None
    context: _Context | None = None  # built on the first extension frame, then reused
    serial: int = 0  # unique on this node for its lifetime: names an anonymous socket in statistics

    @property
    def principal(self) -> Principal:
        return self.session.principal

    def reply(self, frame: Mapping[str, Any]) -> None:
        """Encoded for this socket's format only (no :class:`Encoded`: nobody else shares the bytes)."""
        outlet = self.outlet
        outlet.write(ws_frame(packs(frame), OP_BINARY) if outlet.binary else ws_frame(dumps(frame), OP_TEXT))


def _ref(event: Event | None) -> str | None:
    """The client's ``ref`` of the frame an event came from."""
    if isinstance(event, Reply):
        ref = event.frame.get("ref")
        return ref if isinstance(ref, str) else None
    if isinstance(event, Command | Extension | Admit):
        return event.frame.ref
    if isinstance(event, Publish | Hold | Report):
        return event.ref
    return None


class _Context:
    """The :class:`~common.frames.FrameContext` given to extension handlers."""

    def __init__(self, service: ChatService, connection: Connection) -> None:
        self.room = connection.room
        self.principal = connection.principal
        self._service = service
        self.reply: Callable[[Mapping[str, Any]], None] = connection.reply  # straight to the socket (hot path)

    async def broadcast(self, frame: Mapping[str, Any]) -> None:
        await self._service.broadcast(self.room, frame)


class _Metrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.messages = Counter("livehire_chat_messages_total", "Chat messages by moderation outcome", ["action"], registry=registry)
        self.deliveries = Counter("livehire_chat_deliveries_total", "Frames written to chat sockets", registry=registry)
        self.connections = Gauge("livehire_chat_connections", "Open chat websockets on this node", registry=registry)
        self.slow = Counter("livehire_chat_slow_consumers_total", "Sockets closed because they fell behind", registry=registry)
        self.errors = Counter("livehire_chat_frame_errors_total", "Client frames refused", ["code"], registry=registry)


class ChatService:
    """The live chat of every room served by this node (standard 3.1, 4.3.2, 5.1.3 d)."""

    def __init__(
        self,
        *,
        bus: Bus,
        moderator: Moderates,
        authenticate: Callable[[web.Request], Principal],
        room_facts: Callable[[str], Awaitable[RoomFacts | None]],
        extensions: Mapping[str, FrameHandler] | None = None,
        registry: CollectorRegistry | None = None,
        max_buffer: int = 1 << 20,
        clock: Callable[[], float] = time.time,
        write_threads: int | None = None,
    ) -> None:
        self.bus = bus
        self.moderator = moderator
        self.authenticate = authenticate
        self.room_facts = room_facts
        self.extensions: dict[str, FrameHandler] = dict(extensions or {})
        unknown = sorted(set(self.extensions) - set(CHAT_COMMANDS))
        if unknown:  # a command cannot be registered without a policy entry
            raise ValueError(f"chat commands without an entry in identity.policy.CHAT_COMMANDS: {unknown}")
        self.max_buffer = max_buffer
        self.clock = clock
        self.metrics = _Metrics(registry if registry is not None else CollectorRegistry())
        self.ops = ModerationOps(self)
        self._writer = ParallelWriter(write_threads or min(4, os.cpu_count() or 1))  # threads sharing a big flush
        self._hubs: dict[str, RoomHub] = {}
        self._controls: dict[str, RoomControls] = {}
        self._opening: dict[str, asyncio.Future[None]] = {}
        self._connections: dict[str, set[Connection]] = {}
        self._stats: dict[str, Counters] = {}
        self._presence: dict[str, dict[str, tuple[int, float]]] = {}
        self._presence_sent: dict[str, tuple[int, float]] = {}
        self._viewers: dict[str, int] = {}
        self._reported: dict[str, int] = {}
        self._ticker: asyncio.Task[None] | None = None
        self._closing: set[asyncio.Future[bool]] = set()
        #: ``on_join(room, user_id | None, serial)`` after each socket joins (None: anonymous; ``serial`` as in
        #: :meth:`present`), set by the composition root for per-session statistics (standard 5.2);
        #: synchronous and cheap, it runs on the join path.
        self.on_join: Callable[[str, str | None, int], None] | None = None
        self._serials = itertools.count(1)

    # ---- lifecycle -------------------------------------------------------------------

    async def start(self) -> None:
        await self.bus.start(self._deliver)
        self._ticker = asyncio.get_running_loop().create_task(self._tick_forever(), name="chat-presence")

    async def close(self, code: int = CLOSE_SHUTDOWN) -> None:
        """Graceful shutdown: every socket is closed with ``code`` (default: reconnect)."""
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
        await self.close_sockets(code)
        await self.bus.close()
        self._writer.close()

    def end_sessions(self, session_ids: frozenset[str]) -> int:
        """Sign-in sessions ended (log out, removal, revocation): their sockets close with 4503 (do not
        reconnect), on this node; every node is told by the identity layer. Returns the sockets closed."""
        closing = [c.ws for conns in self._connections.values() for c in conns
                   if c.principal.session in session_ids and c.ws is not None and not c.ws.closed]
        for ws in closing:
            task = asyncio.ensure_future(ws.close(code=CLOSE_FORBIDDEN, message=b"session ended"))
            self._closing.add(task)
            task.add_done_callback(self._closing.discard)
        return len(closing)

    async def close_sockets(self, code: int = CLOSE_SHUTDOWN) -> None:
        """Close every chat socket on this node with ``code`` (4000: reconnect elsewhere)."""
        sockets = [c.ws for conns in self._connections.values() for c in conns if c.ws is not None and not c.ws.closed]
        if sockets:
            closing = [asyncio.ensure_future(ws.close(code=code, message=b"server shutting down")) for ws in sockets]
            await asyncio.wait(closing, timeout=5)

    # ---- connections -----------------------------------------------------------------

    async def _open_room(self, room: str) -> RoomHub:
        hub = self._hubs.get(room)
        if hub is not None and room not in self._opening:
            return hub
        pending = self._opening.get(room)
        if pending is not None:
            await asyncio.shield(pending)
            return self._hubs[room]
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._opening[room] = future
        hub = self._hubs[room] = RoomHub(asyncio.get_running_loop(), self._writer)
        controls = self._controls[room] = RoomControls(shared_rate=self.bus.rate_limiter is not None)
        try:
            await self.bus.watch(room)
            controls.load(await self.bus.load_controls(room))
            future.set_result(None)
        except BaseException as exc:
            del self._hubs[room]
            future.set_exception(exc)
            future.exception()
            raise
        finally:
            del self._opening[room]
        return hub

    async def connect(
        self, room: str, principal: Principal, transport: Transport, *, binary: bool = False, since: int | None = None,
        ws: web.WebSocketResponse | None = None, room_facts: RoomFacts | None = None,
    ) -> Connection:
        """Register a socket, then send ``welcome``; messages arriving meanwhile follow it, none twice.
        ``room_facts`` (organisation, visibility) decide the caller's chat commands (``identity.policy``)."""
        hub = await self._open_room(room)
        session = ChatSession(room, principal, moderator=self.moderator, controls=self._controls[room],
                              counters=self._stats.setdefault(room, Counters()),
                              extensions=frozenset(self.extensions), clock=self.clock, room_facts=room_facts)
        outlet = Outlet(transport, binary=binary, user_id=principal.user_id, moderator=session.is_moderator,
                        limit=self.max_buffer, on_close=self._on_outlet_closed)
        connection = Connection(room, session, outlet, ws, serial=next(self._serials))
        hub.add(outlet)
        self._connections.setdefault(room, set()).add(connection)
        self.metrics.connections.inc()
        try:
            welcome = await self._welcome(room, session, since)
        except BaseException:
            self.disconnect(connection)
            raise
        outlet.send(Encoded(welcome))
        hub.release(outlet, welcome["seq"])
        if self.on_join is not None:
            self.on_join(room, None if principal.anonymous else principal.user_id, connection.serial)
        return connection

    def present(self, room: str) -> list[tuple[str | None, int]]:
        """The sockets open in ``room`` on this node as ``(user_id | None, serial)`` (None: anonymous): a live
        session that starts counts the audience already there (standard 5.2)."""
        return [(None if c.principal.anonymous else c.principal.user_id, c.serial)
                for c in self._connections.get(room, ())]

    async def _welcome(self, room: str, session: ChatSession, since: int | None) -> dict[str, Any]:
        history = await self.bus.history(room, since=since, limit=WELCOME_HISTORY)
        welcome: dict[str, Any] = {"type": "welcome", "room": room}
        if since is not None:
            welcome["recovered"] = history.complete
            if not history.complete:
                history = await self.bus.history(room, since=None, limit=WELCOME_HISTORY)
        controls = self._controls[room]
        you = {**user_of(session.principal), "anonymous": session.principal.anonymous, "moderator": session.is_moderator}
        welcome.update(
            you=you, history=history.messages, seq=history.last_seq, pinned=controls.pinned,
            slow_mode=controls.slow_mode, viewers=self.viewers(room),
        )
        if session.is_moderator:
            welcome["held"] = await self.bus.held(room)
        return welcome

    def disconnect(self, connection: Connection) -> None:
        hub = self._hubs.get(connection.room)
        conns = self._connections.get(connection.room)
        if conns is not None and connection in conns:
            conns.discard(connection)
            self.metrics.connections.dec()
        if hub is not None:
            hub.discard(connection.outlet)

    def _on_outlet_closed(self, outlet: Outlet) -> None:
        self.metrics.slow.inc()
        log.warning("chat: closed a slow consumer (user %s)", outlet.user_id)

    # ---- frames from a client ------------------------------------------------------------

    async def receive(self, connection: Connection, data: str | bytes) -> None:
        """Run one client frame through the protocol core and carry out its events."""
        events = connection.session.receive(data)
        if len(events) == 1 and type(events[0]) is Extension:  # ``apply``: one coroutine frame less per wake-up
            await self._extension(connection, events[0])
        else:
            await self._carry_out(connection, events)

    async def _carry_out(self, connection: Connection, events: list[Event]) -> None:
        """Events in order; the first one the bus cannot carry out (Redis down) ends the list with an
        ``unavailable`` frame for the sender (the rest, e.g. a moderation notice, would be moot) and
        the socket stays open. A held message the queue refuses ends it the same way (``ops``)."""
        event: Event | None = None
        try:
            for event in events:
                if isinstance(event, Admit):
                    limiter = self.bus.rate_limiter
                    verdict = ADMITTED if limiter is None else await limiter.take(
                        connection.room, event.user, event.now, event.slow_mode)
                    await self._carry_out(connection, connection.session.admit(event, verdict))
                elif isinstance(event, Reply):
                    if event.frame.get("type") == "error":
                        self.metrics.errors.labels(code=str(event.frame["code"])).inc()
                    elif event.frame.get("type") == "moderation" and event.frame["action"] != "mask":
                        self.metrics.messages.labels(action=str(event.frame["action"])).inc()
                    connection.reply(event.frame)
                elif isinstance(event, Publish):
                    stored = await self.bus.append(connection.room, event.message)
                    self.metrics.messages.labels(action=event.action).inc()
                    connection.reply({"type": "ack", "ref": event.ref, "id": stored["id"], "seq": stored["seq"]})
                elif isinstance(event, Hold):
                    if not await self.ops.hold_message(connection, event):
                        return
                elif isinstance(event, Report):
                    await self.ops.report(connection, event)
                elif isinstance(event, Command):
                    await self.ops.command(connection, event.frame)
                elif isinstance(event, Extension):
                    await self._extension(connection, event)
        except BusUnavailable as exc:
            log.warning("chat %s: a frame from %s failed: %s", connection.room, connection.principal.user_id, exc.details)
            self.metrics.errors.labels(code=exc.code).inc()
            connection.reply(error_frame(exc.code, exc.message, _ref(event)))

    async def _extension(self, connection: Connection, event: Extension) -> None:
        handler = self.extensions[event.frame.type]
        context = connection.context
        if context is None:
            context = connection.context = _Context(self, connection)
        try:
            await handler(context, event.frame.data)
        except Exception:
            log.exception("chat: the %r handler failed", event.frame.type)
            self.metrics.errors.labels(code="handler_failed").inc()
            connection.reply(error_frame("handler_failed", "处理失败，请稍后再试", event.frame.ref))

    # ---- what other parts of the server call ----------------------------------------------

    async def broadcast(self, room: str, frame: Mapping[str, Any]) -> None:
        """A frame for everyone in ``room`` on every node (job cards, live state)."""
        await self.bus.emit(Envelope("frame", room, dict(frame), node=self.bus.node_id))

    async def send_to_user(self, room: str | None, user_id: str, frame: Mapping[str, Any]) -> None:
        """A frame for one user's sockets (in ``room``, or in every room), on every node."""
        await self.bus.emit(Envelope("user", room, dict(frame), target=user_id, node=self.bus.node_id))

    async def send_to_moderators(self, room: str, frame: Mapping[str, Any]) -> None:
        await self.bus.emit(Envelope("moderators", room, dict(frame), node=self.bus.node_id))

    def viewers(self, room: str) -> int:
        """Open sockets in ``room`` across nodes (this node's count is always current)."""
        now = time.monotonic()
        local = len(self._hubs[room]) if room in self._hubs else 0
        others = sum(n for node, (n, seen) in self._presence.get(room, {}).items()
                     if node != self.bus.node_id and now - seen < PRESENCE_STALE)
        return local + others

    def stats(self, room: str) -> dict[str, Any]:
        """For the statistics page (standard 5.2 data analysis): this node's counters. O(1): the room's
        sessions all add to one :class:`Counters` (sampled every second by the recruiting monitor; summing
        5000 sockets' own tallies took ≈ 7 ms of the event loop each time)."""
        total = self._stats.get(room) or Counters()
        hub = self._hubs.get(room)
        return {
            "room": room,
            "connections": self.viewers(room),
            "local_connections": len(hub) if hub else 0,
            "messages": total.published + total.masked,
            "masked": total.masked,
            "held": total.held,
            "blocked": total.blocked,
            "refused": total.refused,
            "errors": total.errors,
            "deliveries": hub.deliveries if hub else 0,
        }

    def controls(self, room: str) -> RoomControls | None:
        return self._controls.get(room)

    # ---- what arrives from the bus --------------------------------------------------------

    def _deliver(self, envelope: Envelope) -> None:
        kind, room = envelope.kind, envelope.room
        if room is None:
            if kind == "user":
                for each in self._hubs.values():
                    each.publish(Encoded(envelope.data), audience=envelope.target)
            return
        if kind == "control":
            controls = self._controls.get(room)
            if controls is not None:
                controls.apply(str(envelope.data["name"]), envelope.data["value"])
            return
        if kind == "presence":
            self._presence.setdefault(room, {})[envelope.node] = (int(envelope.data["count"]), time.monotonic())
            return
        hub = self._hubs.get(room)
        if hub is None:
            return
        if kind == "message":
            hub.publish(Encoded(envelope.data), seq=int(envelope.data["seq"]))
        elif kind == "frame":
            hub.publish(Encoded(envelope.data))
        elif kind == "moderators":
            hub.publish(Encoded(envelope.data), audience=MODERATORS)
        elif kind == "user" and envelope.target is not None:
            hub.publish(Encoded(envelope.data), audience=envelope.target)

    # ---- presence -----------------------------------------------------------------------

    async def _tick_forever(self) -> None:
        while True:
            await asyncio.sleep(PRESENCE_INTERVAL)
            try:
                await self.tick()
            except Exception:
                log.exception("chat: presence tick failed")

    async def tick(self) -> None:
        """Report this node's counts to the others, then tell each room its viewer count if it changed."""
        now = time.monotonic()
        for room, hub in list(self._hubs.items()):
            count = len(hub)
            sent = self._presence_sent.get(room)
            if sent is None or sent[0] != count or now - sent[1] >= PRESENCE_HEARTBEAT:
                self._presence_sent[room] = (count, now)
                await self.bus.emit(Envelope("presence", room, {"count": count}, node=self.bus.node_id))
            if count == 0 and len(hub) == 0 and sent is not None and sent[0] == 0 and room not in self._opening:
                await self._close_room(room)
                continue
            viewers = self.viewers(room)
            if self._viewers.get(room) != viewers:
                self._viewers[room] = viewers
                hub.publish(Encoded({"type": "presence", "viewers": viewers}))
            self.metrics.deliveries.inc(hub.deliveries - self._reported.get(room, 0))
            self._reported[room] = hub.deliveries
            controls = self._controls.get(room)
            if controls is not None:
                controls.prune(self.clock())

    async def _close_room(self, room: str) -> None:
        """The last socket left a while ago: stop following the room on this node."""
        hub = self._hubs.pop(room, None)
        if hub is not None:
            self.metrics.deliveries.inc(hub.deliveries - self._reported.pop(room, 0))
        for table in (self._controls, self._presence_sent, self._viewers, self._presence, self._connections):
            table.pop(room, None)
        await self.bus.unwatch(room)
