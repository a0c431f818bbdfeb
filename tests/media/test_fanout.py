"""Batched SRTP protect + send (``media_server/sfu/_fanout.c``, issue 17): same bytes, own contexts, real viewers."""

from __future__ import annotations

import os
import socket
import struct
from collections.abc import Iterator

import pytest
from aiortc.rtcdtlstransport import SRTP_PROFILES
from pylibsrtp import Error, Policy, Session

from media_server.sfu import aiortc_hooks
from media_server.sfu.broadcast import Broadcast
from media_server.sfu.fanout import SendBatch
from media_server.sfu.peer import PublisherPeer, ViewerPeer
from tests.media.peers import Viewer, answer_into, publisher, wait_for

_fanout = pytest.importorskip("media_server.sfu._fanout", reason="not built (scripts/install compiles it)")

PROFILE = SRTP_PROFILES[0].libsrtp_profile
KEY_BYTES = {Policy.SRTP_PROFILE_AEAD_AES_256_GCM: 44, Policy.SRTP_PROFILE_AEAD_AES_128_GCM: 28}.get(PROFILE, 30)


def rtp(seq: int, ssrc: int, payload: bytes = b"\x11" * 1000) -> bytes:
    return struct.pack("!BBHLL", 0x80, 96, seq & 0xFFFF, seq * 3000 & 0xFFFFFFFF, ssrc) + payload


def session(key: bytes, inbound: bool = False) -> Session:
    kind = Policy.SSRC_ANY_INBOUND if inbound else Policy.SSRC_ANY_OUTBOUND
    return Session(Policy(key=key, ssrc_type=kind, srtp_profile=PROFILE))


@pytest.fixture
def udp() -> Iterator[tuple[socket.socket, socket.socket]]:
    out = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    into = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    into.bind(("127.0.0.1", 0))
    into.settimeout(2)
    yield out, into
    out.close()
    into.close()


def test_each_copy_is_protected_with_its_viewers_context_across_the_rollover(
        udp: tuple[socket.socket, socket.socket]) -> None:
    """Same bytes as pylibsrtp's protect; each viewer's key and rollover counter stay its own (RFC 3711 §3.3.1)."""
    assert aiortc_hooks.enable_batched_sends(SendBatch())
    out, into = udp
    addr = aiortc_hooks.sockaddr_bytes(socket.AF_INET, into.getsockname())
    keys = [os.urandom(KEY_BYTES) for _ in range(3)]
    senders = [session(k) for k in keys]
    references = [session(k) for k in keys]  # same keys, protected by pylibsrtp for comparison
    receivers = [session(k, inbound=True) for k in keys]
    for seq in range(65530, 65540):  # the sequence number wraps: the rollover counter must advance per viewer
        entries = [(aiortc_hooks.srtp_context_address(s), out.fileno(), addr, rtp(seq, 1000 + v))
                   for v, s in enumerate(senders)]
        assert _fanout.send(entries) == (3, 0, [])
        for v in range(3):
            got = into.recv(2048)
            assert got == references[v].protect(rtp(seq, 1000 + v))
            assert receivers[v].unprotect(got) == rtp(seq, 1000 + v)
            if v:  # another viewer's key does not open it
                with pytest.raises(Error):
                    session(keys[0], inbound=True).unprotect(got)


def test_bad_entries_are_refused_or_counted(udp: tuple[socket.socket, socket.socket]) -> None:
    assert aiortc_hooks.enable_batched_sends(SendBatch())
    out, into = udp
    addr = aiortc_hooks.sockaddr_bytes(socket.AF_INET, into.getsockname())
    sender = session(os.urandom(KEY_BYTES))  # referenced: the address is only valid while it lives
    ctx = aiortc_hooks.srtp_context_address(sender)
    with pytest.raises(TypeError):
        _fanout.send([(ctx, out.fileno(), addr)])
    with pytest.raises(TypeError):
        _fanout.send([(ctx, out.fileno(), "not bytes", rtp(1, 1))])
    too_long, too_short = rtp(1, 1, b"\x00" * 1500), b"\x80" * 8
    assert _fanout.send([(ctx, out.fileno(), addr, too_long), (ctx, out.fileno(), addr, too_short),
                         (ctx, out.fileno(), b"\x02", rtp(2, 1)), (ctx, out.fileno(), addr, rtp(3, 1))]) == (1, 3, [])
    assert _fanout.send([]) == (0, 0, [])


def test_copies_the_kernel_refuses_for_now_come_back_protected() -> None:
    """A full socket buffer (EAGAIN): the copies go back to their writer, protected once, not lost.

    A datagram socket of the Unix family refuses at once when the receiver's queue is full
    (``net.unix.max_dgram_qlen``), which loopback UDP never does.
    """
    assert aiortc_hooks.enable_batched_sends(SendBatch())
    name = b"\0livehire-fanout-" + os.urandom(4).hex().encode()
    into = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    into.bind(name)  # never read
    out = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    out.setblocking(False)

    class Writer:
        def __init__(self) -> None:
            self.back: list[bytes] = []

        def resend(self, protected: bytes) -> None:
            self.back.append(protected)

    try:
        key = os.urandom(KEY_BYTES)
        sender, receiver = session(key), session(key, inbound=True)
        addr = struct.pack("=H", socket.AF_UNIX) + name
        ctx = aiortc_hooks.srtp_context_address(sender)
        writer = Writer()
        batch = SendBatch()
        assert aiortc_hooks.enable_batched_sends(batch)
        batch.begin()
        for seq in range(100):
            batch.queue.append((ctx, out.fileno(), addr, rtp(seq, 7), writer))
        batch.end()
        assert batch.failed == 0 and batch.sent > 0 and batch.deferred == len(writer.back) > 0
        assert batch.sent + batch.deferred == 100
        first = 100 - len(writer.back)  # what the kernel took went first, in order
        for offset, protected in enumerate(writer.back):
            assert receiver.unprotect(protected) == rtp(first + offset, 7)  # protected once, right index
    finally:
        out.close()
        into.close()


def test_sockaddr_bytes() -> None:
    v4 = aiortc_hooks.sockaddr_bytes(socket.AF_INET, ("10.1.2.3", 5000))
    assert len(v4) == 16 and v4[2:4] == (5000).to_bytes(2, "big") and v4[4:8] == bytes([10, 1, 2, 3])
    assert len(aiortc_hooks.sockaddr_bytes(socket.AF_INET6, ("::1", 5000))) == 28
    assert aiortc_hooks.sockaddr_bytes(socket.AF_INET6, ("fe80::1%eth0", 5000)) == b""  # scoped: slow path
    assert aiortc_hooks.sockaddr_bytes(socket.AF_INET, ("::1", 5000)) == b""  # family mismatch: slow path


@pytest.mark.media
@pytest.mark.parametrize("batched", [True, False])
async def test_viewers_decode_through_batched_and_unbatched_sends(batched: bool) -> None:
    broadcast = Broadcast()
    broadcast.batch.enabled = batched  # this broadcast's own batch: no other test's forwarding shares it
    pub_pc, offer = await publisher("video/VP8")
    server_pub = PublisherPeer(broadcast)
    await answer_into(pub_pc, await server_pub.accept(offer))
    viewers, server_viewers = [Viewer() for _ in range(2)], []
    try:
        for viewer in viewers:
            peer = ViewerPeer(broadcast)  # its writer configures the broadcast's batch
            await viewer.answer(await peer.accept(await viewer.offer()))
            server_viewers.append(peer)
        for viewer in viewers:
            await viewer.wait_frames(10, limit=10)
        await wait_for(lambda: all(v.audio_frames > 5 for v in viewers), 10)
        sent, failed = broadcast.batch.sent, broadcast.batch.failed
    finally:
        for viewer in viewers:
            await viewer.close()
        for peer in server_viewers:
            await peer.close()
        await server_pub.close()
        await pub_pc.close()
    if batched:
        assert sent >= 2 * 10 and failed == 0  # ≥ 10 frames each went out batched
    else:
        assert sent == 0


def test_two_services_in_one_process_do_not_share_a_batch() -> None:
    """No module-level mutable state: turning one app's batching off leaves another's alone."""
    from signaling.access import MemoryRoomAccess
    from signaling.service import SignalingService

    first, second = (SignalingService(access=MemoryRoomAccess({})) for _ in range(2))
    assert first.batch is not second.batch
    first.batch.enabled = False
    assert second.batch._wanted
    assert first._broadcast("r").batch is first.batch and second._broadcast("r").batch is second.batch
    assert all(t.batch is first.batch for t in first._broadcast("r").all_tracks())
