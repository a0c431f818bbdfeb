"""Who may read which jobs' resumes inside an organisation (standard 5.1.2, 4.4.1 b).

The relation comes from the member tree (``members.reports_to``):

* an org admin (and a platform admin) reads every application of the org;
* a recruiter or host reads the applications of jobs posted by themselves or by anyone who
  reports to them, directly or through others, and every application assigned to them;
* jobs posted by someone who is not a member of the org (the platform, a seed, a member who
  left) are shared by all its recruiters, so no resume is orphaned.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, false, or_, select, true

from identity.principal import Principal
from store.engine import Store
from store.recruiting_tables import applications, jobs
from store.schema import members


@dataclass(frozen=True, slots=True)
class Visibility:
    """What one caller may read; ``everything`` for admins."""

    user: str
    everything: bool
    owners: frozenset[str]  # the caller and everyone below them
    members: frozenset[str]  # every member of the org

    def allows(self, job_owner: str | None, assigned_to: str | None) -> bool:
        if self.everything or assigned_to == self.user:
            return True
        return job_owner is None or job_owner in self.owners or job_owner not in self.members

    def allows_event(self, event: Mapping[str, Any]) -> bool:
        return self.allows(event.get("job_owner"), event.get("assigned_to"))

    def clause(self) -> ColumnElement[bool]:
        """The same rule as a WHERE clause over ``applications`` joined with ``jobs``."""
        if self.everything:
            return true()
        return or_(
            applications.c.assigned_to == self.user,
            jobs.c.created_by.in_(self.owners) if self.owners else false(),
            jobs.c.created_by.not_in(self.members) if self.members else true(),
        )


def subordinates(tree: Mapping[str, str | None], user: str) -> frozenset[str]:
    """``user`` and everyone who reports to them, directly or not (cycles are harmless)."""
    found = {user}
    changed = True
    while changed:
        changed = False
        for member, boss in tree.items():
            if boss in found and member not in found:
                found.add(member)
                changed = True
    return frozenset(found)


async def visibility_of(store: Store, org_id: str, principal: Principal) -> Visibility:
    if principal.role == "admin":
        return Visibility(principal.user_id, True, frozenset(), frozenset())
    async with store.engine.connect() as connection:
        rows = await connection.execute(
            select(members.c.user_id, members.c.reports_to).where(members.c.org_id == org_id)
        )
        tree = {row.user_id: row.reports_to for row in rows}
    return Visibility(principal.user_id, False, subordinates(tree, principal.user_id), frozenset(tree))
