"""Every use of aiortc/aioice private internals, in one place (aiortc==1.16.0, aioice 0.10+).

Why private hooks: aiortc has no public API for encoded media. Its receiver
always depayloads, reassembles and decodes; its sender always encodes or
re-packetises. We keep aiortc for what it does well (SDP, ICE, DTLS, SRTP,
RTCP scheduling) and intercept at the RTP level:

* receive side: the DTLS transport calls ``receiver._handle_rtp_packet`` per
  decrypted packet; we replace that bound method on the instance, so no packet
  reaches the jitter buffer or the decoder thread;
* send side: we write already-built RTP packets through the DTLS transport's
  SRTP context and the nominated ICE pair (one ``sendto`` per packet and
  viewer) and replace ``sender._handle_rtcp_packet`` to answer NACK/PLI/FIR
  ourselves; the sender's own RTCP task keeps sending SR from counters we set.

``tests/media/test_aiortc_hooks.py`` pins the version and exercises each hook
so an aiortc upgrade that moves them fails loudly rather than silently.
"""

from __future__ import annotations

import asyncio
import secrets
import socket
import struct
from collections.abc import Awaitable, Callable
from typing import Any

import aiortc
from aioice.ice import StunProtocol
from aiortc import RTCPeerConnection, clock
from aiortc.rtcdtlstransport import RTCDtlsTransport, State
from aiortc.rtcrtpparameters import RTCRtpHeaderExtensionParameters
from aiortc.rtcrtpreceiver import RTCRtpReceiver, StreamStatistics
from aiortc.rtcrtpsender import RTCRtpSender
from aiortc.rtp import RTCP_PSFB_APP, AnyRtcpPacket, RtcpPsfbPacket, RtpPacket, pack_remb_fci
from aiortc.sdp import candidate_from_sdp, candidate_to_sdp
from pylibsrtp import Session
from pylibsrtp._binding import ffi, lib

from .fanout import SendBatch, steady_copy

PINNED_AIORTC = "1.16.0"
_CONNECTED = State.CONNECTED  # looked up once: an Enum member access costs on the per-packet path

RtpHook = Callable[[RtpPacket, int], Awaitable[None]]
RtcpHook = Callable[[AnyRtcpPacket], Awaitable[None]]


def check_version() -> None:
    """Refuse to run the hooks against an aiortc they were not written for."""
    if aiortc.__version__ != PINNED_AIORTC:
        raise RuntimeError(
            f"media_server.sfu hooks aiortc internals of {PINNED_AIORTC}, found {aiortc.__version__}"
        )


def hook_receiver(receiver: RTCRtpReceiver, on_rtp: RtpHook) -> None:
    """Route every decrypted RTP packet of ``receiver`` to ``on_rtp`` instead of its decoder."""
    check_version()
    receiver._handle_rtp_packet = on_rtp  # type: ignore[method-assign,assignment]


def receiver_statistics(receiver: RTCRtpReceiver, ssrc: int, clock_rate: int) -> StreamStatistics:
    """The statistics object aiortc's own RTCP task turns into receiver reports for ``ssrc``."""
    streams: dict[int, StreamStatistics] = receiver._RTCRtpReceiver__remote_streams  # type: ignore[attr-defined]
    stats = streams.get(ssrc)
    if stats is None:
        stats = streams[ssrc] = StreamStatistics(clock_rate)
    return stats


def remb_feedback(receiver: RTCRtpReceiver, packet: RtpPacket, arrival_time_ms: int) -> RtcpPsfbPacket | None:
    """Feed aiortc's remote bitrate estimator as its own receive path would, returning a REMB to send.

    Browsers publishing with abs-send-time need this feedback to raise their bitrate.
    """
    estimator = receiver._RTCRtpReceiver__remote_bitrate_estimator  # type: ignore[attr-defined]
    rtcp_ssrc = receiver._RTCRtpReceiver__rtcp_ssrc  # type: ignore[attr-defined]
    if estimator is None or rtcp_ssrc is None or packet.extensions.abs_send_time is None:
        return None
    remb = estimator.add(abs_send_time=packet.extensions.abs_send_time, arrival_time_ms=arrival_time_ms,
                         payload_size=len(packet.payload) + packet.padding_size, ssrc=packet.ssrc)
    if remb is None:
        return None
    return RtcpPsfbPacket(fmt=RTCP_PSFB_APP, ssrc=rtcp_ssrc, media_ssrc=0, fci=pack_remb_fci(*remb))


async def send_rtcp(receiver: RTCRtpReceiver, packet: AnyRtcpPacket) -> None:
    await receiver._send_rtcp(packet)


async def send_pli(receiver: RTCRtpReceiver, media_ssrc: int) -> None:
    """RFC 4585 §6.3.1 Picture Loss Indication, addressed to the *media* SSRC."""
    await receiver._send_rtcp_pli(media_ssrc)


async def send_nack(receiver: RTCRtpReceiver, media_ssrc: int, lost: list[int]) -> None:
    """RFC 4585 §6.2.1 Generic NACK for upstream gaps."""
    await receiver._send_rtcp_nack(media_ssrc, lost)


def hook_sender_rtcp(sender: RTCRtpSender, on_rtcp: Callable[[AnyRtcpPacket, RtcpHook], Awaitable[None]]) -> None:
    """Give ``on_rtcp`` each RTCP packet for ``sender``, with aiortc's own handler to delegate to."""
    check_version()
    original: RtcpHook = sender._handle_rtcp_packet

    async def handle(packet: AnyRtcpPacket) -> None:
        await on_rtcp(packet, original)

    sender._handle_rtcp_packet = handle  # type: ignore[method-assign]


def add_header_extensions(transceiver: Any, extensions: list[tuple[int, str]]) -> None:
    """Negotiate extra RTP header extensions aiortc does not know (the rid ones, RFC 8852) with the offer's ids.

    Between setRemoteDescription and createAnswer: the answer then lists them,
    and the receiver's parser (configured from the same list) reads them.
    """
    check_version()
    known = {e.uri for e in transceiver._headerExtensions}
    used = {e.id for e in transceiver._headerExtensions}
    for ext_id, uri in extensions:
        if uri not in known and ext_id not in used:
            transceiver._headerExtensions.append(RTCRtpHeaderExtensionParameters(id=ext_id, uri=uri))


def set_sender_counters(sender: RTCRtpSender, packets: int, octets: int, rtp_timestamp: int,
                        age: float = 0.0) -> None:
    """Feed aiortc's sender-report task (RFC 3550 §6.4.1) with what we actually sent.

    ``age``: seconds since ``rtp_timestamp`` went out (the C fan-out's counters are
    read up to a tick later), so the SR's NTP/RTP pair stays the moment of sending.
    """
    setattr(sender, "_RTCRtpSender__packet_count", packets)  # noqa: B010
    setattr(sender, "_RTCRtpSender__octet_count", octets)  # noqa: B010
    setattr(sender, "_RTCRtpSender__rtp_timestamp", rtp_timestamp)  # noqa: B010
    ntp = clock.current_ntp_time() - int(max(0.0, age) * (1 << 32))
    setattr(sender, "_RTCRtpSender__ntp_timestamp", ntp)  # noqa: B010


def _ice_connections(pc: RTCPeerConnection) -> list[Any]:
    found: list[Any] = []
    for transceiver in pc.getTransceivers():
        connection = transceiver.receiver.transport.transport._connection
        if connection not in found:
            found.append(connection)
    return found


def local_candidates(pc: RTCPeerConnection) -> list[str]:
    out: list[str] = []
    for transceiver in pc.getTransceivers():
        for candidate in transceiver.receiver.transport.transport.iceGatherer.getLocalCandidates():
            value = candidate_to_sdp(candidate)
            if value not in out:
                out.append(value)
    return out


async def add_remote_candidate(pc: RTCPeerConnection, mid: str | None, value: str) -> None:
    candidate = candidate_from_sdp(value.removeprefix("candidate:"))
    candidate.sdpMid = mid
    candidate.sdpMLineIndex = None if mid is not None else 0
    await pc.addIceCandidate(candidate)


def restart_ice(pc: RTCPeerConnection, remote_ufrag: str | None, remote_pwd: str | None) -> tuple[str, str]:
    """Swap ICE credentials in place on aioice's agents; the nominated pair keeps carrying media."""
    ufrag, pwd = secrets.token_hex(4), secrets.token_hex(16)
    for connection in _ice_connections(pc):
        connection._local_username = ufrag
        connection._local_password = pwd
        if remote_ufrag and remote_pwd:
            connection.remote_username = remote_ufrag
            connection.remote_password = remote_pwd
    return ufrag, pwd


def srtp_context_address(session: Session) -> int:
    """The libsrtp context behind a pylibsrtp session (private ``_srtp``), for ``_fanout.c``."""
    return int(ffi.cast("uintptr_t", session._srtp[0]))  # type: ignore[attr-defined]


def enable_batched_sends(batch: SendBatch) -> bool:
    """Point the C fan-out at pylibsrtp's own libsrtp (the one aiortc's contexts live in)."""
    if not batch.configured:
        batch.configure(int(ffi.cast("uintptr_t", ffi.addressof(lib, "srtp_protect"))))
    return batch.enabled


def sockaddr_bytes(family: int, addr: tuple[Any, ...]) -> bytes:
    """``struct sockaddr_in``/``sockaddr_in6`` for ``addr`` on a socket of ``family``; b"" if not packable."""
    try:
        if family == socket.AF_INET:
            return struct.pack("=H", socket.AF_INET) + struct.pack("!H", addr[1]) + \
                socket.inet_pton(socket.AF_INET, addr[0]) + bytes(8)
        if family == socket.AF_INET6 and "%" not in addr[0]:
            return struct.pack("=H", socket.AF_INET6) + struct.pack("!HI", addr[1], 0) + \
                socket.inet_pton(socket.AF_INET6, addr[0]) + struct.pack("=I", 0)
    except (OSError, IndexError, TypeError, struct.error):
        pass
    return b""


class RtpWriter:
    """Sends serialised RTP/RTCP on one DTLS transport without aiortc's coroutine chain.

    ``send`` is synchronous: SRTP-protect then ``sendto`` on the nominated ICE
    pair's datagram transport (resolved once per nominated pair, not per packet).
    While a track fans a packet out (its :class:`~media_server.sfu.fanout.SendBatch`,
    the one given here, open), the copy is queued instead, with this viewer's SRTP context and socket, and
    protected and sent with the other viewers' copies in one C call.
    Returns False (and drops) when not connected.
    """

    __slots__ = ("_addr", "_batch", "_ctx", "_dtls", "_fd", "_lost", "_nominated", "_pair", "_pending", "_sockaddr",
                 "_srtp", "_transport")

    def __init__(self, dtls: RTCDtlsTransport, batch: SendBatch | None = None) -> None:
        """``batch``: the one the viewer's tracks open; None sends every copy by itself."""
        check_version()
        self._batch = batch if batch is not None else SendBatch()  # never opened: one by one
        enable_batched_sends(self._batch)
        self._dtls = dtls
        # aioice keeps one nominated-pairs dict per connection for its whole life: looked up once
        self._nominated: dict[int, Any] = dtls.transport._connection._nominated
        self._pending: set[asyncio.Future[None]] = set()
        self._pair: Any = None
        self._transport: Any = None
        self._addr: tuple[str, int] | None = None
        self._fd = -1
        self._sockaddr = b""
        self._srtp: Session | None = None
        self._ctx = 0
        self._lost: dict[Callable[[], None], None] = {}  # steady copies' owners, told when DTLS leaves CONNECTED
        dtls.on("statechange", self._on_state)

    def _on_state(self) -> None:
        """Before aiortc closes the ICE socket (DTLS closes first), no steady copy may use its fd any more."""
        if self._dtls._state is not _CONNECTED:
            lost, self._lost = self._lost, {}
            for callback in lost:
                callback()

    def steady_copy(self, template: Callable[[], tuple[bytes, int]], on_lost: Callable[[], None]) -> Any | None:
        """A ``_fanout.Viewer`` sending on this writer's socket with its SRTP context; None if it cannot.

        ``template``: the sink's ``HeaderWriter.template`` (the header with its SSRC and extensions).

        ``on_lost`` is called when the connection leaves CONNECTED: the copy must stop being used.
        """
        if not self._batch.enabled or self._dtls._state is not _CONNECTED:
            return None
        pair = self._nominated.get(1)
        if pair is None:
            return None
        if pair is not self._pair:
            self._bind(pair)
        transport = self._transport
        if transport is None or transport.is_closing() or self._fd < 0:
            return None
        srtp = self._dtls._tx_srtp
        if srtp is not self._srtp:
            self._srtp, self._ctx = srtp, srtp_context_address(srtp)
        head, stamp_at = template()  # only now: a viewer that cannot go steady asks again on its next packet
        copy = steady_copy(self._ctx, self._fd, self._sockaddr, head, stamp_at, (srtp, transport))
        if copy is not None:
            self._lost[on_lost] = None
        return copy

    def still_steady(self, copy: Any) -> bool:
        """Whether ``copy`` still matches the nominated pair, its open socket and the SRTP context."""
        return (self._dtls._state is _CONNECTED and self._nominated.get(1) is self._pair
                and self._transport is not None and not self._transport.is_closing()
                and copy.fd == self._fd and self._dtls._tx_srtp is self._srtp)

    @property
    def connected(self) -> bool:
        return self._dtls._state is _CONNECTED

    def _bind(self, pair: Any) -> None:
        self._pair = pair
        protocol = pair.protocol
        # a TURN-relayed pair wraps datagrams in its send_data, so it cannot take the fast path
        self._transport = protocol.transport if isinstance(protocol, StunProtocol) else None
        self._addr = pair.remote_addr
        self._fd, self._sockaddr = -1, b""
        sock = self._transport.get_extra_info("socket") if self._transport is not None else None
        if sock is not None:
            packed = sockaddr_bytes(sock.family, pair.remote_addr)
            if packed:
                self._fd, self._sockaddr = sock.fileno(), packed

    def send(self, data: bytes) -> bool:
        dtls = self._dtls
        if dtls._state is not _CONNECTED:
            return False
        pair = self._nominated.get(1)
        if pair is None:
            return False
        if pair is not self._pair:
            self._bind(pair)
        transport = self._transport
        if transport is not None:
            if transport.is_closing():
                return False  # its socket is closed (and its fd number may be reused)
            batch = self._batch
            if batch.active and self._fd >= 0:
                srtp = dtls._tx_srtp
                if srtp is not self._srtp:
                    self._srtp, self._ctx = srtp, srtp_context_address(srtp)
                # a datagram asyncio still buffers (after EAGAIN) may be overtaken: RTP receivers reorder
                batch.queue.append((self._ctx, self._fd, self._sockaddr, data, self))
                return True
            transport.sendto(dtls._tx_srtp.protect(data), self._addr)
        else:
            task = asyncio.ensure_future(pair.protocol.send_data(dtls._tx_srtp.protect(data), pair.remote_addr))
            self._pending.add(task)
            task.add_done_callback(self._pending.discard)
        return True

    def resend(self, protected: bytes) -> None:
        """A batched copy the kernel refused for now: asyncio's transport buffers it until writable."""
        transport = self._transport
        if transport is not None and not transport.is_closing():
            transport.sendto(protected, self._addr)
