"""Back-office endpoints (standard 5.1.4): inbox, live feed, pipeline, notes, calls, interviews.

A member sets their own phone with ``PUT /api/v1/orgs/{org}/members/me/phone``;
it becomes A of the AXB binding when they call a candidate (5.1.5).

The live feed ``GET /api/v1/orgs/{org}/applications/stream`` is a
``text/event-stream`` fed from the event log, so an apply committed on any
node shows up on every node's open office page.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref

from aiohttp import web

from common.errors import Forbidden, Invalid
from common.http import read_json_object
from recruiting.events.encoding import event_json, json_encoder
from recruiting.events.fanout import EventSubscription
from recruiting.web.deps import Deps, int_query

HEARTBEAT_SECONDS = 15.0
Feeds = weakref.WeakSet[EventSubscription]


def end_feeds(feeds: Feeds) -> None:
    """Shutdown: every open live feed ends now (its handler writes the end of the stream and returns), so
    the server does not wait out its grace period for them (security review L8: 10 s with one feed)."""
    for subscription in list(feeds):
        subscription.close()


def office_routes(deps: Deps, feeds: Feeds | None = None) -> list[web.RouteDef]:
    """``feeds``: where the open live feeds are kept, so shutdown can end them (:func:`end_feeds`)."""
    service = deps.service

    async def _application_access(request: web.Request) -> tuple[str, str, str]:
        """(application, caller, org): the caller must be of the org and allowed to read this job's resumes (5.1.2)."""
        application_id = request.match_info["application_id"]
        org, owner, assigned = await service.application_access(application_id)
        principal = deps.org_member(request, org)
        if not (await service.visibility(org, principal)).allows(owner, assigned):
            raise Forbidden("not_your_job", "你无权查看这个岗位的简历")
        return application_id, principal.user_id, org

    async def _application_org(request: web.Request) -> tuple[str, str]:
        """(application, caller) for the handlers that do not need the org."""
        application_id, user_id, _ = await _application_access(request)
        return application_id, user_id

    async def inbox(request: web.Request) -> web.Response:
        org = request.match_info["org"]
        principal = deps.org_member(request, org)
        session_id = request.query.get("session") or None
        since = int_query(request, "since")
        until = int_query(request, "until")
        room = request.query.get("room") or None
        if session_id:
            room, since, until = await service.session_window(session_id)
        rows = await service.inbox(
            org,
            await service.visibility(org, principal),
            job_id=request.query.get("job_id") or None,
            status=request.query.get("status") or None,
            room=room,
            since=since,
            until=until,
            limit=int_query(request, "limit") or 200,
        )
        return web.json_response(rows)

    encode = json_encoder()  # one encoder, not one per event

    async def stream(request: web.Request) -> web.StreamResponse:
        org = request.match_info["org"]
        principal = deps.org_member(request, org)
        visibility = await service.visibility(org, principal)
        subscription = service.subscribe_events()
        if feeds is not None:
            feeds.add(subscription)
        response = web.StreamResponse(
            headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        )
        await response.prepare(request)
        try:
            await response.write(b"event: ready\ndata: {}\n\n")
            while True:
                try:
                    batch = await asyncio.wait_for(subscription.next_batch(), HEARTBEAT_SECONDS)
                except TimeoutError:
                    batch = []
                if not deps.signed_in(principal):  # logged out or removed: nothing more reaches this feed
                    await response.write(b"event: session_ended\ndata: {}\n\n")
                    break
                if batch == []:
                    await response.write(b": heartbeat\n\n")
                    continue
                if batch is None:
                    break
                chunk = "".join(
                    f"event: {event.get('type', 'message')}\ndata: {event_json(event, encode)}\n\n"
                    for event in batch
                    if event.get("org") == org and (event.get("type") != "application" or visibility.allows_event(event))
                )
                if chunk:
                    await response.write(chunk.encode())
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        finally:
            subscription.close()
        with contextlib.suppress(ConnectionResetError):
            await response.write_eof()
        return response

    async def open_application(request: web.Request) -> web.Response:
        application_id, reader = await _application_org(request)
        purpose = request.query.get("purpose")
        return web.json_response(await service.open_application(application_id, reader, purpose))

    async def set_status(request: web.Request) -> web.Response:
        application_id, actor = await _application_org(request)
        body = await read_json_object(request)
        await service.set_status(application_id, str(body.get("status", "")), actor)
        return web.json_response({"ok": True})

    async def assign(request: web.Request) -> web.Response:
        application_id, actor = await _application_org(request)
        body = await read_json_object(request)
        await service.assign(application_id, str(body.get("member", "")), actor)
        return web.json_response({"ok": True})

    async def note(request: web.Request) -> web.Response:
        application_id, actor = await _application_org(request)
        body = await read_json_object(request)
        await service.note(application_id, str(body.get("text", "")), actor)
        return web.json_response({"ok": True}, status=201)

    async def invite(request: web.Request) -> web.Response:
        """Standard 4.3.1 c: the candidate sees it on /me and, if connected, in the room."""
        application_id, actor = await _application_org(request)
        interview = await service.invite(application_id, await read_json_object(request), actor)
        return web.json_response(interview, status=201)

    async def call(request: web.Request) -> web.Response:
        """Standard 5.1.5: bind A=recruiter's phone, B=candidate → X; the office sees X only."""
        application_id, actor, org = await _application_access(request)
        return web.json_response(await service.call(application_id, org, actor), status=201)

    async def set_my_phone(request: web.Request) -> web.Response:
        """The calling member's own mobile number (any role of the org), stored sealed, answered masked."""
        org = request.match_info["org"]
        principal = deps.org_member(request, org, "recruiter", "admin", "host")
        body = await read_json_object(request)
        if "phone" not in body:
            raise Invalid("missing_phone", "需要 phone 字段")
        return web.json_response(await service.set_member_phone(org, principal.user_id, body["phone"]))

    async def reads(request: web.Request) -> web.Response:
        org = request.match_info["org"]
        deps.org_member(request, org, "admin")
        return web.json_response(await service.resume_reads(org))

    async def org_jobs(request: web.Request) -> web.Response:
        org = request.match_info["org"]
        deps.org_member(request, org, "recruiter", "admin", "host")
        return web.json_response(await service.org_jobs(org))

    async def create_job(request: web.Request) -> web.Response:
        """Standard 5.1.1: the job kind needs the matching verified licence."""
        org = request.match_info["org"]
        principal = deps.org_member(request, org)
        body = await read_json_object(request, max_bytes=service.jobs.body_limit)  # an agency job's mandate file
        job = await service.create_job(org, body, created_by=principal.user_id)
        return web.json_response(job, status=201)

    async def update_job(request: web.Request) -> web.Response:
        job = await service.job(request.match_info["job_id"])
        deps.org_member(request, job.org)
        body = await read_json_object(request, max_bytes=service.jobs.body_limit)
        return web.json_response(await service.update_job(job.id, body))

    async def close_job(request: web.Request) -> web.Response:
        job = await service.job(request.match_info["job_id"])
        deps.org_member(request, job.org)
        await service.close_job(job.id)
        return web.json_response({"ok": True})

    async def qualifications(request: web.Request) -> web.Response:
        """The org's recruiters and admins, and platform staff who review licences (5.1.1)."""
        org = request.match_info["org"]
        if not deps.caller(request).is_platform_staff:
            deps.org_member(request, org)
        return web.json_response(await service.qualifications(org))

    return [
        web.get("/api/v1/orgs/{org}/applications", inbox),
        web.get("/api/v1/orgs/{org}/applications/stream", stream),
        web.get("/api/v1/applications/{application_id}", open_application),
        web.post("/api/v1/applications/{application_id}/status", set_status),
        web.post("/api/v1/applications/{application_id}/assign", assign),
        web.post("/api/v1/applications/{application_id}/notes", note),
        web.post("/api/v1/applications/{application_id}/interviews", invite),
        web.post("/api/v1/applications/{application_id}/calls", call),
        web.put("/api/v1/orgs/{org}/members/me/phone", set_my_phone),
        web.get("/api/v1/orgs/{org}/resume-reads", reads),
        web.get("/api/v1/orgs/{org}/jobs", org_jobs),
        web.post("/api/v1/orgs/{org}/jobs", create_job),
        web.patch("/api/v1/jobs/{job_id}", update_job),
        web.delete("/api/v1/jobs/{job_id}", close_job),
        web.get("/api/v1/orgs/{org}/qualifications", qualifications),
    ]
