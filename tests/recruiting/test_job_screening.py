"""Job texts pass the chat filter (standard 5.1.3 c, 4.4.1 d; 人力资源市场暂行条例 §24, 就业促进法 §26-31, §41)."""

from __future__ import annotations

import pytest

from common.errors import LivehireError
from moderation.engine import Moderator
from recruiting.repositories.jobs import JobRepository
from store.engine import Store
from tests.recruiting.conftest import job_body, make_org

pytestmark = pytest.mark.clause("5.1.3 c", "4.4.1 d", "4.4.2")


async def test_clean_job_is_published(store: Store) -> None:
    await make_org(store)
    jobs = JobRepository(store, Moderator())
    job = await jobs.create("acme", job_body(requirements="不限性别，能上夜班，包住宿"), created_by="r1")
    assert job["status"] == "published"


@pytest.mark.parametrize(
    ("field", "text", "category"),
    [
        ("requirements", "入职前交300元服装费", "fee"),
        ("requirements", "限男性，女性勿扰", "discrimination"),
        ("benefits", "详情加微信 wx123456 咨询", "diversion"),
    ],
)
async def test_forbidden_job_text_is_refused_and_nothing_is_stored(
    store: Store, field: str, text: str, category: str
) -> None:
    await make_org(store)
    jobs = JobRepository(store, Moderator())
    with pytest.raises(LivehireError) as refused:
        await jobs.create("acme", job_body(**{field: text}), created_by="r1")
    assert refused.value.kind == "invalid" and refused.value.code == "job_text_refused"
    assert category in refused.value.details["categories"]
    assert await jobs.of_org("acme") == []


async def test_editing_a_published_job_into_forbidden_text_is_refused(store: Store) -> None:
    await make_org(store)
    jobs = JobRepository(store, Moderator())
    job = await jobs.create("acme", job_body(), created_by="r1")
    with pytest.raises(LivehireError):
        await jobs.update(job["id"], {"requirements": "乙肝患者勿扰"})
    assert (await jobs.get(job["id"]))["requirements"] == "能上夜班"
