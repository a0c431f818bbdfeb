"""The one exception type of the signaling layer: an HTTP status, a code and a message.

The HTTP adapter turns it into ``{"error": {"code", "message"}}`` with the
given headers (``Retry-After``, ``WWW-Authenticate``...); the service never
builds HTTP responses itself.
"""

from __future__ import annotations

from collections.abc import Mapping


class SignalingError(Exception):
    """A refusal the client must see, with the RFC 9725 status code it implies."""

    def __init__(self, status: int, code: str, message: str, *, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})
