"""Resolving the caller of an HTTP request or websocket (standard 4.4.1 a, b).

Credentials, in order: ``Authorization: Bearer <access token>`` (API clients, the bench), ``?token=`` on
the chat websocket only (clients that cannot set headers), and the HttpOnly session cookie that pages
get when they sign in. No credential is an anonymous visitor; a forged, expired or revoked one is a 401.
A cookie is sent by the browser on its own, so requests that change state with a cookie must come from
our own pages (``Origin`` or ``Sec-Fetch-Site``), and a cookie-authenticated websocket must come from our
own origin (CSRF and cross-site websocket hijacking): otherwise the cookie is ignored and the request acts
as an anonymous visitor.

The authorisation middleware (:mod:`livehire.authorize`) resolves the caller once per request and keeps
it on the request; :func:`make_authenticate` reads it back synchronously for the layers that receive an
``authenticate`` function by injection.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Final

from aiohttp import web

from common.errors import Forbidden, LivehireError, Unauthenticated
from identity.principal import ANONYMOUS, Principal, Role
from identity.tokens import TokenError, TokenSigner, bearer_from_header

if TYPE_CHECKING:  # the chat bench imports this module without the store: keep its heap small
    from identity.sessions import Sessions

Authenticate = Callable[[web.Request], Principal]
log = logging.getLogger("livehire.auth")
COOKIE: Final = "lh_session"
PRINCIPAL = web.RequestKey("principal", Principal)  # the caller, as the authorisation middleware resolved it
VIA_COOKIE = web.RequestKey("via_cookie", bool)
DEAD_COOKIE = web.RequestKey("dead_cookie", bool)  # the session cookie no longer resolves: the answer clears it
SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})
QUERY_TOKEN_ROUTES: Final = frozenset({"/ws/rooms/{room}"})


def _unauthenticated(message: str) -> LivehireError:
    return Unauthenticated("invalid_token", message)


def same_origin(request: web.Request, public_origin: str | None = None) -> bool:
    """The request was made by our own pages: Sec-Fetch-Site says so, or Origin is this server's."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None and site not in ("same-origin", "none"):
        return False
    origin = request.headers.get("Origin")
    if origin is None:
        return site is not None  # modern browsers send one of the two on every cookie-bearing unsafe request
    allowed = {f"{request.scheme}://{request.host}"}
    if public_origin:
        allowed.add(public_origin.rstrip("/"))
    return origin in allowed


async def resolve(request: web.Request, sessions: Sessions, *, public_origin: str | None = None) -> Principal:
    """The caller of ``request``; :class:`~common.errors.Unauthenticated` or :class:`~common.errors.Forbidden` for bad or cross-site credentials."""
    token = bearer_from_header(request.headers.get("Authorization"))
    route = request.match_info.route.resource
    if token is None and route is not None and route.canonical in QUERY_TOKEN_ROUTES:
        token = request.query.get("token") or None
    if token is not None:
        try:
            return sessions.verify_token(token)
        except TokenError as exc:
            raise _unauthenticated(str(exc)) from exc
    cookie = request.cookies.get(COOKIE)
    if not cookie:
        return ANONYMOUS
    is_websocket = request.headers.get("Upgrade", "").lower() == "websocket"
    if (request.method not in SAFE_METHODS or is_websocket) and not same_origin(request, public_origin):
        # another site (or a client that is not our page) sent our cookie along: it carries no authority
        # here, so a forged request acts as nobody (CSRF, cross-site websocket hijacking)
        log.info("cookie ignored on a cross-site request", extra={"method": request.method, "path": request.path})
        return ANONYMOUS
    try:
        principal = await sessions.resolve(cookie)
    except TokenError as exc:
        # The session ended (signed out elsewhere, revoked, expired). Either way the answer drops the dead
        # cookie, so the browser's next request is an anonymous visitor's and not another 401. A page or a
        # static file is served to the visitor right away; an API call says why (the page asks again).
        if request.method in SAFE_METHODS and not is_websocket and not request.path.startswith("/api/"):
            request[DEAD_COOKIE] = True
            return ANONYMOUS
        request[DEAD_COOKIE] = True  # the error response clears it too (livehire.middleware)
        raise Unauthenticated("invalid_session", "登录已失效，请重新登录") from exc
    request[VIA_COOKIE] = True
    return principal


def make_authenticate() -> Authenticate:
    """The caller as the authorisation middleware resolved it (anonymous when it did not run)."""

    def authenticate(request: web.Request) -> Principal:
        principal: Principal = request.get(PRINCIPAL, ANONYMOUS)
        return principal

    return authenticate


def make_token_authenticate(signer: TokenSigner) -> Authenticate:
    """Stateless bearer / ``?token=`` check, for apps built without sessions (the chat bench's own app)."""

    def authenticate(request: web.Request) -> Principal:
        credential = bearer_from_header(request.headers.get("Authorization")) or request.query.get("token")
        if not credential:
            return ANONYMOUS
        return signer.verify(credential)

    return authenticate


def caller(authenticate: Authenticate, request: web.Request) -> Principal:
    """The caller, anonymous when no credential was sent; a forged or expired one is a 401."""
    try:
        return authenticate(request)
    except TokenError as exc:
        raise _unauthenticated(str(exc)) from exc


def require(authenticate: Authenticate, request: web.Request, *roles: Role) -> Principal:
    """The caller, who must be signed in with one of ``roles`` (401 / 403 otherwise)."""
    principal = caller(authenticate, request)
    if principal.anonymous:
        raise Unauthenticated("missing_token", "请先登录")
    if roles and principal.role not in roles:
        raise Forbidden("forbidden", "你没有权限执行此操作")
    return principal
