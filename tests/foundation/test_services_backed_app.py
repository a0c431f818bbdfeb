"""The whole app on PostgreSQL and Redis, as a multi-node deployment runs it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from livehire.app import _redis_ping, create_app
from livehire.settings import load_settings
from tests import services


@pytest.mark.postgres
@pytest.mark.redis
async def test_ready_on_postgresql_and_redis(aiohttp_client: Any, tmp_path: Path, redis_url: str) -> None:
    base = services.postgres_url()
    database = await services.create_scratch_database(base)
    try:
        settings = load_settings(
            {"data_dir": tmp_path, "database_url": database, "redis_url": redis_url}, environ={}
        )
        client = await aiohttp_client(create_app(settings))
        ready = await client.get("/readyz")
        assert ready.status == 200, await ready.text()
        assert (await ready.json())["checks"] == {"store": "ok", "redis": "ok", "chat": "ok"}
        assert (await client.get("/api/v1/rooms/demo")).status == 200
        await client.close()
    finally:
        await services.drop_scratch_database(base, database)


async def test_readiness_fails_when_a_dependency_does_not_answer(client: Any) -> None:
    """/readyz answers 503 with the failing check named, and recovers when it answers again."""
    from livehire.ops import READINESS

    checks = client.server.app[READINESS]
    checks["redis"] = _redis_ping("redis://127.0.0.1:1/0")
    response = await client.get("/readyz")
    assert response.status == 503
    body = await response.json()
    assert body["checks"]["store"] == "ok" and body["checks"]["redis"].startswith("unavailable")
    assert body["error"]["code"] == "not_ready"
    del checks["redis"]
    assert (await client.get("/readyz")).status == 200


@pytest.mark.redis
@pytest.mark.slow  # its own redis-server, killed with SIGKILL and started again
async def test_readyz_is_503_while_redis_is_away_and_200_once_chat_is_subscribed_again(
    aiohttp_client: Any, tmp_path: Path,
) -> None:
    """An operator's load balancer takes the node out while Redis is away and back within 5 s of its return."""
    import asyncio
    import shutil

    from tests.chat.redis_process import RedisProcess

    if shutil.which("redis-server") is None:
        pytest.skip("needs the redis-server binary")
    redis = RedisProcess()
    await redis.start()
    try:
        settings = load_settings({"data_dir": tmp_path, "redis_url": redis.url}, environ={})
        client = await aiohttp_client(create_app(settings))
        assert (await client.get("/readyz")).status == 200
        await redis.kill()
        down = await client.get("/readyz")
        body = await down.json()
        assert down.status == 503 and body["checks"]["redis"].startswith("unavailable"), body
        loop = asyncio.get_running_loop()

        async def polled(done: Any) -> dict[str, Any]:
            """/readyz until ``done(status, checks)``: the probe a load balancer runs, every 50 ms for 10 s."""
            for _ in range(200):
                answer = await client.get("/readyz")
                body = await answer.json()
                if done(answer.status, body["checks"]):
                    return dict(body)
                await asyncio.sleep(0.05)
            raise AssertionError(f"/readyz stayed {answer.status} {body}")

        await polled(lambda status, checks: checks["chat"] != "ok")  # the chat reader noticed the loss too
        await redis.start()
        back = loop.time()
        ready = await polled(lambda status, checks: status == 200)
        assert loop.time() - back < 5 and ready["checks"] == {"store": "ok", "redis": "ok", "chat": "ok"}
        await client.close()
    finally:
        await redis.kill()
