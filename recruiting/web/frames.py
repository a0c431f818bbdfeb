"""Chat frame handlers of recruiting: ``apply``, ``pin_job``, ``unpin_job``.

The chat layer calls a handler with a :class:`common.frames.FrameContext` and the decoded
frame; recruiting never imports chat.
"""

from __future__ import annotations

from collections.abc import Awaitable, Mapping
from typing import Any, Protocol

from common.errors import LivehireError
from common.frames import FrameContext, FrameHandler, error_frame, error_frame_of
from identity.principal import Principal
from recruiting.domain.apply import ApplyOutcome


class FrameDesk(Protocol):
    """What the frames need of the recruiting service (:class:`recruiting.service.RecruitingService`):
    the adapter depends on this, not on the service, so neither module imports the other."""

    def apply(self, user_id: str, job_id: str, *, ref: str | None, room: str | None) -> Awaitable[ApplyOutcome]: ...

    def apply_result_frame(self, outcome: ApplyOutcome) -> dict[str, Any]: ...

    async def pin_job(self, room: str, job_id: str, principal: Principal) -> dict[str, Any]: ...

    async def unpin_job(self, room: str, job_id: str, principal: Principal) -> dict[str, Any]: ...


def _ref(frame: Mapping[str, Any]) -> str | None:
    ref = frame.get("ref")
    if ref is None:
        return None
    return str(ref)[:128]


def build_handlers(service: FrameDesk) -> dict[str, FrameHandler]:
    async def apply(ctx: FrameContext[Principal], frame: dict[str, Any]) -> None:
        ref = _ref(frame)
        job_id = frame.get("job_id")
        if ctx.principal.anonymous:
            ctx.reply(error_frame("login_required", "登录后才能投递简历", ref))
            return
        if not isinstance(job_id, str) or not job_id or len(job_id) > 64:
            ctx.reply(error_frame("invalid_job", "job_id 不正确", ref))
            return
        try:
            outcome = await service.apply(ctx.principal.user_id, job_id, ref=ref, room=ctx.room)
        except LivehireError as exc:  # e.g. the database is away: ``unavailable``, nothing acknowledged
            ctx.reply(error_frame_of(exc, ref))
            return
        if outcome.status == "job_unavailable":
            ctx.reply(error_frame("job_unavailable", "该岗位已下线或不存在", ref))
            return
        ctx.reply(service.apply_result_frame(outcome))

    async def pin_job(ctx: FrameContext[Principal], frame: dict[str, Any]) -> None:
        ref = _ref(frame)
        try:
            card = await service.pin_job(ctx.room, str(frame.get("job_id") or ""), ctx.principal)
        except LivehireError as exc:
            ctx.reply(error_frame_of(exc, ref))
            return
        await ctx.broadcast(card)

    async def unpin_job(ctx: FrameContext[Principal], frame: dict[str, Any]) -> None:
        ref = _ref(frame)
        try:
            card = await service.unpin_job(ctx.room, str(frame.get("job_id") or ""), ctx.principal)
        except LivehireError as exc:
            ctx.reply(error_frame_of(exc, ref))
            return
        await ctx.broadcast(card)

    return {"apply": apply, "pin_job": pin_job, "unpin_job": unpin_job}
