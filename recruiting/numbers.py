"""Virtual numbers (standard 5.1.5): the recruiter never sees the candidate's number.

AXB model: the provider binds A (recruiter) and B (candidate) to a middle
number X for a limited time. A calling X reaches B and B calling X reaches A;
neither learns the other's real number. For one X, each A and each B may be in
at most one live binding, which is how the carrier routes the call.

A real adapter (e.g. a carrier's 隐私号 API) implements :class:`NumberProvider`
with three HTTP calls: ``bind`` → the carrier's "AXB bind" request (returns X
and a subscription id), ``unbind`` → "unbind subscription", and call records
arrive by the carrier's webhook (start, answer, end, release cause) which the
adapter hands back from :meth:`NumberProvider.call` or a callback. The
:class:`SimulatedNumberProvider` is embedded and used by default and in tests.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Protocol


class NumberError(Exception):
    """The provider refused (no free X, binding expired or released)."""


@dataclass(frozen=True, slots=True)
class Binding:
    binding_id: str
    a: str
    b: str
    x: str
    expires_at: int


@dataclass(frozen=True, slots=True)
class CallRecord:
    """One call through X: start, answer, end (ms) and why it ended."""

    call_id: str
    binding_id: str
    started_at: int
    answered_at: int | None
    ended_at: int
    release_cause: str


class NumberProvider(Protocol):
    async def bind(self, a: str, b: str, *, ttl_seconds: int) -> Binding: ...

    async def unbind(self, binding_id: str) -> None: ...

    async def call(self, binding: Binding, caller: str) -> CallRecord: ...


def _now_ms() -> int:
    return int(time.time() * 1000)


class SimulatedNumberProvider:
    """An in-process carrier: a pool of X numbers, AXB routing rules, synthetic calls."""

    def __init__(self, pool: list[str] | None = None) -> None:
        self._pool = pool or [f"1700000{n:04d}" for n in range(1000)]
        self._live: dict[str, Binding] = {}

    def _expire(self, now: int) -> None:
        for binding_id, binding in list(self._live.items()):
            if binding.expires_at <= now:
                del self._live[binding_id]

    async def bind(self, a: str, b: str, *, ttl_seconds: int) -> Binding:
        now = _now_ms()
        self._expire(now)
        for binding in self._live.values():
            if binding.a == a and binding.b == b:
                return binding
        for x in self._pool:
            taken = {p for bound in self._live.values() if bound.x == x for p in (bound.a, bound.b)}
            if a not in taken and b not in taken:
                binding = Binding(uuid.uuid4().hex, a, b, x, now + ttl_seconds * 1000)
                self._live[binding.binding_id] = binding
                return binding
        raise NumberError("no free virtual number for this pair")

    async def unbind(self, binding_id: str) -> None:
        self._live.pop(binding_id, None)

    async def call(self, binding: Binding, caller: str) -> CallRecord:
        """A synthetic call: answered when the binding is live, else released at once."""
        now = _now_ms()
        live = binding.expires_at > now
        if caller not in (binding.a, binding.b):
            raise NumberError("the caller is not part of this binding")
        return CallRecord(
            call_id=uuid.uuid4().hex,
            binding_id=binding.binding_id,
            started_at=now,
            answered_at=now if live else None,
            ended_at=now,
            release_cause="normal_clearing" if live else "binding_expired",
        )
