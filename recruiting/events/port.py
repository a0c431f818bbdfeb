"""The resume-delivery event log port: memory for one node, a Redis Stream for many.

After an application is committed (its event row written in the same
transaction, :mod:`recruiting.events.outbox`), an event goes on this log; every node
fans the events out to its open ``/office`` pages (standard 5.1.4). The
implementations sit beside this module (:mod:`recruiting.events.memory`,
:mod:`recruiting.events.redis_stream`) and share one contract suite
(``tests/recruiting/test_events.py``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any, Protocol

from recruiting.events.fanout import EventSubscription


class EventLog(Protocol):
    """Where resume-delivery events go after the commit."""

    async def start(self) -> None: ...

    async def close(self) -> None: ...

    async def publish(self, events: Sequence[Mapping[str, Any]]) -> None: ...

    def subscribe(self) -> EventSubscription: ...

    async def forget(self, application_ids: Collection[str]) -> int:
        """Deletion on request (个人信息保护法 §47, standard 4.4.1 c): the events of these applications
        (delivery events carry the candidate's name) are removed from the log; how many were."""
