"""Periodic work of recruiting on each node: live-session statistics and interview reminders.

Statistics (standard 5.2 数据分析) need the chat layer's numbers, and recruiting
never imports chat: the composition root hands in three probes,
``viewers(room) -> int`` (open sockets across nodes), ``chat_stats(room) ->
{"messages", "blocked", "local_connections", ...}`` (this node's cumulative
counters) and ``present(room) -> [(user_id | None, serial), ...]`` (the sockets
open on this node), and sets ``ChatService.on_join`` to :meth:`RoomMonitor.on_join`.

Every node, whichever node started the session:

* ``on_join(room, viewer, serial)`` (synchronous, a list append: no await and no
  write per join on the chat hot path) buffers the join in a
  :class:`~recruiting.domain.tally.SessionTally`;
* each tick (1 s) samples its counters and the viewer count of the rooms it
  has sockets in;
* each refresh (2 s) asks the store which sessions of those rooms were live
  lately (one query for all rooms) and writes its share of each session in one
  transaction: the distinct viewers (insert-or-ignore), the growth of its chat
  and blocked counters, the peak (kept as max). A session it sees for the first
  time also counts the sockets open here in its room (``present``): the audience
  that gathered before the host pressed "start" is counted without rejoining.

The node that starts or ends a session samples and writes at that moment
(:meth:`RoomMonitor.boundary` gives the time the store records, then a flush), so its own
share is exact, also within one millisecond; the
other nodes add their final share within one refresh after the end, counting
only what they sampled inside the session (see :mod:`recruiting.domain.tally`).
Interview reminders (4.3.1 c) are stored rows; every ``interval`` the sweep
pushes the due ones to the candidate's open sockets and marks them sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

from common.clock import now_ms
from common.periodic import every
from recruiting.domain.tally import Presence, SessionTally
from recruiting.ports import Audience
from recruiting.repositories.interviews import InterviewRepository
from recruiting.repositories.live import LiveRepository

ViewersProbe = Callable[[str], int]
ChatStatsProbe = Callable[[str], Mapping[str, Any]]
PresentProbe = Callable[[str], Iterable[Presence]]
Notify = Callable[[str, Mapping[str, Any]], Awaitable[None]]
log = logging.getLogger(__name__)
BOUNDARY_WAIT_SECONDS = 0.005  # how long a session boundary waits for the clock to pass the room's last join


class RoomMonitor:
    def __init__(
        self, live: LiveRepository, interviews: InterviewRepository, notify: Notify, *, audience: Audience | None = None,
        interval: float = 5.0, tick: float = 1.0, refresh: float = 2.0, clock: Callable[[], int] = now_ms,
    ) -> None:
        """``audience``: viewers, chat counters and presence per room (none: nobody is counted);
        ``interval``: reminder sweeps; ``tick``: counter samples; ``refresh``: store reads and writes."""
        self._live = live
        self._interviews = interviews
        self._notify = notify
        self._interval = interval
        self._tick = tick
        self._refresh = refresh
        self._clock = clock
        # bound methods kept once: the probes run per tick and per room
        self._viewers: ViewersProbe | None = audience.viewers if audience is not None else None
        self._chat_stats: ChatStatsProbe | None = audience.stats if audience is not None else None
        self._present: PresentProbe | None = audience.present if audience is not None else None
        self._keep_ms = max(60_000, int(refresh * 10_000))
        self._tally = SessionTally(keep_ms=self._keep_ms)
        self._empty: dict[str, int] = {}  # room without sockets here → since when
        self._lock = asyncio.Lock()
        self._running: contextlib.AsyncExitStack | None = None
        self._next_refresh = self._next_sweep = 0.0

    def audience(self, room: str) -> int:
        """Viewers now: a pinned card's impressions."""
        if self._viewers is not None:
            with contextlib.suppress(Exception):
                return int(self._viewers(room))
        return 0

    def on_join(self, room: str, viewer: str | None, connection: int | None = None) -> None:
        """The chat layer's join hook: ``viewer`` is the user id, None for an anonymous socket;
        ``connection`` the socket's serial on this node, as ``present`` lists it.

        Called synchronously from ``ChatService.connect``; a room new to this node is sampled at once,
        before the new socket can send anything."""
        now = self._clock()
        if self._tally.join(room, viewer, now, connection):
            self._sample(room, now)

    def _present_in(self, rooms: set[str]) -> dict[str, list[Presence]]:
        if self._present is None or not rooms:
            return {}
        present: dict[str, list[Presence]] = {}
        for room in rooms:
            try:
                present[room] = list(self._present(room))
            except Exception:
                log.exception("recruiting monitor: the presence probe failed for room %s", room)
        return present

    def _counters(self, room: str) -> Mapping[str, Any]:
        if self._chat_stats is None:
            return {}
        try:
            return self._chat_stats(room)
        except Exception:
            return {}

    def _sample(self, room: str, now: int) -> Mapping[str, Any]:
        counters = self._counters(room)
        self._tally.sample(
            room, now, int(counters.get("messages", 0)), int(counters.get("blocked", 0)), self.audience(room),
            int(counters.get("epoch", 0)),
        )
        return counters

    def sample_all(self) -> None:
        """One tick: samples every room followed here; stops following rooms without sockets here."""
        now = self._clock()
        for room in self._tally.rooms():
            counters = self._sample(room, now)
            if int(counters.get("local_connections", 1)) > 0:
                self._empty.pop(room, None)
            elif now - self._empty.setdefault(room, now) >= 3 * self._refresh * 1000:
                self._tally.forget(room)  # a flush has run since: a session live here is tracked by now
                self._empty.pop(room, None)

    async def flush(self) -> int:
        """Reads the sessions of the rooms followed here and writes this node's share; returns flushes written."""
        async with self._lock:
            rooms = self._tally.rooms()
            if not rooms:
                return 0
            now = self._clock()
            windows = await self._live.windows(rooms, now - self._keep_ms, self._tally.tracked())
            present = self._present_in(self._tally.learning(windows))  # sessions new here: who is already in
            written = 0
            for share in self._tally.settle(windows, self._clock(), present):
                await self._live.add_share(share)
                self._tally.committed(share)
                written += 1
            return written

    async def boundary(self, room: str) -> int:
        """The time of a session's start or end decided on this node, sampled with the counters then (so
        this node's share is exact): later than every join and sample stamped here, so a socket that
        joined just before the start is not a viewer of it (see :meth:`SessionTally.boundary`). When
        the clock has not moved past the latest join yet (millisecond stamps), waits for it a moment
        rather than dating the boundary ahead of the wall clock the store's other stamps use."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + BOUNDARY_WAIT_SECONDS
        now = self._clock()
        while (latest := self._tally.latest(room)) is not None and now <= latest and loop.time() < deadline:
            await asyncio.sleep(0.001)  # the next millisecond; a stopped (test) clock ends at the deadline
            now = self._clock()
        counters = self._counters(room)
        return self._tally.boundary(
            room, now, int(counters.get("messages", 0)), int(counters.get("blocked", 0)), self.audience(room),
            int(counters.get("epoch", 0)),
        )

    async def send_reminders(self) -> int:
        sent = 0
        for reminder in await self._interviews.due_reminders(now_ms()):
            if await self._interviews.mark_reminder_sent(reminder["id"]):
                interview = await self._interviews.get(reminder["interview_id"])
                if interview["state"] in ("invited", "accepted"):
                    await self._notify(interview["user_id"], {"type": "interview_reminder", "interview": interview})
                    sent += 1
        return sent

    async def start(self) -> None:
        """Samples every ``tick`` (:func:`common.periodic.every`: stopping lets a running tick finish; one cancelled
        inside a query left its connection half closed, which the pool logged as an error at shutdown)."""
        if self._running is None:
            running = contextlib.AsyncExitStack()
            await running.enter_async_context(every(self._tick, self._tick_once, name="recruiting monitor"))
            self._running = running

    async def close(self) -> None:
        """Writes this node's last share (best effort), then stops."""
        if self._running is not None:
            await self._running.aclose()
            self._running = None
            try:
                self.sample_all()
                await self.flush()
            except Exception:
                log.exception("recruiting monitor: the last statistics flush failed")

    async def _tick_once(self) -> None:
        """Counters every tick; store reads and writes every ``refresh``; reminders every ``interval``."""
        self.sample_all()
        now = time.monotonic()
        if now >= self._next_refresh:
            self._next_refresh = now + self._refresh
            await self.flush()
        if now >= self._next_sweep:
            self._next_sweep = now + self._interval
            await self.send_reminders()
