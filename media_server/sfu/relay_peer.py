"""A node's pull of a stream from another node: a WHEP *client* that feeds a local :class:`Broadcast`.

To the origin node it is one more viewer; to this node it is the publisher:
its receivers are hooked exactly like a :class:`PublisherPeer`'s (no decoding,
RTX unwrapped, gaps NACKed, keyframe requests of local viewers sent upstream as
PLI through the origin's usual throttle). Knows nothing of rooms or HTTP: the
caller passes ``post(offer) -> answer``.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from typing import Any

from aiortc import RTCSessionDescription
from aiortc import sdp as aiortc_sdp

from .ice import install_gatherer
from .peer import PublisherPeer

AIORTC_H264_PROFILE = "42e01f"
_PROFILE = re.compile(r"profile-level-id=[0-9A-Fa-f]{6}")

Post = Callable[[str], Awaitable[str]]


def munge_answer(answer: str) -> tuple[str, dict[int, dict[str, Any]], dict[str, int]]:
    """Show aiortc a baseline H264 profile; return the real fmtp per payload type and media SSRCs.

    aiortc only accepts Constrained Baseline, but forwarding never decodes, so
    any profile the origin forwards can be relayed; local viewers are later
    offered the real fmtp.
    """
    description = aiortc_sdp.SessionDescription.parse(answer)
    original: dict[int, dict[str, Any]] = {}
    ssrcs: dict[str, int] = {}
    for media in description.media:
        for codec in media.rtp.codecs:
            if codec.mimeType.lower() == "video/h264" and codec.payloadType is not None:
                original[codec.payloadType] = dict(codec.parameters)
        group = next((g for g in media.ssrc_group if g.semantic == "FID"), None)
        if group is not None and group.items:
            ssrcs[media.kind] = int(group.items[0])
        elif media.ssrc:
            ssrcs[media.kind] = int(media.ssrc[0].ssrc)
    munged = answer
    if original:
        lines = []
        for line in answer.replace("\r\n", "\n").split("\n"):
            match = re.match(r"^a=fmtp:(\d+) ", line)
            if match and int(match.group(1)) in original:
                line = _PROFILE.sub(f"profile-level-id={AIORTC_H264_PROFILE}", line)
            lines.append(line)
        munged = "\r\n".join(lines)
    return munged, original, ssrcs


class RelayPeer(PublisherPeer):
    """Receives one stream from an origin node and publishes it into ``broadcast``."""

    async def connect(self, post: Post, kinds: tuple[str, ...] = ("video", "audio")) -> None:
        """Offer recvonly ``kinds``, let ``post`` deliver the offer, bind receivers to the answer."""
        for kind in kinds:
            self.pc.addTransceiver(kind, direction="recvonly")
        install_gatherer(self.pc, self._ice)
        await self.pc.setLocalDescription(await self.pc.createOffer())
        answer = await post(str(self.pc.localDescription.sdp))
        munged, original, ssrcs = munge_answer(answer)
        self._original = original
        self._ssrc_hints = ssrcs
        await self.pc.setRemoteDescription(RTCSessionDescription(sdp=munged, type="answer"))
        self._bind()
        self._timeout = asyncio.get_running_loop().call_later(self._connect_timeout, self._on_timeout)
