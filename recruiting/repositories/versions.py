"""Published versions of jobs (standard 5.1.3 c; 人力资源市场暂行条例 §26): every version that went live is
kept with its full content, when it was published and which reviewer approved it (None: the filter passed it
without a review)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from recruiting.domain.review import content_json
from store.engine import Store
from store.recruiting_tables import job_versions, jobs


async def publish_version(connection: AsyncConnection, job_id: str, current: int, values: Mapping[str, Any],
                          now: int, *, approved_by: str | None) -> int:
    """Stores ``values``' content as version ``current + 1`` of the job (inside the caller's transaction) and
    makes it the job's live version; returns its number. The primary key (job, version) makes two concurrent
    publications of the same version fail rather than overwrite each other."""
    version = current + 1
    await connection.execute(job_versions.insert().values(
        job_id=job_id, version=version, content=content_json(values), published_at=now, approved_by=approved_by))
    await connection.execute(update(jobs).where(jobs.c.id == job_id).values(version=version))
    return version


async def reviewed_mandates(store: Store, job_id: str) -> set[str]:
    """The mandate documents (sha256) of the job's versions a reviewer approved."""
    async with store.engine.connect() as connection:
        rows = await connection.execute(select(job_versions.c.content).where(
            job_versions.c.job_id == job_id, job_versions.c.approved_by.is_not(None)))
        return {str(sha) for row in rows if (sha := json.loads(row.content).get("mandate_sha256"))}


async def versions_of(store: Store, job_id: str) -> list[dict[str, Any]]:
    """Every published version of a job, oldest first."""
    async with store.engine.connect() as connection:
        rows = await connection.execute(select(job_versions).where(job_versions.c.job_id == job_id)
                                        .order_by(job_versions.c.version))
        return [{"job_id": row.job_id, "version": row.version, "content": json.loads(row.content),
                 "published_at": row.published_at, "approved_by": row.approved_by} for row in rows]
