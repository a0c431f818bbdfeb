"""Parallel raw writes over real loopback sockets: every byte arrives, in order, with transport writes mixed in."""

from __future__ import annotations

import asyncio
import datetime
import json
import os
import socket
import ssl
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from chat.fanout import Outlet, RoomHub
from chat.frames import Encoded
from chat.writers import NATIVE, ParallelWriter, raw_fd
from tests.chat.test_fanout import FakeTransport
from tests.chat.test_frames import parse_wire


class Accepted(asyncio.Protocol):
    """The server side of one connection: keeps its transport, ignores what the client sends."""

    def __init__(self, accepted: asyncio.Queue[asyncio.Transport]) -> None:
        self.accepted = accepted

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.accepted.put_nowait(transport)  # type: ignore[arg-type]


@dataclass
class Pair:
    server: asyncio.Transport
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter


@pytest.fixture
async def pairs() -> AsyncIterator[list[Pair]]:
    """40 loopback TCP connections: (server transport, client reader)."""
    loop = asyncio.get_running_loop()
    accepted: asyncio.Queue[asyncio.Transport] = asyncio.Queue()
    server = await loop.create_server(lambda: Accepted(accepted), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    made: list[Pair] = []
    for _ in range(40):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        made.append(Pair(await accepted.get(), reader, writer))
    yield made
    for pair in made:
        pair.writer.close()
        pair.server.close()
    server.close()
    await server.wait_closed()


@pytest.fixture(params=[pytest.param(False, id="python"), pytest.param(True, id="native")])
def native(request: pytest.FixtureRequest) -> bool:
    """Both send loops (chat/_rawsend.c is built by scripts/install; in CI a missing build fails)."""
    if request.param and not NATIVE and not os.environ.get("CI"):
        pytest.skip("chat._rawsend not built here")
    return bool(request.param)


async def read_exactly(reader: asyncio.StreamReader, size: int) -> bytes:
    async with asyncio.timeout(10):
        return await reader.readexactly(size)


async def test_a_parallel_flush_delivers_every_frame_in_order_between_transport_writes(pairs: list[Pair],
                                                                                      native: bool) -> None:
    writer = ParallelWriter(3, min_parallel=1, native=native)
    hub = RoomHub(asyncio.get_running_loop(), writer)
    outlets = [Outlet(p.server) for p in pairs]
    assert all(o.fd is not None for o in outlets)
    for outlet in outlets:
        hub.add(outlet)
        hub.release(outlet, 0)
    expected = b""
    for n in range(30):
        hub.publish(Encoded({"type": "chat", "seq": n}), seq=n)
        if n % 3 == 0:
            # a flush now: the parallel path. Not ``await flushed()``: on a loaded machine the hub rests after a
            # slow flush (call_later), the two loop turns passed first and the pong overtook the chat frames
            hub.flush()
            reply = Encoded({"type": "pong", "ref": str(n)})
            for outlet in outlets:
                outlet.send(reply)  # a reply through the transport, between two flushes
    hub.flush()
    try:
        for n in range(30):
            expected += Encoded({"type": "chat", "seq": n}).text
            if n % 3 == 0:
                expected += Encoded({"type": "pong", "ref": str(n)}).text
        for pair in pairs:
            got = await read_exactly(pair.reader, len(expected))
            frames = [json.loads(f.data) for f in parse_wire(got)]
            assert got == expected and [f["seq"] for f in frames if f["type"] == "chat"] == list(range(30))
        assert hub.deliveries == 40 * 30
    finally:
        writer.close()


async def test_what_the_kernel_does_not_take_follows_through_the_transport(pairs: list[Pair], native: bool) -> None:
    """A client that does not read: the first write is partial, the rest is queued in order, nothing is lost."""
    pair = pairs[0]
    sock = pair.server.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    writer = ParallelWriter(2, min_parallel=1, native=native)
    outlet = Outlet(pair.server, limit=64 << 20)
    first, second = bytes(range(256)) * 8192, b"second" * 1000  # 2 MiB cannot fit in the socket buffers
    try:
        writer.write_all([outlet], first)
        assert pair.server.get_write_buffer_size() > 0  # a short write: the remainder is in the transport
        assert not outlet.direct_ok()
        writer.write_all([outlet], second)  # so this one must queue behind it, not jump ahead
        assert await read_exactly(pair.reader, len(first) + len(second)) == first + second
        assert not outlet.closed
    finally:
        writer.close()


async def test_closing_transports_are_left_alone(pairs: list[Pair], native: bool) -> None:
    writer = ParallelWriter(2, min_parallel=1, native=native)
    outlets = [Outlet(p.server) for p in pairs[:4]]
    pairs[1].server.close()
    try:
        writer.write_all(outlets, b"\x81\x02hi")  # type: ignore[arg-type]
        assert outlets[1].closed and not outlets[0].closed
        assert await read_exactly(pairs[0].reader, 4) == b"\x81\x02hi"
        async with asyncio.timeout(5):
            assert await pairs[1].reader.read() == b""  # closed without our bytes
    finally:
        writer.close()


def self_signed(directory: Path) -> ssl.SSLContext:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1)).sign(key, hashes.SHA256()))
    (directory / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (directory / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                           serialization.NoEncryption()))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(directory / "cert.pem", directory / "key.pem")
    return context


async def test_only_plain_tcp_transports_are_written_around(tmp_path: Path, pairs: list[Pair]) -> None:
    assert raw_fd(pairs[0].server) == pairs[0].server.get_extra_info("socket").fileno()
    assert raw_fd(FakeTransport()) is None
    loop = asyncio.get_running_loop()
    accepted: asyncio.Queue[asyncio.Transport] = asyncio.Queue()
    server = await loop.create_server(lambda: Accepted(accepted), "127.0.0.1", 0, ssl=self_signed(tmp_path))
    client_context = ssl.create_default_context()
    client_context.check_hostname, client_context.verify_mode = False, ssl.CERT_NONE
    _, client = await asyncio.open_connection("127.0.0.1", server.sockets[0].getsockname()[1], ssl=client_context)
    try:
        tls = await accepted.get()
        assert raw_fd(tls) is None and Outlet(tls).fd is None  # TLS: bytes must go through the transport
        tls.close()
    finally:
        client.close()
        server.close()
        await server.wait_closed()
