"""The recruiting service: the façade the composition root builds and the adapters call.

It owns the apply path's group committer, the event log, the number provider and the repositories; HTTP
(:mod:`recruiting.web.http`) and chat frames (:mod:`recruiting.web.frames`) are thin adapters over its
methods, one per use case. The repositories stay public attributes for tests and the bench.
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram

from common.batch_histogram import BatchHistogram
from common.errors import Conflict, Forbidden
from identity.principal import Principal
from moderation.engine import Moderator
from recruiting.domain.apply import ApplyOutcome, ApplyRequest, IdSource, delivery_event, new_request
from recruiting.domain.records import Job, LiveSession
from recruiting.domain.review import check_live
from recruiting.domain.rules import INTERVIEW_ANSWERS, ProfileInput, read_purpose
from recruiting.events.fanout import EventSubscription
from recruiting.events.outbox import OutboxInsert, OutboxRelay
from recruiting.events.port import EventLog
from recruiting.numbers.port import NumberProvider
from recruiting.ports import Audience, ContentReview, JobPorts, LiveLicence, PersonalData, ServiceLedger
from recruiting.repositories.access import Visibility, visibility_of
from recruiting.repositories.apply_sql import ApplicationWriter
from recruiting.repositories.interviews import InterviewRepository
from recruiting.repositories.job_review import JobReview
from recruiting.repositories.jobs import JobRepository
from recruiting.repositories.live import LiveRepository
from recruiting.repositories.members import MemberRepository
from recruiting.repositories.office import OfficeRepository
from recruiting.repositories.privacy import PrivacyRepository
from recruiting.usecases.committer import GroupCommitter
from recruiting.usecases.ledger import Ledgered
from recruiting.usecases.monitor import RoomMonitor
from recruiting.usecases.screening import TextScreen
from store.engine import Store
from store.rooms import RoomRepository
from store.sealing import ContactCipher

#: Fault injection for the durability tests only: the process ``os._exit``\ s right after a
#: group commit that delivered something, before the publish (a node dying in that gap).
EXIT_AFTER_COMMIT_ENV = "LIVEHIRE_TEST_EXIT_AFTER_COMMIT"

class RecruitingService:
    def __init__(
        self,
        *,
        store: Store,
        events: EventLog,
        numbers: NumberProvider,
        registry: CollectorRegistry | None = None,
        max_batch: int = 2000,
        contact_key: bytes | None = None,
        moderator: Moderator | None = None,
        node_id: str | None = None,
        outbox_lease_ms: int = 5000,
        outbox_sweep_seconds: float = 2.0,
        audience: Audience | None = None,
        personal_data: Sequence[PersonalData] = (),
        live_licence: LiveLicence | None = None,
        ledger: ServiceLedger | None = None,
        jobs: JobPorts | None = None,
        content_review: ContentReview | None = None,
    ) -> None:
        """``audience`` (the chat) counts viewers and reaches users (none: nothing pushed, nobody counted);
        ``personal_data``: the other holders of a person's data, reached by the §45 export and §47 erasure in
        this order; ``contact_key`` (32 bytes) encrypts phones at rest; ``moderator`` screens job and
        interview texts (5.1.3 c, d); ``node_id`` names this node's outbox leases (a dead node's events are
        republished ``outbox_lease_ms`` after its commit); ``ledger``: the service ledger (4.4.1 f)."""
        self.store = store
        self.events = events
        self.numbers = numbers
        jobs = jobs or JobPorts()  # job review (5.1.3 c): the industry list, the ledger, validity, clock
        self.jobs = JobRepository(store, moderator, industry=jobs.industry, validity_days=jobs.validity_days,
                                  clock=jobs.clock, mandates=jobs.mandates,
                                  on_change=lambda conn, change, job, actor: self.ledgered.job(conn, change, job, actor))
        self.review = JobReview(store, self.jobs, jobs.decisions)
        cipher = ContactCipher(contact_key)
        self.office = OfficeRepository(store, cipher)
        self.privacy = PrivacyRepository(store, cipher, numbers, events, personal_data)  # §47: events too
        self.interviews = InterviewRepository(store, numbers)
        self.live = LiveRepository(store)
        self.members = MemberRepository(store, cipher)  # members' own phones are sealed like candidates'
        self._rooms = RoomRepository(store)
        self.node_id = node_id or f"node-{uuid.uuid4().hex[:16]}"
        self._writer = ApplicationWriter(store, OutboxInsert(store, self.node_id, outbox_lease_ms),
                                         ledger_queue=ledger is not None)  # deliveries queued for the ledger
        self.outbox = OutboxRelay(
            store, events, node_id=self.node_id, lease_ms=outbox_lease_ms, sweep_seconds=outbox_sweep_seconds,
            sink=self._writer.published_sink(),
        )
        self._exit_after_commit = os.environ.get(EXIT_AFTER_COMMIT_ENV) == "1"
        self._committer: GroupCommitter[ApplyRequest, ApplyOutcome] = GroupCommitter(
            self._writer.flush, after=self._publish, max_batch=max_batch
        )
        self._audience = audience
        self.ledgered = Ledgered(ledger)
        self.screen = TextScreen(moderator, self.ledgered, content_review)  # interview texts (5.1.3 d)
        self._live_licence = live_licence  # going live needs the platform's licence (4.2.3); None: not checked
        self._ids = IdSource()
        self.monitor = RoomMonitor(self.live, self.interviews, self.notify_user, audience=audience)
        #: The chat's join hook (``ChatService.on_join``): the monitor's own method, no call in between.
        self.on_join = self.monitor.on_join
        registry = registry if registry is not None else CollectorRegistry()
        self._applies = Counter("livehire_applies", "apply requests by outcome", ["status"], registry=registry)
        self._by_status: dict[str, Any] = {}
        self._batch = Histogram("livehire_apply_batch_size", "applications per group commit",
                                buckets=(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000), registry=registry)
        self._latency = BatchHistogram(  # one bisect per apply and one lock per batch (common.batch_histogram)
            "livehire_apply_seconds", "apply received → committed", registry=registry)

    async def start(self) -> None:
        await self.events.start()
        self._committer.start()
        self.outbox.start()
        await self.monitor.start()

    async def close(self) -> None:
        """Flushes every apply already accepted, then closes the event log."""
        await self.monitor.close()
        await self._committer.close()
        await self.outbox.close()  # its last deletes may go through the writer (SQLite)
        await self._writer.close()
        await self.events.close()

    def set_max_batch(self, max_batch: int) -> None:
        """1 turns group commit off: the bench's baseline, one commit per apply."""
        self._committer.set_max_batch(max_batch)

    @property
    def commit_stats(self) -> tuple[int, int]:
        """(batches committed, applications in them) since start."""
        return self._committer.batches, self._committer.items

    def apply(self, user_id: str, job_id: str, *, ref: str | None, room: str | None,
              source: str | None = None) -> asyncio.Future[ApplyOutcome]:
        """Resolves once durable or a duplicate (``source``: ``replay`` from a replay's card). Not a coroutine."""
        return self._committer.enqueue(new_request(user_id, job_id, ref, room, self._ids(), source))

    @staticmethod
    def apply_result_frame(outcome: ApplyOutcome) -> dict[str, Any]:
        frame: dict[str, Any] = {"type": "apply_result", "ref": outcome.request.ref, "job_id": outcome.request.job_id,
                                 "application_id": outcome.application_id, "status": outcome.status}
        if outcome.status == "needs_profile":
            frame["message"] = "请先填写姓名、电话和简历"
        elif outcome.status == "needs_consent":
            frame["message"] = "投递前需要你单独同意把简历提供给招聘单位（个人信息保护法第二十三条）"
        return frame

    async def _publish(self, outcomes: Sequence[ApplyOutcome]) -> None:
        """Runs right after the batch's callers are answered (before they resume): metrics, then the events."""
        self._batch.observe(len(outcomes))
        now = time.time() * 1000
        counts: dict[str, int] = {}
        for outcome in outcomes:
            counts[outcome.status] = counts.get(outcome.status, 0) + 1
        self._latency.observe_many([max(0.0, (now - o.request.received_ms) / 1000) for o in outcomes])
        for status, count in counts.items():  # one labelled child and one locked add per status and batch
            counter = self._by_status.get(status)
            if counter is None:
                counter = self._by_status[status] = self._applies.labels(status)
            counter.inc(count)
        delivered = [o for o in outcomes if o.created]
        if delivered:
            if self._exit_after_commit:
                os._exit(17)
            events = [o.event if o.event is not None else delivery_event(o) for o in delivered]
            await self.events.publish(events)
            self.outbox.published([str(e["event_id"]) for e in events])

    async def set_session_state(self, session_id: str, state: str) -> dict[str, Any]:
        """Starts or ends a live session and brackets its statistics (standard 5.2)."""
        session = await self.live.session(session_id)
        if state == "live":
            if session.state != "planned":
                raise Conflict("invalid_state", "只有待开始的场次可以开播")
            org = await self.live.room_org(session.room)
            if self._live_licence is not None and org is not None:
                await self._live_licence(org)
            started = await self.live.set_state(session_id, "live", at=await self.monitor.boundary(session.room))
            await self.monitor.flush()  # the audience already there counts (present), from the start's sample
            return started
        if state == "ended":
            if session.state != "live":
                raise Conflict("invalid_state", "只有进行中的场次可以结束")
            ended_at = await self.monitor.boundary(session.room)
            await self.monitor.flush()  # this node's share up to the end; the final one once the store has it
            return await self.live.set_state(session_id, state, at=ended_at)
        return await self.live.set_state(session_id, state)

    async def _check_host(self, room: str, principal: Principal) -> None:
        if principal.anonymous or principal.role not in ("host", "admin") or not principal.may_act_in_room(room):
            raise Forbidden("forbidden", "只有本直播间的主播可以置顶岗位")
        org = await self.live.room_org(room)
        if org is not None and principal.org is not None and principal.org != org:
            raise Forbidden("forbidden", "这个直播间不属于你的机构")

    async def pin_job(self, room: str, job_id: str, principal: Principal) -> dict[str, Any]:
        """The ``job_card`` frame every viewer of the room gets (standard 3.1)."""
        await self._check_host(room, principal)
        job = await self.jobs.find(job_id)
        check_live(job.status, job.valid_from, job.valid_until, self.jobs.now())  # published and valid (5.1.3 c)
        room_org = await self.live.room_org(room)
        if room_org is not None and job.org != room_org:
            raise Forbidden("foreign_job", "只能置顶本机构的岗位")
        await self.live.pin(room, job_id, principal.user_id, self.monitor.audience(room))
        await self.ledgered.pin(room, job_id, job.org, principal.user_id, pinned=True)
        return {"type": "job_card", "action": "pin", "room": room, "job": job.as_json()}

    async def unpin_job(self, room: str, job_id: str, principal: Principal) -> dict[str, Any]:
        await self._check_host(room, principal)
        await self.live.unpin(room, job_id)
        await self.ledgered.pin(room, job_id, await self.live.room_org(room), principal.user_id, pinned=False)
        return {"type": "job_card", "action": "unpin", "room": room, "job_id": job_id}

    async def current_card(self, room: str) -> dict[str, Any] | None:
        """The card pinned now, for a viewer who joins after the pin."""
        job_id = await self.live.pinned(room)
        if job_id is None:
            return None
        job = await self.jobs.find(job_id)
        now = self.jobs.now()  # a card whose job was unpublished or ran out of validity is not shown (5.1.3 c)
        if job.status != "published" or not job.valid_from <= now < job.valid_until:
            return None
        return {"type": "job_card", "action": "pin", "room": room, "job": job.as_json()}

    async def notify_user(self, user_id: str, frame: Mapping[str, Any]) -> None:
        """Best-effort push to the user's open room websockets (interview notices)."""
        if self._audience is not None:
            await self._audience.send_to_user(None, user_id, frame)

    # Jobs and qualifications (standard 5.1.1): public listing, the org's own, licences.

    async def published_jobs(self, org_id: str | None = None) -> list[dict[str, Any]]:
        return await self.jobs.published(org_id=org_id)

    async def job(self, job_id: str) -> Job:
        return await self.jobs.find(job_id)

    async def org_jobs(self, org_id: str) -> list[dict[str, Any]]:
        return await self.jobs.of_org(org_id)

    async def create_job(self, org_id: str, body: dict[str, Any], *, created_by: str) -> dict[str, Any]:
        """Every version of a job goes into the service ledger whole, in its own transaction (4.4.1 f), as do
        changes and closing (``on_change`` above)."""
        return await self.jobs.create(org_id, body, created_by=created_by)

    async def update_job(self, job_id: str, body: dict[str, Any], *, actor: str | None = None) -> dict[str, Any]:
        return await self.jobs.update(job_id, body, actor)

    async def close_job(self, job_id: str, *, actor: str | None = None) -> None:
        await self.jobs.close_job(job_id, actor)

    async def job_queue(self, state: str, limit: int) -> list[dict[str, Any]]:
        return await self.review.queue(state, limit=limit)

    async def decide_job(self, job_id: str, body: dict[str, Any], reviewer: str) -> dict[str, Any]:
        return await self.review.decide(job_id, body, reviewer)

    async def job_versions(self, job_id: str) -> list[dict[str, Any]]:
        return await self.review.versions(job_id)

    async def job_mandate(self, job_id: str) -> tuple[bytes, str, str]:
        return await self.review.mandate(job_id)

    async def qualifications(self, org_id: str) -> list[dict[str, Any]]:
        return await self.jobs.qualifications(org_id)

    # The candidate's own data (个人信息保护法 §45, §47): profile, applications, interviews.

    async def profile(self, user_id: str) -> dict[str, Any] | None:
        return await self.office.profile(user_id)

    async def put_profile(self, user_id: str, profile: ProfileInput) -> dict[str, Any]:
        """A resume an employer will read passes the filter first (5.1.3 d; personal data does not count)."""
        await self.screen.check("resume", {"name": profile.name, "resume": profile.resume}, org=None,
                                subject="profile:resume", actor=user_id)
        return await self.office.put_profile(user_id, profile)

    async def my_applications(self, user_id: str) -> list[dict[str, Any]]:
        return await self.office.mine(user_id)

    async def my_interviews(self, user_id: str) -> list[dict[str, Any]]:
        return await self.interviews.of_user(user_id)

    async def answer_interview(self, interview_id: str, user_id: str, answer: str, note: str) -> dict[str, Any]:
        """The candidate's answer (its note screened, 5.1.3 d), also to the org's open office pages."""
        current = await self.interviews.find(interview_id)
        if current.user_id != user_id or answer not in INTERVIEW_ANSWERS:  # the repository says which
            return await self.interviews.answer(interview_id, user_id, answer, note)
        flags = await self.screen.check("reply", {"note": note}, org=current.org, subject=f"interview:{interview_id}",
                                        actor=user_id)
        interview = await self.interviews.answer(interview_id, user_id, answer, note)
        await self.ledgered.interview("answered", interview, user_id)
        await self.screen.flag("reply", interview_id, current.org, flags, user_id)
        await self.events.publish([{"type": "interview", "org": interview["org"], "interview": interview}])
        return interview

    async def export_personal_data(self, user_id: str) -> dict[str, Any]:
        return await self.privacy.export(user_id)

    async def erase_personal_data(self, user_id: str) -> dict[str, Any]:
        return await self.privacy.erase(user_id)

    # The back office (standard 5.1.4, 5.1.5): who may read what, inbox, pipeline, calls.

    async def visibility(self, org_id: str, principal: Principal) -> Visibility:
        """Which of the org's resumes ``principal`` may read (5.1.2)."""
        return await visibility_of(self.store, org_id, principal)

    async def application_access(self, application_id: str) -> tuple[str, str | None, str | None]:
        """(org, who posted the job, who it is assigned to): the access rule's input."""
        return await self.office.access_info(application_id)

    async def session_window(self, session_id: str) -> tuple[str, int | None, int | None]:
        """(room, since, until) of a live session: its applications in the inbox (5.2)."""
        session = await self.live.session(session_id)
        return session.room, session.started_at or session.starts_at, session.ended_at

    async def inbox(
        self, org_id: str, visibility: Visibility, *, job_id: str | None = None, status: str | None = None,
        room: str | None = None, since: int | None = None, until: int | None = None, limit: int = 200,
    ) -> list[dict[str, Any]]:
        return await self.office.inbox(org_id, job_id=job_id, status=status, room=room, since=since, until=until,
                                       limit=limit, visibility=visibility)

    def subscribe_events(self) -> EventSubscription:
        """The event log as it arrives on this node (the office page's live feed)."""
        return self.events.subscribe()

    async def open_application(self, application_id: str, reader: str, purpose: str | None = None) -> dict[str, Any]:
        """The resume with its interviews; the read audited with its purpose, in the ledger too (4.4.1 b)."""
        why = read_purpose(purpose)
        detail = await self.office.open(application_id, reader, why)
        await self.ledgered.resume_read(application_id, str(detail["org"]), reader, why)
        detail["interviews"] = await self.interviews.of_application(application_id)
        return detail

    async def set_status(self, application_id: str, status: str, actor: str) -> None:
        await self.office.set_status(application_id, status, actor)

    async def assign(self, application_id: str, member: str, actor: str) -> None:
        await self.office.assign(application_id, member, actor)

    async def note(self, application_id: str, text: str, actor: str) -> None:
        await self.office.note(application_id, text, actor)

    async def invite(self, application_id: str, body: dict[str, Any], actor: str) -> dict[str, Any]:
        """Standard 4.3.1 c: the candidate sees it on /me and, if connected, in the room; 5.1.3 d: screened."""
        org, _, _ = await self.office.access_info(application_id)
        texts = {name: str(body.get(name) or "") for name in ("place", "link", "contact")}
        flags = await self.screen.check("invitation", texts, org=org, subject=f"application:{application_id}",
                                        actor=actor)
        interview = await self.interviews.invite(application_id, body, actor)
        await self.ledgered.interview("invited", interview, actor)
        await self.screen.flag("invitation", interview["id"], org, flags, actor)
        await self.notify_user(interview["user_id"], {"type": "interview", "interview": interview})
        return interview

    async def call(self, application_id: str, org_id: str, actor: str) -> dict[str, Any]:
        """Standard 5.1.5: A = the member's own phone, B = the candidate → X; the office sees X only."""
        _, phone = await self.office.candidate_phone(application_id)
        own = await self.members.phone_of(org_id, actor)
        return await self.interviews.call(application_id, actor, phone, own)

    async def resume_reads(self, org_id: str) -> list[dict[str, Any]]:
        return await self.office.reads(org_id)

    # Members (5.1.2) and live sessions (5.2).

    async def members_of(self, org_id: str) -> list[dict[str, Any]]:
        return await self.members.list(org_id)

    async def set_member_phone(self, org_id: str, user_id: str, raw: object) -> dict[str, Any]:
        return await self.members.set_phone(org_id, user_id, raw)

    async def plan_session(self, org_id: str, body: dict[str, Any], planner: str) -> dict[str, Any]:
        """A planned live session, only in the org's own rooms (review M2)."""
        room = await self._rooms.get(str(body.get("room") or ""))
        if room is not None and room.org_id != org_id:
            raise Forbidden("not_your_room", "只能在本机构的直播间安排直播")
        return await self.live.plan(org_id, body, planner)

    async def room_sessions(self, room: str) -> list[dict[str, Any]]:
        return await self.live.of_room(room)

    async def session(self, session_id: str) -> LiveSession:
        return await self.live.session(session_id)

    async def session_stats(self, session_id: str) -> dict[str, Any]:
        return await self.live.stats(session_id)
