"""This node's readers of the event log: bounded buffers, repeats dropped.

Shared by both logs (:mod:`recruiting.events.memory`, :mod:`recruiting.events.redis_stream`):
whichever carries the events between nodes, the last hop to an office page is this fan-out.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Collection, Sequence
from typing import Any

from recruiting.events.encoding import Event, about_applications


class EventSubscription:
    """One reader's bounded buffer; a reader that falls too far behind is cut off.

    A batch of events (one group commit's) is offered in one call and taken in one
    ``next_batch``: no queue operation and no wake-up per event.
    """

    def __init__(self, fanout: LocalFanout, limit: int) -> None:
        self._fanout = fanout
        self._limit = limit
        self._items: deque[Event] = deque()
        self._closed = False
        self._wakeup = asyncio.Event()
        self.overflowed = False

    def offer(self, event: Event) -> None:
        self.offer_many((event,))

    def offer_many(self, events: Sequence[Event]) -> None:
        if self._closed:
            return
        if len(self._items) + len(events) > self._limit:
            self.overflowed = True
            self.close()
            return
        self._items.extend(events)
        self._wakeup.set()

    def drop(self, application_ids: Collection[str]) -> int:
        """Buffered, not yet read events of these applications are not read at all (§47 deletion)."""
        kept = [event for event in self._items if not about_applications(event, application_ids)]
        dropped = len(self._items) - len(kept)
        if dropped:
            self._items = deque(kept)
        return dropped

    def close(self) -> None:
        """Ends the subscription; what is already buffered is still read, then None."""
        self._fanout.discard(self)
        self._closed = True
        self._wakeup.set()

    async def _wait(self) -> bool:
        while not self._items:
            if self._closed:
                return False
            self._wakeup.clear()
            await self._wakeup.wait()
        return True

    async def next_batch(self, limit: int = 1000) -> list[Event] | None:
        """The next event and whatever else is already buffered (one write for many); None at the end."""
        if not await self._wait():
            return None
        items = self._items
        return [items.popleft() for _ in range(min(limit, len(items)))]

    def __aiter__(self) -> AsyncIterator[Event]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[Event]:
        while await self._wait():
            yield self._items.popleft()


class LocalFanout:
    """The subscribers on this node.

    An event with an ``event_id`` already fanned out (the outbox relay republished it after a
    node died between publish and mark, see :mod:`recruiting.events.outbox`) is dropped, so an office
    page never shows a delivery twice; the last ``remember`` ids are kept.
    """

    def __init__(self, limit: int = 20_000, remember: int = 100_000) -> None:
        self._limit = limit
        self._subscribers: set[EventSubscription] = set()
        self._remember = remember
        self._seen: set[Any] = set()
        self._seen_order: deque[Any] = deque()

    def subscribe(self) -> EventSubscription:
        subscription = EventSubscription(self, self._limit)
        self._subscribers.add(subscription)
        return subscription

    def discard(self, subscription: EventSubscription) -> None:
        self._subscribers.discard(subscription)

    def deliver(self, event: Event) -> None:
        self.deliver_many((event,))

    def deliver_many(self, events: Sequence[Event]) -> None:
        events = self._first_time(events)
        if not events:
            return
        for subscription in list(self._subscribers):
            subscription.offer_many(events)

    def forget(self, application_ids: Collection[str]) -> int:
        """Drops these applications' events from every subscriber's buffer; how many were dropped."""
        return sum(subscription.drop(application_ids) for subscription in list(self._subscribers))

    def close_all(self) -> None:
        for subscription in list(self._subscribers):
            subscription.close()

    def _first_time(self, events: Sequence[Event]) -> Sequence[Event]:
        seen = self._seen
        fresh: list[Event] = []
        for event in events:
            event_id = event.get("event_id")
            if event_id is None:
                fresh.append(event)
            elif event_id not in seen:
                seen.add(event_id)
                self._seen_order.append(event_id)
                fresh.append(event)
        while len(self._seen_order) > self._remember:
            seen.discard(self._seen_order.popleft())
        return fresh
