"""One chat websocket's raw write side, as the room fan-out sees it.

The fan-out writes complete, unmasked websocket frames straight to the transport (or, for
plain TCP with an empty buffer, to the socket: :mod:`chat.writers`), around aiohttp's own
writer; permessage-deflate is never negotiated on chat sockets, so these writes interleave
with aiohttp's frames at frame boundaries.

Slow clients: after a write, if the transport's buffer is above ``limit`` the outlet is
closed with :data:`~chat.frames.CLOSE_SLOW_CONSUMER` (4001: reconnect and recover with
``since``); it never delays anyone else.
"""

from __future__ import annotations

import asyncio
import struct
from collections.abc import Callable
from typing import Final, Protocol

from chat.frames import CLOSE_SLOW_CONSUMER, Encoded, ws_frame
from chat.writers import raw_fd

MODERATORS: Final = "@moderators"
DEFAULT_MAX_BUFFER: Final = 1 << 20  # bytes queued in the kernel/transport before we give up
CLOSE_GRACE_SECONDS: Final = 2.0


class Transport(Protocol):
    """The part of ``asyncio.WriteTransport`` the fan-out uses."""

    def write(self, data: bytes) -> None: ...

    def is_closing(self) -> bool: ...

    def get_write_buffer_size(self) -> int: ...

    def close(self) -> None: ...

    def abort(self) -> None: ...


def close_frame(code: int, reason: str) -> bytes:
    return ws_frame(struct.pack("!H", code) + reason.encode()[:120], 0x8)


class Outlet:
    """One websocket's raw write side, and how far into its room's message log it has been written."""

    __slots__ = ("binary", "closed", "cursor", "fd", "limit", "moderator", "on_close", "ready", "transport", "user_id")

    def __init__(
        self,
        transport: Transport,
        *,
        binary: bool = False,
        user_id: str = "",
        moderator: bool = False,
        limit: int = DEFAULT_MAX_BUFFER,
        on_close: Callable[[Outlet], None] | None = None,
    ) -> None:
        self.transport = transport
        self.binary = binary
        self.user_id = user_id
        self.moderator = moderator
        self.limit = limit
        self.ready = False
        self.closed = False
        self.cursor = 0  # the room log's position (absolute) up to which this socket has had everything
        self.on_close = on_close
        self.fd = raw_fd(transport)  # plain TCP: big flushes may write to it from helper threads

    def direct_ok(self) -> bool:
        """Nothing queued in the transport and not closing: a raw write now keeps the byte order."""
        transport = self.transport
        return not self.closed and not transport.is_closing() and transport.get_write_buffer_size() == 0

    def write(self, data: bytes) -> None:
        if self.closed:
            return
        transport = self.transport
        if transport.is_closing():
            self.closed = True
            return
        transport.write(data)
        if transport.get_write_buffer_size() > self.limit:
            self.kick(CLOSE_SLOW_CONSUMER, "slow consumer")

    def send(self, encoded: Encoded) -> None:
        """Write one frame now (replies to this connection only)."""
        self.write(encoded.wire(self.binary))

    def kick(self, code: int, reason: str) -> None:
        """Close with ``code`` without awaiting: close frame, then close, then abort after a grace."""
        if self.closed:
            return
        self.closed = True
        transport = self.transport
        if not transport.is_closing():
            transport.write(close_frame(code, reason))
            transport.close()
            asyncio.get_running_loop().call_later(CLOSE_GRACE_SECONDS, transport.abort)
        if self.on_close is not None:
            self.on_close(self)

    def wants(self, audience: str | None) -> bool:
        return audience is None or (self.moderator if audience == MODERATORS else self.user_id == audience)

