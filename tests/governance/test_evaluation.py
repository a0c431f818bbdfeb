"""Evaluation and improvement (standard 6.1, 6.2): ratings, quality figures, corrective actions.

Rules without I/O first; then the repositories on SQLite and PostgreSQL with a ManualClock and rows written
as the recruiting and chat layers write them (sessions, viewers' digests, applications and their log).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import select

from common.clock import ManualClock
from common.errors import Conflict, Forbidden, Invalid, Malformed, NotFound
from governance.actions_sql import CorrectiveActions
from governance.complaints import CHINA, parse_filing
from governance.complaints_sql import ComplaintRepository
from governance.evaluation import (
    month_of,
    month_window,
    next_action_status,
    parse_action_filing,
    parse_month,
    parse_rating,
    previous_month,
    rating_open,
)
from governance.evaluation_sql import RatingBook
from governance.ledger import pseudonym_key
from governance.ledger_sql import StoreLedger
from governance.quality import (
    ApplicationFact,
    ComplaintFact,
    MonthFacts,
    RatingFact,
    SessionFact,
    attention,
    monthly_report,
    quality,
)
from store.engine import Store, open_store
from store.evaluation_tables import ratings
from store.governance_tables import ledger_entries
from store.recruiting_tables import application_log, applications, jobs, live_sessions
from store.schema import organisations, rooms
from store.sealing import ContactCipher
from store.stats_tables import session_viewers, viewer_key

pytestmark = pytest.mark.clause("6.1")

HOUR_MS = 3600 * 1000
DAY_MS = 24 * HOUR_MS


def _ms(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=CHINA).timestamp() * 1000)


# ---- rules without I/O ---------------------------------------------------------------------------


def test_ratings_are_checked() -> None:
    assert parse_rating({"score": 5}).comment is None
    assert parse_rating({"score": 1, "comment": "  讲解很清楚  "}).comment == "讲解很清楚"
    assert parse_rating({"score": 3, "comment": "   "}).comment is None
    for bad in ({"score": 0}, {"score": 6}, {"score": 4.5}, {"score": "5"}, {"score": True}):
        with pytest.raises(Invalid):
            parse_rating(bad)
    with pytest.raises(Malformed):
        parse_rating({})
    with pytest.raises(Invalid):
        parse_rating({"score": 4, "comment": "好" * 301})
    with pytest.raises(Invalid):
        parse_rating({"score": 4, "comment": "好\x00"})


def test_a_session_is_rated_from_its_start_until_a_week_after_its_end() -> None:
    with pytest.raises(Conflict):
        rating_open("planned", None, None, 10)
    rating_open("live", 5, None, 10)
    rating_open("ended", 5, 100, 100 + 7 * DAY_MS)
    with pytest.raises(Conflict) as closed:
        rating_open("ended", 5, 100, 101 + 7 * DAY_MS)
    assert closed.value.code == "rating_closed"


def test_months_are_china_calendar_months() -> None:
    start, end = month_window("2026-12")
    assert (start, end) == (_ms("2026-12-01T00:00:00"), _ms("2027-01-01T00:00:00"))
    assert previous_month("2027-01") == "2026-12" and previous_month("2026-03") == "2026-02"
    assert month_of(_ms("2026-11-30T23:59:59")) == "2026-11" and month_of(_ms("2026-12-01T00:00:00")) == "2026-12"
    for bad in ("2026-13", "2026-1", "26-12", "2026-12-01", ""):
        with pytest.raises(Invalid):
            parse_month(bad)


@pytest.mark.clause("6.2")
def test_corrective_actions_are_checked_and_move_by_their_table() -> None:
    now = _ms("2026-12-05T10:00:00")
    filing = parse_action_filing({"problem": "投诉率偏高", "action": "主播培训", "owner": "运营部张三",
                                  "follow_up": "2026-12-05", "org_id": "acme", "source": "evaluation:2026-11"}, now)
    assert filing.follow_up_at == _ms("2026-12-06T00:00:00") - 1 and filing.host is None
    good = {"problem": "投诉率偏高", "action": "主播培训", "owner": "张三", "follow_up": "2026-12-31"}
    for change, code in (({"follow_up": "2026-12-04"}, "follow_up_in_past"), ({"follow_up": "2026-02-30"}, "invalid_follow_up"),
                         ({"source": "rumour"}, "invalid_source"), ({"org_id": "a b"}, "invalid_org_id"),
                         ({"owner": ""}, "invalid_owner")):
        with pytest.raises(Invalid) as refused:
            parse_action_filing({**good, **change}, now)
        assert refused.value.code == code
    with pytest.raises(Malformed):
        parse_action_filing({**good, "follow_up": None}, now)
    assert next_action_status("done", "open") == "done" and next_action_status("verify", "done") == "verified"
    assert next_action_status("reopen", "verified") == "open"
    with pytest.raises(Conflict):
        next_action_status("verify", "open")
    with pytest.raises(Invalid):
        next_action_status("delete", "open")


def _session(sid: str, room: str, org: str, host: str, started: int, viewers: int = 100, messages: int = 95,
             blocked: int = 5, in_month: bool = True) -> SessionFact:
    return SessionFact(sid, room, org, host, started, viewers, messages, blocked, in_month)


def test_figures_attribute_complaints_and_applications_to_the_host_of_the_room_at_the_time() -> None:
    day = _ms("2026-12-02T10:00:00")
    facts = MonthFacts(
        "2026-12",
        (_session("s0", "r1", "acme", "zhao", day - 10 * DAY_MS, in_month=False),
         _session("s1", "r1", "acme", "li", day), _session("s2", "r1", "acme", "wang", day + DAY_MS, 300, 270, 30),
         _session("s3", "r2", "beta", "sun", day, 0, 0, 0)),
        (ComplaintFact(day - HOUR_MS, "room", "r1", "acme", day, day),  # before s1: s0's host (zhao)
         ComplaintFact(day + HOUR_MS, "message", "r1", "acme", day, None),  # li
         ComplaintFact(day + DAY_MS + 1, "room", "r1", "acme", day, None),  # wang
         ComplaintFact(day, "job", None, "acme", day, None), ComplaintFact(day, "other", None, None, day, None)),
        (ApplicationFact("acme", "r1", day + 10, day + 10 + 60_000), ApplicationFact("acme", "r1", day + 20, None),
         ApplicationFact("acme", "r1", day + 30, day + 30 + 3 * 60_000), ApplicationFact("beta", None, day, day + 1000)),
        (RatingFact("acme", "li", 5), RatingFact("acme", "li", 4), RatingFact("acme", "wang", 2)),
        org_names={"acme": "Acme 人力"})
    figures = quality(facts)
    orgs = {row["org"]: row for row in figures["orgs"]}
    hosts = {row["host"]: row for row in figures["hosts"]}
    acme = orgs["acme"]
    assert (acme["name"], acme["sessions"], acme["viewers"], acme["complaints"]) == ("Acme 人力", 2, 400, 4)
    assert acme["blocked_rate"] == round(35 / 400, 4) and acme["complaints_per_1000_viewers"] == 10.0
    assert (acme["applications"], acme["unanswered"], acme["first_response_median_s"]) == (3, 1, 60.0)
    assert acme["first_response_p90_s"] == 180.0 and acme["satisfaction"] == 3.67 and acme["ratings"] == 3
    assert acme["attention"] == ["blocked_rate"]
    assert hosts["li"]["complaints"] == 1 and hosts["wang"]["complaints"] == 1 and hosts["li"]["applications"] == 3
    # s0 started in the week before the month: a complaint about it in the month is its host's, with no session
    assert (hosts["zhao"]["sessions"], hosts["zhao"]["complaints"], hosts["zhao"]["org"]) == (0, 1, "acme")
    assert hosts["li"]["satisfaction"] == 4.5 and hosts["wang"]["attention"] == ["blocked_rate", "satisfaction"]
    beta = orgs["beta"]
    assert beta["blocked_rate"] is None and beta["complaints_per_1000_viewers"] is None and beta["satisfaction"] is None
    assert figures["platform"]["complaints"] == 5 and figures["platform"]["sessions"] == 3
    assert attention({"first_response_median_s": 3 * 24 * 3600.0}) == ["first_response_median_s"]


@pytest.mark.clause("6.2")
def test_the_monthly_report_compares_with_the_month_before() -> None:
    now = _ms("2026-12-20T10:00:00")
    day = _ms("2026-12-02T10:00:00")
    december = MonthFacts("2026-12", (_session("s1", "r1", "acme", "li", day, 1000, 990, 10),),
                          (ComplaintFact(day, "room", "r1", "acme", day + DAY_MS, day + 2 * DAY_MS),
                           ComplaintFact(day, "room", "r1", "acme", day + DAY_MS, day + HOUR_MS),
                           ComplaintFact(day, "job", None, "acme", day + DAY_MS, None)),
                          (), (RatingFact("acme", "li", 4),), platform_ratings=(4, 5))
    november = MonthFacts("2026-11", (_session("s0", "r1", "acme", "li", day - 20 * DAY_MS, 1000, 900, 100),),
                          (), (), (RatingFact("acme", "li", 3),))
    report = monthly_report(december, november, {"opened": 1, "done": 0, "verified": 0, "open": 1, "overdue": 0}, now)
    assert report["previous_month"] == "2026-11" and report["previous"]["blocked_rate"] == 0.1
    assert report["trend"]["blocked_rate"] == -0.09 and report["trend"]["satisfaction"] == 1.0
    assert report["complaint_handling"] == {"filed": 3, "answered_in_time": 1, "answered_late": 1, "open": 1,
                                            "open_overdue": 1}
    assert report["platform_rating"] == {"ratings": 2, "mean": 4.5}
    assert report["attention"] == [] and report["corrective_actions"]["opened"] == 1


# ---- the repositories ----------------------------------------------------------------------------


async def _world(store: Store, now: int) -> None:
    """acme with one job, a session of room r1 live since an hour ago (host li), its viewer v1 and the
    candidate c1 (applied during it; answered by a recruiter 90 s later)."""
    async with store.engine.begin() as connection:
        await connection.execute(organisations.insert().values(id="acme", name="Acme 人力", created_at=now))
        await connection.execute(rooms.insert().values(slug="r1", title="仓储", org_id="acme", stream_key_hash="0" * 64,
                                                       created_at=now))
        await connection.execute(jobs.insert().values(
            id="j1", org_id="acme", title="仓库管理员", employer="Acme", kind="fulltime", location="北京",
            salary_min=5000, salary_max=8000, headcount=3, valid_from=0, valid_until=now + 30 * DAY_MS,
            created_by="r", created_at=now, updated_at=now))
        await connection.execute(live_sessions.insert().values(
            id="s1", room="r1", org_id="acme", title="仓储专场", host_user="li", starts_at=now - HOUR_MS,
            state="live", started_at=now - HOUR_MS, total_viewers=50, chat_messages=190, blocked_messages=10,
            created_at=now - 2 * HOUR_MS))
        await connection.execute(session_viewers.insert().values(session_id="s1", viewer=viewer_key("s1", "v1"),
                                                                 joined_at=now - HOUR_MS))
        await connection.execute(applications.insert().values(id="a1", user_id="c1", job_id="j1", org_id="acme",
                                                              room="r1", created_at=now - 10 * 60_000,
                                                              updated_at=now))
        await connection.execute(application_log.insert().values(application_id="a1", actor="recruiter-1",
                                                                 kind="status", detail="viewed",
                                                                 created_at=now - 10 * 60_000 + 90_000))


def _screen(text: str) -> tuple[str, str]:
    if "押金" in text:
        raise Invalid("comment_not_allowed", "评价内容包含不允许的内容")
    return text, "held" if "微信" in text else "shown"


async def test_viewers_and_candidates_rate_a_session_once_each(store_url: str) -> None:
    now = _ms("2026-12-05T20:00:00")
    clock = ManualClock(now / 1000)
    store = await open_store(store_url)
    try:
        await _world(store, now)
        ledger = StoreLedger(store, clock=clock)
        book = RatingBook(store, ledger, _screen, pseudonym_key=pseudonym_key("s" * 40), clock=clock)
        from governance.evaluation import Rating

        viewer = await book.rate_session("s1", "v1", Rating(2, "声音太小"))
        assert (viewer["role"], viewer["score"], viewer["comment_state"]) == ("viewer", 2, "shown")
        again = await book.rate_session("s1", "v1", Rating(4, None))  # replaces
        assert again["id"] == viewer["id"] and again["score"] == 4 and again["comment"] is None
        candidate = await book.rate_session("s1", "c1", Rating(5, "加我微信聊"))
        assert candidate["role"] == "candidate" and candidate["comment_state"] == "held"
        with pytest.raises(Forbidden):
            await book.rate_session("s1", "stranger", Rating(1, None))
        with pytest.raises(NotFound):
            await book.rate_session("s-none", "v1", Rating(1, None))
        with pytest.raises(Invalid):
            await book.rate_session("s1", "v1", Rating(1, "先交押金"))
        assert (await book.rate_session("s1", "v1", Rating(4, None)))["score"] == 4  # the refusal changed nothing
        shown_to_org = await book.of_org("acme")
        assert shown_to_org["sessions"] == [{"session_id": "s1", "title": "仓储专场", "started_at": now - HOUR_MS,
                                             "ratings": 2, "mean": 4.5}]
        assert shown_to_org["comments"] == []  # the held one waits for a reviewer
        held = await book.held()
        assert [h["comment"] for h in held] == ["加我微信聊"]
        await book.settle(held[0]["id"], "remove", "rev-1")
        with pytest.raises(NotFound):
            await book.settle(held[0]["id"], "show", "rev-1")
        platform = await book.rate_platform("acme", "admin-1", Rating(3, "审核太慢"))
        assert (platform["target_id"], platform["role"]) == ("2026-12", "org")

        facts = await book.month_facts("2026-12")
        figures = quality(facts)
        acme = figures["orgs"][0]
        assert (acme["sessions"], acme["viewers"], acme["blocked_rate"], acme["applications"]) == (1, 50, 0.05, 1)
        assert acme["first_response_median_s"] == 90.0 and acme["satisfaction"] == 4.5 and acme["ratings"] == 2
        assert facts.platform_ratings == (3,)

        async with store.engine.connect() as connection:
            raters = (await connection.execute(select(ratings.c.rater))).scalars().all()
            bodies = [r.body for r in await connection.execute(select(ledger_entries).order_by(ledger_entries.c.seq))]
        assert not {"v1", "c1", "acme"} & set(raters)  # pseudonyms, not ids
        assert not any("声音" in b or "微信" in b or "审核太慢" in b for b in bodies)  # no comment in the ledger
        assert [json.loads(b).get("role") for b in bodies[:3]] == ["viewer", "viewer", "candidate"]
        assert (await ledger.verify()).ok

        clock.advance(HOUR_MS / 1000)
        async with store.engine.begin() as connection:
            await connection.execute(live_sessions.update().values(state="ended", ended_at=int(clock.now() * 1000)))
        clock.advance(7 * DAY_MS / 1000 + 1)
        with pytest.raises(Conflict):
            await book.rate_session("s1", "v1", Rating(5, None))
    finally:
        await store.close()


@pytest.mark.clause("6.2")
async def test_corrective_actions_go_overdue_and_are_verified(store_url: str) -> None:
    now = _ms("2026-12-05T10:00:00")
    clock = ManualClock(now / 1000)
    store = await open_store(store_url)
    try:
        ledger = StoreLedger(store, clock=clock)
        actions = CorrectiveActions(store, ledger, pseudonym_key=pseudonym_key("s" * 40), clock=clock)
        opened = await actions.open(parse_action_filing({
            "problem": "acme 本月千人投诉数 12", "action": "约谈机构并培训主播", "owner": "运营部张三",
            "follow_up": "2026-12-07", "org_id": "acme", "source": "evaluation:2026-11"}, now), "rev-1")
        assert opened["status"] == "open" and not opened["overdue"]
        assert await actions.list(overdue=True) == []
        clock.advance(3 * DAY_MS / 1000)
        assert [a["id"] for a in await actions.list(overdue=True)] == [opened["id"]]
        with pytest.raises(Malformed):
            await actions.step(opened["id"], "done", "rev-1")  # the outcome is required
        done = await actions.step(opened["id"], "done", "rev-1", "已约谈，主播完成培训")
        assert done["status"] == "done" and done["outcome"] == "已约谈，主播完成培训" and not done["overdue"]
        with pytest.raises(Conflict):
            await actions.step(opened["id"], "done", "rev-2", "重复")
        verified = await actions.step(opened["id"], "verify", "rev-2")
        assert verified["status"] == "verified" and verified["verified_at"] is not None
        reopened = await actions.step(opened["id"], "reopen", "rev-2")
        assert reopened["status"] == "open" and reopened["done_at"] is None
        with pytest.raises(NotFound):
            await actions.step("ca-none", "verify", "rev-1")
        assert [a["id"] for a in await actions.list(org_id="acme", status="open")] == [opened["id"]]
        with pytest.raises(Invalid):
            await actions.list(status="lost")
        counts = await actions.month_counts("2026-12")
        assert counts == {"opened": 1, "done": 0, "verified": 0, "open": 1, "overdue": 1}
        kinds = [e.kind async for e in ledger.export(0, 2**62)]
        assert kinds == ["corrective_action.opened", "corrective_action.done", "corrective_action.verify",
                         "corrective_action.reopen"]
        async with store.engine.connect() as connection:
            bodies = [r.body for r in await connection.execute(select(ledger_entries))]
        assert not any("张三" in b or "约谈" in b or "rev-1" in b for b in bodies)
        assert (await ledger.verify()).ok
    finally:
        await store.close()


async def test_complaints_of_the_month_reach_the_figures(store_url: str) -> None:
    now = _ms("2026-12-05T20:00:00")
    clock = ManualClock(now / 1000)
    store = await open_store(store_url)
    try:
        await _world(store, now)
        ledger = StoreLedger(store, clock=clock)
        complaints = ComplaintRepository(store, ledger, ContactCipher(b"k" * 32), pseudonym_key=b"k" * 32, clock=clock)
        await complaints.file(parse_filing({"target_type": "room", "target_id": "r1", "text": "主播要求加微信"}),
                              "主播要求加微信", None)
        await complaints.file(parse_filing({"target_type": "message", "target_id": "r1/m-1", "text": "消息里收押金"}),
                              "消息里收押金", None)
        book = RatingBook(store, ledger, _screen, pseudonym_key=b"k" * 32, clock=clock)
        figures: dict[str, Any] = quality(await book.month_facts("2026-12"))
        assert figures["orgs"][0]["complaints"] == 2 and figures["hosts"][0]["complaints"] == 2
        assert figures["orgs"][0]["complaints_per_1000_viewers"] == 40.0
        assert figures["orgs"][0]["attention"] == ["complaints_per_1000_viewers"]
        assert quality(await book.month_facts("2026-11"))["orgs"] == []
    finally:
        await store.close()
