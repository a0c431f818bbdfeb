"""Batches the copies of one upstream packet so they are protected and sent in one C call.

While a :class:`~media_server.sfu.forward.ForwardedTrack` hands a packet to its
sinks, its :class:`SendBatch` is open: each viewer's writer (``aiortc_hooks.RtpWriter``)
queues ``(its SRTP context, its socket, the remote address, the RTP bytes)``
instead of protecting and sending itself, and the track flushes the batch
when the last sink is done. ``_fanout.c`` then protects every copy with the
viewer's own libsrtp context and sends it (``sendmmsg`` for runs on one socket).

A batch belongs to whoever owns the forwarding (the signaling service creates one
per app and hands it to each :class:`~media_server.sfu.broadcast.Broadcast`, whose
tracks open it, and to each viewer's writer), so two apps in one process do not
share one.

A viewer that is steady on a track (started, connected, nothing to decide per
packet) goes further: its rewrite state and counters move into a ``_fanout.Viewer``
(:func:`steady_copy`) and :meth:`SendBatch.forward` rewrites, protects and sends
every steady viewer's copy in one C call, with no Python per copy at all.

Without the compiled module (no C compiler at install) nothing is queued and
each writer protects and sends by itself, as before.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any, Protocol

_fanout: ModuleType | None
try:
    from . import _fanout
except ImportError:  # not built: writers send one by one
    _fanout = None


class Resender(Protocol):
    """The writer of a queued copy: takes it back, protected, when the kernel refused it for now."""

    def resend(self, protected: bytes) -> None: ...


Entry = tuple[int, int, bytes, bytes, Resender]


def steady_copy(ctx: int, fd: int, sockaddr: bytes, head: bytes, stamp_at: int, owner: object) -> Any | None:
    """A ``_fanout.Viewer`` for a viewer's context, socket and header template; None if not built."""
    if _fanout is None:
        return None
    return _fanout.Viewer(ctx, fd, sockaddr, head, stamp_at, owner)


class SendBatch:
    """The copies of the packet being fanned out; opened and flushed by the track, filled by writers."""

    __slots__ = ("_configured", "_depth", "_wanted", "active", "batches", "deferred", "failed", "queue", "sent")

    def __init__(self) -> None:
        #: writers append ``(SRTP context address, socket fd, sockaddr bytes, RTP bytes, writer)`` while :attr:`active`
        self.queue: list[Entry] = []
        self.active = False  # a packet is being fanned out and batching is enabled: an attribute, read per copy
        self._depth = 0
        self._configured = False  # set by configure() once libsrtp's protect function is known
        self._wanted = True
        self.sent = 0
        self.failed = 0  # protect errors and datagrams the kernel refused outright: UDP loss
        self.deferred = 0  # refused for now (full send buffer): handed back to asyncio's transport to send later
        self.batches = 0

    @property
    def available(self) -> bool:
        return _fanout is not None

    @property
    def configured(self) -> bool:
        return self._configured

    @property
    def enabled(self) -> bool:
        return self._wanted and self._configured

    @enabled.setter
    def enabled(self, value: bool) -> None:
        """Off: writers send one by one (the bench's comparison); on takes effect once configured."""
        self._wanted = value

    def configure(self, protect_address: int) -> bool:
        """Enable batching with libsrtp's ``srtp_protect`` at this address; False if not built."""
        if _fanout is None:
            return False
        _fanout.set_protect(protect_address)
        self._configured = True
        return True

    def begin(self) -> None:
        self._depth += 1
        self.active = self._wanted and self._configured

    def end(self) -> None:
        self._depth -= 1
        if self._depth == 0:
            self.active = False
            if self.queue:
                entries, self.queue = self.queue, []
                self.flush(entries)

    def flush(self, entries: list[Entry]) -> None:
        assert _fanout is not None
        sent, failed, retry = _fanout.send(entries)
        for index, protected in retry:  # what the one-by-one path would have queued in asyncio
            entries[index][4].resend(protected)
        self.sent += sent
        self.failed += failed
        self.deferred += len(retry)
        self.batches += 1

    def forward(self, viewers: list[Any], writers: list[Resender], packet: tuple[int, int, int, bytes],
                stamp: bytes, now: float) -> None:
        """One upstream ``(seq, timestamp, marker, payload)`` to every steady viewer, in one C call."""
        assert _fanout is not None
        seq, timestamp, marker, payload = packet
        sent, failed, retry = _fanout.forward(viewers, seq, timestamp, marker, payload, stamp, now)
        for index, protected in retry:
            writers[index].resend(protected)
        self.sent += sent
        self.failed += failed
        self.deferred += len(retry)
        self.batches += 1
