"""Recovery of a room's message stream by offset and epoch, without I/O (as Centrifugo recovers).

Theory of operation. Every chat message has the room's ``seq`` (its offset: 1, 2, 3 … per room)
and belongs to the room's ``epoch``, a random name the history store gives the room when its
history begins. A Redis that restarts empty (or loses the room's keys) begins a new epoch, and
its ``seq`` starts again at 1: an offset means something only together with its epoch.

Two places use this module:

* A reconnecting client sends its last ``seq`` and ``epoch``; the broker's history read says
  whether every message after it is still there in that epoch (``complete``). Then the
  ``welcome`` carries exactly the missed messages (``recovered: true``), else
  ``recovered: false`` and the page reloads its history. All or nothing.
* Each node follows each room it serves with a :class:`RoomCursor`, fed the messages the broker
  brings. They must come as ``last + 1``, ``last + 2`` …: a repeat is dropped; a gap (the pub/sub
  subscription was down while others published) is filled from history before anything later
  is delivered, so sockets see every message once and in order; a new epoch, or a gap history
  cannot fill, means this node's sockets in the room must start again (:class:`Resync`: they are
  closed with a reconnect code, reconnect with their offset, and reload). When the broker's reader
  has subscribed again after a failure, :meth:`RoomCursor.check` asks for the same history read
  (nothing may have arrived to show the gap).

Accepted messages. The sender of a message gets ``ack`` once the broker stored it; the cursor
keeps who sent each acknowledged message (:meth:`RoomCursor.acked`) until it is delivered here.
A :class:`Resync` caused by a lost history names the senders whose messages this node never
delivered (``lost``): the service tells each of them with an error frame, so an accepted message
is delivered or its sender learns it was not, never lost in silence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from common.errors import Unavailable

Owner = TypeVar("Owner")
Message = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Deliver:
    """Give these messages to the room's sockets, in this order."""

    messages: tuple[Message, ...]


@dataclass(frozen=True, slots=True)
class Fetch:
    """Read the room's history after ``since`` in ``epoch``, then call :meth:`RoomCursor.filled`."""

    since: int
    epoch: str


@dataclass(frozen=True, slots=True)
class Resync(Generic[Owner]):
    """The room's stream cannot be continued on this node (``reason``): its sockets must start again.
    ``lost``: senders of acknowledged messages this node never delivered, which history no longer has."""

    reason: str
    lost: tuple[Owner, ...] = ()


Step = Deliver | Fetch | Resync[Owner]


def not_delivered() -> Unavailable:
    """The error a sender gets (with its ``ref``) when its acknowledged message was lost with the history."""
    return Unavailable("not_delivered", "这条消息因服务故障未能送达，请重新发送")


def recovered(since: int | None, epoch: str | None, current_epoch: str, complete: bool) -> bool:
    """A client's offset is answered completely: same epoch (when it sent one) and nothing missing."""
    if since is None:
        return False
    return complete and (epoch is None or epoch == current_epoch)


@dataclass(slots=True)
class RoomCursor(Generic[Owner]):
    """Where this node is in one room's stream: the epoch and the last ``seq`` given to its sockets.

    Every method answers the steps to carry out, in order: :class:`Deliver`, then perhaps one
    :class:`Fetch` (whose answer goes to :meth:`filled`), or one :class:`Resync`."""

    epoch: str
    last: int
    #: A :class:`Fetch` is out: messages arriving meanwhile wait, in arrival order.
    filling: bool = False
    _pending: list[tuple[str, Message]] = field(default_factory=list)
    _acked: dict[tuple[str, int], Owner] = field(default_factory=dict)

    def follows(self, epoch: str, seq: int) -> bool:
        """The fast path: ``seq`` is the next message of this epoch and nothing waits; taken if so."""
        if seq != self.last + 1 or epoch != self.epoch or self.filling:
            return False
        self.last = seq
        if self._acked:
            self._acked.pop((epoch, seq), None)
        return True

    def message(self, epoch: str, message: Message) -> list[Step[Owner]]:
        """A message the broker brought (``epoch``: the epoch it was stored in)."""
        if self.filling:
            self._pending.append((epoch, message))
            return []
        return self._advance([(epoch, message)])

    def check(self) -> list[Step[Owner]]:
        """The broker's reader subscribed again: read what may have been missed (unless a read is out)."""
        if self.filling:
            return []
        self.filling = True
        return [Fetch(self.last, self.epoch)]

    def failed(self) -> None:
        """The history read failed (the store is away): the next :meth:`check` reads again; arrivals wait."""
        self.filling = False

    def filled(self, epoch: str, messages: Iterable[Message], last_seq: int, complete: bool) -> list[Step[Owner]]:
        """The answer to a :class:`Fetch`: the messages after its ``since`` (deleted ones leave gaps that
        ``complete`` accounts for), the history's head ``last_seq`` and whether nothing is missing."""
        self.filling = False
        pending, self._pending = self._pending, []
        if epoch != self.epoch:
            return [self._resync(epoch, last_seq, "the room's history was lost (new epoch)")]
        if not complete:
            return [self._resync(epoch, last_seq, "missed messages are no longer in history")]
        missed = tuple(m for m in messages if int(m["seq"]) > self.last)
        for each in missed:
            self._delivered(epoch, int(each["seq"]))
        self.last = max(self.last, last_seq)
        steps: list[Step[Owner]] = [Deliver(missed)] if missed else []
        return steps + self._advance(pending)

    def acked(self, epoch: str, seq: int, owner: Owner) -> None:
        """``owner`` was told message ``seq`` is stored: remembered until it is delivered here."""
        if epoch == self.epoch and seq <= self.last:
            return  # delivered already (the broker's copy came before the store's answer)
        self._acked[(epoch, seq)] = owner

    def waiting(self) -> int:
        """Acknowledged messages not delivered here yet (bounded by the gaps being filled)."""
        return len(self._acked)

    def _advance(self, arrivals: list[tuple[str, Message]]) -> list[Step[Owner]]:
        out: list[Message] = []
        for index, (epoch, message) in enumerate(arrivals):
            seq = int(message["seq"])
            if epoch != self.epoch:
                steps: list[Step[Owner]] = [Deliver(tuple(out))] if out else []
                return [*steps, self._resync(epoch, seq, "the room's history was lost (new epoch)")]
            if seq <= self.last:
                continue  # delivered already, or in the welcome history of every socket here
            if seq > self.last + 1:  # a gap: fill it before anything later
                self.filling = True
                self._pending = arrivals[index:]
                return [*([Deliver(tuple(out))] if out else []), Fetch(self.last, self.epoch)]
            self.last = seq
            self._delivered(epoch, seq)
            out.append(message)
        return [Deliver(tuple(out))] if out else []

    def _delivered(self, epoch: str, seq: int) -> None:
        if self._acked:
            self._acked.pop((epoch, seq), None)

    def _resync(self, epoch: str, last: int, reason: str) -> Resync[Owner]:
        """Start again in ``epoch`` at ``last``. Senders of acknowledged messages of an older epoch that never
        came are lost (a new epoch's history has its own, and reconnecting sockets reload it)."""
        lost = tuple(owner for (e, _), owner in self._acked.items() if e != epoch)
        self._acked = {key: owner for key, owner in self._acked.items() if key[0] == epoch and key[1] > last}
        self.epoch, self.last = epoch, last
        self.filling, self._pending = False, []
        return Resync(reason, lost)
