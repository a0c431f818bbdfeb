"""aiohttp adapter for WHIP (RFC 9725) and WHEP: thin handlers over :class:`SignalingService`.

Success statuses follow RFC 9725 §4: 201 + Location + ETag on create, 204/200
on PATCH (trickle / ICE restart), 200 on DELETE. Refusals are
:mod:`common.errors` kinds, rendered by :func:`common.http.render_error` (the
one place kinds become statuses: 428/412 for a missing/stale If-Match, 415 for
the wrong content type...) with the headers only this adapter knows: CORS (so
browser publishers read Location, ETag and Retry-After), ``Accept-Post`` /
``Accept-Patch`` on 415, and ``Link: rel="alternate"`` to a room's origin node.
The handlers render their own errors because the signaling app also runs
without the root middleware (tests, the media bench).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping

from aiohttp import web

from common.errors import LivehireError, Malformed, TooLarge
from common.http import render_error

from .decisions import Kind
from .icefrag import MAX_FRAGMENT_BYTES
from .relay import RELAY_HEADER
from .sdp import MAX_SDP_BYTES
from .service import SignalingService
from .simulcast import check_layer

logger = logging.getLogger(__name__)

SDP = "application/sdp"
SDPFRAG = "application/trickle-ice-sdpfrag"
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "Location, ETag, Link, Accept-Patch, Accept-Post, Retry-After",
}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
ClientKey = Callable[[web.Request], "str | None"]


def remote_address(request: web.Request) -> str | None:
    """The fair-share key of a request: the peer's IP as aiohttp saw it, never a client-set header.

    Behind a reverse proxy, aiohttp's ``request.remote`` is the proxy's address
    unless the app trusts its forwarding headers (e.g. ``aiohttp_remotes``) —
    that is the deployment's choice, not something a client may claim here.
    """
    return request.remote


def _error(error: LivehireError, accept: Mapping[str, str]) -> web.Response:
    """``accept``: the body types this endpoint takes, named on 415 (RFC 9110 §15.5.16, RFC 9725)."""
    response = render_error(error)
    response.headers.update(CORS)
    if error.kind == "unsupported_media":
        response.headers.update(accept)
    alternate = error.details.get("alternate")
    if isinstance(alternate, str):
        response.headers["Link"] = f'<{alternate}>; rel="alternate"'
    return response


def _bearer(request: web.Request) -> str | None:
    """``Authorization: Bearer`` only (RFC 9725): a stream key or token in the URL ends up in logs (review M7)."""
    value = request.headers.get("Authorization", "")
    scheme, _, token = value.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


async def _read_text(request: web.Request, content_type: str, limit: int) -> str:
    if request.content_type != content_type:
        raise LivehireError("unsupported_media_type", f"请求体必须是 {content_type}", kind="unsupported_media")
    if request.content_length is not None and request.content_length > limit:
        raise TooLarge("body_too_large", f"请求体超过 {limit} 字节")
    raw = await request.content.read(limit + 1)
    if len(raw) > limit:
        raise TooLarge("body_too_large", f"请求体超过 {limit} 字节")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Malformed("malformed_sdp", "请求体不是 UTF-8 编码") from exc


def _guard(handler: Handler, accept: Mapping[str, str]) -> Handler:
    async def wrapped(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except LivehireError as error:
            return _error(error, accept)
        except Exception:
            # never a traceback or an HTML page to the client (standard 4.4.1 a); the log keeps the detail
            logger.exception("signaling handler failed")
            failed = LivehireError("internal_error", "媒体服务器处理请求失败", kind="internal")
            return _error(failed, accept)

    return wrapped


class SignalingRoutes:
    """Handlers bound to one service; ``kind`` picks WHIP (publish) or WHEP (view)."""

    def __init__(self, service: SignalingService, client_key: ClientKey = remote_address) -> None:
        self.service = service
        self.client_key = client_key

    def _links(self) -> Mapping[str, str]:
        if not self.service.ice_servers:
            return {}
        return {"Link": ", ".join(f'<{url}>; rel="ice-server"' for url in self.service.ice_servers)}

    def create(self, kind: Kind) -> Handler:
        async def handler(request: web.Request) -> web.StreamResponse:
            room = request.match_info["room"]
            offer = await _read_text(request, SDP, MAX_SDP_BYTES)
            if not offer.strip():
                raise Malformed("malformed_sdp", "请求体为空：需要 SDP offer")
            bearer = _bearer(request)
            client = self.client_key(request)
            if kind == "whip":
                answer = await self.service.publish(room, bearer, offer, client=client)
            else:
                answer = await self.service.view(room, bearer, offer, request.headers.get(RELAY_HEADER),
                                                 client=client, layer=check_layer(request.query.get("layer", "auto")))
            headers = {
                **CORS,
                "Location": answer.location,
                "ETag": answer.etag,
                "Accept-Patch": SDPFRAG,
                **self._links(),
            }
            return web.Response(status=201, body=answer.sdp.encode(), content_type=SDP, headers=headers)

        return _guard(handler, {"Accept-Post": SDP})

    def patch(self, kind: Kind) -> Handler:
        async def handler(request: web.Request) -> web.StreamResponse:
            body = await _read_text(request, SDPFRAG, MAX_FRAGMENT_BYTES)
            result = await self.service.patch(
                kind, request.match_info["room"], request.match_info["session"],
                request.headers.get("If-Match"), body,
            )
            headers = {**CORS, "ETag": result.etag}
            if result.body is None:  # trickle
                return web.Response(status=204, headers=headers)
            return web.Response(status=200, body=result.body.encode(), content_type=SDPFRAG, headers=headers)

        return _guard(handler, {"Accept-Patch": SDPFRAG})

    def layer(self) -> Handler:
        """``POST /whep/{room}/{session}/layer`` with ``{"layer": rid | "auto" | "audio"}`` (or ``?layer=``)."""

        async def handler(request: web.Request) -> web.StreamResponse:
            choice = request.query.get("layer")
            if choice is None:
                if (request.content_length or 0) > 1024:
                    raise Malformed("malformed_json", "请求体过大")
                try:
                    body = await request.json() if request.can_read_body else {}
                except ValueError as exc:
                    raise Malformed("malformed_json", "请求体不是 JSON") from exc
                choice = body.get("layer") if isinstance(body, dict) else None
            if not isinstance(choice, str):
                raise Malformed("missing_layer", "需要 layer：auto、audio 或一个 rid")
            self.service.pin_layer(request.match_info["room"], request.match_info["session"], choice)
            return web.Response(status=204, headers=CORS)

        return _guard(handler, {})

    def delete(self, kind: Kind) -> Handler:
        async def handler(request: web.Request) -> web.StreamResponse:
            await self.service.delete(kind, request.match_info["room"], request.match_info["session"])
            return web.Response(status=200, headers=CORS)

        return _guard(handler, {})

    def options(self, methods: str) -> Handler:
        async def handler(request: web.Request) -> web.StreamResponse:
            headers = {
                **CORS,
                "Access-Control-Allow-Methods": methods,
                "Access-Control-Allow-Headers": "Authorization, Content-Type, If-Match",
                "Access-Control-Max-Age": "86400",
                "Accept-Post": SDP,
                **self._links(),
            }
            if "PATCH" in methods:
                headers["Accept-Patch"] = SDPFRAG
            return web.Response(status=204, headers=headers)

        return handler


def install_signaling(app: web.Application, service: SignalingService,
                      client_key: ClientKey = remote_address) -> None:
    """Add ``/whip/{room}``, ``/whip/{room}/{session}``, ``/whep/{room}``, ``/whep/{room}/{session}``.

    ``client_key`` names the client whose fair share a new session counts
    against (:mod:`signaling.admission`); tests may pass another one.
    """
    routes = SignalingRoutes(service, client_key)
    for kind in ("whip", "whep"):
        k: Kind = "whip" if kind == "whip" else "whep"
        app.router.add_post(f"/{kind}/{{room}}", routes.create(k))
        app.router.add_route("OPTIONS", f"/{kind}/{{room}}", routes.options("POST, OPTIONS"))
        app.router.add_patch(f"/{kind}/{{room}}/{{session}}", routes.patch(k))
        app.router.add_delete(f"/{kind}/{{room}}/{{session}}", routes.delete(k))
        app.router.add_route("OPTIONS", f"/{kind}/{{room}}/{{session}}", routes.options("PATCH, DELETE, OPTIONS"))
    app.router.add_post("/whep/{room}/{session}/layer", routes.layer())
