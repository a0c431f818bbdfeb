"""What this node keeps for one room it serves, in one object that opens and closes as a whole.

The service used to keep nine parallel per-room dicts and forgot one on close (the room's
outcome counters stayed for ever); a :class:`RoomState` is created when the first socket joins
and dropped whole when the room has been empty for a presence heartbeat, so nothing is left behind.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Final

from chat.connection import Connection
from chat.controls import RoomControls
from chat.fanout import RoomHub
from chat.protocol import Counters
from chat.recovery import RoomCursor

PRESENCE_INTERVAL: Final = 1.0  # presence frames at most once a second
PRESENCE_HEARTBEAT: Final = 5.0  # a node repeats an unchanged count this often
PRESENCE_STALE: Final = 15.0  # another node's count not repeated this long no longer counts


@dataclass(eq=False, slots=True)
class RoomState:
    """One room on this node: its fan-out, controls cache, sockets, tallies and presence."""

    hub: RoomHub
    controls: RoomControls
    #: Set while the room is being opened (bus watch, controls loaded); joiners meanwhile wait on it.
    opening: asyncio.Future[None] | None = None
    connections: set[Connection] = field(default_factory=set)
    #: Outcome tallies every session of the room adds to (read in O(1) by the statistics).
    counters: Counters = field(default_factory=Counters)
    #: Other nodes' socket counts for the room, with when (monotonic) each was last heard.
    others: dict[str, tuple[int, float]] = field(default_factory=dict)
    #: The count this node last announced and when (monotonic); ``None``: never.
    announced: tuple[int, float] | None = None
    #: The viewer count last told to the room's clients.
    told: int | None = None
    #: Hub deliveries already added to the node's metrics.
    counted: int = 0
    #: Which opening of the room on this node this is (1, 2, ...): its counters start again at zero each
    #: time, and the statistics tell a reopening from a drop by this number.
    epoch: int = 0
    #: Where this node is in the room's message stream (set once the room is open): gaps are filled from
    #: history, a lost history resyncs the sockets; owners are (connection, ref) of acknowledged messages.
    cursor: RoomCursor[tuple[Connection, str | None]] | None = None

    def viewers(self, node_id: str, now: float) -> int:
        """Open sockets across nodes: this node's count is always current, others' while fresh."""
        others = sum(n for node, (n, seen) in self.others.items() if node != node_id and now - seen < PRESENCE_STALE)
        return len(self.hub) + others

