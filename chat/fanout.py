"""Room fan-out: encode once, coalesce, one raw ``write()`` per client per pass, the room written in slices.

Theory of operation. A message for a room becomes one :class:`~chat.frames.Encoded`
(the JSON/msgpack payload wrapped in a complete websocket frame, built once) and is
appended to the room's **log**. Every outlet has a **cursor** into that log: the
position up to which it has had everything. A **pass** walks the room's ready outlets
in **slices**; each outlet of a slice gets, in one write, every frame from its cursor
to the log's end, and its cursor moves there. Outlets that share a cursor share the
joined bytes (one join per group), and a big group's writes are split between the
event-loop thread and helper threads (:mod:`chat.writers`: the kernel ``send()`` is
the dominant cost and releases the GIL).

Why slices. One ``send()`` costs several µs, so writing a 20,000-socket room takes
longer than the gap between messages. Written in one piece, a message that arrived
during a write was read only after it, then waited for a whole write of its own: about
2¼ writes of the room (figures: docs/measurements/2026-12-05-chat-20k.md). Between
slices the loop reads the sockets, so a new message reaches the slices still to come
in this pass and the earlier ones in the next: it waits about one pass.

Coalescing is adaptive: a pass starts two ``call_soon`` hops after the first message
(so the handlers woken by the same reads add to it); whatever arrives meanwhile rides
the same write. A saturated room rests :data:`FLUSH_REST` of its last pass's write time
between passes, so each write carries more frames for the same per-socket kernel cost.

Order: each outlet gets the log in order and each frame once. An outlet not yet
welcomed keeps its cursor where it joined; :meth:`RoomHub.release` writes it what came
since, minus what its welcome's history held. Frames for an audience (moderators, one
user) are filtered per outlet. Frames go raw only to a transport with an empty buffer
(:meth:`~chat.outlet.Outlet.direct_ok`), else through ``transport.write``, so they
never overtake bytes aiohttp has queued.
"""

from __future__ import annotations

import asyncio
import bisect
from typing import Final

from chat.frames import Encoded
from chat.outlet import MODERATORS, Outlet, Transport
from chat.writers import ParallelWriter

__all__ = ["FLUSH_REST", "MODERATORS", "SLICE_SIZE", "Outlet", "RoomHub", "Transport"]

FLUSH_REST: Final = 0.25  # a saturated room rests a quarter of its last pass's write time between passes
SLICE_SIZE: Final = 2048  # outlets written before the loop reads again (≈ 10-20 ms of sends on loopback)
TRIM_AT: Final = 64  # log entries kept before the pass's end looks for ones every outlet has had

Entry = tuple[Encoded, int | None, str | None]  # frame, seq (None: not in the room's history), audience


class RoomHub:
    """The outlets of one room on this node, the room's log, and the pass writing it."""

    __slots__ = ("_base", "_joined", "_log", "_loop", "_next", "_pass", "_pass_from", "_rest_until", "_scheduled",
                 "_spent", "_targeted", "_top_seq", "_writer", "_young", "deliveries", "flushes", "outlets",
                 "slice_size")

    def __init__(self, loop: asyncio.AbstractEventLoop, writer: ParallelWriter | None = None, *,
                 slice_size: int = SLICE_SIZE) -> None:
        self._loop = loop
        self._writer = writer or ParallelWriter(1)
        self.slice_size = max(1, slice_size)
        self.outlets: dict[Outlet, None] = {}  # insertion-ordered set
        self._log: list[Entry] = []
        self._base = 0  # the absolute position of ``_log[0]``
        self._targeted: list[int] = []  # absolute positions of the frames with an audience, ascending
        self._top_seq = 0  # the highest message seq that came through this hub (or where the stream starts)
        #: Outlets released with a welcome whose history reaches past ``_top_seq``: frames up to that seq
        #: may still come (a gap being filled, pub/sub behind the history read) and are skipped for them.
        self._young: dict[Outlet, int] = {}
        self._pass: list[Outlet] = []  # the pass under way: its outlets, in write order
        self._next = 0  # index in ``_pass`` of the next slice; 0: no pass under way
        self._pass_from = 0  # the log's end when the pass began
        self._spent = 0.0  # seconds the pass under way has spent writing
        self._joined: dict[tuple[int, int, bool], bytes] = {}  # (from, to, binary) -> joined frames, this pass
        self._scheduled = False  # a pass is scheduled or under way
        self._rest_until = 0.0  # loop time before which the next pass does not start
        self.deliveries = 0
        self.flushes = 0  # passes that wrote to someone

    def __len__(self) -> int:
        return len(self.outlets)

    @property
    def end(self) -> int:
        """The log's end: the absolute position the next frame will take."""
        return self._base + len(self._log)

    @property
    def idle(self) -> bool:
        """No pass scheduled or under way: every ready outlet has had the whole log."""
        return not self._scheduled

    def add(self, outlet: Outlet) -> None:
        outlet.cursor = self.end
        self.outlets[outlet] = None

    def start_at(self, seq: int) -> None:
        """The room's stream continues after ``seq`` (opened, or resynced in a new epoch): no message up to
        it will come through this hub, so a welcome reaching it needs no filtering."""
        self._top_seq = seq
        self._young.clear()

    def discard(self, outlet: Outlet) -> None:
        self.outlets.pop(outlet, None)
        self._young.pop(outlet, None)

    def publish(self, encoded: Encoded, *, seq: int | None = None, audience: str | None = None) -> None:
        """Queue a frame for everyone (or an audience: :data:`MODERATORS` or a user id)."""
        if audience is not None:
            self._targeted.append(self.end)
        self._log.append((encoded, seq, audience))
        if seq is not None and seq > self._top_seq:
            self._top_seq = seq
        if not self._scheduled:
            self._scheduled = True
            self._loop.call_soon(self._schedule_flush)

    def _schedule_flush(self) -> None:
        """The second hop: the pass starts after the tasks woken by this iteration's reads.

        With one ``call_soon`` the pass sits in the ready queue ahead of the handlers that
        the next socket reads wake, so under load each write carried the messages read
        *before* the previous one: a message rode a whole pass later than it could
        (figures: docs/chat-protocol.md). Idle, the extra hop costs one loop iteration.
        """
        delay = self.rest(self._loop.time())
        if delay > 0:
            self._loop.call_later(delay, self.flush)
        else:
            self._loop.call_soon(self.flush)

    def rest(self, now: float) -> float:
        """Seconds the next pass waits: :data:`FLUSH_REST` of the last pass's write time after it ended.

        Only a saturated room waits (passes back to back; at light load they are far apart),
        and then each write carries more messages for the same per-socket kernel cost: fewer
        writes, less CPU for the same deliveries, for at most one rest of added latency
        (figures: docs/chat-protocol.md). Below 1 ms it is not worth a timer.
        """
        delay = self._rest_until - now
        return delay if delay >= 0.001 else 0.0

    def flush(self) -> None:
        """Write the next slice of the pass (starting a pass if none is under way); schedule what follows."""
        started = self._loop.time()
        if self._next == 0:
            self._pass = [outlet for outlet in self.outlets if outlet.ready]
            self._pass_from, self._spent = self.end, 0.0
            if self._pass:
                self.flushes += 1
        chunk = self._pass[self._next:self._next + self.slice_size]
        self._next += self.slice_size
        try:
            self.write_slice(chunk)
        finally:  # even if a write raised: the pass goes on, or ends and lets the next one be scheduled
            ended = self._loop.time()
            self._spent += ended - started
            if self._next < len(self._pass):
                self._loop.call_soon(self.flush)
            else:
                self._end_pass(ended)

    def _end_pass(self, ended: float) -> None:
        lagging = self.end > self._pass_from  # frames came during the pass: its first slices lack them
        self._pass, self._next = [], 0
        self._joined.clear()
        self._rest_until = ended + self._spent * FLUSH_REST
        if len(self._log) >= TRIM_AT or not self.outlets:
            self._trim()
        if lagging:
            self._loop.call_soon(self._schedule_flush)
        else:
            self._scheduled = False

    def _trim(self) -> None:
        """Forget the frames every outlet of the room has had (or been welcomed past)."""
        low = min((outlet.cursor for outlet in self.outlets), default=self.end)
        if low > self._base:
            del self._log[:low - self._base]
            self._base = low
            del self._targeted[:bisect.bisect_left(self._targeted, low)]

    def write_slice(self, outlets: list[Outlet]) -> None:
        """Give each outlet every frame from its cursor to the log's end, in one write."""
        end, young, members = self.end, self._young, self.outlets
        groups: dict[tuple[int, bool], list[Outlet]] = {}
        for outlet in outlets:
            start = outlet.cursor
            if start >= end or outlet not in members:
                continue
            outlet.cursor = end
            if outlet.closed:
                continue
            if young and outlet in young:
                self._write_young(outlet, start, end, young[outlet])
            else:
                groups.setdefault((start, outlet.binary), []).append(outlet)
        for (start, binary), group in groups.items():
            if self._targets_between(start, end):
                for outlet in group:
                    self._write_filtered(outlet, start, end)
            else:
                self._writer.write_all(group, self._joined_frames(start, end, binary))
                self.deliveries += len(group) * (end - start)

    def _joined_frames(self, start: int, end: int, binary: bool) -> bytes:
        key = (start, end, binary)
        data = self._joined.get(key)
        if data is None:
            entries = self._log[start - self._base:end - self._base]
            data = b"".join(e.binary for e, _, _ in entries) if binary else b"".join(e.text for e, _, _ in entries)
            self._joined[key] = data
        return data

    def _targets_between(self, start: int, end: int) -> bool:
        targeted = self._targeted
        at = bisect.bisect_left(targeted, start)
        return at < len(targeted) and targeted[at] < end

    def _write_filtered(self, outlet: Outlet, start: int, end: int, floor: int = 0) -> None:
        """Write the frames of ``[start, end)`` meant for this outlet, skipping seqs up to ``floor``."""
        parts = [e.wire(outlet.binary) for e, seq, audience in self._log[start - self._base:end - self._base]
                 if (seq is None or seq > floor) and outlet.wants(audience)]
        if parts:
            outlet.write(b"".join(parts))
            self.deliveries += len(parts)

    def _write_young(self, outlet: Outlet, start: int, end: int, floor: int) -> None:
        self._write_filtered(outlet, start, end, floor)
        if any(seq is not None and seq > floor for _, seq, _ in self._log[start - self._base:end - self._base]):
            self._young.pop(outlet, None)  # later frames all come after its welcome: an ordinary outlet again

    def release(self, outlet: Outlet, after_seq: int) -> None:
        """Mark an outlet ready (welcome sent) and write what arrived meanwhile, minus what history had."""
        start, end = outlet.cursor, self.end
        outlet.ready = True
        outlet.cursor = end
        if after_seq > self._top_seq:
            self._young[outlet] = after_seq
        self._write_filtered(outlet, start, end, after_seq)
