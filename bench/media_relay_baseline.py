"""The baseline the bench compares against: aiortc's own decode-once, encode-per-viewer relay.

This is how aiortc's examples fan out a track (``MediaRelay``): the publisher's
track is decoded once, and every viewer's sender re-encodes it. It exists only
so ``livehire bench media`` can measure it in the same run as the forwarder;
nothing in the server uses it.
"""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web
from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from aiortc.contrib.media import MediaRelay
from aiortc.mediastreams import MediaStreamTrack

RELAY = web.AppKey("relay", dict)


async def _answer(pc: RTCPeerConnection, offer: str) -> str:
    await pc.setRemoteDescription(RTCSessionDescription(sdp=offer, type="offer"))
    await pc.setLocalDescription(await pc.createAnswer())
    return str(pc.localDescription.sdp)


async def _publish(request: web.Request) -> web.Response:
    state: dict[str, Any] = request.app[RELAY]
    pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    state["peers"].append(pc)
    ready: asyncio.Future[MediaStreamTrack] = asyncio.get_running_loop().create_future()

    @pc.on("track")
    def on_track(track: MediaStreamTrack) -> None:
        if track.kind == "video" and not ready.done():
            ready.set_result(track)

    answer = await _answer(pc, await request.text())
    state["video"] = ready
    return web.Response(status=201, text=answer, content_type="application/sdp",
                        headers={"Location": f"/whip/{request.match_info['room']}/0"})


async def _view(request: web.Request) -> web.Response:
    state: dict[str, Any] = request.app[RELAY]
    if "video" not in state:
        return web.json_response({"error": {"code": "not_live", "message": "no publisher"}}, status=409)
    track = await state["video"]
    pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    state["peers"].append(pc)
    await pc.setRemoteDescription(RTCSessionDescription(sdp=await request.text(), type="offer"))
    pc.addTrack(state["relay"].subscribe(track))
    await pc.setLocalDescription(await pc.createAnswer())
    return web.Response(status=201, text=str(pc.localDescription.sdp), content_type="application/sdp",
                        headers={"Location": f"/whep/{request.match_info['room']}/{len(state['peers'])}"})


def create_relay_app() -> web.Application:
    app = web.Application()
    app[RELAY] = {"relay": MediaRelay(), "peers": []}

    async def cleanup(app: web.Application) -> Any:
        yield
        await asyncio.gather(*(pc.close() for pc in app[RELAY]["peers"]), return_exceptions=True)

    app.cleanup_ctx.append(cleanup)
    app.router.add_post("/whip/{room}", _publish)
    app.router.add_post("/whep/{room}", _view)
    return app
