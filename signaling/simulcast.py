"""Simulcast in WHIP offers and answers (RFC 8853 ``a=simulcast``, RFC 8851 ``a=rid``), on SDP text (sans-I/O).

Why on text: aiortc neither parses nor writes ``a=rid`` / ``a=simulcast``, so
the rids are read from the offer here and written into aiortc's answer
afterwards. We accept every layer offered, as receive layers with the same
rids: OBS 32.1 aborts when an answer accepts fewer layers than it offered.
Alternatives in a layer list (``a,b``) keep only their first rid; paused
rids (``~a``) are accepted (their packets may start later).

The rid header extensions (RFC 8852) must be negotiated too, or nothing tells
the layers apart when the publisher sends no SSRCs in SDP (Chrome, OBS); the
media plane adds them to aiortc's negotiated extensions with the offer's ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from common.errors import Invalid

RID_URI = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"
REPAIRED_RID_URI = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id"
MAX_LAYERS = 4
_RID = re.compile(r"^[A-Za-z0-9_-]{1,16}$")
#: What a viewer may ask for besides a rid: the server's choice by bandwidth, or no video.
VIEWER_CHOICES = ("auto", "audio")
_EXTMAP = re.compile(r"^a=extmap:(\d+)(?:/\w+)? (\S+)")


@dataclass(frozen=True, slots=True)
class SimulcastOffer:
    """The video layers of a WHIP offer: rids in the offer's ``a=simulcast`` order and the extension ids."""

    mid: str | None
    rids: tuple[str, ...]
    rid_ext_id: int
    repaired_ext_id: int | None = None

    @property
    def extension_ids(self) -> tuple[int, int | None]:
        return self.rid_ext_id, self.repaired_ext_id


def _sections(text: str) -> list[list[str]]:
    """The SDP's lines split into the session part and one list per m-section."""
    sections: list[list[str]] = [[]]
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.startswith("m="):
            sections.append([])
        sections[-1].append(line)
    return sections


def _send_rids(value: str) -> list[str]:
    """The rids of ``a=simulcast:send ...`` (RFC 8853 §5.1), first alternative of each layer."""
    parts = value.split()
    if len(parts) not in (2, 4) or parts[0] != "send" or (len(parts) == 4 and parts[2] != "recv"):
        raise Invalid("wrong_direction", "WHIP 的 a=simulcast 必须只有 send 方向")
    rids = []
    for layer in parts[1].split(";"):
        rid = layer.split(",")[0].removeprefix("~")
        if not _RID.match(rid):
            raise Invalid("bad_simulcast", f"a=simulcast 中的 rid 无效：{rid[:20]!r}")
        rids.append(rid)
    return rids


def parse_offer(text: str) -> SimulcastOffer | None:
    """The video simulcast of a publisher's offer, or ``None`` when it sends one layer.

    Raises :class:`~common.errors.Invalid` for layers we cannot tell apart or take.
    """
    found: SimulcastOffer | None = None
    for lines in _sections(text)[1:]:
        if not lines[0].startswith("m=video"):
            continue
        simulcast = [line.split(":", 1)[1] for line in lines if line.startswith("a=simulcast:")]
        if not simulcast:
            continue
        if found is not None or len(simulcast) > 1:
            raise Invalid("too_many_tracks", "只接受一个带 simulcast 的视频段")
        rids = _send_rids(simulcast[0].strip())
        declared = {line.split(":", 1)[1].split()[0]: line for line in lines if line.startswith("a=rid:")}
        for rid in rids:
            line = declared.get(rid)
            if line is None or len(line.split()) < 2 or line.split()[1] != "send":
                raise Invalid("bad_simulcast", f"rid {rid} 没有 a=rid:{rid} send 行")
        if len(set(rids)) != len(rids) or not 1 <= len(rids) <= MAX_LAYERS:
            raise Invalid("bad_simulcast", f"simulcast 需要 1 到 {MAX_LAYERS} 个不同的 rid")
        ids: dict[str, int] = {}
        for line in lines:
            match = _EXTMAP.match(line)
            if match:
                ids[match.group(2)] = int(match.group(1))
        rid_id = ids.get(RID_URI)
        if rid_id is None or not 1 <= rid_id <= 14:
            raise Invalid("bad_simulcast", "simulcast 需要 rtp-stream-id 头部扩展（RFC 8852）")
        repaired = ids.get(REPAIRED_RID_URI)
        mid = next((line.split(":", 1)[1].strip() for line in lines if line.startswith("a=mid:")), None)
        found = SimulcastOffer(mid, tuple(rids), rid_id,
                               repaired if repaired is not None and 1 <= repaired <= 14 else None)
    return found


def answer(text: str, offer: SimulcastOffer) -> str:
    """aiortc's answer with every offered layer accepted: ``a=rid:<rid> recv`` and ``a=simulcast:recv``."""
    sections = _sections(text)
    for lines in sections[1:]:
        if not lines[0].startswith("m=video"):
            continue
        mid = next((line.split(":", 1)[1].strip() for line in lines if line.startswith("a=mid:")), None)
        if offer.mid is not None and mid != offer.mid:
            continue
        while lines and lines[-1] == "":
            lines.pop()
        lines.extend(f"a=rid:{rid} recv" for rid in offer.rids)
        lines.append("a=simulcast:recv " + ";".join(offer.rids))
    out = "\r\n".join(line for lines in sections for line in lines if line != "")
    return out + "\r\n"


def check_layer(value: str) -> str:
    """A viewer's layer choice as given in a query or body: ``auto``, ``audio`` or a well-formed rid."""
    if value in VIEWER_CHOICES or _RID.match(value):
        return value
    raise Invalid("bad_layer", "layer 必须是 auto、audio 或一个 rid")
