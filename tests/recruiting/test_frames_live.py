"""Chat frames of recruiting and live-session statistics (standard 3.1, 5.2), without sockets."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest

from identity.principal import Principal
from recruiting.numbers.simulated import SimulatedNumberProvider
from recruiting.repositories.interviews import InterviewRepository
from recruiting.repositories.live import LiveRepository
from recruiting.service import RecruitingService
from recruiting.usecases.monitor import RoomMonitor
from recruiting.web.frames import build_handlers
from store.engine import Store
from store.rooms import RoomRepository
from tests.recruiting.conftest import FakeAudience, job_body, make_candidate, make_org


@dataclass
class Context:
    """A connection as the chat layer presents it: replies and broadcasts are recorded."""

    room: str
    principal: Principal
    replies: list[dict[str, Any]] = field(default_factory=list)
    broadcasts: list[dict[str, Any]] = field(default_factory=list)

    def reply(self, frame: Mapping[str, Any]) -> None:
        self.replies.append(dict(frame))

    async def broadcast(self, frame: Mapping[str, Any]) -> None:
        self.broadcasts.append(dict(frame))


HOST = Principal(user_id="host1", role="host", room="live1", org="acme")
VIEWER = Principal(user_id="v1", role="viewer")


async def _setup(service: RecruitingService, store: Store) -> str:
    await make_org(store)
    await RoomRepository(store).create("live1", title="春招专场", org_id="acme")
    return str((await service.jobs.create("acme", job_body(), created_by="rec1"))["id"])


@pytest.mark.clause("3.1", "4.3.1 b")
async def test_apply_frame_contract(service: RecruitingService, store: Store) -> None:
    job_id = await _setup(service, store)
    handlers = build_handlers(service)
    ctx = Context("live1", VIEWER)
    await handlers["apply"](ctx, {"type": "apply", "job_id": job_id, "ref": "c1"})
    assert ctx.replies[-1] == {
        "type": "apply_result", "ref": "c1", "job_id": job_id, "application_id": None,
        "status": "needs_profile", "message": ctx.replies[-1]["message"],
    }
    await make_candidate(store, "v1")
    await handlers["apply"](ctx, {"type": "apply", "job_id": job_id, "ref": "c2"})
    delivered = ctx.replies[-1]
    assert delivered["status"] == "delivered" and delivered["application_id"]
    await handlers["apply"](ctx, {"type": "apply", "job_id": job_id, "ref": "c2"})
    assert ctx.replies[-1] | {"ref": "c2"} == delivered | {"status": "duplicate"}
    anonymous = Context("live1", Principal(user_id="anonymous", role="viewer", anonymous=True))
    await handlers["apply"](anonymous, {"type": "apply", "job_id": job_id, "ref": "x"})
    assert anonymous.replies == [{"type": "error", "code": "login_required", "message": "登录后才能投递简历", "ref": "x"}]
    await handlers["apply"](ctx, {"type": "apply", "job_id": "gone", "ref": "y"})
    assert ctx.replies[-1]["code"] == "job_unavailable"


@pytest.mark.clause("3.1", "4.3.2")
async def test_only_the_rooms_host_pins_and_everyone_gets_the_card(
    service: RecruitingService, store: Store, audience: FakeAudience
) -> None:
    job_id = await _setup(service, store)
    handlers = build_handlers(service)
    viewer = Context("live1", VIEWER)
    await handlers["pin_job"](viewer, {"type": "pin_job", "job_id": job_id, "ref": "p"})
    assert viewer.replies[-1]["code"] == "forbidden" and not viewer.broadcasts
    other_room = Context("live1", Principal(user_id="h2", role="host", room="elsewhere", org="acme"))
    await handlers["pin_job"](other_room, {"type": "pin_job", "job_id": job_id})
    assert other_room.replies[-1]["code"] == "forbidden"
    host = Context("live1", HOST)
    audience.rooms["live1"] = 120
    await handlers["pin_job"](host, {"type": "pin_job", "job_id": job_id})
    card = host.broadcasts[-1]
    assert card["type"] == "job_card" and card["action"] == "pin" and card["job"]["id"] == job_id
    assert await service.current_card("live1") == card
    await handlers["unpin_job"](host, {"type": "unpin_job", "job_id": job_id})
    assert host.broadcasts[-1] == {"type": "job_card", "action": "unpin", "room": "live1", "job_id": job_id}
    assert await service.current_card("live1") is None


@pytest.mark.clause("5.2")
async def test_session_statistics(service: RecruitingService, store: Store, audience: FakeAudience) -> None:
    """Standard 5.2 data analysis: viewers, chat, blocked, impressions, applications, conversion."""
    job_id = await _setup(service, store)
    viewers = audience.rooms
    viewers["live1"] = 80
    counters = audience.counters
    counters.update(messages=500, blocked=7, local_connections=80)
    session = await service.live.plan(
        "acme", {"room": "live1", "title": "春招专场", "starts_at": int(time.time() * 1000), "jobs": [job_id]}, "host1"
    )
    assert session["jobs"] == [job_id] and session["state"] == "planned"
    service.monitor.on_join("live1", "early")  # before the start: not a viewer of the session
    await service.set_session_state(session["id"], "live")
    await service.pin_job("live1", job_id, HOST)  # 80 people see the card
    for viewer in ("a", "b", "a", None, None):  # a reconnects; two anonymous sockets
        service.monitor.on_join("live1", viewer)
    viewers["live1"] = 110
    service.monitor.sample_all()
    viewers["live1"] = 60
    service.monitor.sample_all()
    await service.monitor.flush()
    counters.update(messages=542, blocked=10)
    for user in ("a", "b", "c"):
        await make_candidate(store, user)
        assert (await service.apply(user, job_id, ref=None, room="live1")).status == "delivered"
    await service.set_session_state(session["id"], "ended")
    stats = await service.live.stats(session["id"])
    assert stats["peak_viewers"] == 110 and stats["total_viewers"] == 4
    assert stats["chat_messages"] == 42 and stats["blocked_messages"] == 3
    assert stats["job_card_impressions"] == 80 and stats["applications"] == 3
    assert stats["jobs"] == [
        {"job_id": job_id, "title": "仓库分拣员", "impressions": 80, "applications": 3, "conversion": 0.0375}
    ]
    assert stats["conversion"] == round(3 / 4, 4)
    counters.update(messages=600)  # after the end: the next flush settles the session without these
    service.monitor.sample_all()
    await service.monitor.flush()
    assert (await service.live.stats(session["id"]))["chat_messages"] == 42
    by_session = await service.office.inbox("acme", room="live1", since=stats["session"]["started_at"])
    assert len(by_session) == 3


@pytest.mark.clause("4.3.1 c")
async def test_due_interview_reminders_are_pushed_once(
    service: RecruitingService, store: Store, audience: FakeAudience
) -> None:
    job_id = await _setup(service, store)
    await make_candidate(store, "v1")
    outcome = await service.apply("v1", job_id, ref=None, room=None)
    assert outcome.application_id is not None
    pushed = audience.pushed
    soon = int(time.time() * 1000) + 3600 * 1000 + 5000  # the 1 h reminder is due in 5 s; the 24 h one is skipped
    await service.interviews.invite(outcome.application_id, {"at": soon, "link": "https://meet.example/1", "contact": "李"}, "rec1")
    assert await service.monitor.send_reminders() == 0
    reminders = await service.interviews.due_reminders(soon)
    assert len(reminders) == 1
    from sqlalchemy import update

    from store.recruiting_tables import interview_reminders

    async with store.engine.begin() as connection:
        await connection.execute(update(interview_reminders).values(remind_at=0))
    assert await service.monitor.send_reminders() == 1
    assert await service.monitor.send_reminders() == 0
    assert [(user, frame["type"]) for _, user, frame in pushed] == [("v1", "interview_reminder")]


async def test_closing_the_monitor_lets_a_running_sweep_finish(service: RecruitingService, store: Store) -> None:
    """A stop waits for the tick in hand (common.periodic) instead of cancelling it mid-query: a cancelled tick had
    left a SQLite connection half closed, which the pool logged as an error at shutdown (the soak counts those)."""
    import asyncio

    from sqlalchemy import update

    from store.recruiting_tables import interview_reminders

    job_id = await _setup(service, store)
    await make_candidate(store, "v1")
    outcome = await service.apply("v1", job_id, ref=None, room=None)
    assert outcome.application_id is not None
    soon = int(time.time() * 1000) + 3600 * 1000 + 5000
    await service.interviews.invite(outcome.application_id, {"at": soon, "link": "https://meet.example/2", "contact": "王"}, "rec1")
    async with store.engine.begin() as connection:
        await connection.execute(update(interview_reminders).values(remind_at=0))
    started, release, finished = asyncio.Event(), asyncio.Event(), []

    async def notify(user: str, frame: Mapping[str, Any]) -> None:
        started.set()
        await release.wait()
        finished.append((user, frame["type"]))

    monitor = RoomMonitor(service.live, service.interviews, notify, interval=0.001, tick=0.001)
    await monitor.start()
    await asyncio.wait_for(started.wait(), 10)
    asyncio.get_running_loop().call_soon(release.set)  # the sweep ends only after close() began
    await monitor.close()
    assert finished == [("v1", "interview_reminder")], "the running sweep was waited for, not cancelled"


@pytest.mark.clause("5.2")
async def test_a_join_in_the_starts_millisecond_is_not_a_viewer(store: Store, audience: FakeAudience) -> None:
    """The cause of the old flake, pinned: a stopped clock puts the early join, the start and the later
    joins into one millisecond; the monitor still dates the start after the early join and before the others."""
    await make_org(store)
    await RoomRepository(store).create("live1", title="春招专场", org_id="acme")
    live = LiveRepository(store)
    stopped = 1_800_000_000_000

    async def notify(user: str, frame: Mapping[str, Any]) -> None:
        raise AssertionError("nothing to push")

    monitor = RoomMonitor(live, InterviewRepository(store, SimulatedNumberProvider()), notify, audience=audience,
                          clock=lambda: stopped)
    session = await live.plan("acme", {"room": "live1", "title": "春招专场", "starts_at": stopped}, "host1")
    monitor.on_join("live1", "early")
    started = await live.set_state(session["id"], "live", at=await monitor.boundary("live1"))
    assert started["started_at"] == stopped + 1, "the clock did not move: the start is dated past the early join"
    monitor.on_join("live1", "a")
    monitor.on_join("live1", None)
    ended_at = await monitor.boundary("live1")
    await monitor.flush()
    await live.set_state(session["id"], "ended", at=ended_at)
    monitor.on_join("live1", "late")
    monitor.sample_all()
    await monitor.flush()
    assert (await live.stats(session["id"]))["total_viewers"] == 2
