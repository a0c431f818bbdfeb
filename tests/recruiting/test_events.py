"""One contract for both event logs: memory (one node) and a Redis Stream (many nodes).

The tests taking ``make_log`` run on both; the buffer-limit tests use memory only, since both logs
hand events to the same :class:`recruiting.events.fanout.LocalFanout`, and the Redis-only test
reads the stream itself.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recruiting.events.encoding import json_encoder
from recruiting.events.memory import MemoryEventLog
from recruiting.events.port import EventLog
from recruiting.events.redis_stream import RedisStreamEventLog


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
async def make_log(request: pytest.FixtureRequest) -> AsyncIterator[Callable[[], EventLog]]:
    opened: list[EventLog] = []
    shared_memory = MemoryEventLog()
    stream = f"test:recruiting:{id(request)}"

    def factory() -> EventLog:
        if request.param == "memory":
            return shared_memory
        log = RedisStreamEventLog(request.getfixturevalue("redis_url"), stream=stream)
        opened.append(log)
        return log

    yield factory
    for log in opened:
        await log.close()


async def _next(iterator: AsyncIterator[dict[str, object]]) -> dict[str, object]:
    return await asyncio.wait_for(anext(iterator), 5)


async def test_every_subscriber_of_every_node_sees_each_event_in_order(make_log: Callable[[], EventLog]) -> None:
    node_a, node_b = make_log(), make_log()
    await node_a.start()
    if node_b is not node_a:
        await node_b.start()
    on_a, on_b = aiter(node_a.subscribe()), aiter(node_b.subscribe())
    await node_a.publish([{"org": "acme", "n": 1}, {"org": "acme", "n": 2}])
    await node_b.publish([{"org": "acme", "n": 3}])
    assert [(await _next(on_a))["n"] for _ in range(3)] == [1, 2, 3]
    assert [(await _next(on_b))["n"] for _ in range(3)] == [1, 2, 3]


async def test_a_closed_subscription_ends_and_gets_nothing(make_log: Callable[[], EventLog]) -> None:
    log = make_log()
    await log.start()
    subscription = log.subscribe()
    subscription.close()
    await log.publish([{"org": "acme"}])
    assert await asyncio.wait_for(subscription.next_batch(), 5) is None


async def test_a_republished_event_reaches_each_reader_once(make_log: Callable[[], EventLog]) -> None:
    """The outbox relay may publish an event again (its node died between publish and delete): the
    same ``event_id`` is fanned out once; events without one always pass."""
    node_a, node_b = make_log(), make_log()
    await node_a.start()
    if node_b is not node_a:
        await node_b.start()
    reader = aiter(node_b.subscribe())
    event_id = uuid.uuid4().hex
    await node_a.publish([{"org": "acme", "event_id": event_id, "n": 1}])
    await node_b.publish([{"org": "acme", "event_id": event_id, "n": 1}, {"org": "acme", "n": 2}])
    await node_a.publish([{"org": "acme", "n": 2}])
    assert [(await _next(reader))["n"] for _ in range(3)] == [1, 2, 2]


async def test_a_slow_subscriber_is_cut_off_not_the_others() -> None:
    log = MemoryEventLog()
    slow = log.subscribe()
    fast = log.subscribe()
    many = [{"org": "acme", "n": i} for i in range(25_000)]
    await log.publish(many)
    assert slow.overflowed and fast.overflowed
    again = log.subscribe()
    await log.publish([{"org": "acme", "n": -1}])
    assert await again.next_batch() == [{"org": "acme", "n": -1}]


async def test_a_published_batch_is_read_in_one_batch_and_a_cut_off_reader_ends_after_its_buffer() -> None:
    log = MemoryEventLog()
    reader = log.subscribe()
    await log.publish([{"org": "acme", "n": i} for i in range(300)])
    assert [e["n"] for e in await reader.next_batch()] == list(range(300))  # one wake-up, one office write
    await log.publish([{"org": "acme", "n": 1}])
    await log.publish([{"org": "acme", "n": i} for i in range(20_000)])  # falls behind: cut off
    assert reader.overflowed
    assert await reader.next_batch() == [{"org": "acme", "n": 1}]  # what it had, then the end
    assert await asyncio.wait_for(reader.next_batch(), 5) is None


def _delivery(app_id: str, name: str) -> dict[str, object]:
    return {"type": "application", "event_id": app_id, "application_id": app_id, "org": "acme", "name": name}


async def test_forget_removes_the_events_of_given_applications_and_keeps_the_others(
    make_log: Callable[[], EventLog],
) -> None:
    """个人信息保护法 §47: delivery and interview events of an erased person's applications are forgotten
    (memory: what a reader has not read yet; Redis: the stream entries), the others stay."""
    log = make_log()
    await log.start()
    reader = aiter(log.subscribe())
    await log.publish([_delivery("a1", "张三"), _delivery("b1", "李四"), _delivery("a2", "张三"),
                       {"type": "interview", "org": "acme", "interview": {"application_id": "a1", "user_id": "u"}}])
    assert await log.forget(["a1", "a2", "never"]) == 3
    assert await log.forget(["a1", "a2"]) == 0 and await log.forget([]) == 0
    await log.publish([_delivery("b2", "王五")])
    read = [(await _next(reader)).get("application_id") for _ in range(2)]
    assert read == ["b1", "b2"]


@pytest.mark.redis
async def test_forget_deletes_the_redis_stream_entries_across_pages(redis_url: str) -> None:
    """The entries are gone from the stream itself (late readers, ``XRANGE``), found over several pages."""
    from redis.asyncio import Redis

    stream = f"test:recruiting:forget:{uuid.uuid4().hex}"
    log = RedisStreamEventLog(redis_url, stream=stream)
    await log.start()
    client = Redis.from_url(redis_url, decode_responses=True)
    try:
        events = [_delivery(f"x{i}", "张三" if i % 7 == 0 else "李四") for i in range(50)]
        await log.publish(events)
        doomed = [f"x{i}" for i in range(0, 50, 7)]
        assert await log.forget([*doomed, "x"], page=8) == len(doomed)  # "x" is a prefix of every id: no match
        rows: list[tuple[str, dict[str, str]]] = await client.xrange(stream)  # type: ignore[assignment]
        left = [json.loads(fields["e"])["application_id"] for _, fields in rows]
        assert left == [f"x{i}" for i in range(50) if i % 7]
    finally:
        await log.close()
        await client.delete(stream)
        await client.aclose()


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(_JSON)
def test_json_encoder_writes_what_the_standard_encoder_writes(value: object) -> None:
    """Outbox rows, stream entries and SSE lines must not change by reusing one C encoder."""
    assert json_encoder()(value) == json.JSONEncoder(ensure_ascii=False).encode(value)


def test_json_encoder_refuses_what_the_standard_encoder_refuses() -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        json_encoder()({"when": object()})
