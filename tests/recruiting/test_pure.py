"""Pure parts: qualification rules (5.1.1), job validation (条例 §24), pipeline (5.1.4), AXB (5.1.5), group commit."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Sequence

import pytest

from common.errors import LivehireError
from recruiting.domain.rules import (
    TRANSITIONS,
    check_kind_allowed,
    check_transition,
    mask_phone,
    parse_job,
    parse_profile,
)
from recruiting.numbers.port import NumberError
from recruiting.numbers.simulated import SimulatedNumberProvider
from recruiting.usecases.committer import CommitterClosed, GroupCommitter
from tests.recruiting.conftest import job_body


@pytest.mark.parametrize(
    ("kind", "licence"),
    [("own", "business_licence"), ("agency", "hr_service_licence"), ("dispatch", "labour_dispatch_licence")],
)
@pytest.mark.clause("5.1.1")
def test_each_job_kind_needs_its_licence(kind: str, licence: str) -> None:
    check_kind_allowed(kind, {licence})
    others = {"business_licence", "hr_service_licence", "labour_dispatch_licence"} - {licence}
    with pytest.raises(LivehireError) as refused:
        check_kind_allowed(kind, others)
    assert refused.value.kind == "forbidden" and refused.value.details["required_licence"] == licence


@pytest.mark.clause("5.1.3 c")
def test_job_needs_base_pay_validity_and_headcount() -> None:
    now = int(time.time() * 1000)
    assert parse_job(job_body(), now_ms=now).salary_min == 6000
    for missing in ("salary_min", "headcount", "location", "title"):
        body = job_body()
        del body[missing]
        with pytest.raises(LivehireError):
            parse_job(body, now_ms=now)
    with pytest.raises(LivehireError):
        parse_job(job_body(salary_min=9000, salary_max=8000), now_ms=now)
    # a validity is always there: an omitted end is the deployment's default after the start (job_validity_days)
    body = job_body()
    del body["valid_until"], body["valid_from"]
    draft = parse_job(body, now_ms=now, validity_days=30)
    assert (draft.valid_from, draft.valid_until) == (now, now + 30 * 24 * 3600 * 1000)
    with pytest.raises(LivehireError):
        parse_job(job_body(valid_from=now, valid_until=now), now_ms=now)


@pytest.mark.clause("5.1.4")
def test_pipeline_moves_forward_and_ends() -> None:
    path = ["new", "viewed", "contacted", "interview", "offer", "hired"]
    for current, target in itertools.pairwise(path):
        check_transition(current, target)
    for status in ("new", "viewed", "contacted", "interview", "offer"):
        check_transition(status, "rejected")
    assert TRANSITIONS["hired"] == TRANSITIONS["rejected"] == frozenset()
    with pytest.raises(LivehireError):
        check_transition("new", "hired")
    with pytest.raises(LivehireError):
        check_transition("rejected", "viewed")


@pytest.mark.clause("4.4.1 c")
def test_profile_validation_and_masking() -> None:
    profile = parse_profile({"name": "张三", "phone": "138 0013 8000", "resume": "r", "consent_to_share": True})
    assert profile.consent_to_share is True
    with pytest.raises(LivehireError):
        parse_profile({"name": "张三", "phone": "abc", "resume": "r"})
    with pytest.raises(LivehireError):
        parse_profile({"name": "张三", "phone": "13800138000", "resume": "r", "consent_to_share": "yes"})
    assert mask_phone("13800138000") == "138****00"


@pytest.mark.clause("5.1.5")
async def test_axb_binding_rules() -> None:
    provider = SimulatedNumberProvider(pool=["X1", "X2"])
    ab = await provider.bind("A", "B", ttl_seconds=60)
    assert await provider.bind("A", "B", ttl_seconds=60) == ab
    ac = await provider.bind("A", "C", ttl_seconds=60)
    assert ac.x != ab.x, "for one X, A may be in one binding only (routing must be unambiguous)"
    with pytest.raises(NumberError):
        await provider.bind("A", "D", ttl_seconds=60)
    await provider.unbind(ab.binding_id)
    assert (await provider.bind("A", "D", ttl_seconds=60)).x == ab.x
    record = await provider.call(ac, "A")
    assert record.answered_at is not None and record.release_cause == "normal_clearing"
    with pytest.raises(NumberError):
        await provider.call(ac, "stranger")
    expired = await provider.bind("E", "F", ttl_seconds=0)
    assert (await provider.call(expired, "E")).release_cause == "binding_expired"


async def test_group_commit_batches_what_arrives_during_a_flush() -> None:
    batches: list[list[int]] = []
    gate = asyncio.Event()

    async def flush(items: Sequence[int]) -> list[int]:
        batches.append(list(items))
        if len(batches) == 1:
            await gate.wait()
        return [i * 10 for i in items]

    committer: GroupCommitter[int, int] = GroupCommitter(flush)
    first = asyncio.create_task(committer.submit(1))
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    assert batches == [[1]], "a lone item is flushed at once"
    rest = [asyncio.create_task(committer.submit(i)) for i in range(2, 7)]
    await asyncio.sleep(0)
    gate.set()
    assert await first == 10
    assert [await t for t in rest] == [20, 30, 40, 50, 60]
    assert batches == [[1], [2, 3, 4, 5, 6]]
    await committer.close()
    with pytest.raises(CommitterClosed):
        await committer.submit(7)


async def test_a_failed_flush_fails_its_callers_only() -> None:
    calls = 0

    async def flush(items: Sequence[int]) -> list[int]:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise OSError("disk full")
        return list(items)

    committer: GroupCommitter[int, int] = GroupCommitter(flush, max_batch=1)
    with pytest.raises(OSError):
        await committer.submit(1)
    assert await committer.submit(2) == 2
    await committer.close()
