"""The one authorisation policy: who may use each HTTP route and each chat command (4.4.1 a, b; 5.1.2).

Every route the server registers has an entry in :data:`ROUTES` (the app refuses to start otherwise) and
every chat command one in :data:`CHAT_COMMANDS`. An entry names the *audience* (anyone, anyone signed in,
or roles) and the *relation* the caller must have to the target named in the path:

==============  ==========================================================================================
``none``        no target: the audience alone decides
``self``        the caller's own records (``/me``...): the handler keys everything on the caller's id
``org``         the target organisation (``{org}``, or the org of ``{job_id}``, ``{application_id}``,
                ``{session_id}``, or of a body field) is the caller's own
``room_view``   the room's visibility admits the caller (public, logged_in, org, private)
``room_manage`` the room belongs to the caller's organisation, or the token is scoped to that room
``platform``    platform staff only (admin / reviewer without an organisation)
``publisher``   the room's stream key, or ``room_manage`` with host/admin (WHIP; checked by signaling)
``capability``  the unguessable session URL itself authorises (RFC 9725 PATCH/DELETE)
``operator``    the metrics token (or loopback), for scrapers
==============  ==========================================================================================

``staff`` lists the platform staff roles that pass ``org``/``room_*`` relations as well. The decision
functions here are pure; the HTTP middleware and the chat layer resolve the target and call them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from identity.principal import Principal

Audience = Literal["anyone", "signed_in", "roles"]
Relation = Literal[
    "none", "self", "org", "room_view", "room_manage", "platform", "publisher", "capability", "operator"
]
Verdict = Literal["allow", "unauthenticated", "forbidden"]
Visibility = Literal["public", "logged_in", "org", "private"]


@dataclass(frozen=True, slots=True)
class Rule:
    audience: Audience
    relation: Relation = "none"
    roles: frozenset[str] = frozenset()
    staff: frozenset[str] = frozenset()  # platform staff roles that also pass
    note: str = ""
    limits: tuple[str, ...] = ()  # rate-limit rules (identity.limits) applied before the handler
    target: Literal["path", "body"] = "path"  # body: the handler resolves the target and calls decide()


@dataclass(frozen=True, slots=True)
class RoomFacts:
    """What the policy needs to know of a room."""

    slug: str
    org: str | None
    visibility: Visibility


def anyone(note: str = "", limits: tuple[str, ...] = ()) -> Rule:
    return Rule("anyone", "none", note=note, limits=limits)


def signed_in(relation: Relation = "self", note: str = "") -> Rule:
    return Rule("signed_in", relation, note=note)


def members(*roles: str, relation: Relation = "org", staff: tuple[str, ...] = ("admin",), note: str = "") -> Rule:
    return Rule("roles", relation, frozenset(roles), frozenset(staff), note)


def platform(*roles: str, note: str = "") -> Rule:
    return Rule("roles", "platform", frozenset(roles), frozenset(roles), note)


ORG_STAFF: Final = ("recruiter", "admin")
MODERATORS: Final = ("host", "admin")  # of the room's organisation; platform admins and reviewers too

#: Every HTTP route, by ``METHOD canonical-path``.
ROUTES: Final[dict[str, Rule]] = {
    # pages and operations: shells and assets are public; the data they load is not
    "GET /": anyone(), "GET /live/{room}": anyone(), "GET /studio/{room}": anyone(), "GET /office": anyone(),
    "GET /review": anyone(), "GET /review/reports/{month}": anyone(),
    "GET /me": anyone(), "GET /login": anyone(), "GET /static": anyone(),
    "GET /rules": anyone("the platform's rules (4.4.1 d)"), "GET /orgs/{org}": anyone("approved orgs only (§32)"),
    "GET /complaints/new": anyone("the complaint form (4.4.1 e)"),
    "GET /me/orgs": anyone("the registration page; its data needs a signed-in person"),
    "GET /complaints/follow/{token}": anyone("the page; its data needs the unguessable link"),
    "GET /healthz": anyone(), "GET /readyz": anyone(), "GET /api/v1/openapi.json": anyone(),
    "GET /metrics": Rule("anyone", "operator", note="the metrics token, or loopback when none is set"),
    # sign-in and sessions
    "POST /api/v1/auth/sms-code": anyone("also limited per phone", limits=("sms_code_ip",)),
    "POST /api/v1/auth/sms-login": anyone("the code proves the phone", limits=("sms_login_ip",)),
    "POST /api/v1/auth/login": anyone("also limited per account", limits=("login_ip",)),
    "POST /api/v1/auth/refresh": anyone("the session credential in the body authorises", limits=("login_ip",)),
    "GET /auth/link/{code}": anyone("one-time sign-in link", limits=("login_ip",)),
    "POST /api/v1/auth/token": signed_in(note="a short access token for WHIP/WHEP from pages"),
    "POST /api/v1/auth/logout": signed_in(), "POST /api/v1/auth/logout-all": signed_in(),
    "GET /api/v1/auth/whoami": signed_in(), "GET /api/v1/auth/sessions": signed_in(),
    "POST /api/v1/auth/password": members("admin", "recruiter", "host", "reviewer", relation="self"),
    "POST /api/v1/invitations/{code}/redeem": anyone("the code authorises; joining an existing account needs "
                                                      "that person's own session", limits=("redeem_ip",)),
    "POST /api/v1/users/{user_id}/sessions/revoke": platform("admin"),
    "GET /api/v1/admin/sms-outbox": platform("admin", note="simulated provider only"),
    # people's own data (个人信息保护法 §45, §47)
    "GET /api/v1/me/profile": signed_in(), "PUT /api/v1/me/profile": signed_in(),
    "PUT /api/v1/me/name": signed_in(), "GET /api/v1/me/applications": signed_in(),
    "GET /api/v1/me/interviews": signed_in(), "GET /api/v1/me/data": signed_in(), "DELETE /api/v1/me": signed_in(),
    "POST /api/v1/interviews/{interview_id}/answer": signed_in(note="only the invited candidate (handler)"),
    "POST /api/v1/jobs/{job_id}/applications": Rule("signed_in", "self", limits=("apply_user",)),
    # rooms
    "GET /api/v1/rooms": anyone("public rooms only"),
    "POST /api/v1/rooms": Rule("roles", "org", frozenset({"admin"}), frozenset({"admin"}),
                               "the org named in the body (default: the caller's)", target="body"),
    "GET /api/v1/rooms/{room}": Rule("anyone", "room_view"),
    "GET /api/v1/rooms/{room}/job-card": Rule("anyone", "room_view"),
    # recordings (4.3.1 a): the handler checks each recording's own visibility, on every byte served
    "GET /api/v1/rooms/{room}/recordings": Rule("anyone", "room_view", note="filtered by each one's visibility"),
    "GET /api/v1/orgs/{org}/clips": anyone("filtered by each clip's visibility"),
    "GET /api/v1/recordings/{id}": anyone("the recording's visibility (handler)"),
    "PATCH /api/v1/recordings/{id}": members(*MODERATORS, "recruiter", relation="none",
                                             note="visibility and title; of the room's organisation (handler)"),
    "GET /api/v1/recordings/{id}/media": anyone("the recording's visibility (handler), every range request"),
    "GET /api/v1/recordings/{id}/cards": anyone("the recording's visibility (handler)"),
    "GET /api/v1/recordings/{id}/chat": anyone("the recording's visibility and its owner's chat_replay (handler)"),
    "POST /api/v1/recordings/{id}/clips": members(*MODERATORS, "recruiter", relation="none",
                                                  note="of the room's organisation (handler)"),
    "POST /api/v1/review/recordings/{id}/takedown": platform("reviewer", "admin"),
    "GET /replay/{id}": anyone("the page; its data checks the recording's visibility"),
    "GET /api/v1/rooms/{room}/sessions": Rule("anyone", "room_view"),
    "GET /api/v1/rooms/{room}/stats": members(*MODERATORS, relation="room_manage", staff=("admin", "reviewer")),
    "POST /api/v1/rooms/{room}/pins": members(*MODERATORS, relation="room_manage"),
    "DELETE /api/v1/rooms/{room}/pins/{job_id}": members(*MODERATORS, relation="room_manage"),
    "GET /ws/rooms/{room}": Rule("anyone", "room_view", note="writing needs a signed-in person (CHAT_COMMANDS)"),
    "GET /api/v1/rooms/{room}/held": members(*MODERATORS, relation="room_manage", staff=("admin", "reviewer")),
    "GET /api/v1/rooms/{room}/audit": members(*MODERATORS, relation="room_manage", staff=("admin", "reviewer")),
    "POST /api/v1/rooms/{room}/held/{id}/approve": members(*MODERATORS, relation="room_manage",
                                                           staff=("admin", "reviewer")),
    "POST /api/v1/rooms/{room}/held/{id}/reject": members(*MODERATORS, relation="room_manage",
                                                          staff=("admin", "reviewer")),
    "DELETE /api/v1/rooms/{room}/messages/{id}": members(*MODERATORS, relation="room_manage",
                                                         staff=("admin", "reviewer")),
    # media (RFC 9725)
    "POST /whip/{room}": Rule("anyone", "publisher", note="stream key, or host/admin of the room's org",
                              limits=("whip_ip",)),
    "POST /whep/{room}": Rule("anyone", "room_view", limits=("whep_ip",)),
    "OPTIONS /whip/{room}": anyone(), "OPTIONS /whep/{room}": anyone(),
    "OPTIONS /whip/{room}/{session}": anyone(), "OPTIONS /whep/{room}/{session}": anyone(),
    "PATCH /whip/{room}/{session}": Rule("anyone", "capability"),
    "DELETE /whip/{room}/{session}": Rule("anyone", "capability"),
    "PATCH /whep/{room}/{session}": Rule("anyone", "capability"),
    "DELETE /whep/{room}/{session}": Rule("anyone", "capability"),
    "POST /whep/{room}/{session}/layer": Rule("anyone", "capability"),
    # jobs and the back office (5.1.x)
    "GET /api/v1/jobs": anyone("published jobs only"),
    "GET /api/v1/jobs/{job_id}": anyone("drafts: members of the job's org (handler)"),
    "PATCH /api/v1/jobs/{job_id}": members(*ORG_STAFF), "DELETE /api/v1/jobs/{job_id}": members(*ORG_STAFF),
    "GET /api/v1/orgs/{org}/jobs": members("recruiter", "admin", "host"),
    "POST /api/v1/orgs/{org}/jobs": members(*ORG_STAFF),
    "GET /api/v1/orgs/{org}/applications": members(*ORG_STAFF, note="resume visibility by the member tree"),
    "GET /api/v1/orgs/{org}/applications/stream": members(*ORG_STAFF),
    "GET /api/v1/applications/{application_id}": members(*ORG_STAFF),
    "POST /api/v1/applications/{application_id}/status": members(*ORG_STAFF),
    "POST /api/v1/applications/{application_id}/assign": members(*ORG_STAFF),
    "POST /api/v1/applications/{application_id}/notes": members(*ORG_STAFF),
    "POST /api/v1/applications/{application_id}/interviews": members(*ORG_STAFF),
    "POST /api/v1/applications/{application_id}/calls": members(*ORG_STAFF),
    "PUT /api/v1/orgs/{org}/members/me/phone": members("recruiter", "admin", "host", staff=()),
    "GET /api/v1/orgs/{org}/resume-reads": members("admin"),
    "GET /api/v1/orgs/{org}/qualifications": members(*ORG_STAFF, staff=("admin", "reviewer")),
    "POST /api/v1/orgs/{org}/sessions": Rule("roles", "org", frozenset({"recruiter", "admin", "host"}),
                                             frozenset({"admin"}), "the room must be the org's",
                                             ("session_create_user",)),
    "POST /api/v1/sessions/{session_id}/state": members("recruiter", "admin", "host"),
    "GET /api/v1/sessions/{session_id}/stats": members("recruiter", "admin", "host"),
    # members (5.1.2)
    "GET /api/v1/orgs/{org}/members": members("recruiter", "admin", "host"),
    "POST /api/v1/orgs/{org}/invitations": members("admin"),
    "DELETE /api/v1/orgs/{org}/members/{user_id}": members("admin"),
    "PUT /api/v1/orgs/{org}/members/{user_id}/role": members("admin"),
    # moderation terms (4.4.1 d)
    "GET /api/v1/orgs/{org}/moderation/terms": members("admin", staff=("admin", "reviewer")),
    "POST /api/v1/orgs/{org}/moderation/terms": members("admin", staff=("admin", "reviewer")),
    "POST /api/v1/moderation/terms": platform("admin", "reviewer"),
    "POST /api/v1/moderation/check": signed_in(),
    # governance (governance/web.py): complaints (4.4.1 e) are filed by anyone and handled by platform staff
    # only, so an organisation never sees or settles a complaint about itself
    "POST /api/v1/complaints": anyone("signed in or not", limits=("complaint_ip",)),
    "GET /api/v1/complaints/channel": anyone(),
    "GET /api/v1/complaints/follow/{token}": anyone("the unguessable follow-up link authorises: status and reply"),
    "GET /api/v1/review/complaints": platform("admin", "reviewer"),
    "POST /api/v1/review/complaints/{id}": platform("admin", "reviewer"),
    # flagged call records (5.1.3 d): a complaint against the call by one of its parties (checked by the handler)
    "POST /api/v1/calls/{call_id}/flag": signed_in(note="the call's candidate, or a recruiter/admin of its org"),
    "GET /api/v1/me/calls": signed_in(note="the calls made to the caller's applications"),
    "GET /api/v1/review/calls": platform("admin", "reviewer"),
    "POST /api/v1/review/calls/{id}": platform("admin", "reviewer"),
    # organisation registration and enterprise review (5.1.3 a, b): anyone signed in registers (pending);
    # the org's own admin proposes changes (pending again); platform staff decide
    "POST /api/v1/orgs": Rule("signed_in", "self", note="the registrant becomes admin once approved",
                              limits=("org_register_user",)),
    "GET /api/v1/me/orgs": signed_in(note="the organisations the caller registered"),
    "PATCH /api/v1/orgs/{org}": members("admin", staff=()),
    "GET /api/v1/orgs/{org}/public": anyone("an approved organisation's disclosures (条例 §32); others 404"),
    "GET /api/v1/review/orgs": platform("admin", "reviewer"),
    "POST /api/v1/review/orgs/{id}": platform("admin", "reviewer"),
    # licences with evidence (5.1.1, 4.2.3): the org's admin submits and follows; platform staff review
    "GET /api/v1/orgs/{org}/licences": members("admin", staff=("admin", "reviewer")),
    "POST /api/v1/orgs/{org}/licences": members("admin", staff=()),
    "GET /api/v1/orgs/{org}/licences/{id}/file": members("admin", staff=("admin", "reviewer")),
    "GET /api/v1/review/licences": platform("admin", "reviewer"),
    "POST /api/v1/review/licences/{id}": platform("admin", "reviewer"),
    # job review (5.1.3 c, 条例 §26): platform staff decide doubtful jobs; an organisation and platform staff
    # read a job's published versions
    # evaluation and improvement (6.1, 6.2): anyone signed in rates a session they watched or applied in (the
    # handler checks that); an org's admin rates the platform; platform staff read figures and keep actions
    "POST /api/v1/sessions/{session_id}/rating": signed_in("self"),
    "POST /api/v1/orgs/{org}/platform-rating": members("admin", staff=()),
    "GET /api/v1/orgs/{org}/ratings": members("recruiter", "admin", "host", staff=("admin", "reviewer")),
    "GET /api/v1/review/quality": platform("admin", "reviewer"),
    "GET /api/v1/review/reports/{month}": platform("admin", "reviewer"),
    "GET /api/v1/review/ratings": platform("admin", "reviewer"),
    "POST /api/v1/review/ratings/{id}": platform("admin", "reviewer"),
    "GET /api/v1/review/actions": platform("admin", "reviewer"),
    "POST /api/v1/review/actions": platform("admin", "reviewer"),
    "POST /api/v1/review/actions/{id}": platform("admin", "reviewer"),
    "GET /api/v1/review/jobs": platform("admin", "reviewer"),
    "POST /api/v1/review/jobs/{job_id}": platform("admin", "reviewer"),
    "GET /api/v1/jobs/{job_id}/versions": members("recruiter", "admin", "host", staff=("admin", "reviewer")),
    "GET /api/v1/jobs/{job_id}/mandate": members("recruiter", "admin", "host", staff=("admin", "reviewer")),
}

#: Every chat command (client frame type) on the room websocket; the socket itself needs ``room_view``.
CHAT_COMMANDS: Final[dict[str, Rule]] = {
    "ping": anyone(),
    "chat": signed_in("room_view", "a signed-in person who may see the room"),
    "report": signed_in("room_view"),
    "escalate": signed_in("room_view", "the report's own reporter only (chat.moderation_ops): to the complaint queue"),
    "apply": signed_in("room_view"),
    "delete": members(*MODERATORS, relation="room_manage", staff=("admin", "reviewer")),
    "mute": members(*MODERATORS, relation="room_manage", staff=("admin", "reviewer")),
    "ban": members(*MODERATORS, relation="room_manage", staff=("admin", "reviewer")),
    "slow_mode": members(*MODERATORS, relation="room_manage", staff=("admin", "reviewer")),
    "pin": members(*MODERATORS, relation="room_manage", staff=("admin", "reviewer")),
    "review": members(*MODERATORS, relation="room_manage", staff=("admin", "reviewer")),
    "pin_job": members(*MODERATORS, relation="room_manage"),
    "unpin_job": members(*MODERATORS, relation="room_manage"),
}


# ---- decisions (pure) --------------------------------------------------------------------------


def may_view_room(principal: Principal, room: RoomFacts) -> bool:
    """Room visibility: public to all; logged_in to anyone signed in; org to its members; private to the
    org's admins and hosts and to tokens scoped to the room; platform staff see every room. A token scoped
    to one room is valid only there (even a public room refuses it: the holder may come without it)."""
    if principal.room is not None and principal.room != room.slug:
        return False
    if room.visibility == "public":
        return True
    if principal.anonymous:
        return False
    if principal.is_platform_staff:
        return True
    if room.visibility == "logged_in":
        return True
    own_org = room.org is not None and principal.org == room.org
    if room.visibility == "org":
        return own_org or principal.room == room.slug
    return principal.room == room.slug or (own_org and principal.role in MODERATORS)


def manages_room(principal: Principal, room: RoomFacts) -> bool:
    """The room is the caller's organisation's (and the token is not scoped to another room), or the
    token is scoped to exactly this room."""
    if principal.anonymous or not principal.may_act_in_room(room.slug):
        return False
    return principal.room == room.slug or (room.org is not None and principal.org == room.org)


def audience(rule: Rule, principal: Principal) -> Verdict:
    """The audience half of a rule: anyone, anyone signed in, or the roles (and staff roles)."""
    if rule.audience == "anyone":
        return "allow"
    if principal.anonymous:
        return "unauthenticated"
    if rule.audience == "signed_in":
        return "allow"
    if principal.role in rule.roles or (principal.is_platform_staff and principal.role in rule.staff):
        return "allow"
    return "forbidden"


def decide(
    rule: Rule, principal: Principal, *, org: str | None = None, room: RoomFacts | None = None
) -> Verdict:
    """Whether ``principal`` may use ``rule`` on the target (``org`` or ``room``, resolved by the caller)."""
    verdict = audience(rule, principal)
    if verdict != "allow":
        return verdict
    staff = principal.is_platform_staff and principal.role in rule.staff
    relation = rule.relation
    if relation == "platform":
        return "allow" if staff else "forbidden"
    if relation == "org":
        if staff:
            return "allow"
        return "allow" if org is not None and principal.org == org and principal.room is None else "forbidden"
    if relation == "room_view":
        if room is None or may_view_room(principal, room):
            return "allow"
        return "unauthenticated" if principal.anonymous else "forbidden"
    if relation == "room_manage":
        if staff:
            return "allow"
        return "allow" if room is not None and principal.role in rule.roles and manages_room(principal, room) \
            else "forbidden"
    return "allow"


def chat_permissions(principal: Principal, room: RoomFacts) -> frozenset[str]:
    """The chat commands this caller may send in ``room`` (computed once per socket)."""
    return frozenset(name for name, rule in CHAT_COMMANDS.items() if decide(rule, principal, room=room) == "allow")


def may_publish(principal: Principal, room: RoomFacts) -> bool:
    """WHIP with a token instead of the stream key: a host or admin of the room's org, a host token scoped
    to the room, or a platform admin (H1: the organisation is always compared)."""
    if principal.anonymous or principal.role not in MODERATORS:
        return False
    return principal.is_platform_admin or manages_room(principal, room)
