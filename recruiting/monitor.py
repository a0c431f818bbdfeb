"""Periodic work of recruiting on each node: live-session sampling and interview reminders.

Statistics (standard 5.2 data analysis) need the chat layer's numbers; the
composition root hands in two probes, ``viewers(room) -> int`` and
``chat_stats(room) -> {"messages", "blocked", ...}`` (``ChatService.viewers`` and
``ChatService.stats``). While a session is live on this node the monitor
samples the audience: the peak, and every rise between two samples counted
as that many new viewers (a lower bound of total viewers: people who leave
and others who join between two samples are not seen). Chat and blocked
message counts are the difference of the chat counters between start and
end. Interview reminders (4.3.1 c) are stored rows; the sweep pushes the due
ones to the candidate's open sockets and marks them sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from recruiting.interviews import InterviewRepository
from recruiting.live import LiveRepository
from recruiting.store.clock import now_ms

ViewersProbe = Callable[[str], int]
ChatStatsProbe = Callable[[str], Mapping[str, Any]]
Notify = Callable[[str, Mapping[str, Any]], Awaitable[None]]
log = logging.getLogger(__name__)


class RoomMonitor:
    def __init__(
        self, live: LiveRepository, interviews: InterviewRepository, notify: Notify, *, interval: float = 5.0
    ) -> None:
        self._live = live
        self._interviews = interviews
        self._notify = notify
        self._interval = interval
        self._viewers: ViewersProbe | None = None
        self._chat_stats: ChatStatsProbe | None = None
        self._manual: dict[str, int] = {}
        self._rooms: dict[str, int] = {}  # room with a live session here → last viewer count
        self._baseline: dict[str, Mapping[str, Any]] = {}
        self._task: asyncio.Task[None] | None = None

    def attach(self, *, viewers: ViewersProbe | None, chat_stats: ChatStatsProbe | None) -> None:
        self._viewers = viewers
        self._chat_stats = chat_stats

    def record_audience(self, room: str, viewers: int) -> None:
        self._manual[room] = viewers

    def audience(self, room: str) -> int:
        """Viewers now: a pinned card's impressions."""
        if self._viewers is not None:
            with contextlib.suppress(Exception):
                return int(self._viewers(room))
        return self._manual.get(room, 0)

    def _counters(self, room: str) -> Mapping[str, Any]:
        if self._chat_stats is None:
            return {}
        try:
            return self._chat_stats(room)
        except Exception:
            return {}

    async def session_started(self, room: str) -> None:
        viewers = self.audience(room)
        self._rooms[room] = viewers
        self._baseline[room] = self._counters(room)
        await self._live.record_activity(room, viewers=viewers, joins=viewers)

    async def session_ending(self, room: str) -> None:
        """Records the chat counters of the session; call before the state becomes ``ended``."""
        await self.sample(room)
        start = self._baseline.pop(room, None)
        self._rooms.pop(room, None)
        if start is None:
            return
        end = self._counters(room)

        def delta(key: str) -> int:
            return max(0, int(end.get(key, 0)) - int(start.get(key, 0)))

        await self._live.record_activity(room, chat_messages=delta("messages"), blocked=delta("blocked"))

    async def sample(self, room: str) -> None:
        if room not in self._rooms:
            return
        viewers = self.audience(room)
        rise = max(0, viewers - self._rooms[room])
        self._rooms[room] = viewers
        await self._live.record_activity(room, viewers=viewers, joins=rise)

    async def send_reminders(self) -> int:
        sent = 0
        for reminder in await self._interviews.due_reminders(now_ms()):
            if await self._interviews.mark_reminder_sent(reminder["id"]):
                interview = await self._interviews.get(reminder["interview_id"])
                if interview["state"] in ("invited", "accepted"):
                    await self._notify(interview["user_id"], {"type": "interview_reminder", "interview": interview})
                    sent += 1
        return sent

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="recruiting-monitor")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            try:
                for room in list(self._rooms):
                    await self.sample(room)
                await self.send_reminders()
            except Exception:
                log.exception("recruiting monitor: a periodic task failed")
