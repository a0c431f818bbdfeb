"""OpenAPI paths of recruiting, merged by the composition root into ``/api/v1/openapi.json``.

Kept next to the routes and checked by a test against the router, so the
document cannot drift from what the server serves.
"""

from __future__ import annotations

from typing import Any

_BEARER: list[dict[str, list[str]]] = [{"bearer": []}]

_JOB: dict[str, Any] = {
    "type": "object",
    "required": ["id", "title", "org", "kind"],
    "properties": {
        "id": {"type": "string"},
        "title": {"type": "string"},
        "org": {"type": "string"},
        "kind": {"type": "string", "enum": ["own", "agency", "dispatch"]},
        "employer": {"type": "string"},
        "location": {"type": "string"},
        "salary_min": {"type": "integer"},
        "salary_max": {"type": "integer"},
        "headcount": {"type": "integer"},
        "requirements": {"type": "string"},
        "benefits": {"type": "string"},
        "valid_from": {"type": "integer", "description": "ms since epoch"},
        "valid_until": {"type": "integer", "description": "ms since epoch"},
        "status": {"type": "string", "enum": ["draft", "pending_review", "published", "rejected", "closed"]},
        "industry": {"type": ["string", "null"], "description": "industry code (governance's list, 5.1.3 b)"},
        "client_company": {"type": ["string", "null"], "description": "agency jobs: the company recruited for"},
        "mandate_ref": {"type": ["string", "null"], "description": "agency jobs: the mandate's reference number"},
        "mandate_valid_until": {"type": ["integer", "null"], "description": "agency jobs: the mandate's end (ms); "
                                "the job's valid_until must not be later (422 mandate_expires_first)"},
        "mandate_file": {"type": ["object", "null"], "description": "agency jobs: the mandate document; sent as "
                         "{name, content_type?, data: base64} (PDF, PNG or JPEG), answered as {sha256, "
                         "content_type, size, name}"},
        "version": {"type": "integer", "description": "the last published version (0: never published)"},
    },
}
_MS: dict[str, Any] = {"type": "integer", "minimum": 0, "maximum": 2**53, "description": "ms since epoch"}
_JOB_INPUT = {  # what a client sends to post a job; every integer bounded (else 422 out_of_range)
    "type": "object",
    "required": ["title", "employer", "kind", "location", "salary_min", "salary_max", "headcount"],
    "properties": {
        "id": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$",
               "description": "optional; omit it and the server generates one (409 job_exists when taken)"},
        **{k: v for k, v in _JOB["properties"].items() if k not in ("id", "org", "version")},
        "status": {"type": "string", "enum": ["draft", "published", "closed"],
                   "description": "published (default): a doubtful post is stored pending_review instead"},
        "salary_min": {"type": "integer", "minimum": 1, "maximum": 10**9},
        "salary_max": {"type": "integer", "minimum": 1, "maximum": 10**9},
        "headcount": {"type": "integer", "minimum": 1, "maximum": 10**6},
        "valid_from": _MS,
        "valid_until": _MS,
    },
}
_APPLY_RESULT = {
    "type": "object",
    "required": ["type", "ref", "job_id", "application_id", "status"],
    "properties": {
        "type": {"const": "apply_result"},
        "ref": {"type": ["string", "null"]},
        "job_id": {"type": "string"},
        "application_id": {"type": ["string", "null"]},
        "status": {"enum": ["delivered", "duplicate", "needs_profile", "needs_consent"]},
    },
}
_PROFILE = {
    "type": "object",
    "required": ["name", "phone", "resume"],
    "properties": {
        "name": {"type": "string"},
        "phone": {"type": "string"},
        "resume": {"type": "string"},
        "consent_to_share": {"type": "boolean", "description": "separate consent, 个人信息保护法 §23"},
    },
}
_MEMBER = {
    "type": "object",
    "required": ["user", "name", "role", "phone_set", "phone_masked"],
    "properties": {
        "user": {"type": "string"},
        "name": {"type": "string"},
        "role": {"type": "string", "enum": ["admin", "recruiter", "host"]},
        "reports_to": {"type": ["string", "null"]},
        "phone_set": {"type": "boolean", "description": "whether the member's own phone (AXB A) is set"},
        "phone_masked": {"type": ["string", "null"], "description": "e.g. 138****78; null when not set; never the number"},
    },
}
_CALL = {
    "type": "object",
    "required": ["x", "call_id", "started_at", "ended_at", "release_cause"],
    "properties": {
        "x": {"type": "string", "description": "the virtual number X"},
        "call_id": {"type": "string"},
        "started_at": {"type": "integer"},
        "answered_at": {"type": ["integer", "null"]},
        "ended_at": {"type": "integer"},
        "release_cause": {"type": "string"},
        "hint": {"type": "string", "description": "present when the caller has no phone set and the simulated "
                                                   "provider bound the member id as A"},
    },
}


def _op(summary: str, codes: dict[str, str], *, auth: bool = True, body: dict[str, Any] | None = None,
        params: tuple[str, ...] = (), query: tuple[str, ...] = (), schema: dict[str, Any] | None = None) -> dict[str, Any]:
    responses: dict[str, Any] = {code: {"description": text} for code, text in codes.items()}
    if schema is not None:
        first = next(iter(codes))
        responses[first]["content"] = {"application/json": {"schema": schema}}
    for code in codes:
        if int(code) >= 400:
            responses[code]["content"] = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    operation: dict[str, Any] = {"summary": summary, "tags": ["recruiting"], "responses": responses}
    if auth:
        operation["security"] = _BEARER
    parameters = [{"name": p, "in": "path", "required": True, "schema": {"type": "string"}} for p in params]
    parameters += [{"name": q, "in": "query", "required": False, "schema": {"type": "string"}} for q in query]
    if parameters:
        operation["parameters"] = parameters
    if body is not None:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    return operation


_OBJ: dict[str, Any] = {"type": "object"}
_COUNT: dict[str, Any] = {"type": "integer", "minimum": 0}
_ERASED: dict[str, Any] = {  # the answer of DELETE /api/v1/me (个人信息保护法 §47); a repeated call answers zeros
    "type": "object",
    "required": ["deleted", "deidentified", "released_virtual_numbers", "kept"],
    "properties": {
        "deleted": {
            "type": "object",
            "required": ["profile", "unsent_reminders", "unpublished_events", "member_phones", "events",
                         "chat_messages", "replay_chat", "sessions", "account"],
            "properties": {
                "profile": {"type": "boolean"},
                "unsent_reminders": _COUNT,
                "unpublished_events": {**_COUNT, "description": "outbox rows not yet relayed"},
                "member_phones": _COUNT,
                "events": {**_COUNT, "description": "published delivery/interview events of my applications "
                                                    "(Redis stream entries; memory: unread office buffers)"},
                "chat_messages": {**_COUNT, "description": "my chat messages removed from every room's history, "
                                                           "plus review-queue items by or about me and "
                                                           "announcements I pinned as host"},
                "replay_chat": {**_COUNT, "description": "my chat lines kept with replays of lives"},
                "sessions": {**_COUNT, "description": "my sign-in sessions ended (every token and cookie)"},
                "account": {**_COUNT, "description": "my account (sign-in phone; memberships go with it)"},
            },
        },
        "deidentified": {"type": "object", "properties": {"applications": _COUNT, "interviews": _COUNT}},
        "released_virtual_numbers": _COUNT,
        "kept": {"type": "array", "items": {"type": "string"}, "description": "what is kept, and why (Chinese)"},
    },
}
_DENIED = {"401": "no token", "403": "not allowed"}


def paths() -> dict[str, Any]:
    """The recruiting paths of the OpenAPI 3.1 document."""
    org, app, job = ("org",), ("application_id",), ("job_id",)
    return {
        "/api/v1/jobs": {"get": _op("Published jobs (public)", {"200": "jobs"}, auth=False, query=("org",),
                                    schema={"type": "array", "items": _JOB})},
        "/api/v1/jobs/{job_id}": {
            "get": _op("One job", {"200": "job", "404": "unknown"}, auth=False, params=job, schema=_JOB),
            "patch": _op("Edit a job (org recruiter)", {"200": "job", "400": "invalid", **_DENIED}, params=job, body=_OBJ),
            "delete": _op("Close a job", {"200": "closed", **_DENIED}, params=job),
        },
        "/api/v1/jobs/{job_id}/applications": {
            "post": _op("Apply (viewer): same contract as the apply frame",
                        {"201": "delivered", "200": "duplicate / needs_profile / needs_consent", "404": "job unavailable",
                         "401": "no token"}, params=job, schema=_APPLY_RESULT,
                        body={"type": "object", "properties": {"ref": {"type": "string"}, "room": {"type": "string"}}}),
        },
        "/api/v1/rooms/{room}/job-card": {"get": _op("The card pinned now", {"200": "card or null"}, auth=False,
                                                     params=("room",))},
        "/api/v1/me/profile": {
            "get": _op("My profile", {"200": "profile", "401": "no token"}),
            "put": _op("Set my profile and consent", {"200": "profile", "400": "invalid", "401": "no token"}, body=_PROFILE),
        },
        "/api/v1/me/applications": {"get": _op("My applications", {"200": "list", "401": "no token"})},
        "/api/v1/me/interviews": {"get": _op("My interview invitations", {"200": "list", "401": "no token"})},
        "/api/v1/me/data": {"get": _op("Export everything held about me (个人信息保护法 §45)",
                                       {"200": "profile, consents, applications, interviews, virtual numbers, resume reads, "
                                               "memberships, chat_messages (mine still in any room's history), chat_review_queue "
                                               "(my held messages, my reports, reports about me without the reporter), replay_chat (my lines "
                                               "kept with replays), account (my "
                                               "sign-in phone and live sessions)",
                                        "401": "no token"}, schema=_OBJ)},
        "/api/v1/me": {"delete": _op("Delete my data; applications are kept de-identified (个人信息保护法 §47)",
                                     {"200": "what was deleted, de-identified and kept", "401": "no token",
                                      "422": "confirm missing"}, schema=_ERASED,
                                     body={"type": "object", "required": ["confirm"],
                                           "properties": {"confirm": {"const": True}}})},
        "/api/v1/interviews/{interview_id}/answer": {
            "post": _op("Accept, decline or ask for another time", {"200": "interview", "400": "invalid", **_DENIED},
                        params=("interview_id",),
                        body={"type": "object", "properties": {"answer": {"enum": ["accept", "decline", "reschedule"]},
                                                               "note": {"type": "string"}}}),
        },
        "/api/v1/orgs/{org}/applications": {
            "get": _op("The org's inbox (recruiter or org admin)", {"200": "applications", **_DENIED}, params=org,
                       query=("job_id", "status", "room", "session", "since", "until", "limit")),
        },
        "/api/v1/orgs/{org}/applications/stream": {
            "get": _op("Live inbox: text/event-stream of application events", {"200": "event stream", **_DENIED}, params=org),
        },
        "/api/v1/applications/{application_id}": {
            "get": _op("One application with resume (audited read; ?purpose=screening|interview|contact|offer|audit, "
                       "recorded with the read and in the service ledger)",
                       {"200": "application", "404": "unknown", "422": "invalid purpose", **_DENIED},
                       params=app, query=("purpose",)),
        },
        "/api/v1/applications/{application_id}/status": {
            "post": _op("Move in the pipeline", {"200": "ok", "409": "invalid transition", **_DENIED}, params=app,
                        body={"type": "object", "properties": {"status": {"type": "string"}}}),
        },
        "/api/v1/applications/{application_id}/assign": {
            "post": _op("Assign to a member", {"200": "ok", "400": "not a member", **_DENIED}, params=app, body=_OBJ),
        },
        "/api/v1/applications/{application_id}/notes": {
            "post": _op("Add a note", {"201": "added", "400": "invalid", **_DENIED}, params=app, body=_OBJ),
        },
        "/api/v1/applications/{application_id}/interviews": {
            "post": _op("Invite to an interview", {"201": "interview", "400": "invalid", **_DENIED}, params=app,
                        body={"type": "object", "required": ["at", "contact"],
                              "properties": {"at": {"type": "integer"}, "place": {"type": "string"},
                                             "link": {"type": "string"}, "contact": {"type": "string"}}}),
        },
        "/api/v1/applications/{application_id}/calls": {
            "post": _op("Call through a virtual number (AXB; A is the caller's own phone)",
                        {"201": "call record", "409": "recruiter_phone_required (real provider, no phone set)",
                         "503": "no number", **_DENIED}, params=app, schema=_CALL),
        },
        "/api/v1/orgs/{org}/resume-reads": {"get": _op("Audit of resume reads (org admin)", {"200": "reads", **_DENIED},
                                                       params=org)},
        "/api/v1/orgs/{org}/jobs": {
            "get": _op("The org's jobs", {"200": "jobs", **_DENIED}, params=org),
            "post": _op("Post a job (needs the licence for its kind)",
                        {"201": "job", "400": "invalid or nested too deep", "401": "no token",
                         "403": "qualification_required", "409": "job_exists (a chosen id is taken)",
                         "422": "out_of_range, invalid_id or job_text_refused"},
                        params=org, body=_JOB_INPUT),
        },
        "/api/v1/review/jobs": {"get": _op("The job review queue (platform staff)", {"200": "jobs", **_DENIED},
                                           query=("state", "limit"))},
        "/api/v1/review/jobs/{job_id}": {
            "post": _op("Approve or reject a pending job (platform staff)",
                        {"200": "job", "404": "unknown", "409": "not_pending / job_changed",
                         "422": "invalid_decision / reason_required", **_DENIED}, params=job,
                        body={"type": "object", "required": ["decision"],
                              "properties": {"decision": {"enum": ["approve", "reject"]}, "reason": {"type": "string"}}}),
        },
        "/api/v1/jobs/{job_id}/mandate": {"get": _op("An agency job's mandate document (its org, platform staff)",
                                                     {"200": "the file (PDF, PNG or JPEG)", "404": "none",
                                                      **_DENIED}, params=job)},
        "/api/v1/jobs/{job_id}/versions": {"get": _op("A job's published versions (its org, platform staff)",
                                                      {"200": "versions", "404": "unknown", **_DENIED}, params=job)},
        "/api/v1/orgs/{org}/qualifications": {  # filing and review: governance's /orgs/{org}/licences, /review/licences
            "get": _op("The org's licences (read-only; submit with POST /api/v1/orgs/{org}/licences)",
                       {"200": "list", **_DENIED}, params=org),
        },
        "/api/v1/orgs/{org}/sessions": {"post": _op("Plan a live session", {"201": "session", **_DENIED}, params=org,
                                                    body=_OBJ)},
        "/api/v1/rooms/{room}/sessions": {"get": _op("Sessions of a room", {"200": "list"}, auth=False, params=("room",))},
        "/api/v1/sessions/{session_id}/state": {
            "post": _op("Start or end a session", {"200": "session", **_DENIED}, params=("session_id",), body=_OBJ),
        },
        "/api/v1/sessions/{session_id}/stats": {
            "get": _op("Statistics of a session", {"200": "stats", **_DENIED}, params=("session_id",)),
        },
        "/api/v1/rooms/{room}/pins": {"post": _op("Pin a job card (host)", {"201": "job_card", **_DENIED},
                                                  params=("room",), body=_OBJ)},
        "/api/v1/rooms/{room}/pins/{job_id}": {"delete": _op("Unpin a job card (host)", {"200": "job_card", **_DENIED},
                                                             params=("room", "job_id"))},
        "/api/v1/orgs/{org}/members": {"get": _op("Members of the org (phones masked)", {"200": "members", **_DENIED},
                                                  params=org, schema={"type": "array", "items": _MEMBER})},
        "/api/v1/orgs/{org}/members/me/phone": {
            "put": _op("Set my own mobile number (A of the AXB binding), stored encrypted",
                       {"200": "masked", "400": "malformed body", "404": "not a member", "422": "invalid_phone",
                        **_DENIED}, params=org,
                       schema={"type": "object", "properties": {"user": {"type": "string"},
                                                                "phone_set": {"type": "boolean"},
                                                                "phone_masked": {"type": "string"}}},
                       body={"type": "object", "required": ["phone"],
                             "properties": {"phone": {"type": "string", "pattern": "^1[3-9][0-9]{9}$"}}}),
        },
    }
