"""The extension point for other areas' frame types (``apply``, ``pin_job``, ``unpin_job``...).

``ChatService(extensions={"apply": handler})`` dispatches frames of that type to
``handler(context, frame)``; an exception in a handler becomes an ``error`` frame
(code ``handler_failed``) for the sender, and the socket stays open.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Protocol

from identity.principal import Principal


class FrameContext(Protocol):
    """What a handler may do: answer this connection, or broadcast to the room on every node."""

    room: str
    principal: Principal

    def reply(self, frame: Mapping[str, Any]) -> None:
        """To this connection only."""

    async def broadcast(self, frame: Mapping[str, Any]) -> None:
        """To everyone in the room, on every node."""


FrameHandler = Callable[[FrameContext, dict[str, Any]], Awaitable[None]]
