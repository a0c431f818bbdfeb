"""Parallel raw writes for big flushes: the kernel's ``send()`` of one flush runs on several cores.

Why: under light load every flush is one small write per socket, and that write is
almost all kernel time (on loopback it also runs the receiver's TCP input and wakes
the reader). In a big room those writes, one after another in the event-loop thread,
are the whole light-load tail (figures: docs/measurements/2026-11-29-chat-fanout-rounds.md,
"Where the 5000-viewer tail comes from"). ``os.write`` releases the GIL, so helper
threads can run the kernel part of other sockets' writes at the same time. Where it is
built, ``chat/_rawsend.c`` does each thread's whole share in one call without the GIL
(in Python every ``os.write`` takes the GIL back, so the threads mostly queue for it);
:func:`_send_all` is its pure-Python twin with the same contract, and the fallback.

Safety, because these writes go around the transport:

* only plain TCP transports (no TLS) with an empty write buffer and not closing are
  written directly; anything else goes through ``transport.write`` as before;
* the event-loop thread writes its own share and then waits for the helpers, so
  nothing else (aiohttp's frames, replies, a close) can write to or close those
  sockets in between, and no file descriptor can be reused meanwhile;
* what the kernel did not take (``EAGAIN``, a partial write) is handed to
  ``transport.write`` afterwards, so it follows exactly the bytes already sent, and
  an error is left to the transport, which meets it again on the same write and
  closes the connection in its usual way.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from types import ModuleType
from typing import Final, Protocol

_rawsend: ModuleType | None
try:
    from chat import _rawsend
except ImportError:  # not compiled (no C compiler at install): the pure-Python loop below
    _rawsend = None

MIN_PARALLEL: Final = 512  # below this many sockets waking a helper costs more than it saves


class RawOutlet(Protocol):
    """The part of :class:`chat.fanout.Outlet` the writer uses."""

    fd: int | None

    def write(self, data: bytes) -> None: ...

    def direct_ok(self) -> bool: ...


def raw_fd(transport: object) -> int | None:
    """The socket's file descriptor if the transport is plain TCP, else ``None`` (TLS, pipes, fakes)."""
    get = getattr(transport, "get_extra_info", None)
    if get is None or get("sslcontext") is not None or get("ssl_object") is not None:
        return None
    sock = get("socket")
    fileno = getattr(sock, "fileno", None)
    if fileno is None:
        return None
    fd = fileno()
    return fd if isinstance(fd, int) and fd >= 0 else None


SendAll = Callable[[list[int], bytes], list[tuple[int, int]]]


def _send_all(fds: list[int], data: bytes) -> list[tuple[int, int]]:
    """Write ``data`` to each fd once; return ``(index, bytes taken)`` of those not fully written."""
    short: list[tuple[int, int]] = []
    write, size = os.write, len(data)
    for index, fd in enumerate(fds):
        try:
            sent = write(fd, data)
        except OSError:  # EAGAIN or a dead peer: the transport deals with it
            sent = 0
        if sent != size:
            short.append((index, sent))
    return short


NATIVE: Final = _rawsend is not None  # chat/_rawsend.c was built


def send_function(native: bool | None = None) -> SendAll:
    """The C loop where built (``native=None``), or the one asked for; ``native=True`` needs the build."""
    if native is None:
        native = NATIVE
    if not native:
        return _send_all
    if _rawsend is None:
        raise RuntimeError("chat._rawsend is not built (re-run scripts/install with a C compiler)")
    send: SendAll = _rawsend.send_all
    return send


class ParallelWriter:
    """Writes one byte string to many outlets, from ``threads`` threads (the caller's included)."""

    def __init__(self, threads: int = 1, *, min_parallel: int = MIN_PARALLEL, native: bool | None = None) -> None:
        self.threads = max(1, threads)
        self.min_parallel = min_parallel
        self.send_all = send_function(native)
        self._pool = ThreadPoolExecutor(self.threads - 1, thread_name_prefix="chat-write") if self.threads > 1 else None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None

    def write_all(self, outlets: list[RawOutlet], data: bytes) -> None:
        """``outlet.write(data)`` for every outlet; the direct ones split over the threads."""
        pool = self._pool
        if pool is None or len(outlets) < self.min_parallel:
            for outlet in outlets:
                outlet.write(data)
            return
        direct: list[RawOutlet] = []
        fds: list[int] = []
        for outlet in outlets:
            fd = outlet.fd
            if fd is not None and outlet.direct_ok():
                direct.append(outlet)
                fds.append(fd)
            else:
                outlet.write(data)
        if not fds:
            return
        step, send_all = -(-len(fds) // self.threads), self.send_all
        helpers = [pool.submit(send_all, fds[start:start + step], data) for start in range(step, len(fds), step)]
        results = [send_all(fds[:step], data)] + [helper.result() for helper in helpers]
        for chunk, short in enumerate(results):
            for index, sent in short:
                direct[chunk * step + index].write(data[sent:])
