"""A growing recording asked of a node that is not writing it: the request goes to the node that is.

A running live's file exists only on the node holding its publisher (it is uploaded to the shared store when
it stops). Another node forwards the viewer's range request to that node (``recordings.origin``) with the
viewer's own credentials, so the writing node checks who may watch exactly as for a direct request, and
streams the answer back. A forwarded request is never forwarded again (:data:`HOP_HEADER`).
"""

from __future__ import annotations

import logging

import aiohttp
from aiohttp import web

from common.errors import NotFound

log = logging.getLogger(__name__)
HOP_HEADER = "X-Livehire-Recording-Hop"
_ASKED = ("Range", "If-Range", "Authorization", "Cookie")
_ANSWERED = ("Content-Type", "Content-Range", "Content-Length", "Accept-Ranges", "Cache-Control", "Last-Modified",
             "ETag")
TIMEOUT = aiohttp.ClientTimeout(total=None, connect=5, sock_read=30)
CHUNK = 1 << 16


def forwardable(request: web.Request, origin: str | None, own: str | None) -> bool:
    return bool(origin) and origin != own and HOP_HEADER not in request.headers


async def from_origin(request: web.Request, origin: str) -> web.StreamResponse:
    """The writing node's answer, byte for byte (its status: 200, 206, 401, 403, 416, ...)."""
    headers = {name: request.headers[name] for name in _ASKED if name in request.headers}
    headers[HOP_HEADER] = "1"
    url = origin.rstrip("/") + request.path
    response: web.StreamResponse | None = None
    try:
        async with aiohttp.ClientSession(timeout=TIMEOUT) as session, \
                session.get(url, headers=headers, allow_redirects=False) as answer:
            response = web.StreamResponse(status=answer.status, headers={
                name: answer.headers[name] for name in _ANSWERED if name in answer.headers})
            await response.prepare(request)
            async for chunk in answer.content.iter_chunked(CHUNK):
                await response.write(chunk)
            await response.write_eof()
            return response
    except (aiohttp.ClientError, TimeoutError) as error:
        log.warning("recording %s: origin %s failed: %s", request.path, origin, error)
        if response is not None and response.prepared:
            return response  # cut short: the player asks again for the rest
        raise NotFound("recording_origin_unreachable", "正在录制这场直播的节点暂时无法访问，请稍后再试") from error
