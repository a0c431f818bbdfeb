"""Each room's message stream on this node kept whole: :mod:`chat.recovery`'s steps carried out.

The cursor (sans-I/O) says what to do with each message the broker brings; this adapter does it:
publishes to the room's hub, reads history to fill a gap (a task per read, cancelled at close),
and resynchronises a room whose history was lost (the senders of lost accepted messages get an
``error`` frame ``not_delivered``, then every socket in the room closes with 4002 and reconnects).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from typing import Any

from chat.bus.ports import Broker, BusUnavailable, Envelope
from chat.connection import Connection, Metrics
from chat.frames import CLOSE_RESYNC, Encoded
from chat.recovery import Deliver, Fetch, Resync, Step, not_delivered
from chat.rooms import RoomState
from common.frames import error_frame_of

log = logging.getLogger(__name__)
Owner = tuple[Connection, str | None]  # the sender's socket and its frame's ref
CLOSE_WAIT_SECONDS = 1.0  # how long a closing node waits for clients to answer its close frame


class StreamKeeper:
    """Fills gaps and resyncs rooms for the :class:`~chat.service.ChatService` (it shares its rooms)."""

    def __init__(self, broker: Broker, rooms: Mapping[str, RoomState], metrics: Metrics) -> None:
        self._broker = broker
        self._rooms = rooms
        self._metrics = metrics
        self._tasks: set[asyncio.Future[Any]] = set()

    def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()

    async def close_all(self, code: int, reason: bytes, wait: float = CLOSE_WAIT_SECONDS) -> None:
        """Every socket here gets the close frame; those whose client has not answered within ``wait`` are
        cut (TCP abort), so their handlers end and a stopping server does not wait out its grace for them."""
        closing = self.close_where(lambda c: True, code, reason)
        if not closing:
            return
        _, late = await asyncio.wait(closing, timeout=wait)
        if late:
            log.info("chat: %d sockets did not answer the close within %.1f s; cut", len(late), wait)
            for state in list(self._rooms.values()):
                for connection in list(state.connections):
                    if connection.ws is not None and not connection.ws.closed:
                        connection.outlet.transport.abort()

    def close_where(self, wanted: Callable[[Connection], bool], code: int, reason: bytes) -> list[asyncio.Future[Any]]:
        """Starts closing this node's open sockets that ``wanted`` picks, with ``code``; the closes to await."""
        closing: list[asyncio.Future[Any]] = [asyncio.ensure_future(c.ws.close(code=code, message=reason))
                   for state in self._rooms.values() for c in state.connections
                   if c.ws is not None and not c.ws.closed and wanted(c)]
        for task in closing:
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return closing

    def message(self, room: str, state: RoomState, envelope: Envelope) -> None:
        """A ``message`` envelope for an open room: delivered now if it is the next one (the hot path)."""
        cursor = state.cursor
        if cursor is None:  # still opening: the sockets' welcome histories will hold it
            return
        seq = int(envelope.data["seq"])
        epoch = envelope.epoch or cursor.epoch  # a node of an older release sends no epoch
        if cursor.follows(epoch, seq):
            state.hub.publish(Encoded(envelope.data), seq=seq)
        else:
            self._steps(room, state, cursor.message(epoch, envelope.data))

    def acked(self, connection: Connection, stored: Mapping[str, Any], ref: str | None) -> None:
        """The sender was told its message is stored: remembered until delivered here."""
        state = self._rooms.get(connection.room)
        if state is not None and state.cursor is not None:
            state.cursor.acked(str(stored.get("epoch", "")) or state.cursor.epoch, int(stored["seq"]), (connection, ref))

    def resume(self) -> None:
        """The broker subscribed again after a failure: every room reads what it may have missed."""
        for room, state in list(self._rooms.items()):
            if state.cursor is not None:
                self._steps(room, state, state.cursor.check())

    def _steps(self, room: str, state: RoomState, steps: list[Step[Owner]]) -> None:
        for step in steps:
            if isinstance(step, Deliver):
                for message in step.messages:
                    state.hub.publish(Encoded(message), seq=int(message["seq"]))
            elif isinstance(step, Fetch):
                self._spawn(self._fill(room, state, step))
            elif isinstance(step, Resync):
                if state.cursor is not None:
                    state.hub.start_at(state.cursor.last)
                self._resync(room, state, step)

    def _spawn(self, work: Any) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _fill(self, room: str, state: RoomState, fetch: Fetch) -> None:
        """Reads the missed messages; a failure leaves the gap to the next resume (Redis is away)."""
        cursor = state.cursor
        if cursor is None:
            return
        try:
            history = await self._broker.history(room, since=fetch.since)
        except BusUnavailable as exc:
            log.warning("chat %s: could not read the messages after seq %d: %s", room, fetch.since, exc.details)
            cursor.failed()
            return
        if self._rooms.get(room) is not state:
            return
        steps = cursor.filled(history.epoch, history.messages, history.last_seq, history.complete)
        missed = sum(len(step.messages) for step in steps if isinstance(step, Deliver))
        log.info("chat %s: %d messages after seq %d read from history", room, missed, fetch.since)
        self._steps(room, state, steps)

    def _resync(self, room: str, state: RoomState, resync: Resync[Owner]) -> None:
        """Senders whose accepted messages were lost are told; every socket in the room closes with 4002."""
        log.warning("chat %s: resynchronising %d sockets (%s); %d accepted messages lost",
                    room, len(state.connections), resync.reason, len(resync.lost))
        for connection, ref in resync.lost:
            if connection in state.connections:
                self._metrics.errors.labels(code="not_delivered").inc()
                connection.reply(error_frame_of(not_delivered(), ref))
        for connection in list(state.connections):
            if connection.ws is None:  # a socket without aiohttp's response (tests): the raw close
                connection.outlet.kick(CLOSE_RESYNC, "history lost")
        self.close_where(lambda c: c.room == room, CLOSE_RESYNC, b"history lost")
