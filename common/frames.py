"""What a chat frame handler of another area sees, and the one shape of a chat ``error`` frame.

Why here: recruiting's ``apply``/``pin_job`` handlers run inside the chat layer but must not
import it; both sides name this protocol. Errors become frames only through
:func:`error_frame_of`, as they become HTTP responses only through ``common.http``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Protocol, TypeVar

from common.errors import LivehireError

#: Who sent the frame: ``identity.principal.Principal`` in the server (``common`` sits below identity).
P_co = TypeVar("P_co", covariant=True)


class FrameContext(Protocol[P_co]):
    """What a handler may do: answer this connection, or broadcast to the room on every node."""

    @property
    def room(self) -> str: ...

    @property
    def principal(self) -> P_co: ...

    def reply(self, frame: Mapping[str, Any]) -> None:
        """To this connection only."""

    async def broadcast(self, frame: Mapping[str, Any]) -> None:
        """To everyone in the room, on every node."""


FrameHandler = Callable[[FrameContext[Any], dict[str, Any]], Awaitable[None]]


def error_frame(code: str, message: str, ref: str | None = None) -> dict[str, Any]:
    """``{"type": "error", "code", "message", "ref"}``; ``ref`` echoes the client's frame id or is null."""
    return {"type": "error", "code": code, "message": message, "ref": ref}


def error_frame_of(error: LivehireError, ref: str | None = None) -> dict[str, Any]:
    """The chat counterpart of ``common.http.render_error``: the one place an error becomes a frame."""
    frame = error_frame(error.code, error.message, ref)
    if error.retry_after is not None:
        frame["retry_after"] = max(1, round(error.retry_after))
    return frame
