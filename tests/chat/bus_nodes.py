"""Helpers of the bus port contract suites (fixtures in ``tests/chat/conftest.py``)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from chat.bus.ports import ChatBus, Envelope

MakeBus = Callable[..., ChatBus]


class Node:
    """One node's ports and every envelope its broker delivered."""

    def __init__(self, bus: ChatBus) -> None:
        self.bus = bus
        self.got: list[Envelope] = []
        self.arrived = asyncio.Event()

    def deliver(self, envelope: Envelope) -> None:
        self.got.append(envelope)
        self.arrived.set()

    async def wait_for(self, predicate: Callable[[list[Envelope]], bool]) -> None:
        async with asyncio.timeout(5):
            while not predicate(self.got):
                self.arrived.clear()
                await self.arrived.wait()


def chat(text: str) -> dict[str, object]:
    return {"type": "chat", "user": {"id": "u", "name": "u", "role": "viewer"}, "text": text, "ts": 1}


def said(user: str, text: str) -> dict[str, object]:
    return {"type": "chat", "user": {"id": user, "name": f"名字{user}", "role": "viewer"}, "text": text, "ts": 1}
