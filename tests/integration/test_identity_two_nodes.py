"""Two ``livehire serve`` processes sharing PostgreSQL and Redis: a rate limit counted on node A holds on
node B, and a session ended on node A stops its token and closes its chat socket on node B (4.4.1 a)."""

from __future__ import annotations

import asyncio
import secrets
from pathlib import Path

import aiohttp
import pytest

from identity.phones import PhoneKey
from identity.sms import SimulatedSmsProvider
from store.engine import open_store
from tests import services
from tests.server import ServerProcess

pytestmark = [pytest.mark.integration, pytest.mark.redis, pytest.mark.postgres, pytest.mark.clause("4.4.1 a")]
SECRET = "two-nodes-identity-" + secrets.token_hex(16)  # its own rate-limit counts on the shared Redis


async def test_limits_and_revocations_hold_on_both_nodes(tmp_path: Path, redis_url: str, postgres_url: str) -> None:
    database = await services.create_scratch_database(postgres_url)
    nodes: list[ServerProcess] = []
    try:
        store = await open_store(database)  # migrated once here, so the two nodes do not race on it
        env = {"LIVEHIRE_SECRET": SECRET, "LIVEHIRE_SEED_DEMO": "true"}
        args = ["--database-url", database, "--redis-url", redis_url]
        for name in ("a", "b"):
            (tmp_path / name).mkdir()
            nodes.append(await asyncio.to_thread(ServerProcess(tmp_path / name, env=env, args=args).start))
        node_a, node_b = nodes[0].base_url, nodes[1].base_url
        phone = "139" + str(secrets.randbelow(10**8)).zfill(8)  # its own limit keys on the shared Redis
        async with aiohttp.ClientSession() as http:
            async with http.post(f"{node_a}/api/v1/auth/sms-code", json={"phone": phone}) as sent:
                assert sent.status == 202, await sent.text()
            async with http.post(f"{node_b}/api/v1/auth/sms-code", json={"phone": phone}) as again:
                assert again.status == 429 and int(again.headers["Retry-After"]) >= 1  # counted on A, refused on B
            [message, *_] = await SimulatedSmsProvider(store, PhoneKey.from_secret(SECRET)).outbox(phone)
            async with http.post(f"{node_a}/api/v1/auth/sms-login", json={"phone": phone,
                                                                          "code": message["code"]}) as signed:
                grant = await signed.json()
            headers = {"Authorization": "Bearer " + grant["token"]}
            async with http.get(f"{node_b}/api/v1/auth/whoami", headers=headers) as me:
                assert me.status == 200
            ws = await http.ws_connect(node_b.replace("http", "ws", 1) + "/ws/rooms/demo", headers=headers)
            assert (await ws.receive_json())["you"]["anonymous"] is False
            async with http.post(f"{node_a}/api/v1/auth/logout", headers=headers) as out:
                assert out.status == 204
            async with asyncio.timeout(5):  # node B learns the revocation within its sync interval
                message_type = (await ws.receive()).type
                while message_type not in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                    message_type = (await ws.receive()).type
            assert ws.close_code == 4503
            async with http.get(f"{node_b}/api/v1/auth/whoami", headers=headers) as gone:
                assert gone.status == 401
        await store.close()
    finally:
        for node in nodes:
            await asyncio.to_thread(node.stop)
        await services.drop_scratch_database(postgres_url, database)
