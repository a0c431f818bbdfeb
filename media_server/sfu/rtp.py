"""Pure RTP helpers for forwarding: keyframe detection and per-viewer header writing.

Nothing here does I/O. The forwarder never decodes media (decoding per viewer is what
makes the MediaRelay baseline far dearer; figures: docs/media.md), so all it needs to know about a payload is
whether it starts a keyframe, which RFC 7741 (VP8) and RFC 6184 (H264) let us
read from the first bytes of the RTP payload.
"""

from __future__ import annotations

import struct

RTP_HEADER = struct.Struct("!BBHLL")
ONE_BYTE_PROFILE = 0xBEDE

H264_NAL_IDR = 5
H264_NAL_SPS = 7
H264_STAP_A = 24
H264_FU_A = 28


def vp8_is_keyframe_start(payload: bytes) -> bool:
    """True if the packet starts a VP8 keyframe (RFC 7741 §4.2 and §4.3)."""
    if not payload:
        return False
    first = payload[0]
    start = bool(first & 0x10)
    partition = first & 0x0F
    if not start or partition != 0:
        return False
    pos = 1
    if first & 0x80:  # X: extended control bits present
        if len(payload) < 2:
            return False
        ext = payload[1]
        pos = 2
        if ext & 0x80:  # I: picture id
            if len(payload) <= pos:
                return False
            pos += 2 if payload[pos] & 0x80 else 1
        if ext & 0x40:  # L: TL0PICIDX
            pos += 1
        if ext & 0x30:  # T or K: TID/Y/KEYIDX
            pos += 1
    if len(payload) <= pos:
        return False
    return (payload[pos] & 0x01) == 0  # P bit of the VP8 frame header: 0 = keyframe


def _h264_nal_is_key(nal_type: int) -> bool:
    return nal_type in (H264_NAL_IDR, H264_NAL_SPS)


def h264_is_keyframe_start(payload: bytes) -> bool:
    """True if the packet carries an SPS or the first fragment of an IDR slice (RFC 6184 §5)."""
    if not payload:
        return False
    nal_type = payload[0] & 0x1F
    if nal_type == H264_STAP_A:
        pos = 1
        while pos + 2 < len(payload):
            size = (payload[pos] << 8) | payload[pos + 1]
            pos += 2
            if size == 0 or pos >= len(payload):
                return False
            if _h264_nal_is_key(payload[pos] & 0x1F):
                return True
            pos += size
        return False
    if nal_type == H264_FU_A:
        if len(payload) < 2:
            return False
        fu_header = payload[1]
        return bool(fu_header & 0x80) and _h264_nal_is_key(fu_header & 0x1F)
    return _h264_nal_is_key(nal_type)


def is_keyframe_start(codec_name: str, payload: bytes) -> bool:
    """Keyframe test by codec name (``vp8``, ``h264``); audio is never gated."""
    name = codec_name.lower()
    if name == "vp8":
        return vp8_is_keyframe_start(payload)
    if name == "h264":
        return h264_is_keyframe_start(payload)
    return False


def mid_extension(ext_id: int | None, mid: str | None) -> bytes:
    """The RFC 8285 one-byte header extension block carrying the MID, or nothing.

    Built once per viewer: forwarded packets keep no extension of the publisher
    (its ids mean nothing to the viewer), only the viewer's own MID so that
    BUNDLE demultiplexing works in browsers.
    """
    if ext_id is None or not mid or not 1 <= ext_id <= 14 or len(mid) > 16:
        return b""
    raw = mid.encode()
    element = bytes([(ext_id << 4) | (len(raw) - 1)]) + raw
    element += b"\x00" * (-len(element) % 4)
    return struct.pack("!HH", ONE_BYTE_PROFILE, len(element) // 4) + element


def abs_send_time(seconds: float) -> bytes:
    """The abs-send-time extension's 3 bytes: 6.18 fixed-point seconds, wrapping every 64 s."""
    return (int(seconds * (1 << 18)) & 0xFFFFFF).to_bytes(3, "big")


class HeaderWriter:
    """Writes forwarded packets for one viewer track: its SSRC, payload type and MID.

    The publisher's header extensions and padding are dropped; sequence number
    and timestamp come from the viewer's :class:`~media_server.sfu.munger.SequenceMunger`.
    With ``abs_send_time_id`` each packet also carries its send time (the
    abs-send-time extension), which the viewer's bandwidth estimator needs for
    the REMB feedback that picks its simulcast layer.
    """

    __slots__ = ("_abs_head", "_abs_tail", "_extension", "_first_byte", "payload_type", "ssrc")

    def __init__(self, ssrc: int, payload_type: int, extension: bytes = b"",
                 abs_send_time_id: int | None = None) -> None:
        self.ssrc = ssrc
        self.payload_type = payload_type
        self._extension = extension
        self._abs_head = b""
        self._abs_tail = b""
        if abs_send_time_id is not None and 1 <= abs_send_time_id <= 14:
            elements = extension[4:].rstrip(b"\x00") + bytes([(abs_send_time_id << 4) | 2])
            pad = -(len(elements) + 3) % 4
            self._abs_head = struct.pack("!HH", ONE_BYTE_PROFILE, (len(elements) + 3 + pad) // 4) + elements
            self._abs_tail = b"\x00" * pad
        self._first_byte = 0x90 if extension or self._abs_head else 0x80

    def forward(self, seq: int, timestamp: int, marker: int, payload: bytes, stamp: bytes, /) -> bytes:
        """:meth:`write` for the fan-out's hot path: positional, this writer's SSRC and payload type."""
        header = RTP_HEADER.pack(self._first_byte, (marker << 7) | self.payload_type, seq, timestamp, self.ssrc)
        if self._abs_head:
            return b"".join((header, self._abs_head, stamp, self._abs_tail, payload))
        return b"".join((header, self._extension, payload))

    def template(self) -> tuple[bytes, int]:
        """The header with seq, timestamp and marker zero, and where the abs-send-time bytes go (-1: none)."""
        head = RTP_HEADER.pack(self._first_byte, self.payload_type, 0, 0, self.ssrc)
        if self._abs_head:
            return head + self._abs_head + b"\x00\x00\x00" + self._abs_tail, len(head) + len(self._abs_head)
        return head + self._extension, -1

    def write(self, seq: int, timestamp: int, marker: int, payload: bytes, payload_type: int | None = None,
              ssrc: int | None = None, stamp: bytes | None = None) -> bytes:
        """``stamp``: the abs-send-time bytes (:func:`abs_send_time`), computed once per packet for all viewers."""
        pt = self.payload_type if payload_type is None else payload_type
        header = RTP_HEADER.pack(
            self._first_byte,
            (marker << 7) | pt,
            seq,
            timestamp,
            self.ssrc if ssrc is None else ssrc,
        )
        if self._abs_head:
            return header + self._abs_head + (stamp or b"\x00\x00\x00") + self._abs_tail + payload
        return header + self._extension + payload


def parse_header(data: bytes) -> tuple[int, int, int, int, int]:
    """(marker, payload type, seq, timestamp, ssrc) of a serialised packet, for tests and tools."""
    if len(data) < RTP_HEADER.size:
        raise ValueError("RTP packet shorter than its fixed header")
    first, second, seq, ts, ssrc = RTP_HEADER.unpack_from(data)
    if first >> 6 != 2:
        raise ValueError("not RTP version 2")
    return second >> 7, second & 0x7F, seq, ts, ssrc
