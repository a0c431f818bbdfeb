"""What one node adds to the statistics of live sessions, without I/O (standard 5.2 数据分析).

Theory of operation. The chat layer tells this node of every websocket join
(:meth:`SessionTally.join`, a list append on the chat hot path) and the monitor
samples the room's cumulative chat counters of *this node* once a tick
(:meth:`SessionTally.sample`). Every few seconds the monitor asks the store
which sessions of these rooms were live in the last minute (:class:`Window`\\ s,
whoever started them) and calls :meth:`SessionTally.settle`, which answers one
:class:`Flush` per session: the viewers who joined inside the session's window
and the chat counters' growth not yet written. The monitor writes it and calls
:meth:`SessionTally.committed`; a failed write is simply computed again. Most of
a live audience gathers before the host presses "start", so the first time this
node learns of a session (:meth:`SessionTally.learning`), the monitor hands
``settle`` the sockets open here in that room (``present``).

Counting rules (every node follows them, so the sums over nodes are right):

* A viewer is the principal's user id (guests have their own ``guest-…`` id);
  an anonymous socket (no token) is one viewer per connection, named
  ``anon-<node>-<serial>`` after the socket's serial number on this node (the
  same name in its join and in ``present``, so it is never two viewers), since
  nothing identifies the person behind it.
* A join counts for a session when ``started_at <= joined_at <= ended_at``.
* Times are milliseconds, so a join and a start can share one. The node that starts or ends a
  session takes the boundary's time from :meth:`SessionTally.boundary`, which is later than every
  join and sample it has stamped in that room, and stamps what comes after it later still: on
  that node a socket that joined before the start is never in the session, and one that joined
  after the end never either, whatever the clock's resolution (the statistics test once counted
  an "early" viewer whose join fell in the start's millisecond).
* The sockets open here when this node first learns of a session count as
  joined at ``started_at`` (they were there when it started, or joined since),
  except a socket whose join this node saw after ``ended_at``. Each node does
  this once per session for its own sockets: the node that starts it at that
  moment, the others at their next refresh (≤ 2 s later; a viewer who was
  there at the start and left before that refresh without rejoining is missed).
* Chat counters: a session's share on this node is the counters' value at the
  *last sample at or before* ``ended_at`` minus the value at the *first sample
  at or after* ``started_at``; only messages surely inside the session count.
  The node that starts or ends the session samples at that moment (exact);
  another node's boundary sample is at most one tick away (it may miss up to
  one tick of its own messages at each end, it never counts one outside).
* What was written per session is remembered (``counted``), so a flush adds only
  the difference: nothing twice. A session stays tracked until a sample at or
  after its end has been taken and its final flush committed: nothing is lost
  when another node ends it.
"""

from __future__ import annotations

import itertools
import uuid
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

Sample = tuple[int, int, int, int]  # (at_ms, messages, blocked, viewers across nodes)
Presence = tuple[str | None, int]  # an open socket here: (user id, None when anonymous; its serial on this node)


@dataclass(frozen=True, slots=True)
class Window:
    """A session as the store knows it."""

    id: str
    room: str
    started_at: int
    ended_at: int | None


@dataclass(frozen=True, slots=True)
class Flush:
    """What to add to one session's row: distinct viewers, counter growth, and the peak seen."""

    session_id: str
    viewers: frozenset[str]
    messages: int
    blocked: int
    peak: int | None
    final: bool


@dataclass(slots=True)
class _Track:
    window: Window
    baseline: tuple[int, int] | None = None  # (messages, blocked) at the first sample >= started_at
    counted: tuple[int, int] = (0, 0)
    viewers: set[str] = field(default_factory=set)
    peak_written: int = -1


class SessionTally:
    """Per-room joins and counter samples of this node; per-session shares (no I/O, no clock of its own)."""

    def __init__(self, *, keep_ms: int = 60_000, grace_ms: int = 5_000, node: str | None = None) -> None:
        """``keep_ms``: how far back samples are kept (longer than the store refresh);
        ``grace_ms``: how long a join that falls into no known session waits for one to appear."""
        self._keep_ms = keep_ms
        self._grace_ms = grace_ms
        self._node = node or uuid.uuid4().hex[:12]
        self._anonymous = itertools.count(1)
        self._joins: dict[str, list[tuple[int, str]]] = {}
        self._samples: dict[str, deque[Sample]] = {}
        self._carried: dict[str, tuple[int, int, int]] = {}  # room → (epoch, messages, blocked) before it
        self._tracks: dict[str, _Track] = {}
        self._done: dict[str, int] = {}  # finished session → its end, so the store's answer does not revive it
        self._latest: dict[str, int] = {}  # room → the latest time stamped on a join or sample here
        self._floor: dict[str, int] = {}  # room → the earliest time a join or sample may have (after a boundary)

    # ---- fed by the chat layer and the monitor's tick ----------------------------------

    def join(self, room: str, viewer: str | None, now: int, connection: int | None = None) -> bool:
        """Records a join (``viewer`` None: anonymous, named after ``connection``, the socket's serial here;
        without one, a fresh name); True when the room is new here and needs a sample now."""
        joins = self._joins.get(room)
        if joins is None:
            joins = self._joins[room] = []
        joins.append((self._stamp(room, now), self.name(viewer, connection)))
        return room not in self._samples

    def name(self, viewer: str | None, connection: int | None = None) -> str:
        """The viewer's name in the counts: the user id, or one per anonymous socket of this node."""
        if viewer is not None:
            return viewer
        if connection is None:
            return f"anon-{self._node}-j{next(self._anonymous)}"  # no socket to list: never equal to a serial's name
        return f"anon-{self._node}-{connection}"

    def sample(self, room: str, now: int, messages: int, blocked: int, viewers: int, epoch: int = 0) -> None:
        """``epoch``: which opening of the chat room the counters come from. The chat starts them at zero
        when a room reopens here (0 while it is closed), so a change of epoch carries the last totals over:
        the samples stay cumulative and nothing counted before is lost."""
        self._append_sample(room, self._stamp(room, now), messages, blocked, viewers, epoch)

    def latest(self, room: str) -> int | None:
        """The latest time stamped on a join or sample in ``room`` here: a boundary must come after it."""
        return self._latest.get(room)

    def boundary(self, room: str, now: int, messages: int, blocked: int, viewers: int, epoch: int = 0) -> int:
        """The start or end of a session in ``room`` decided on this node, with the counters at that moment:
        returns its time for the store, after every join and sample stamped here so far (``now``, or one
        millisecond past the latest when the clock has not moved on), and makes later ones later still."""
        latest = self._latest.get(room)
        at = self._stamp(room, max(now, latest + 1 if latest is not None else now))
        self._append_sample(room, at, messages, blocked, viewers, epoch)
        self._floor[room] = at + 1
        return at

    def _stamp(self, room: str, now: int) -> int:
        """``now``, or the floor a boundary left; remembered as the room's latest."""
        at = max(now, self._floor.get(room, now))
        latest = self._latest.get(room)
        if latest is None or at > latest:
            self._latest[room] = at
        return at

    def _append_sample(self, room: str, now: int, messages: int, blocked: int, viewers: int, epoch: int) -> None:
        samples = self._samples.get(room)
        if samples is None:
            samples = self._samples[room] = deque()
        last_epoch, carried_messages, carried_blocked = self._carried.get(room, (epoch, 0, 0))
        if epoch != last_epoch:
            carried_messages, carried_blocked = (samples[-1][1], samples[-1][2]) if samples else (0, 0)
        self._carried[room] = (epoch, carried_messages, carried_blocked)
        samples.append((now, messages + carried_messages, blocked + carried_blocked, viewers))
        while len(samples) > 2 and samples[1][0] < now - self._keep_ms:
            samples.popleft()

    def rooms(self) -> set[str]:
        """Rooms this node follows: sampled, with joins waiting, or with a tracked session."""
        return set(self._samples) | set(self._joins) | {t.window.room for t in self._tracks.values()}

    def forget(self, room: str) -> None:
        """No sockets here any more: stop sampling, unless a session still needs this room's numbers."""
        if room not in self._joins and all(t.window.room != room for t in self._tracks.values()):
            self._samples.pop(room, None)
            self._carried.pop(room, None)
            self._latest.pop(room, None)
            self._floor.pop(room, None)

    # ---- settling against the sessions the store knows -------------------------------------

    def learning(self, windows: Iterable[Window]) -> set[str]:
        """Rooms of the ``windows`` this node has not tracked yet: ``settle`` wants their ``present`` sockets."""
        return {w.room for w in windows if w.id not in self._tracks and w.id not in self._done}

    def settle(self, windows: list[Window], now: int, present: Mapping[str, Iterable[Presence]] | None = None) -> list[Flush]:
        """Assigns waiting joins to ``windows`` and computes what each tracked session still lacks.

        ``present``: the sockets open here now in the rooms :meth:`learning` named; they count as joined at
        the start of a session seen here for the first time."""
        for done, ended_at in list(self._done.items()):
            if ended_at < now - 2 * self._keep_ms:
                del self._done[done]
        for window in windows:
            track = self._tracks.get(window.id)
            if window.id in self._done:
                continue
            if track is None:
                track = self._tracks[window.id] = _Track(window)
                track.viewers.update(self._present_at_start(window, (present or {}).get(window.room, ())))
            else:
                track.window = window
        by_room: dict[str, list[_Track]] = {}
        for track in self._tracks.values():
            by_room.setdefault(track.window.room, []).append(track)
        for room in list(self._joins):
            waiting: list[tuple[int, str]] = []
            for at, viewer in self._joins[room]:
                inside = [t for t in by_room.get(room, ()) if _within(t.window, at)]
                for track in inside:
                    track.viewers.add(viewer)
                if not inside and at >= now - self._grace_ms:
                    waiting.append((at, viewer))
            if waiting:
                self._joins[room] = waiting
            else:
                del self._joins[room]
        return [flush for track in self._tracks.values() if (flush := self._flush(track)) is not None]

    def committed(self, flush: Flush) -> None:
        track = self._tracks.get(flush.session_id)
        if track is None:
            return
        track.viewers -= flush.viewers
        track.counted = (track.counted[0] + flush.messages, track.counted[1] + flush.blocked)
        if flush.peak is not None:
            track.peak_written = max(track.peak_written, flush.peak)
        if flush.final and not track.viewers:
            del self._tracks[flush.session_id]
            self._done[flush.session_id] = track.window.ended_at or 0

    def tracked(self) -> set[str]:
        return set(self._tracks)

    def _present_at_start(self, window: Window, present: Iterable[Presence]) -> set[str]:
        """The sockets open now, as joins at ``started_at``: all of them while the session is live; once it
        has ended, not those whose join here came after the end."""
        names = {self.name(viewer, connection) for viewer, connection in present}
        if window.ended_at is not None:
            names -= {viewer for at, viewer in self._joins.get(window.room, ()) if at > window.ended_at}
        return names

    def _flush(self, track: _Track) -> Flush | None:
        window = track.window
        samples = self._samples.get(window.room, ())
        if track.baseline is None:
            first = next((s for s in samples if s[0] >= window.started_at), None)
            if first is not None:
                track.baseline = (first[1], first[2])
        messages = blocked = 0
        last_at = samples[-1][0] if samples else None
        final = window.ended_at is not None and last_at is not None and last_at >= window.ended_at
        if window.ended_at is not None and last_at is None:
            final = True  # this node never sampled the room: it has nothing to add
        peak: int | None = None
        if track.baseline is not None:
            end = window.ended_at
            inside = [s for s in samples if s[0] >= window.started_at and (end is None or s[0] <= end)]
            if inside:
                messages = max(0, inside[-1][1] - track.baseline[0] - track.counted[0])
                blocked = max(0, inside[-1][2] - track.baseline[1] - track.counted[1])
                highest = max(s[3] for s in inside)
                if highest > track.peak_written:
                    peak = highest
        if not (messages or blocked or track.viewers or final or peak is not None):
            return None
        return Flush(window.id, frozenset(track.viewers), messages, blocked, peak, final)


def _within(window: Window, at: int) -> bool:
    return window.started_at <= at and (window.ended_at is None or at <= window.ended_at)
