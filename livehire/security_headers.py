"""Browser hardening headers on every HTTP response (review findings M7, M9).

An ``on_response_prepare`` hook rather than a middleware, so static files and
error pages built by aiohttp get the headers too. The pages are plain ES
modules and static stylesheets, so the Content-Security-Policy allows scripts
and styles from this origin only, never inline ones.
"""

from __future__ import annotations

from aiohttp import hdrs, web

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "connect-src 'self'",  # 'self' covers ws:/wss: to this host (chat websocket)
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
#: Only the host studio captures camera and microphone (WHIP publishing from the browser).
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=()"
STUDIO_PERMISSIONS_POLICY = "camera=(self), microphone=(self), geolocation=()"
STUDIO_PREFIX = "/studio/"
SERVER_NAME = "livehire"  # not aiohttp's "Python/3.x aiohttp/x.y": no version for scanners

_COMMON_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Content-Type-Options", "nosniff"),
    (hdrs.SERVER, SERVER_NAME),
)


async def add_security_headers(request: web.Request, response: web.StreamResponse) -> None:
    """Runs just before each response starts, after its handler, so no handler can leave them out."""
    headers = response.headers
    for name, value in _COMMON_HEADERS:
        headers[name] = value
    studio = request.path.startswith(STUDIO_PREFIX)
    headers["Permissions-Policy"] = STUDIO_PERMISSIONS_POLICY if studio else PERMISSIONS_POLICY


def install_security_headers(app: web.Application) -> None:
    app.on_response_prepare.append(add_security_headers)
