"""Liveness of chat sockets: ping the silent ones, drop those that stay silent.

Why not aiohttp's ``heartbeat=``: it re-arms a timer for every chunk a socket
receives (a scheduled callback, a cancelled timer and a new one per message),
a visible share of the server's instructions per apply (``livehire bench apply
-o instructions=1``; figures: docs/measurements/2026-11-29-apply-rounds.md). Here a socket's
receive loop only counts what it hears (``heard += 1``), and one check every
half interval does the rest for every socket at once:

* heard something since the last check → fine;
* silent through two checks in a row → a ping is written (browsers and
  websocket libraries answer it with a pong, which counts as heard);
* still silent at the check after its ping → dropped (the transport aborted),
  so a half-open TCP connection whose peer vanished does not hold a seat forever.

With the default 30 s a silent socket is pinged after 30–45 s of silence and
dropped 15 s later: never sooner than aiohttp's ``heartbeat=30`` (ping after
30 s, 15 s for the pong).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable

from common.periodic import every

log = logging.getLogger(__name__)


class Liveness:
    """One socket as the heartbeat sees it; its receive loop adds to ``heard`` for every frame."""

    __slots__ = ("drop", "heard", "ping", "quiet", "seen")

    def __init__(self, ping: Callable[[], None], drop: Callable[[], None]) -> None:
        self.heard = 0
        self.seen = 0
        self.quiet = 0  # checks in a row that found nothing heard
        self.ping = ping
        self.drop = drop


class Heartbeat:
    """Every socket of this node; :meth:`check` runs every ``interval / 2`` seconds (see the module doc)."""

    def __init__(self, interval: float = 30.0) -> None:
        if interval <= 0:
            raise ValueError("the heartbeat interval must be positive")
        self.interval = interval
        self._sockets: dict[Liveness, None] = {}
        self.pinged = 0
        self.dropped = 0

    def __len__(self) -> int:
        return len(self._sockets)

    def watch(self, ping: Callable[[], None], drop: Callable[[], None]) -> Liveness:
        liveness = Liveness(ping, drop)
        self._sockets[liveness] = None
        return liveness

    def forget(self, liveness: Liveness) -> None:
        self._sockets.pop(liveness, None)

    def check(self) -> None:
        """One pass: ping the sockets silent through two passes, drop the ones still silent after their ping."""
        for liveness in list(self._sockets):
            if liveness.heard != liveness.seen:
                liveness.seen = liveness.heard
                liveness.quiet = 0
                continue
            liveness.quiet += 1
            if liveness.quiet < 2:
                continue
            if liveness.quiet == 2:
                self.pinged += 1
                liveness.ping()
            else:
                self.dropped += 1
                self._sockets.pop(liveness, None)
                log.info("chat: dropped a socket silent for over %.0f s (no pong)", self.interval * 1.5)
                liveness.drop()

    async def _tick(self) -> None:
        self.check()

    def context(self) -> Callable[[object], AsyncIterator[None]]:
        """A ``cleanup_ctx`` entry: the checks run while the app runs."""

        async def context(_app: object) -> AsyncIterator[None]:
            async with every(self.interval / 2, self._tick, name="chat-heartbeat"):
                yield

        return context
