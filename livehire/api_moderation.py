"""Moderation over REST: run-time terms per organisation or platform, and a decision preview.

Standard 4.4.1 d asks for published review rules and 5.1.3 d for the filter
on chats; organisations know their own evasions (a competitor's app name, a
local slang word for a deposit), so their admins add terms without a
restart. Terms are stored (``store.terms``) and every node adds
new rows to its engine within :data:`SYNC_INTERVAL_SECONDS`.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from typing import Any

from aiohttp import web

from common.errors import Forbidden, Invalid, NotFound
from common.http import read_json_object
from common.periodic import every
from identity.http import require
from identity.principal import Principal
from livehire import keys
from moderation.decision import CATEGORIES
from moderation.engine import Moderator
from store.terms import TermRepository

SYNC_INTERVAL_SECONDS = 10.0
MAX_TERMS_PER_REQUEST = 200
MAX_TERM_LENGTH = 100
log = logging.getLogger("livehire.moderation")


class TermSync:
    """Feeds stored terms into this node's :class:`Moderator`, oldest first, each once."""

    def __init__(self, terms: TermRepository, moderator: Moderator) -> None:
        self._terms = terms
        self.moderator = moderator
        self._last_id = 0
        self._lock = asyncio.Lock()

    async def sync(self) -> int:
        async with self._lock:
            rows = await self._terms.since(self._last_id)
            groups: dict[tuple[str | None, str], list[str]] = defaultdict(list)
            for row in rows:
                groups[(row.org, row.category)].append(row.term)
                self._last_id = row.id
            for (org, category), words in groups.items():
                self.moderator.add_terms(category, words, org=org)
            return len(rows)


TERM_SYNC = web.AppKey("term_sync", TermSync)


def _terms_body(body: dict[str, Any]) -> tuple[str, list[str]]:
    category = body.get("category")
    terms = body.get("terms")
    if category not in CATEGORIES:
        raise Invalid("invalid_category", f"category 必须是 {', '.join(CATEGORIES)} 之一")
    if not isinstance(terms, list) or not terms or len(terms) > MAX_TERMS_PER_REQUEST:
        raise Invalid("invalid_terms", f"terms 必须是 1 到 {MAX_TERMS_PER_REQUEST} 个字符串的列表")
    cleaned = []
    for term in terms:
        if not isinstance(term, str) or not term.strip() or len(term.strip()) > MAX_TERM_LENGTH:
            raise Invalid("invalid_terms", f"每个词条必须是不超过 {MAX_TERM_LENGTH} 个字符的非空字符串")
        cleaned.append(term.strip())
    return str(category), cleaned


def _org_admin(request: web.Request, org: str) -> Principal:
    principal = require(request.app[keys.AUTHENTICATE], request, "admin", "reviewer")
    platform = principal.org is None
    if not platform and not (principal.role == "admin" and principal.org == org):
        raise Forbidden("forbidden", "只有本机构管理员或平台审核人员可以修改本机构的词条")
    return principal


async def add_org_terms(request: web.Request) -> web.Response:
    org = request.match_info["org"]
    principal = _org_admin(request, org)
    if await request.app[keys.ORGS].get_org(org) is None:
        raise NotFound("unknown_org", f"没有机构 {org!r}")
    category, terms = _terms_body(await read_json_object(request))
    added = await TermRepository(request.app[keys.STORE]).add(org, category, terms, principal.user_id)
    await request.app[TERM_SYNC].sync()
    log.info("organisation terms added", extra={"org": org, "category": category, "added": added, "by": principal.user_id})
    return web.json_response({"org": org, "category": category, "added": added}, status=201)


async def list_org_terms(request: web.Request) -> web.Response:
    org = request.match_info["org"]
    _org_admin(request, org)
    rows = await TermRepository(request.app[keys.STORE]).since(0, org=org)
    return web.json_response({"org": org, "terms": [row.to_json() for row in rows]})


async def add_platform_terms(request: web.Request) -> web.Response:
    principal = require(request.app[keys.AUTHENTICATE], request, "admin", "reviewer")
    if principal.org is not None:
        raise Forbidden("forbidden", "全平台词条只能由平台审核人员或管理员修改")
    category, terms = _terms_body(await read_json_object(request))
    added = await TermRepository(request.app[keys.STORE]).add(None, category, terms, principal.user_id)
    await request.app[TERM_SYNC].sync()
    return web.json_response({"org": None, "category": category, "added": added}, status=201)


async def check_text(request: web.Request) -> web.Response:
    """What the filter decides for a text (job-post editors preview before publishing)."""
    principal = require(request.app[keys.AUTHENTICATE], request)
    body = await read_json_object(request)
    text = body.get("text")
    context = body.get("context", "chat")
    if not isinstance(text, str) or len(text) > 10_000:
        raise Invalid("invalid_text", "text 必须是不超过 10000 个字符的字符串")
    if context not in {"chat", "job"}:
        raise Invalid("invalid_context", "context 必须是 chat 或 job")
    decision = request.app[TERM_SYNC].moderator.moderate(
        text, role=principal.role, context=context, org=principal.org
    )
    return web.json_response({**decision.to_json(), "message": decision.message})


def term_sync_context(sync: TermSync) -> Callable[[web.Application], AsyncIterator[None]]:
    async def context(_app: web.Application) -> AsyncIterator[None]:
        await sync.sync()
        async with every(SYNC_INTERVAL_SECONDS, sync.sync, name="moderation term sync"):
            yield

    return context


def install_moderation_api(app: web.Application, sync: TermSync) -> None:
    app[TERM_SYNC] = sync
    app.cleanup_ctx.append(term_sync_context(sync))
    app.router.add_post("/api/v1/orgs/{org}/moderation/terms", add_org_terms)
    app.router.add_get("/api/v1/orgs/{org}/moderation/terms", list_org_terms)
    app.router.add_post("/api/v1/moderation/terms", add_platform_terms)
    app.router.add_post("/api/v1/moderation/check", check_text)


_ORG = {"name": "org", "in": "path", "required": True, "schema": {"type": "string"}}
_TERMS_ERRORS = {"401": {"description": "no token"}, "403": {"description": "not allowed"},
                 "422": {"description": "invalid category or terms"}}
OPENAPI_PATHS: dict[str, Any] = {
    "/api/v1/orgs/{org}/moderation/terms": {
        "post": {"summary": "Add moderation terms for this organisation (org admin, platform reviewer)",
                 "security": [{"bearer": []}], "parameters": [_ORG],
                 "responses": {"201": {"description": "added"}, **_TERMS_ERRORS}},
        "get": {"summary": "Terms this organisation added", "security": [{"bearer": []}], "parameters": [_ORG],
                "responses": {"200": {"description": "terms"}, **_TERMS_ERRORS}},
    },
    "/api/v1/moderation/terms": {
        "post": {"summary": "Add platform-wide moderation terms (platform reviewer/admin)",
                 "security": [{"bearer": []}], "responses": {"201": {"description": "added"}, **_TERMS_ERRORS}},
    },
    "/api/v1/moderation/check": {
        "post": {"summary": "The filter's decision for a text, as the caller's role", "security": [{"bearer": []}],
                 "responses": {"200": {"description": "decision"}, "401": {"description": "no token"},
                               "422": {"description": "invalid text"}}},
    },
}
