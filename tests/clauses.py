"""The clause rows of T/BHRCA 0001—2024《直播带岗服务》, as data the conformance index reads.

Where the rows come from: the clause map ("Clause map (English)") at the top of the standard's text,
``../shared/spec/STANDARD.md``, copied here row by row (23 rows) on 2026-12-05. That file is outside the
repository (a clean clone and CI do not have it), so the rows are kept here; when the clause map changes,
change this table with it. ``duty`` is the map's "duty" column, shortened.

``feature`` says where the server provides the duty (module, route, page); ``status`` and ``left`` are the
judgement of the clause audit ``../shared/reviews/2026-12-conformance.md`` brought up to date with what has
been merged since (docs/governance.md, docs/identity.md). A row that is ``"not yet"`` may have no marked
test, and must name its reason and the issue that will build it; every other row needs at least one test
carrying ``@pytest.mark.clause("<id>")`` (tests/foundation/test_conformance_index.py checks both).

Clause ids are written exactly as in the clause map: the clause number, then, for a list item, one space
and its letter: ``"3.1"``, ``"4.4.1 a"``, ``"5.1.3 d"`` (not ``"5.1.3d"``, ``"5.1.3(d)"`` or ``"5.1.3 D"``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Status = Literal["done", "partial", "not yet"]

#: The one normal form of a clause id: "3.1", "5.2", "4.4.1 a", "5.1.3 d".
CLAUSE_ID = re.compile(r"\d+(?:\.\d+)+(?: [a-z])?")


@dataclass(frozen=True, slots=True)
class Clause:
    id: str
    duty: str
    feature: str
    status: Status
    left: str = ""  # what is still missing ("partial"), or why nothing is there yet ("not yet")
    issues: tuple[int, ...] = ()  # the open issues that will build what is left


CLAUSES: tuple[Clause, ...] = (
    Clause("3.1", "live platform: jobs introduced in a live stream, interaction, job display, resumes taken",
           "live rooms (WHIP ingest, WHEP fan-out: `signaling/`, `media_server/`), chat (`chat/`), job cards "
           "pinned in the stream and in-stream apply (`recruiting/web/frames.py`); pages `/live/{room}`, "
           "`/studio/{room}`",
           "done",
           "a pin checks that the job is published, not that it is inside its validity window", (13,)),
    Clause("4.3.1 a", "live and short video: capture, edit, publish, permission settings",
           "capture by WHIP from OBS, FFmpeg or the browser (`signaling/http.py`, `/studio/{room}`); every live "
           "recorded by remux (`media_server/recording/`), replays with their job cards and apply "
           "(`/replay/{id}`), clips cut at keyframes (short video, `POST /api/v1/recordings/{id}/clips`), "
           "visibility public / logged_in / org / private per room and per replay or clip, checked on every "
           "byte, takedown by reviewers (`recording/`, docs/recording.md)",
           "done"),
    Clause("4.3.1 b", "job posting and resume delivery management",
           "jobs API and apply (`recruiting/`: `POST /api/v1/orgs/{org}/jobs`, "
           "`POST /api/v1/jobs/{job}/applications`, the `apply` chat frame), exactly-once delivery with the "
           "transactional outbox, the recruiter inbox `/office`",
           "done"),
    Clause("4.3.1 c", "inviting to interviews",
           "interview invitations with time, place or link (`recruiting/repositories/interviews.py`, "
           "`POST /api/v1/applications/{id}/interviews`), accept / decline / reschedule on `/me`, 24 h and 1 h "
           "reminders; invitation texts and replies screened by the filter (`recruiting/usecases/screening.py`)",
           "partial",
           "the recruiter cannot change or cancel an invitation, and invitations reach open pages only (no SMS "
           "or e-mail): no issue yet"),
    Clause("4.3.2", "HR agency: publicise jobs, enterprise-seeker interaction, career guidance",
           "host console `/studio/{room}` (pin job cards, moderate), chat Q&A, pinned announcements "
           "(`chat/`)",
           "done"),
    Clause("4.4.1 a", "network security",
           "sessions and tokens (`identity/`), the policy table on every route and chat command "
           "(`identity/policy.py`, `livehire/authorize.py`), rate limits (`identity/limits.py`, chat buckets), "
           "input and body limits, security headers, connection limits",
           "partial",
           "TLS is left to a reverse proxy, and a proxy's forwarded client address is not trusted, so per-address "
           "limits see the proxy (docs/identity.md)"),
    Clause("4.4.1 b", "data security: access rights, processing flows",
           "roles and relations on every endpoint (`identity/policy.py`), resume visibility by the member tree "
           "(`recruiting/repositories/access.py`), audit of resume reads with who, when and why "
           "(`?purpose=`, `GET /api/v1/orgs/{org}/resume-reads`; each read a `resume.read` ledger entry) "
           "and of chat moderation (`GET /api/v1/rooms/{room}/audit`); every moderation action also in the "
           "service ledger with pseudonyms (`chat/moderation_ops.py`, `governance/feeds.py`)",
           "partial",
           "the room's own audit log (with user ids, for its moderators) stays capped; no issue yet"),
    Clause("4.4.1 c", "personal information protection",
           "personal data masked in chat (`moderation/`), phone numbers sealed at rest (`store/sealing.py`), "
           "masked and virtual numbers in the office, separate consent before delivery, export and deletion "
           "(`GET /api/v1/me/data`, `DELETE /api/v1/me`, `/me`)",
           "partial",
           "resume texts are not screened for ID numbers or addresses (issue 14); the contact key is derived "
           "from the token secret, and employer business data has no treatment of its own: no issue yet",
           (14,)),
    Clause("4.4.1 d", "publication review: job information rules, prohibited behaviour in live rooms",
           "one filter for chat, job texts, announcements and organisation profiles (`moderation/`), run-time "
           "terms (`livehire/api_moderation.py`), held messages for moderators, the public rules page `/rules` "
           "(`moderation/rules.py`, `governance/rules.py`)",
           "done"),
    Clause("4.4.1 e", "complaints and reports: easy channel, public contact, timely handling",
           "`POST /api/v1/complaints` (no sign-in), `/complaints/new`, the follow-up link, the handling queue "
           "with deadlines and overdue flags on `/review` (`governance/complaints*.py`), the complaint phone and "
           "e-mail in every footer, chat message reports to the room's moderators; a report they leave unsettled "
           "for `chat_report_escalate_hours` (24 h), or that its reporter escalates (the `escalate` chat frame), "
           "becomes a complaint about the message, never handled by the room's organisation "
           "(`chat/moderation_ops.py`, `governance/feeds.py`); \"投诉\" links on every chat message, job card and "
           "live room header lead to the prefilled form",
           "partial",
           "escalation is a chat frame only (no REST route or page button yet); a report a moderator rejected "
           "cannot be escalated afterwards (the complaint form can)",
           (13,)),
    Clause("4.4.1 f", "service ledger: recruitment and service information kept >= 3 years",
           "the append-only hash-chained ledger (`governance/ledger*.py`), retention >= 3 years, "
           "`livehire ledger verify | export | purge | anchor`, the head anchored daily outside the database "
           "(`governance/anchors.py`); fed by complaints, organisation and licence review, evaluation and "
           "corrective actions, recruiting (every job version, pins, interview invitations and answers, every "
           "delivery durably through `ledger_queue` in the apply transaction: `governance/deliveries.py`) and "
           "chat moderation actions, people as pseudonyms (`governance/feeds.py`)",
           "partial",
           "chat moderation actions wait in memory for the feed's writer (a crash loses those not yet written): "
           "no issue yet"),
    Clause("4.4.2", "HR agency rules: lawful service, job information verified, roles and duties, inspections",
           "member roles admin / recruiter / host with their rights (`identity/`, "
           "`recruiting/repositories/access.py`), automated job text screening (`recruiting/repositories/jobs.py`), "
           "the job review queue with agency jobs' client company and mandate document, inspections recorded as "
           "corrective actions (source `inspection`, `governance/actions_sql.py`)",
           "partial",
           "no record of where a job came from (a source system or channel) beyond its poster",
           (13,)),
    Clause("5.1.1", "qualification-based permissions by licence",
           "job kind gated by the matching approved, unexpired licence (`recruiting/domain/rules.py::"
           "check_kind_allowed`); licences with evidence files, review with reason, expiry and revocation "
           "closing the jobs they allowed, re-verification (overdue past a grace period: the licence lapses and "
           "suspends like expiry), the licence gate on going live and a lapse ending the running WHIP session "
           "(`governance/licences*.py`, `livehire/live_guard.py`, `/review`, `/me/orgs`); recruiting's unreviewed "
           "qualification routes removed; a renewal or re-verification publishes again what an expiry or lapse "
           "closed",
           "done"),
    Clause("5.1.2", "account system: member accounts, relations, rights to post jobs and read resumes",
           "organisations, members, invitations, roles, removal (`identity/accounts.py`, `store/orgs.py`), "
           "reporting lines (`recruiting/repositories/access.py`); the registrant of an approved organisation "
           "becomes its admin",
           "done"),
    Clause("5.1.3 a", "enterprise information review: name, brand, address, website",
           "organisation registration with the credit code checked, review and re-review of changes "
           "(`governance/orgs*.py`, `POST /api/v1/orgs`, `/me/orgs`, the organisation queue on `/review`), the "
           "public page `/orgs/{org}`",
           "partial",
           "the brand name (品牌名称) is not a field of the profile"),
    Clause("5.1.3 b", "industry access review for risky industries",
           "the industry list allowed / review / refused (`governance/orgs.py`, setting `industry_access`), "
           "applied at registration, on a change and to every job posted or edited (the job's industry, else the "
           "organisation's: refused → 403 `industry_refused`, review → the job review queue), shown on `/rules`",
           "done"),
    Clause("5.1.3 c", "job post review: truthfulness, discrimination, harm",
           "automatic checks on create and edit (`recruiting/repositories/jobs.py`: the filter in job context, "
           "the industry list; `recruiting/domain/rules.py::parse_job`: base pay, validity, headcount, location); "
           "a doubtful post waits `pending_review` with the filter's reasons (terms masked) shown to the poster; "
           "the job queue on `/review` (`GET /api/v1/review/jobs`, `POST /api/v1/review/jobs/{job_id}`: approve, "
           "or reject with a reason the poster reads; each decision in the service ledger); every published "
           "version kept (`job_versions`, `GET /api/v1/jobs/{job_id}/versions`); an own job's employer is the "
           "approved organisation, an agency job names its client company and carries the mandate (number and "
           "document, `GET /api/v1/jobs/{job_id}/mandate`; a reviewer checks each document once; the job cannot "
           "outlive the mandate's end date); every publication and change in the service ledger; only a "
           "published job within its validity can be pinned (`recruiting/domain/review.py`)",
           "partial",
           "no categories for gambling, pyramid schemes or hype (issue 14)",
           (14,)),
    Clause("5.1.3 d", "prohibited behaviour review in posts, chats, calls, interviews: fees, diversion, harassment",
           "the inline filter with evasion-resistant normalisation (`moderation/`) in chat "
           "(`chat/protocol.py`), job texts, pinned announcements, display names, organisation profiles, interview "
           "invitations and candidates' replies (blocked: 422; doubtful: delivered and queued on the review desk; "
           "`recruiting/usecases/screening.py`); either party flags a call record for a reviewer "
           "(`governance/calls_sql.py`, `POST /api/v1/calls/{call_id}/flag`, `/review`)",
           "partial",
           "what the host says on camera is not monitored (no recording); the filter misses phrasings it has not "
           "seen (issue 14)",
           (14,)),
    Clause("5.1.4", "back-office resume management: assign and view resumes from the live room",
           "application inbox, resume view, status pipeline, notes and assignment (`recruiting/`, "
           "`/api/v1/orgs/{org}/applications`, `/office` with its live feed)",
           "done"),
    Clause("5.1.5", "outbound calls with virtual-number protection for seekers",
           "AXB bindings through the `NumberProvider` port (`recruiting/numbers/`), call records, the "
           "recruiter's own sealed phone as A; the real number is never shown",
           "partial",
           "the app always uses the simulated provider: the carrier adapter (`recruiting/numbers/carrier.py`) "
           "has no setting to choose it and no call-record webhook"),
    Clause("5.2", "agency workflow: demand analysis, live plan, device check, opening, interaction, data analysis",
           "live session plans with featured jobs, start and end, per-session statistics "
           "(`recruiting/repositories/live.py`, `recruiting/usecases/monitor.py`, "
           "`GET /api/v1/sessions/{id}/stats`)",
           "partial",
           "no pre-flight ingest or device check, no demand-analysis record, no report across sessions"),
    Clause("6.1", "service evaluation: internal and external, quality, conformity, satisfaction",
           "session ratings by their viewers and candidates (one per person, comment screened), organisations' "
           "monthly rating of the platform, quality figures per organisation and host (blocked-message rate, "
           "complaints per 1,000 viewers, time to first response on applications, satisfaction) with charts, "
           "the monthly evaluation report (`governance/evaluation*.py`, `governance/quality.py`, `/review`, "
           "`/review/reports/{month}`)",
           "done",
           "the attention lines are fixed in code, not settings; no survey beyond a score and a comment"),
    Clause("6.2", "service improvement: feedback, review, corrective actions",
           "ratings and complaints as feedback, figures past their line flagged for review, corrective actions "
           "with problem, owner, follow-up date, outcome and verification, each step in the ledger "
           "(`governance/actions_sql.py`, the review desk), counted in the monthly report",
           "done"),
)

BY_ID: dict[str, Clause] = {clause.id: clause for clause in CLAUSES}


def id_problem(value: object) -> str | None:
    """Why ``value`` is not a clause id of the map (``None`` when it is one), with the likely intended id."""
    if not isinstance(value, str):
        return f"a clause id is a string, not {value!r}"
    if value in BY_ID:
        return None
    guess = re.sub(r"^(\d+(?:\.\d+)+)\s*[(（]?\s*([a-zA-Z])\s*[)）]?$", lambda m: f"{m[1]} {m[2].lower()}", value.strip())
    if guess in BY_ID:
        return f"{value!r} is not in the normal form: write {guess!r}"
    if not CLAUSE_ID.fullmatch(value):
        return f"{value!r} is not a clause id (write them as in the clause map: '3.1', '4.4.1 a', '5.1.3 d')"
    return f"{value!r} is not a row of the standard's clause map (tests/clauses.py)"
