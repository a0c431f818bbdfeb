"""Who is calling: a verified session's capacity, or an anonymous visitor (standard 4.4.1 a, b).

A principal is one capacity of one person: a job seeker (``viewer``), a member of one organisation
(``admin``, ``recruiter``, ``host``), or platform staff (``admin``/``reviewer`` without an
organisation). ``room`` narrows a token to one room (operator tokens for a single stream).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

Role = Literal["viewer", "host", "recruiter", "reviewer", "admin"]
ROLES: Final[tuple[Role, ...]] = ("viewer", "host", "recruiter", "reviewer", "admin")
STAFF_ROLES: Final = frozenset({"admin", "reviewer"})


@dataclass(frozen=True, slots=True)
class Principal:
    """The claims of a verified credential, or :data:`ANONYMOUS`."""

    user_id: str
    role: Role
    room: str | None = None
    org: str | None = None
    name: str | None = None
    anonymous: bool = False
    session: str | None = None  # the server-side session behind the credential (revocable)

    @property
    def is_platform_staff(self) -> bool:
        """A platform admin or reviewer: staff roles without an organisation."""
        return self.role in STAFF_ROLES and self.org is None and self.room is None

    @property
    def is_platform_admin(self) -> bool:
        return self.role == "admin" and self.org is None and self.room is None

    def may_act_in_room(self, room: str) -> bool:
        """A token scoped to a room is valid only there; an unscoped one everywhere."""
        return self.room is None or self.room == room

    def may_act_for_org(self, org: str) -> bool:
        return self.is_platform_admin or (self.org == org and not self.anonymous)


ANONYMOUS: Final = Principal(user_id="anonymous", role="viewer", anonymous=True)
