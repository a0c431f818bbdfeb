"""The event log of one process: publish is a direct fan-out (the embedded default)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from recruiting.events.encoding import EncodedEvent
from recruiting.events.fanout import EventSubscription, LocalFanout


class MemoryEventLog:
    """One process: publish is a direct fan-out."""

    def __init__(self) -> None:
        self._fanout = LocalFanout()

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        self._fanout.close_all()

    async def publish(self, events: Sequence[Mapping[str, Any]]) -> None:
        self._fanout.deliver_many([event if isinstance(event, EncodedEvent) else dict(event) for event in events])

    def subscribe(self) -> EventSubscription:
        return self._fanout.subscribe()

    async def forget(self, application_ids: Collection[str]) -> int:
        """Nothing is kept but what office pages have not read yet: that is dropped."""
        return self._fanout.forget(set(application_ids)) if application_ids else 0
