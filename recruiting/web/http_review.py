"""The job review desk's endpoints (standard 5.1.3 c; 人力资源市场暂行条例 §26) and a job's published versions.

``GET /api/v1/review/jobs`` and ``POST /api/v1/review/jobs/{job_id}`` are for platform staff only (an
organisation never reviews its own jobs); ``GET /api/v1/jobs/{job_id}/versions`` for the job's organisation
and platform staff. The rules are in ``identity/policy.py``; the handlers check them again.
"""

from __future__ import annotations

from aiohttp import web

from common.errors import Forbidden
from common.http import read_json_object
from identity.principal import Principal
from recruiting.web.deps import Deps, int_query


def review_routes(deps: Deps) -> list[web.RouteDef]:
    service = deps.service

    def _staff(request: web.Request) -> Principal:
        principal = deps.caller(request, "admin", "reviewer")
        if not principal.is_platform_staff:
            raise Forbidden("forbidden", "只有平台审核人员可以审核岗位")
        return principal

    async def queue(request: web.Request) -> web.Response:
        _staff(request)
        state = request.query.get("state") or "pending_review"
        return web.json_response({"jobs": await service.job_queue(state, int_query(request, "limit") or 200)})

    async def decide(request: web.Request) -> web.Response:
        principal = _staff(request)
        body = await read_json_object(request)
        return web.json_response(await service.decide_job(request.match_info["job_id"], body, principal.user_id))

    async def versions(request: web.Request) -> web.Response:
        job = await service.job(request.match_info["job_id"])
        if not deps.caller(request).is_platform_staff:
            deps.org_member(request, job.org, "recruiter", "admin", "host")
        return web.json_response({"versions": await service.job_versions(job.id)})

    async def mandate(request: web.Request) -> web.Response:
        """An agency job's mandate document (PDF, PNG or JPEG, checked by its bytes at upload), served with its
        checked type and ``nosniff``."""
        job = await service.job(request.match_info["job_id"])
        if not deps.caller(request).is_platform_staff:
            deps.org_member(request, job.org, "recruiter", "admin", "host")
        data, content_type, name = await service.job_mandate(job.id)
        ascii_name = "".join(c if (c.isascii() and c.isalnum()) or c in "._-" else "_" for c in name) or "mandate"
        return web.Response(body=data, content_type=content_type, headers={
            "Content-Disposition": f'inline; filename="{ascii_name}"', "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store"})

    return [
        web.get("/api/v1/jobs/{job_id}/mandate", mandate),
        web.get("/api/v1/review/jobs", queue),
        web.post("/api/v1/review/jobs/{job_id}", decide),
        web.get("/api/v1/jobs/{job_id}/versions", versions),
    ]
