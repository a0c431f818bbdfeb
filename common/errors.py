"""One error root for the whole server: a stable code, a message for people, and a kind.

Domain code raises :class:`LivehireError` (or a subclass) and never names an HTTP status;
the HTTP middleware maps the kind to a status in one place, and the chat layer maps it to
an ``error`` frame in one function. Messages shown to users are Chinese; codes are English.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, Literal

ErrorKind = Literal[
    "malformed",  # the request cannot be read: not JSON, a field missing or of the wrong type
    "invalid",  # the request is readable but a value is refused (out of range, unusable text...)
    "unauthenticated",  # no credential, or one that is forged, expired or revoked
    "forbidden",  # the caller is known but may not do this
    "not_found",
    "conflict",  # the state of the target does not allow it (exists already, used, live...)
    "rate_limited",  # too many attempts; ``retry_after`` seconds says when to try again
    "unavailable",  # a dependency or capacity is missing for now
    "too_large",
    "unsupported_media",  # a body of a content type this endpoint does not take
    "version_mismatch",  # ``If-Match`` names a version that is not the current one
    "version_required",  # a change that must name the version it replaces did not
    "internal",  # the server failed; the message says what, never how
]

KINDS: Final[tuple[ErrorKind, ...]] = (
    "malformed", "invalid", "unauthenticated", "forbidden", "not_found", "conflict", "rate_limited", "unavailable",
    "too_large", "unsupported_media", "version_mismatch", "version_required", "internal",
)


class LivehireError(Exception):
    """An error the caller caused or must know about; ``details`` go into the error body."""

    kind: ErrorKind = "invalid"

    def __init__(
        self,
        code: str,
        message: str,
        *,
        kind: ErrorKind | None = None,
        retry_after: float | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        if kind is not None:
            self.kind = kind
        self.retry_after = retry_after
        self.details = dict(details or {})


class Malformed(LivehireError):
    kind: ErrorKind = "malformed"


class Invalid(LivehireError):
    kind: ErrorKind = "invalid"


class Unauthenticated(LivehireError):
    kind: ErrorKind = "unauthenticated"


class Forbidden(LivehireError):
    kind: ErrorKind = "forbidden"


class NotFound(LivehireError):
    kind: ErrorKind = "not_found"


class Conflict(LivehireError):
    kind: ErrorKind = "conflict"


class RateLimited(LivehireError):
    kind: ErrorKind = "rate_limited"

    def __init__(self, code: str, message: str, *, retry_after: float, details: Mapping[str, Any] | None = None) -> None:
        super().__init__(code, message, retry_after=max(1.0, retry_after), details=details)


class Unavailable(LivehireError):
    kind: ErrorKind = "unavailable"


class TooLarge(LivehireError):
    kind: ErrorKind = "too_large"
