"""Virtual numbers (standard 5.1.5): the recruiter never sees the candidate's number.

AXB model: the provider binds A (recruiter) and B (candidate) to a middle
number X for a limited time. A calling X reaches B and B calling X reaches A;
neither learns the other's real number. For one X, each A and each B may be in
at most one live binding, which is how the carrier routes the call.

A real adapter (e.g. a carrier's 隐私号 API) implements :class:`NumberProvider`
with three HTTP calls: ``bind`` → the carrier's "AXB bind" request (returns X
and a subscription id), ``unbind`` → "unbind subscription", and call records
arrive by the carrier's webhook (start, answer, end, release cause) which the
adapter hands back from :meth:`NumberProvider.call` or a callback. Beside this port:
:mod:`recruiting.numbers.simulated` (embedded, the default and the tests') and
:mod:`recruiting.numbers.carrier` (signed HTTP to an operator's carrier gateway).
"""

from __future__ import annotations

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
    """The AXB carrier port; ``tests/recruiting/test_number_provider_contract.py`` runs every
    implementation through the same suite."""

    @property
    def dials_member_ids(self) -> bool:
        """Whether A may be a member id instead of a phone number: only a simulation can connect a
        member who never gave their phone; a carrier dials real numbers."""
        ...

    async def bind(self, a: str, b: str, *, ttl_seconds: int) -> Binding: ...

    async def unbind(self, binding_id: str) -> None: ...

    async def call(self, binding: Binding, caller: str) -> CallRecord: ...
