"""Corrective actions in the store (standard 6.2): each step and its ledger entry commit together.

The ledger keeps the facts of a step (organisation, source, follow-up date, status, a pseudonym of the staff
member, the sha256 of the texts), not the texts: a problem may name a person.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from sqlalchemy import func, select, update

from common.clock import Clock, now_ms
from common.errors import Conflict, Invalid, NotFound
from governance.evaluation import (
    ACTION_STATUSES,
    ActionFiling,
    action_overdue,
    month_window,
    next_action_status,
    parse_outcome,
)
from governance.ledger import iso, pseudonym
from governance.ledger_sql import StoreLedger
from store.engine import Store
from store.evaluation_tables import corrective_actions

MAX_LIST = 200


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def action_json(row: Any, now: int) -> dict[str, Any]:
    return {"id": row.id, "org_id": row.org_id, "host": row.host, "source": row.source, "problem": row.problem,
            "action": row.action, "owner": row.owner, "follow_up": iso(row.follow_up_at), "status": row.status,
            "outcome": row.outcome, "overdue": action_overdue(row.status, row.follow_up_at, now),
            "created_by": row.created_by, "created_at": iso(row.created_at),
            "done_at": None if row.done_at is None else iso(row.done_at),
            "verified_at": None if row.verified_at is None else iso(row.verified_at)}


class CorrectiveActions:
    def __init__(self, store: Store, ledger: StoreLedger, *, pseudonym_key: bytes, clock: Clock | None = None) -> None:
        self._store = store
        self._ledger = ledger
        self._key = pseudonym_key
        self._clock = clock

    def now(self) -> int:
        return now_ms(self._clock)

    async def open(self, filing: ActionFiling, actor: str) -> dict[str, Any]:
        action_id = "ca-" + secrets.token_hex(6)
        now = self.now()
        values = {"id": action_id, "org_id": filing.org_id, "host": filing.host, "source": filing.source,
                  "problem": filing.problem, "action": filing.action, "owner": filing.owner,
                  "follow_up_at": filing.follow_up_at, "status": "open", "created_by": actor, "created_at": now,
                  "updated_at": now}
        async with self._store.engine.begin() as connection:
            await connection.execute(corrective_actions.insert().values(**values))
            await self._ledger.append_with(connection, "corrective_action.opened", f"action:{action_id}", {
                "org": filing.org_id, "source": filing.source, "follow_up": filing.follow_up_at,
                "by": pseudonym(self._key, "user", actor), "problem_sha256": _sha(filing.problem),
                "action_sha256": _sha(filing.action)})
            row = (await connection.execute(select(corrective_actions).where(
                corrective_actions.c.id == action_id))).one()
        return action_json(row, now)

    async def step(self, action_id: str, step: str, actor: str, outcome: object = None) -> dict[str, Any]:
        """``done`` (with the outcome), ``verify`` or ``reopen``; two staff at once: one step wins."""
        now = self.now()
        async with self._store.engine.begin() as connection:
            row = (await connection.execute(select(corrective_actions).where(
                corrective_actions.c.id == action_id))).first()
            if row is None:
                raise NotFound("action_not_found", "整改措施不存在")
            status = next_action_status(step, row.status)
            values: dict[str, Any] = {"status": status, "updated_at": now}
            facts: dict[str, Any] = {"from": row.status, "to": status, "by": pseudonym(self._key, "user", actor),
                                     "overdue": action_overdue(row.status, row.follow_up_at, now)}
            if step == "done":
                text = parse_outcome(outcome)
                values.update(outcome=text, done_at=now)
                facts["outcome_sha256"] = _sha(text)
            elif step == "verify":
                values["verified_at"] = now
            else:
                values.update(done_at=None, verified_at=None)
            moved = await connection.execute(update(corrective_actions).where(
                corrective_actions.c.id == action_id, corrective_actions.c.status == row.status).values(**values))
            if moved.rowcount != 1:
                raise Conflict("action_changed", "整改措施刚被他人更新，请刷新后再试")
            await self._ledger.append_with(connection, f"corrective_action.{step}", f"action:{action_id}", facts)
            row = (await connection.execute(select(corrective_actions).where(
                corrective_actions.c.id == action_id))).one()
        return action_json(row, now)

    async def list(self, *, status: str | None = None, overdue: bool | None = None, org_id: str | None = None,
                   limit: int = 100) -> list[dict[str, Any]]:
        """Earliest follow-up first."""
        if status is not None and status not in ACTION_STATUSES:
            raise Invalid("invalid_status", f"状态须为 {', '.join(ACTION_STATUSES)} 之一")
        now = self.now()
        query = select(corrective_actions).order_by(corrective_actions.c.follow_up_at, corrective_actions.c.id)
        if status is not None:
            query = query.where(corrective_actions.c.status == status)
        if org_id is not None:
            query = query.where(corrective_actions.c.org_id == org_id)
        if overdue is True:
            query = query.where(corrective_actions.c.status == "open", corrective_actions.c.follow_up_at < now)
        elif overdue is False:
            query = query.where((corrective_actions.c.status != "open") | (corrective_actions.c.follow_up_at >= now))
        async with self._store.engine.connect() as connection:
            rows = (await connection.execute(query.limit(max(1, min(limit, MAX_LIST))))).all()
        return [action_json(row, now) for row in rows]

    async def month_counts(self, month: str) -> dict[str, int]:
        """Opened, done and verified in the month; open and overdue now (the monthly report)."""
        start, end = month_window(month)
        now = self.now()
        table = corrective_actions
        async with self._store.engine.connect() as connection:
            async def count(*where: Any) -> int:
                return int((await connection.execute(select(func.count()).select_from(table).where(*where)))
                           .scalar() or 0)
            return {
                "opened": await count(table.c.created_at >= start, table.c.created_at < end),
                "done": await count(table.c.done_at >= start, table.c.done_at < end),
                "verified": await count(table.c.verified_at >= start, table.c.verified_at < end),
                "open": await count(table.c.status == "open"),
                "overdue": await count(table.c.status == "open", table.c.follow_up_at < now),
            }
