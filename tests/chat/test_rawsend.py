"""The C send loop (chat/_rawsend.c) against its pure-Python twin: one contract, real sockets."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator

import pytest

from chat.writers import NATIVE, SendAll, send_function

# In CI the C loop must be built (scripts/install compiles it): a missing build is a failure there, not a skip.
LOOPS = [pytest.param(False, id="python"), pytest.param(True, id="native")]


@pytest.fixture(params=LOOPS)
def send_all(request: pytest.FixtureRequest) -> SendAll:
    if request.param and not NATIVE and not os.environ.get("CI"):
        pytest.skip("chat._rawsend not built here")
    return send_function(request.param)


@pytest.fixture
def pairs() -> Iterator[list[tuple[socket.socket, socket.socket]]]:
    """Eight non-blocking loopback TCP connections: (server side, client side)."""
    listener = socket.create_server(("127.0.0.1", 0))
    made = []
    for _ in range(8):
        client = socket.create_connection(listener.getsockname())
        server, _ = listener.accept()
        server.setblocking(False)
        made.append((server, client))
    yield made
    for server, client in made:
        server.close()
        client.close()
    listener.close()


def read(sock: socket.socket, size: int) -> bytes:
    sock.settimeout(5)
    got = b""
    while len(got) < size:
        chunk = sock.recv(size - len(got))
        if not chunk:
            break
        got += chunk
    return got


def test_every_socket_gets_the_same_bytes(send_all: SendAll, pairs: list[tuple[socket.socket, socket.socket]]) -> None:
    data = "岗位讲解".encode() * 50
    assert send_all([server.fileno() for server, _ in pairs], data) == []
    assert send_all([], data) == []
    for _, client in pairs:
        assert read(client, len(data)) == data


def test_a_full_socket_hands_back_what_it_did_not_take(send_all: SendAll,
                                                        pairs: list[tuple[socket.socket, socket.socket]]) -> None:
    """The second socket's peer never reads: its buffers fill, the rest (index, bytes taken) comes back."""
    full, _ = pairs[1]
    full.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    big = bytes(range(256)) * 8192  # 2 MiB: more than the small buffer and the peer's receive window
    fds = [pairs[0][0].fileno(), full.fileno()]
    short = send_all(fds, big[:1000])
    assert short == []
    partial = send_all([full.fileno()], big)
    assert len(partial) == 1 and partial[0][0] == 0 and 0 < partial[0][1] < len(big)  # took what fitted
    for _ in range(100):  # the peer's receive window may still open a little: fill until nothing fits
        if send_all([full.fileno()], big) == [(0, 0)]:
            break
    else:
        raise AssertionError("the unread socket kept taking bytes")
    again = send_all(fds, b"x" * 100)  # EAGAIN on the full one: 0 bytes taken, the other one is fine
    assert again == [(1, 0)]
    assert read(pairs[0][1], 1100) == big[:1000] + b"x" * 100


def test_closed_and_dead_sockets_count_as_nothing_taken(send_all: SendAll,
                                                        pairs: list[tuple[socket.socket, socket.socket]]) -> None:
    gone_server, gone_client = pairs[2]
    gone_client.close()  # the peer is gone: a reset follows the first send, then EPIPE (never SIGPIPE)
    shut = pairs[3][0]
    shut.shutdown(socket.SHUT_WR)  # our side shut for writing: EPIPE
    closed = socket.socket()
    stale = closed.fileno()
    closed.close()  # a descriptor that is no longer open: EBADF
    fds = [pairs[0][0].fileno(), gone_server.fileno(), shut.fileno(), stale, pairs[4][0].fileno()]
    results = [send_all(fds, b"hello") for _ in range(3)]
    assert all(index not in (0, 4) for result in results for index, _ in result)
    assert (2, 0) in results[0] and (3, 0) in results[0]
    assert (1, 0) in results[-1] and all(sent == 0 for _, sent in results[-1])
    assert read(pairs[0][1], 15) == b"hello" * 3 and read(pairs[4][1], 15) == b"hello" * 3


def test_the_native_loop_checks_its_arguments() -> None:
    if not NATIVE:
        pytest.skip("chat._rawsend not built here")
    send_all = send_function(True)
    with pytest.raises(TypeError):
        send_all((1, 2), b"x")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        send_all(["1"], b"x")  # type: ignore[list-item]
    with pytest.raises(ValueError, match="not a file descriptor"):
        send_all([-1], b"x")
    with pytest.raises(TypeError):
        send_all([1], "text")  # type: ignore[arg-type]


def test_native_is_refused_where_it_is_not_built() -> None:
    if NATIVE:
        assert send_function(None) is send_function(True)
    else:
        with pytest.raises(RuntimeError, match="not built"):
            send_function(True)
