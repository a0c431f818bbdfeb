"""The embedded carrier: AXB bindings and calls simulated in process (default and tests)."""

from __future__ import annotations

import time
import uuid

from recruiting.numbers.port import Binding, CallRecord, NumberError


def _now_ms() -> int:
    return int(time.time() * 1000)


class SimulatedNumberProvider:
    """An in-process carrier: a pool of X numbers, AXB routing rules, synthetic calls."""

    #: The simulation connects anyone: a member without a phone is A by their member id (with a hint).
    dials_member_ids = True

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
