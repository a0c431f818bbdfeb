"""Connection limits for ``livehire serve``: a per-IP cap and a request-header timeout.

aiohttp has neither. Each accepted connection gets a :class:`GuardedConnection`,
a thin asyncio protocol in front of aiohttp's ``RequestHandler``:

* over ``max_per_ip`` open connections from one address, a new connection is
  aborted before aiohttp sees it (one log line per address per minute);
* a connection must deliver complete request headers within
  ``header_timeout`` of connecting or of its previous response finishing
  (keep-alive), or it is aborted (slowloris). While a request runs, including
  a websocket or an event stream after the upgrade, no deadline applies.

The two request boundaries come from aiohttp's public extension points: the
server's ``request_factory`` is called once a request's headers are parsed,
and the access logger once its response has been written.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from aiohttp.abc import AbstractAccessLogger
from aiohttp.web_protocol import RequestHandler
from aiohttp.web_request import BaseRequest
from aiohttp.web_response import StreamResponse
from aiohttp.web_server import Server

from livehire.protocol_log import server_logger

log = logging.getLogger("livehire.connections")
LOG_INTERVAL_SECONDS = 60.0
#: Addresses remembered for log rate limiting before old ones are forgotten (bounded under a flood).
LOG_MEMORY = 4096


@dataclass(frozen=True, slots=True)
class ConnectionLimits:
    max_per_ip: int
    header_timeout: float


def peer_address(transport: asyncio.BaseTransport) -> str:
    """The client's IP as text; IPv4-mapped IPv6 counts as its IPv4 address (one cap per client)."""
    peer = transport.get_extra_info("peername")
    host = peer[0] if isinstance(peer, tuple) and peer else str(peer or "")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(address)


class LogLimiter:
    """At most one log line per key per interval; says how many were left out in between."""

    def __init__(self, interval: float = LOG_INTERVAL_SECONDS, memory: int = LOG_MEMORY) -> None:
        self._interval = interval
        self._memory = memory
        self._entries: dict[str, tuple[float, int]] = {}  # key → (last logged at, left out since)

    def allow(self, key: str, now: float) -> int | None:
        """The number left out since the last line when one may be logged now, else None."""
        last, skipped = self._entries.get(key, (float("-inf"), 0))
        if now - last < self._interval:
            self._entries[key] = (last, skipped + 1)
            return None
        if key not in self._entries and len(self._entries) >= self._memory:
            self._forget_before(now - self._interval)
        self._entries[key] = (now, 0)
        return skipped

    def _forget_before(self, cutoff: float) -> None:
        """Drops keys not logged since ``cutoff``; when none are that old, the oldest half."""
        stale = [key for key, (last, _) in self._entries.items() if last < cutoff]
        for key in stale or list(self._entries)[: self._memory // 2]:
            del self._entries[key]


class IpCounter:
    """Open connections per address."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._open: dict[str, int] = {}

    def admit(self, address: str) -> bool:
        count = self._open.get(address, 0)
        if count >= self._limit:
            return False
        self._open[address] = count + 1
        return True

    def release(self, address: str) -> None:
        count = self._open.get(address, 0) - 1
        if count > 0:
            self._open[address] = count
        else:
            self._open.pop(address, None)

    def open(self, address: str) -> int:
        return self._open.get(address, 0)


class ConnectionGuard:
    """The limits of one listening server; its :meth:`protocol_factory` goes to ``loop.create_server``.

    Give :meth:`runner_kwargs` to ``web.AppRunner`` and call :meth:`protocol_factory` with
    ``runner.server`` after ``runner.setup()``.
    """

    def __init__(self, limits: ConnectionLimits, loop: asyncio.AbstractEventLoop) -> None:
        self.limits = limits
        self.loop = loop
        self.counter = IpCounter(limits.max_per_ip)
        self._log_limiter = LogLimiter()
        self._connections: dict[RequestHandler, GuardedConnection] = {}

    def runner_kwargs(self) -> dict[str, Any]:
        """aiohttp calls an access logger once a response is written: that is the 'finished' event.

        It writes no access log (``livehire serve`` has none); aiohttp needs a logger to call it.
        """
        guard = self

        class ResponseFinished(AbstractAccessLogger):
            def log(self, request: BaseRequest, response: StreamResponse, time: float) -> None:
                guard.response_finished(request.protocol)

        return {"access_log_class": ResponseFinished, "access_log": logging.getLogger("livehire.access"),
                "logger": server_logger()}

    def protocol_factory(self, server: Server) -> Callable[[], GuardedConnection]:
        """Wraps ``server`` (it makes aiohttp's per-connection handlers) for ``loop.create_server``."""
        make_request = server.request_factory  # aiohttp calls it once a request's headers are parsed

        def request_factory(*args: Any) -> BaseRequest:
            request = make_request(*args)
            self.request_started(request.protocol)
            return request

        server.request_factory = request_factory
        return lambda: GuardedConnection(self, server)

    def admit(self, address: str) -> bool:
        if self.counter.admit(address):
            return True
        self._log_once("refused", address, "connection refused: too many open connections from one address")
        return False

    def attach(self, handler: RequestHandler, connection: GuardedConnection) -> None:
        self._connections[handler] = connection

    def detach(self, handler: RequestHandler, address: str) -> None:
        self._connections.pop(handler, None)
        self.counter.release(address)

    def timed_out(self, address: str) -> None:
        self._log_once("timeout", address, "connection dropped: no complete request headers in time")

    def request_started(self, handler: RequestHandler) -> None:
        connection = self._connections.get(handler)
        if connection is not None:
            connection.request_started()

    def response_finished(self, handler: RequestHandler) -> None:
        connection = self._connections.get(handler)
        if connection is not None:
            connection.response_finished()

    def _log_once(self, kind: str, address: str, message: str) -> None:
        skipped = self._log_limiter.allow(f"{kind} {address}", self.loop.time())
        if skipped is not None:
            log.warning(message, extra={"remote": address, "since_last_logged": skipped,
                                        "max_per_ip": self.limits.max_per_ip,
                                        "header_timeout": self.limits.header_timeout})


class GuardedConnection(asyncio.Protocol):
    """One connection: admits it, then forwards every event to aiohttp's handler and keeps the deadline.

    The deadline is checked lazily, as aiohttp does its keep-alive: one timer per connection that
    re-arms itself, none created per request.
    """

    def __init__(self, guard: ConnectionGuard, server: Server) -> None:
        self._guard = guard
        self._server = server
        self._handler: RequestHandler | None = None
        self._transport: asyncio.Transport | None = None
        self._address = ""
        self._running = 0  # requests whose headers arrived and whose response is not written yet
        self._deadline = 0.0
        self._timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        transport = cast(asyncio.Transport, transport)  # uvloop's are not asyncio.Transport subclasses
        self._address = peer_address(transport)
        if not self._guard.admit(self._address):
            transport.abort()
            return
        self._transport = transport
        self._handler = handler = self._server()
        self._guard.attach(handler, self)
        self._arm()
        handler.connection_made(transport)

    def data_received(self, data: bytes) -> None:
        if self._handler is not None:
            self._handler.data_received(data)

    def eof_received(self) -> bool | None:
        """Forwarded; aiohttp's handler returns None, so a half-closed connection closes as before."""
        if self._handler is not None:
            self._handler.eof_received()
        return None

    def pause_writing(self) -> None:
        if self._handler is not None:
            self._handler.pause_writing()

    def resume_writing(self) -> None:
        if self._handler is not None:
            self._handler.resume_writing()

    def connection_lost(self, exc: Exception | None) -> None:
        handler, self._handler, self._transport = self._handler, None, None
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if handler is not None:
            self._guard.detach(handler, self._address)
            handler.connection_lost(exc)

    def request_started(self) -> None:
        self._running += 1

    def response_finished(self) -> None:
        self._running = max(0, self._running - 1)
        if not self._running:
            self._arm()

    def _arm(self) -> None:
        loop = self._guard.loop
        self._deadline = loop.time() + self._guard.limits.header_timeout
        if self._timer is None:
            self._timer = loop.call_at(self._deadline, self._expire)

    def _expire(self) -> None:
        self._timer = None
        if self._transport is None or self._running:
            return  # closed, or a request runs: re-armed when its response is written
        if self._guard.loop.time() < self._deadline:
            self._timer = self._guard.loop.call_at(self._deadline, self._expire)
            return
        self._guard.timed_out(self._address)
        self._transport.abort()
