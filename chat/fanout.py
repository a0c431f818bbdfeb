"""Room fan-out: encode once, coalesce, one raw ``write()`` per client per flush.

Theory of operation. A message for a room becomes one :class:`~chat.frames.Encoded`
(the JSON/msgpack payload wrapped in a complete websocket frame, built once). It is
appended to the room's pending batch; if no flush is scheduled, one is scheduled with
two ``loop.call_soon`` hops (so handlers woken by the same iteration's reads add to it).
Messages that arrive before the flush runs join the same batch
(adaptive coalescing: under light traffic a batch holds one message and adds no
delay; under load, one flush carries many). The flush joins the batch into one byte
string per wire format and hands it to every transport with one ``write()`` — no
task and no ``await`` per client. The kernel ``write()`` per client is the dominant
cost, so coalescing divides it by the batch size; in a big room the flush's writes are
also split between the event-loop thread and helper threads (:mod:`chat.writers`:
``os.write`` releases the GIL), so the kernel's sends of one flush run on several cores.

Each websocket frame is complete and unmasked, and permessage-deflate is never
negotiated on chat sockets (the handler sets ``compress=False``), so raw writes
interleave safely with aiohttp's own frames at frame boundaries.

Slow clients: after a write, if the transport's buffer is above ``max_buffer`` the
outlet is closed with :data:`~chat.frames.CLOSE_SLOW_CONSUMER` (4001: reconnect and
recover with ``since``); it never delays anyone else.
"""

from __future__ import annotations

import asyncio
import struct
from collections.abc import Callable
from typing import Final, Protocol

from chat.frames import CLOSE_SLOW_CONSUMER, Encoded, ws_frame
from chat.writers import ParallelWriter, RawOutlet, raw_fd

MODERATORS: Final = "@moderators"
DEFAULT_MAX_BUFFER: Final = 1 << 20  # bytes queued in the kernel/transport before we give up
CLOSE_GRACE_SECONDS: Final = 2.0
FLUSH_REST: Final = 0.25  # a saturated room rests a quarter of its last flush's duration between flushes


class Transport(Protocol):
    """The part of ``asyncio.WriteTransport`` the fan-out uses."""

    def write(self, data: bytes) -> None: ...

    def is_closing(self) -> bool: ...

    def get_write_buffer_size(self) -> int: ...

    def close(self) -> None: ...

    def abort(self) -> None: ...


def close_frame(code: int, reason: str) -> bytes:
    return ws_frame(struct.pack("!H", code) + reason.encode()[:120], 0x8)


class Outlet:
    """One websocket's raw write side, as the fan-out sees it."""

    __slots__ = ("backlog", "binary", "closed", "fd", "limit", "moderator", "on_close", "ready", "transport", "user_id")

    def __init__(
        self,
        transport: Transport,
        *,
        binary: bool = False,
        user_id: str = "",
        moderator: bool = False,
        limit: int = DEFAULT_MAX_BUFFER,
        on_close: Callable[[Outlet], None] | None = None,
    ) -> None:
        self.transport = transport
        self.binary = binary
        self.user_id = user_id
        self.moderator = moderator
        self.limit = limit
        self.ready = False
        self.closed = False
        self.backlog: list[tuple[Encoded, int | None, str | None]] = []
        self.on_close = on_close
        self.fd = raw_fd(transport)  # plain TCP: big flushes may write to it from helper threads

    def direct_ok(self) -> bool:
        """Nothing queued in the transport and not closing: a raw write now keeps the byte order."""
        transport = self.transport
        return not self.closed and not transport.is_closing() and transport.get_write_buffer_size() == 0

    def write(self, data: bytes) -> None:
        if self.closed:
            return
        transport = self.transport
        if transport.is_closing():
            self.closed = True
            return
        transport.write(data)
        if transport.get_write_buffer_size() > self.limit:
            self.kick(CLOSE_SLOW_CONSUMER, "slow consumer")

    def send(self, encoded: Encoded) -> None:
        """Write one frame now (replies to this connection only)."""
        self.write(encoded.wire(self.binary))

    def kick(self, code: int, reason: str) -> None:
        """Close with ``code`` without awaiting: close frame, then close, then abort after a grace."""
        if self.closed:
            return
        self.closed = True
        transport = self.transport
        if not transport.is_closing():
            transport.write(close_frame(code, reason))
            transport.close()
            asyncio.get_running_loop().call_later(CLOSE_GRACE_SECONDS, transport.abort)
        if self.on_close is not None:
            self.on_close(self)

    def wants(self, audience: str | None) -> bool:
        return audience is None or (self.moderator if audience == MODERATORS else self.user_id == audience)


class RoomHub:
    """The outlets of one room on this node and the pending batch."""

    __slots__ = ("_batch", "_flushed_seq", "_loop", "_rest_until", "_scheduled", "_writer", "_young", "deliveries",
                 "flushes", "outlets")

    def __init__(self, loop: asyncio.AbstractEventLoop, writer: ParallelWriter | None = None) -> None:
        self._loop = loop
        self._writer = writer or ParallelWriter(1)
        self.outlets: dict[Outlet, None] = {}  # insertion-ordered set
        self._batch: list[tuple[Encoded, int | None, str | None]] = []
        self._scheduled = False
        self._rest_until = 0.0  # loop time before which the next flush does not start
        self._flushed_seq = 0  # the highest message seq flushed so far
        #: Outlets released with a welcome whose history reaches past ``_flushed_seq``: frames up to that seq
        #: may still come (a gap being filled, pub/sub behind the history read) and are skipped for them.
        self._young: dict[Outlet, int] = {}
        self.deliveries = 0
        self.flushes = 0

    def __len__(self) -> int:
        return len(self.outlets)

    @property
    def idle(self) -> bool:
        """No flush scheduled: every ready outlet has had every frame published so far."""
        return not self._scheduled

    def add(self, outlet: Outlet) -> None:
        self.outlets[outlet] = None

    def start_at(self, seq: int) -> None:
        """The room's stream continues after ``seq`` (opened, or resynced in a new epoch): no message up to
        it will come through this hub, so a welcome reaching it needs no filtering."""
        self._flushed_seq = seq
        self._young.clear()

    def discard(self, outlet: Outlet) -> None:
        self.outlets.pop(outlet, None)
        self._young.pop(outlet, None)

    def publish(self, encoded: Encoded, *, seq: int | None = None, audience: str | None = None) -> None:
        """Queue a frame for everyone (or an audience: :data:`MODERATORS` or a user id)."""
        self._batch.append((encoded, seq, audience))
        if not self._scheduled:
            self._scheduled = True
            self._loop.call_soon(self._schedule_flush)

    def _schedule_flush(self) -> None:
        """The second hop: the flush runs after the tasks woken by this iteration's reads.

        With one ``call_soon`` the flush sits in the ready queue ahead of the handlers that
        the next socket reads wake, so under load each flush carried the messages read
        *before* the previous flush: a message rode the flush after next instead of the
        next one, a whole flush later (figures: docs/chat-protocol.md). Idle, the extra hop
        costs one loop iteration.
        """
        delay = self.rest(self._loop.time())
        if delay > 0:
            self._loop.call_later(delay, self.flush)
        else:
            self._loop.call_soon(self.flush)

    def rest(self, now: float) -> float:
        """Seconds the next flush waits: :data:`FLUSH_REST` of the last flush's duration after it ended.

        Only a saturated room waits (flushes back to back; at light load they are far apart),
        and then each flush carries more messages for the same per-socket kernel cost: fewer
        flushes, less CPU for the same deliveries, for at most one rest of added latency
        (half of one on average; figures: docs/chat-protocol.md). Below 1 ms it is not worth a timer.
        """
        delay = self._rest_until - now
        return delay if delay >= 0.001 else 0.0

    def flush(self) -> None:
        started = self._loop.time()
        try:
            self._flush()
        finally:
            ended = self._loop.time()
            self._rest_until = ended + (ended - started) * FLUSH_REST

    def _flush(self) -> None:
        self._scheduled = False
        batch, self._batch = self._batch, []
        if not batch or not self.outlets:
            return
        self.flushes += 1
        if self._young:
            self._flush_young(batch)
        if all(audience is None for _, _, audience in batch):
            self._flush_everyone(batch)
        else:
            self._flush_selected(batch)
        top = max((seq for _, seq, _ in batch if seq is not None), default=0)
        if top > self._flushed_seq:
            self._flushed_seq = top
            if self._young:  # later messages all come after their welcome: they are ordinary outlets again
                self._young = {o: floor for o, floor in self._young.items() if floor > top}

    def _flush_young(self, batch: list[tuple[Encoded, int | None, str | None]]) -> None:
        """The young outlets get this batch minus what their welcome held; the shared writes skip them."""
        for outlet, floor in self._young.items():
            if not outlet.ready or outlet not in self.outlets:
                continue
            parts = [e.wire(outlet.binary) for e, seq, audience in batch
                     if (seq is None or seq > floor) and outlet.wants(audience)]
            if parts:
                outlet.write(b"".join(parts))
                self.deliveries += len(parts)

    def _flush_everyone(self, batch: list[tuple[Encoded, int | None, str | None]]) -> None:
        texts: list[RawOutlet] = []
        binaries: list[RawOutlet] = []
        young = self._young
        for outlet in list(self.outlets):
            if not outlet.ready:
                outlet.backlog.extend(batch)
            elif not young or outlet not in young:
                (binaries if outlet.binary else texts).append(outlet)
        if texts:
            self._writer.write_all(texts, b"".join(e.text for e, _, _ in batch))
        if binaries:
            self._writer.write_all(binaries, b"".join(e.binary for e, _, _ in batch))
        self.deliveries += (len(texts) + len(binaries)) * len(batch)

    def _flush_selected(self, batch: list[tuple[Encoded, int | None, str | None]]) -> None:
        young = self._young
        for outlet in list(self.outlets):
            if not outlet.ready:
                outlet.backlog.extend(batch)
                continue
            if young and outlet in young:
                continue
            parts = [e.wire(outlet.binary) for e, _, audience in batch if outlet.wants(audience)]
            if parts:
                outlet.write(b"".join(parts))
                self.deliveries += len(parts)

    def release(self, outlet: Outlet, after_seq: int) -> None:
        """Mark an outlet ready (welcome sent) and write what arrived meanwhile, minus what history had."""
        backlog, outlet.backlog = outlet.backlog, []
        outlet.ready = True
        if after_seq > self._flushed_seq:
            self._young[outlet] = after_seq
        parts = [
            e.wire(outlet.binary)
            for e, seq, audience in backlog
            if (seq is None or seq > after_seq) and outlet.wants(audience)
        ]
        if parts:
            outlet.write(b"".join(parts))
