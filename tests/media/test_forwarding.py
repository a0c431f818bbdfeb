"""Publisher → server peers → viewers, with real aiortc peers over loopback (issue 3 priority 1)."""

from __future__ import annotations

import pytest

from media_server.sfu.broadcast import Broadcast
from media_server.sfu.peer import PublisherPeer, ViewerPeer
from tests.media.peers import Viewer, answer_into, publisher, wait_for

pytestmark = pytest.mark.media


@pytest.mark.parametrize("mime", ["video/VP8", "video/H264"])
@pytest.mark.clause("3.1")
async def test_publisher_to_viewers_forwards_without_decoding(mime: str) -> None:
    broadcast = Broadcast()
    pub_pc, offer = await publisher(mime)
    server_pub = PublisherPeer(broadcast)
    await answer_into(pub_pc, await server_pub.accept(offer))
    await wait_for(lambda: broadcast.tracks["video"].packets_in > 0, 10)
    viewers = [Viewer() for _ in range(3)]
    server_viewers = []
    try:
        for viewer in viewers:
            peer = ViewerPeer(broadcast)
            await viewer.answer(await peer.accept(await viewer.offer()))
            server_viewers.append(peer)
        for viewer in viewers:
            await viewer.wait_frames(5, limit=10)
            assert {(w, h) for _, w, h in viewer.frames} == {(160, 120)}
        await wait_for(lambda: all(v.audio_frames > 5 for v in viewers), 10)
        codec = broadcast.codecs()["video"]
        assert codec.mime_type.lower() == mime.lower()
    finally:
        for viewer in viewers:
            await viewer.close()
        for peer in server_viewers:
            await peer.close()
        await server_pub.close()
        await pub_pc.close()
    assert broadcast.tracks["video"].sinks == ()
