"""ChatService: rooms on this node, the bus ports, the protocol core and the fan-out, wired together.

The websocket handler (:mod:`chat.http`) only moves bytes: it gives each received message to :meth:`receive`,
which runs the sans-I/O :class:`~chat.protocol.ChatSession` and carries out its events against the ports.
Everything a room hears arrives through the broker (``_deliver``), also on the node that sent it, so one node
and many behave the same. Each room's state is one :class:`~chat.rooms.RoomState`, dropped whole by :meth:`tick`.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Final

from aiohttp import web
from prometheus_client import CollectorRegistry

from chat.buckets import ADMITTED
from chat.bus.ports import ChatBus, Envelope
from chat.connection import Connection, Context, Metrics, failure, ref_of
from chat.controls import RoomControls
from chat.fanout import MODERATORS, Outlet, RoomHub, Transport
from chat.frames import CLOSE_FORBIDDEN, CLOSE_SHUTDOWN, Encoded
from chat.moderation_ops import DAY_S, ModerationOps
from chat.ports import ComplaintDesk, ServiceLedger
from chat.protocol import (
    Admit,
    ChatSession,
    Command,
    Counters,
    Escalate,
    Event,
    Extension,
    Hold,
    Moderates,
    Publish,
    Reply,
    Report,
    user_of,
)
from chat.recovery import RoomCursor, recovered
from chat.rooms import PRESENCE_HEARTBEAT, PRESENCE_INTERVAL, RoomState
from chat.streams import StreamKeeper
from chat.writers import ParallelWriter
from common.clock import Clock, SystemClock
from common.frames import FrameHandler, error_frame_of
from common.periodic import every
from identity.policy import CHAT_COMMANDS, RoomFacts
from identity.principal import Principal

log = logging.getLogger(__name__)
WELCOME_HISTORY: Final = 50


class ChatService:
    """The live chat of every room served by this node (standard 3.1, 4.3.2, 5.1.3 d)."""

    def __init__(
        self,
        *,
        bus: ChatBus,
        moderator: Moderates,
        authenticate: Callable[[web.Request], Principal],
        room_facts: Callable[[str], Awaitable[RoomFacts | None]],
        extensions: Mapping[str, FrameHandler] | None = None,
        registry: CollectorRegistry | None = None,
        max_buffer: int = 1 << 20,
        clock: Clock | None = None,
        write_threads: int | None = None,
        write_native: bool | None = None,
        on_join: Callable[[str, str | None, int], None] | None = None,
        ledger: ServiceLedger | None = None,
        complaints: ComplaintDesk | None = None,
        escalate_after: float = DAY_S,
    ) -> None:
        """``clock``: stamps, mute and slow-mode expiry, presence ageing (a ``ManualClock`` in tests).
        ``on_join(room, user_id | None, serial)`` runs after each socket joins (None: anonymous; ``serial``
        as in :meth:`present`): per-session statistics (standard 5.2); synchronous and cheap, it runs on the
        join path. ``ledger``, ``complaints``: the platform's service ledger and complaint queue (chat.ports);
        a report unsettled for ``escalate_after`` seconds goes to the complaint queue (4.4.1 e)."""
        self.bus = bus
        self.broker = bus.broker
        self.moderator = moderator
        self.authenticate = authenticate
        self.room_facts = room_facts
        self.extensions: dict[str, FrameHandler] = dict(extensions or {})
        unknown = sorted(set(self.extensions) - set(CHAT_COMMANDS))
        if unknown:  # a command cannot be registered without a policy entry
            raise ValueError(f"chat commands without an entry in identity.policy.CHAT_COMMANDS: {unknown}")
        self.max_buffer = max_buffer
        self.clock: Clock = clock or SystemClock()
        # The sessions' wall clock is called twice per chat message: the builtin itself for the system clock.
        self._now: Callable[[], float] = time.time if type(self.clock) is SystemClock else self.clock.now
        self.metrics = Metrics(registry if registry is not None else CollectorRegistry())
        self.ops = ModerationOps(broker=bus.broker, review=bus.review, controls=bus.controls, audit=bus.audit,
                                 clock=self.clock, ledger=ledger, complaints=complaints, escalate_after=escalate_after)
        # threads sharing a big flush; write_native: the C send loop (None: where built), chat.writers
        self._writer = ParallelWriter(write_threads or min(4, os.cpu_count() or 1), native=write_native)
        self._rooms: dict[str, RoomState] = {}
        self._openings = itertools.count(1)
        self._ticker: contextlib.AsyncExitStack | None = None
        self._streams = StreamKeeper(bus.broker, self._rooms, self.metrics)  # gaps filled, lost histories resynced
        self.on_join = on_join
        self.on_delivered: Callable[[str, dict[str, Any]], None] | None = None  # messages and deletes, for replays
        self._serials = itertools.count(1)

    # ---- lifecycle -------------------------------------------------------------------

    async def start(self) -> None:
        await self.bus.start(self._deliver)
        self._ticker = contextlib.AsyncExitStack()
        await self._ticker.enter_async_context(every(PRESENCE_INTERVAL, self.tick, name="chat-presence"))
        if self.ops.complaints is not None:  # a tenth of the wait, at most every 5 minutes
            sweep = min(300.0, max(1.0, self.ops.escalate_after / 10))
            await self._ticker.enter_async_context(every(sweep, self.ops.escalate_due, name="chat-report-escalation"))

    async def close(self, code: int = CLOSE_SHUTDOWN) -> None:
        """Graceful shutdown: every socket is closed with ``code`` (default: reconnect)."""
        if self._ticker is not None:
            await self._ticker.aclose()
        self._streams.close()
        await self.close_sockets(code)
        await self.bus.close()
        self._writer.close()

    def end_sessions(self, session_ids: frozenset[str]) -> int:
        """Sign-in sessions ended (log out, removal, revocation): their sockets close with 4503 (do not
        reconnect), on this node; every node is told by the identity layer. Returns the sockets closed."""
        return len(self._streams.close_where(lambda c: c.principal.session in session_ids, CLOSE_FORBIDDEN,
                                             b"session ended"))

    async def close_sockets(self, code: int = CLOSE_SHUTDOWN) -> None:
        """Close every chat socket on this node with ``code`` (4000: reconnect elsewhere); cut after 1 s."""
        await self._streams.close_all(code, b"server shutting down")

    # ---- connections -----------------------------------------------------------------

    async def _open_room(self, room: str) -> RoomState:
        state = self._rooms.get(room)
        if state is not None:
            if state.opening is not None:
                await asyncio.shield(state.opening)
            return state
        loop = asyncio.get_running_loop()
        opening: asyncio.Future[None] = loop.create_future()
        state = self._rooms[room] = RoomState(
            RoomHub(loop, self._writer), RoomControls(shared_rate=self.bus.rate_limiter is not None), opening,
            epoch=next(self._openings))
        try:
            await self.broker.watch(room)
            # where the stream stands once watched: later messages must follow it (chat.recovery)
            head = await self.broker.history(room, since=None, limit=0)
            state.cursor = RoomCursor(head.epoch, head.last_seq)
            state.hub.start_at(head.last_seq)
            state.controls.load(await self.bus.controls.load_controls(room))
            opening.set_result(None)
        except BaseException as exc:
            del self._rooms[room]
            opening.set_exception(exc)
            opening.exception()
            raise
        finally:
            state.opening = None
        return state

    async def connect(
        self, room: str, principal: Principal, transport: Transport, *, binary: bool = False, since: int | None = None,
        ws: web.WebSocketResponse | None = None, room_facts: RoomFacts | None = None, epoch: str | None = None,
    ) -> Connection:
        """Register a socket, then send ``welcome``; messages arriving meanwhile follow it, none twice.
        ``since``, ``epoch``: the client's last offset and its history epoch (``chat.recovery``).
        ``room_facts`` (organisation, visibility) decide the caller's chat commands (``identity.policy``)."""
        state = await self._open_room(room)
        session = ChatSession(room, principal, moderator=self.moderator, controls=state.controls, counters=state.counters,
                              extensions=frozenset(self.extensions), clock=self._now, room_facts=room_facts)
        outlet = Outlet(transport, binary=binary, user_id=principal.user_id, moderator=session.is_moderator,
                        limit=self.max_buffer, on_close=self._on_outlet_closed)
        connection = Connection(room, session, outlet, ws, serial=next(self._serials))
        state.hub.add(outlet)
        state.connections.add(connection)
        self.metrics.connections.inc()
        try:
            welcome = await self._welcome(state, room, session, since, epoch)
        except BaseException:
            self.disconnect(connection)
            raise
        outlet.send(Encoded(welcome))
        state.hub.release(outlet, welcome["seq"])
        if self.on_join is not None:
            self.on_join(room, None if principal.anonymous else principal.user_id, connection.serial)
        return connection

    def present(self, room: str) -> list[tuple[str | None, int]]:
        """The sockets in ``room`` on this node as ``(user_id | None, serial)``: a live session that starts counts the audience already there (5.2)."""
        state = self._rooms.get(room)
        return [] if state is None else [(None if c.principal.anonymous else c.principal.user_id, c.serial)
                                         for c in state.connections]

    async def _welcome(self, state: RoomState, room: str, session: ChatSession, since: int | None, epoch: str | None) -> dict[str, Any]:
        history = await self.broker.history(room, since=since, limit=WELCOME_HISTORY)
        welcome: dict[str, Any] = {"type": "welcome", "room": room}
        if since is not None:
            welcome["recovered"] = recovered(since, epoch, history.epoch, history.complete)
            if not welcome["recovered"]:  # all or nothing: the recent messages, and the client starts over
                history = await self.broker.history(room, since=None, limit=WELCOME_HISTORY)
        controls = state.controls
        you = {**user_of(session.principal), "anonymous": session.principal.anonymous, "moderator": session.is_moderator}
        welcome.update(you=you, history=history.messages, seq=history.last_seq, epoch=history.epoch,
                       pinned=controls.pinned, slow_mode=controls.slow_mode, viewers=self.viewers(room))
        if session.is_moderator:
            welcome["held"] = await self.bus.review.held(room)
        return welcome

    def disconnect(self, connection: Connection) -> None:
        state = self._rooms.get(connection.room)
        if state is None:
            return
        if connection in state.connections:
            state.connections.discard(connection)
            self.metrics.connections.dec()
        state.hub.discard(connection.outlet)

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
        """Events in order; the first one the ports cannot carry out (Redis down, the review queue
        full) ends the list with an ``error`` frame for the sender (the rest, e.g. a moderation
        notice, would be moot) and the socket stays open."""
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
                    stored = await self.broker.append(connection.room, event.message)
                    self.metrics.messages.labels(action=event.action).inc()
                    self._streams.acked(connection, stored, event.ref)
                    connection.reply({"type": "ack", "ref": event.ref, "id": stored["id"], "seq": stored["seq"]})
                elif isinstance(event, Hold):
                    await self.ops.hold(connection.room, event.item)
                elif isinstance(event, Report):
                    await self.ops.report(connection, event)
                elif isinstance(event, Escalate):
                    await self.ops.escalate_report(connection, event)
                elif isinstance(event, Command):
                    await self.ops.command(connection, event.frame)
                elif isinstance(event, Extension):
                    await self._extension(connection, event)
        except Exception as exc:  # Redis away, the queue full, the store away...: chat.connection.failure
            self._refuse(connection, exc, ref_of(event))

    def _refuse(self, connection: Connection, error: Exception, ref: str | None) -> None:
        refusal = failure(error, f"chat {connection.room}: {connection.principal.user_id}")
        self.metrics.errors.labels(code=refusal.code).inc()
        connection.reply(error_frame_of(refusal, ref))

    async def _extension(self, connection: Connection, event: Extension) -> None:
        handler = self.extensions[event.frame.type]
        context = connection.context
        if context is None:
            context = connection.context = Context(connection, self.broadcast)
        try:
            await handler(context, event.frame.data)
        except Exception as exc:  # its error frame: chat.connection.failure
            self._refuse(connection, exc, event.frame.ref)

    # ---- what other parts of the server call ----------------------------------------------

    async def broadcast(self, room: str, frame: Mapping[str, Any]) -> None:
        """A frame for everyone in ``room`` on every node (job cards, live state)."""
        await self.broker.emit(Envelope("frame", room, dict(frame), node=self.broker.node_id))

    async def send_to_user(self, room: str | None, user_id: str, frame: Mapping[str, Any]) -> None:
        """A frame for one user's sockets (in ``room``, or in every room), on every node."""
        await self.broker.emit(Envelope("user", room, dict(frame), target=user_id, node=self.broker.node_id))

    async def send_to_moderators(self, room: str, frame: Mapping[str, Any]) -> None:
        await self.broker.emit(Envelope("moderators", room, dict(frame), node=self.broker.node_id))

    def viewers(self, room: str) -> int:
        """Open sockets in ``room`` across nodes (this node's count is always current)."""
        state = self._rooms.get(room)
        return 0 if state is None else state.viewers(self.broker.node_id, self.clock.monotonic())

    def stats(self, room: str) -> dict[str, Any]:
        """For the statistics page (standard 5.2 data analysis): this node's counters since the room opened
        here (``epoch`` names that opening; 0 while the room is closed here). O(1): the room's sessions all add to one ``Counters`` (sampled every second by the recruiting
        monitor; summing every socket's own tally held up the event loop in a big room; figures:
        docs/recruiting.md, "Live sessions and statistics")."""
        state = self._rooms.get(room)
        total = state.counters if state is not None else Counters()
        return {
            "room": room,
            "connections": self.viewers(room),
            "local_connections": len(state.hub) if state else 0,
            "messages": total.published + total.masked,
            "masked": total.masked,
            "held": total.held,
            "blocked": total.blocked,
            "refused": total.refused,
            "errors": total.errors,
            "deliveries": state.hub.deliveries if state else 0,
            "epoch": state.epoch if state else 0,
        }

    def controls(self, room: str) -> RoomControls | None:
        state = self._rooms.get(room)
        return None if state is None else state.controls

    # ---- what arrives from the bus --------------------------------------------------------

    def _deliver(self, envelope: Envelope) -> None:
        kind, room = envelope.kind, envelope.room
        if room is None:
            if kind == "user":
                for each in self._rooms.values():
                    each.hub.publish(Encoded(envelope.data), audience=envelope.target)
            elif kind == "resume":
                self._streams.resume()
            return
        state = self._rooms.get(room)
        if state is None:  # not (or no longer) served here
            return
        if kind == "message":
            if self.on_delivered is not None and envelope.node == self.broker.node_id:  # once: its appending node
                self.on_delivered(room, envelope.data)
            self._streams.message(room, state, envelope)
        elif kind == "frame":
            if self.on_delivered is not None and envelope.data.get("type") == "deleted":  # after it, in bus order
                self.on_delivered(room, envelope.data)
            state.hub.publish(Encoded(envelope.data))
        elif kind == "moderators":
            state.hub.publish(Encoded(envelope.data), audience=MODERATORS)
        elif kind == "user" and envelope.target is not None:
            state.hub.publish(Encoded(envelope.data), audience=envelope.target)
        elif kind == "control":
            state.controls.apply(str(envelope.data["name"]), envelope.data["value"])
        elif kind == "presence":
            state.others[envelope.node] = (int(envelope.data["count"]), self.clock.monotonic())

    # ---- presence -----------------------------------------------------------------------

    async def tick(self) -> None:
        """Report this node's counts to the others, tell each room its viewer count if it changed, and
        close rooms empty since the previous tick (run every second by :meth:`start`)."""
        node = self.broker.node_id
        for room, state in list(self._rooms.items()):
            hub, now = state.hub, self.clock.monotonic()
            count, sent = len(hub), state.announced
            if sent is None or sent[0] != count or now - sent[1] >= PRESENCE_HEARTBEAT:
                state.announced = (count, now)
                await self.broker.emit(Envelope("presence", room, {"count": count}, node=node))
            if count == 0 and len(hub) == 0 and sent is not None and sent[0] == 0 and state.opening is None:
                await self._close_room(room, state)
                continue
            viewers = state.viewers(node, now)
            if state.told != viewers:
                state.told = viewers
                hub.publish(Encoded({"type": "presence", "viewers": viewers}))
            self.metrics.deliveries.inc(hub.deliveries - state.counted)
            state.counted = hub.deliveries
            state.controls.prune(self._now())

    async def _close_room(self, room: str, state: RoomState) -> None:
        """The last socket left a while ago: stop following the room on this node, forgetting all of it."""
        if self._rooms.get(room) is not state:  # closed (and perhaps reopened) meanwhile
            return
        del self._rooms[room]
        self.metrics.deliveries.inc(state.hub.deliveries - state.counted)
        await self.broker.unwatch(room)
