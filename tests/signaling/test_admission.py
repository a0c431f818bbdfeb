"""Fair shares of the media node (review H4), without sockets: Admission on an injected clock."""

from __future__ import annotations

import pytest

from common.http import http_status
from signaling.admission import Admission, Refusal, default_reserve


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def fill(admission: Admission, n: int, *, client: str | None = "10.0.0.1", room: str = "demo",
         connected: bool = True, prefix: str = "s") -> list[str]:
    ids = []
    for i in range(n):
        sid = f"{prefix}{i}"
        assert admission.check("viewer", room, client) is None, (i, admission.check("viewer", room, client))
        admission.register(sid, "viewer", room, client)
        if connected:
            admission.connected(sid)
        ids.append(sid)
    return ids


def refused(refusal: Refusal | None, status: int, code: str) -> Refusal:
    assert refusal is not None
    got, headers = http_status(refusal)
    assert (got, refusal.code) == (status, code)
    assert int(headers["Retry-After"]) >= 1
    return refusal


def test_defaults_and_reserve() -> None:
    admission = Admission()
    assert (admission.max_sessions, admission.per_client_room, admission.per_client_node,
            admission.pending_per_client, admission.pending_timeout) == (1000, 5, 20, 3, 10.0)
    assert admission.reserved_publishers == 50 and admission.viewer_capacity == 950
    assert default_reserve(10) == 2 and default_reserve(100) == 5 and default_reserve(101) == 6
    assert Admission(max_sessions=1).viewer_capacity == 0


def test_client_share_of_a_room_then_429_while_others_still_get_in() -> None:
    admission = Admission()
    fill(admission, 5)
    refusal = refused(admission.check("viewer", "demo", "10.0.0.1"), 429, "too_many_sessions")
    assert refusal.retry_after == 10
    assert admission.check("viewer", "demo", "10.0.0.2") is None  # another client
    assert admission.check("viewer", "other", "10.0.0.1") is None  # the same client in another room
    admission.unregister("s0")
    assert admission.check("viewer", "demo", "10.0.0.1") is None  # a closed session frees its slot


def test_client_share_of_the_node() -> None:
    admission = Admission(per_client_room=5, per_client_node=12)
    for r in range(3):
        fill(admission, 4, room=f"room{r}", prefix=f"r{r}-")
    assert admission.client_sessions("10.0.0.1") == 12
    assert admission.client_sessions("10.0.0.1", "room0") == 4
    refused(admission.check("viewer", "room9", "10.0.0.1"), 429, "too_many_sessions")
    assert admission.check("viewer", "room9", "10.0.0.2") is None


def test_pending_sessions_per_client_and_retry_after_when_the_oldest_expires() -> None:
    clock = Clock()
    admission = Admission(clock=clock, pending_timeout=10.0)
    fill(admission, 1, connected=False, prefix="a")
    clock.now += 4
    fill(admission, 2, connected=False, prefix="b")
    assert admission.client_pending("10.0.0.1") == 3 and admission.is_pending("a0")
    refusal = refused(admission.check("viewer", "demo", "10.0.0.1"), 429, "too_many_sessions")
    assert refusal.retry_after == 6  # a0 is closed 10 s after it opened
    clock.now += 100  # whatever the clock says, never "Retry-After: 0" or negative
    assert refused(admission.check("viewer", "demo", "10.0.0.1"), 429, "too_many_sessions").retry_after == 1
    admission.connected("a0")
    assert not admission.is_pending("a0")
    assert admission.check("viewer", "demo", "10.0.0.1") is None
    assert admission.check("viewer", "demo", "10.0.0.9") is None  # pending of one client is its own business


def test_viewers_leave_the_reserve_to_publishers() -> None:
    admission = Admission(max_sessions=10, reserved_publishers=2)
    for c in range(8):
        fill(admission, 1, client=f"10.0.1.{c}", prefix=f"c{c}-")
    assert admission.viewers() == 8
    refused(admission.check("viewer", "demo", "10.0.2.1"), 503, "overloaded")
    assert admission.check("publisher", "demo", None) is None  # the host still gets in
    admission.register("pub1", "publisher", "demo", None)
    admission.register("pub2", "publisher", "other", None)
    refused(admission.check("publisher", "third", None), 503, "overloaded")  # now really full
    admission.unregister("c0-0")
    assert admission.total() == 9
    assert admission.check("viewer", "demo", "10.0.2.1") is None  # a viewer's slot is free again


def test_over_its_share_a_client_hears_429_even_when_the_node_is_full() -> None:
    admission = Admission(max_sessions=6, reserved_publishers=1)
    fill(admission, 5)
    refused(admission.check("viewer", "demo", "10.0.0.1"), 429, "too_many_sessions")
    refused(admission.check("viewer", "demo", "10.0.0.2"), 503, "overloaded")


def test_relay_viewers_and_publishers_count_against_the_node_only() -> None:
    admission = Admission(max_sessions=100)
    fill(admission, 30, client=None)  # relay viewers (client None): no client share
    assert admission.viewers() == 30
    for i in range(10):  # a host's sessions never count against a client share
        admission.register(f"p{i}", "publisher", f"room{i}", "10.0.0.1")
    assert admission.client_sessions("10.0.0.1") == 0
    assert admission.check("viewer", "demo", "10.0.0.1") is None
    assert admission.total() == 40


def test_register_and_unregister_are_idempotent_where_it_matters() -> None:
    admission = Admission()
    admission.register("x", "viewer", "demo", "10.0.0.1")
    with pytest.raises(ValueError):
        admission.register("x", "viewer", "demo", "10.0.0.1")
    admission.unregister("x")
    admission.unregister("x")  # a peer closed twice
    admission.connected("x")  # a late state change
    assert (admission.total(), admission.viewers(), admission.client_sessions("10.0.0.1")) == (0, 0, 0)
