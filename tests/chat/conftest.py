"""Fixtures of the bus port contract suites: every test runs on the memory ports and on real Redis."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest

from chat.bus.factory import memory_bus, redis_bus
from tests.chat.bus_nodes import MakeBus, Node


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
def make_bus(request: pytest.FixtureRequest) -> MakeBus:
    """Builds a node's ports (``history_limit``, ``held_limit``... passed on) of the parametrized kind."""
    if request.param == "memory":
        return lambda **kw: memory_bus(**kw)
    url = request.getfixturevalue("redis_url")
    return lambda **kw: redis_bus(url, **kw)


@pytest.fixture
async def node(make_bus: MakeBus) -> AsyncIterator[Node]:
    n = Node(make_bus())
    await n.bus.start(n.deliver)
    yield n
    await n.bus.close()


@pytest.fixture
def room() -> str:
    return "room-" + uuid.uuid4().hex[:8]  # Redis is shared between runs: every test its own room
