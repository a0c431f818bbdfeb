"""Moderation terms added at run time by organisations and reviewers (standard 4.4.1 d, 5.1.3 d).

The shipped lexicons live in ``moderation/lexicons``; terms added through the
API are kept here so they survive restarts and reach every node: each node
reads rows newer than the last id it has seen and adds them to its engine.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import BigInteger, Column, Integer, String, Table, UniqueConstraint, select
from sqlalchemy.exc import IntegrityError

from common.clock import now_ms
from store.engine import Store
from store.schema import metadata

GLOBAL = ""  # org_id of platform-wide terms (NULL would not be unique on PostgreSQL)

moderation_terms = Table(
    "moderation_terms",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("org_id", String(64), nullable=False),
    Column("category", String(32), nullable=False),
    Column("term", String(100), nullable=False),
    Column("added_by", String(64), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    UniqueConstraint("org_id", "category", "term", name="uq_moderation_terms_org_id"),
)


@dataclass(frozen=True, slots=True)
class Term:
    id: int
    org: str | None
    category: str
    term: str
    added_by: str
    created_at: int

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "org": self.org, "category": self.category, "term": self.term,
                "added_by": self.added_by, "created_at": self.created_at}


class TermRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    async def add(self, org: str | None, category: str, terms: list[str], added_by: str) -> int:
        """Stores the terms (duplicates ignored); returns how many were new."""
        added = 0
        for term in terms:
            try:
                async with self._store.engine.begin() as connection:
                    await connection.execute(
                        moderation_terms.insert().values(
                            org_id=org or GLOBAL, category=category, term=term, added_by=added_by,
                            created_at=now_ms(),
                        )
                    )
                added += 1
            except IntegrityError:
                continue
        return added

    async def since(self, last_id: int, *, org: str | None = None, limit: int = 5000) -> list[Term]:
        query = select(moderation_terms).where(moderation_terms.c.id > last_id)
        if org is not None:
            query = query.where(moderation_terms.c.org_id == org)
        async with self._store.engine.connect() as connection:
            rows = await connection.execute(query.order_by(moderation_terms.c.id).limit(limit))
            return [
                Term(id=row.id, org=row.org_id or None, category=row.category, term=row.term,
                     added_by=row.added_by, created_at=row.created_at)
                for row in rows
            ]
