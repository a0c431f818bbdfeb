"""A long fuzz campaign against a running ``livehire serve``: ``scripts/fuzz --inputs N``.

Outside the default suite (a million inputs take tens of minutes): it starts its own server on a
scratch data directory (SQLite, memory bus, the demo seed), raises every rate limit so inputs reach
the handlers, and sends N hostile inputs from tests/fuzz/inputs.py: REST requests on every route
from every capacity, chat frames (JSON and msgpack) on open websockets, WHIP/WHEP offers and WHIP
PATCH trickle fragments. It fails on any 5xx, a websocket closed with 1011, a server that stops
answering ``/healthz`` or a chat round trip, or any traceback or ERROR line in the server's log.
The summary (counts by kind and status, rate) is printed and written as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import msgpack

from identity.limits import DEFAULT_RULES
from tests.fuzz.inputs import FIELDS, SDP_SEED, Inputs
from tests.fuzz.routes import fill, fuzzable, openapi_fields
from tests.server import ServerProcess

MIX = {"chat": 0.70, "rest": 0.25, "offer": 0.03, "fragment": 0.02}
CAPACITIES = ("anonymous", "viewer", "host", "recruiter", "reviewer", "admin")
CHAT_BATCH = 50  # frames sent before a ping whose pong shows the server handled them all
HEALTH_EVERY = 5_000
#: Routes that end the caller's own sessions or account: sent without credentials, so the campaign's
#: tokens stay valid (a fuzzed path can still name another user).
SELF_ENDING = re.compile(r"/auth/logout|/auth/password|/sessions/revoke$|^/api/v1/me$")


@dataclass
class Tally:
    wanted: int
    sent: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)
    statuses: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    def take(self, kind: str) -> bool:
        """One more input of ``kind``, unless its share of the campaign (MIX) is used up."""
        share = self.wanted - sum(round(self.wanted * MIX[k]) for k in MIX if k != "chat") if kind == "chat" \
            else round(self.wanted * MIX[kind])
        if self.by_kind[kind] >= share or len(self.failures) >= 20:
            return False
        self.sent += 1
        self.by_kind[kind] += 1
        return True

    def status(self, kind: str, status: int, what: str) -> None:
        self.statuses[f"{kind} {status}"] += 1
        if status >= 500:
            self.failures.append(f"{status} on {what}")


def token(data_dir: Path, capacity: str) -> str | None:
    if capacity == "anonymous":
        return None
    extra = {"recruiter": ["--org", "demo-org"], "host": ["--room", "demo", "--org", "demo-org"]}.get(capacity, [])
    out = subprocess.run([sys.executable, "-m", "livehire.cli", "token", "--role", capacity, "--user", f"fuzz-{capacity}",
                          "--ttl", "86400", "--data-dir", str(data_dir), *extra],
                         check=True, capture_output=True, text=True).stdout
    value = out.strip().split()[-1]
    return json.loads(out)["access_token"] if out.lstrip().startswith("{") else value


async def rest_worker(http: aiohttp.ClientSession, base: str, routes: list[tuple[str, str]], tokens: dict[str, str | None],
                      rng: random.Random, inputs: Inputs, tally: Tally) -> None:
    while tally.take("rest"):
        method, template = rng.choice(routes)
        capacity = "anonymous" if SELF_ENDING.search(template) else rng.choice(CAPACITIES)
        path = fill(template, inputs)
        data, content_type = inputs.body()
        headers = {"Authorization": f"Bearer {tokens[capacity]}"} if tokens[capacity] else {}
        if content_type:
            headers["Content-Type"] = content_type
        try:
            async with http.request(method, base + path, data=None if method == "GET" else data, headers=headers,
                                    params=inputs.query() if rng.random() < 0.5 else None) as response:
                await response.read()
                tally.status("rest", response.status, f"{method} {path} {data[:120]!r}")
        except aiohttp.ClientError as exc:  # a connection the server closed (a 400 before parsing) is not a crash
            tally.statuses[f"rest {type(exc).__name__}"] += 1


async def chat_worker(http: aiohttp.ClientSession, base: str, capacity: str, tokens: dict[str, str | None],
                      inputs: Inputs, tally: Tally, data_dir: Path, binary: bool) -> None:
    done = False
    while not done:
        credential = tokens[capacity]
        params = {"token": credential} if credential else {}
        if binary:
            params["format"] = "msgpack"
        try:
            ws = await http.ws_connect(f"{base}/ws/rooms/demo", params=params, max_msg_size=0)
        except aiohttp.WSServerHandshakeError as exc:
            tally.status("chat-connect", exc.status, capacity)
            if exc.status in (401, 403) and tokens[capacity]:  # a fuzzed request revoked it (a member removed...)
                tokens[capacity] = await asyncio.to_thread(token, data_dir, capacity)
            continue
        async with ws:
            pongs: asyncio.Queue[str | None] = asyncio.Queue()

            async def read() -> None:
                async for message in ws:  # noqa: B023 (one reader per socket)
                    if message.type == aiohttp.WSMsgType.TEXT:
                        frame = json.loads(message.data)
                    elif message.type == aiohttp.WSMsgType.BINARY:
                        frame = msgpack.unpackb(message.data)
                    else:
                        continue
                    if frame.get("type") == "pong":
                        await pongs.put(str(frame.get("ref")))  # noqa: B023
                await pongs.put(None)  # closed by the server (e.g. 1009 for a frame over its limit)  # noqa: B023

            reader = asyncio.create_task(read())
            try:
                while True:
                    batch = 0
                    while batch < CHAT_BATCH and tally.take("chat"):
                        frame = inputs.chat_frame()
                        await (ws.send_str(frame) if isinstance(frame, str) else ws.send_bytes(frame))
                        batch += 1
                    if ws.closed:
                        break
                    await ws.send_str(json.dumps({"type": "ping", "ref": "sync"}))
                    ref: str | None = ""
                    while ref not in ("sync", None):  # fuzzed pings have pongs of their own
                        ref = await asyncio.wait_for(pongs.get(), 30)
                    if ref is None:
                        break
                    if batch < CHAT_BATCH:
                        done = True
                        break
            except (ConnectionError, aiohttp.ClientError):  # the server closed it (1009) while we were writing
                pass
            finally:
                reader.cancel()
        code = ws.close_code
        if not done:
            tally.statuses[f"chat close {code}"] += 1
        if code == 1011:
            tally.failures.append(f"chat socket of {capacity} closed with 1011")


async def media_worker(http: aiohttp.ClientSession, base: str, stream_key: str, rng: random.Random, inputs: Inputs,
                       tally: Tally) -> None:
    session: str | None = None
    etag = "*"
    while True:
        kind = "offer" if rng.random() < MIX["offer"] / (MIX["offer"] + MIX["fragment"]) else "fragment"
        if not tally.take(kind):
            kind = "fragment" if kind == "offer" else "offer"
            if not tally.take(kind):
                return
        if kind == "offer":
            path = rng.choice(("/whip/demo", "/whep/demo"))
            key = {"Authorization": f"Bearer {stream_key}"} if path.startswith("/whip") else {}
            async with http.post(base + path, data=inputs.sdp().encode("utf-8", "surrogatepass"),
                                 headers={"Content-Type": "application/sdp", **key}) as r:
                await r.read()
                tally.status("offer", r.status, path)
                if r.status == 201:
                    async with http.delete(base + r.headers["Location"]) as gone:
                        tally.status("offer-delete", gone.status, r.headers["Location"])
            continue
        if session is None:
            async with http.post(base + "/whip/demo", data=SDP_SEED.encode(),
                                 headers={"Content-Type": "application/sdp", "Authorization": f"Bearer {stream_key}"}) as r:
                session = r.headers.get("Location") if r.status == 201 else None
                etag = r.headers.get("ETag", "*")
                tally.status("offer", r.status, "seed offer")
            if session is None:
                continue
        headers = {"Content-Type": "application/trickle-ice-sdpfrag", "Authorization": f"Bearer {stream_key}",
                   **({"If-Match": rng.choice((etag, etag, "*", '"nope"'))} if rng.random() < 0.9 else {})}
        async with http.patch(base + session, data=inputs.fragment().encode("utf-8", "surrogatepass"), headers=headers) as r:
            await r.read()
            tally.status("fragment", r.status, session)
            if r.status == 404:
                session = None


async def health(http: aiohttp.ClientSession, base: str, tally: Tally, stop: asyncio.Event) -> None:
    """Every HEALTH_EVERY inputs: ``/healthz`` answers 200 within 5 s."""
    mark = 0
    while not stop.is_set():
        await asyncio.sleep(0.5)
        if tally.sent - mark < HEALTH_EVERY:
            continue
        mark = tally.sent
        try:
            async with http.get(base + "/healthz", timeout=aiohttp.ClientTimeout(total=5)) as r:
                if r.status != 200:
                    tally.failures.append(f"/healthz answered {r.status} after {mark} inputs")
        except (TimeoutError, aiohttp.ClientError) as exc:
            tally.failures.append(f"/healthz failed after {mark} inputs: {exc!r}")


async def still_serving(http: aiohttp.ClientSession, base: str, viewer: str | None) -> str | None:
    """A signed-in viewer's chat message comes back to them: the server still does its job."""
    params = {"token": viewer} if viewer else {}
    async with http.ws_connect(f"{base}/ws/rooms/demo", params=params) as ws:
        await ws.send_str(json.dumps({"type": "chat", "text": "模糊测试结束", "ref": "end"}))
        async with asyncio.timeout(10):
            async for message in ws:
                if message.type == aiohttp.WSMsgType.TEXT and "模糊测试结束" in message.data:
                    return None
    return "the end-of-campaign chat message never came back"


async def run(base: str, data_dir: Path, stream_key: str, wanted: int, seed: int, concurrency: int) -> dict[str, Any]:
    tokens = {capacity: token(data_dir, capacity) for capacity in CAPACITIES}
    tally = Tally(wanted)
    rng = random.Random(seed)
    connector = aiohttp.TCPConnector(limit=concurrency + 16)
    async with aiohttp.ClientSession(connector=connector) as http:
        async with http.get(base + "/api/v1/openapi.json") as r:
            document = await r.json()
        routes = fuzzable([(m.upper(), p) for p, ops in document["paths"].items() for m in ops])
        fields = tuple(sorted(set(FIELDS) | set(openapi_fields(document))))

        def make() -> Inputs:
            return Inputs(random.Random(rng.getrandbits(64)), fields)

        shares = {kind: max(1, round(concurrency * MIX[kind] / (MIX["rest"] + MIX["chat"]))) for kind in ("rest", "chat")}
        stop = asyncio.Event()
        watcher = asyncio.create_task(health(http, base, tally, stop))
        started = time.monotonic()
        await asyncio.gather(
            *(rest_worker(http, base, routes, tokens, random.Random(rng.getrandbits(64)), make(), tally)
              for _ in range(shares["rest"])),
            *(chat_worker(http, base, CAPACITIES[i % len(CAPACITIES)], tokens, make(), tally, data_dir, i % 2 == 1)
              for i in range(shares["chat"])),
            media_worker(http, base, stream_key, random.Random(rng.getrandbits(64)), make(), tally),
        )
        elapsed = time.monotonic() - started
        stop.set()
        await watcher
        problem = await still_serving(http, base, tokens["viewer"])
        if problem:
            tally.failures.append(problem)
    return {"inputs": tally.sent, "seconds": round(elapsed, 1), "inputs_per_second": round(tally.sent / elapsed),
            "seed": seed, "routes": len(routes), "by_kind": dict(tally.by_kind), "statuses": dict(sorted(tally.statuses.items())),
            "failures": tally.failures}


def log_problems(log_path: Path) -> list[str]:
    """Tracebacks and error records in the server's log (JSON lines; an ``exc`` field holds a traceback)."""
    problems = []
    with open(log_path, encoding="utf-8", errors="replace") as log:  # hundreds of MB after a long campaign
        for line in log:
            if "Traceback" in line:
                problems.append(line[:300])
                continue
            if '"exc"' not in line and '"level": "error"' not in line and '"level": "critical"' not in line:
                continue
            try:
                record = json.loads(line)
            except ValueError:
                record = {}
            if not isinstance(record, dict) or "exc" in record or str(record.get("level")) in ("error", "critical"):
                problems.append(line[:300])
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/fuzz", description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--inputs", type=int, default=10_000, help="how many hostile inputs to send")
    parser.add_argument("--seed", type=int, default=1, help="the generator's seed (a campaign replays with the same one)")
    parser.add_argument("--concurrency", type=int, default=12, help="requests and sockets in flight")
    parser.add_argument("--json", dest="json_path", help="where to write the summary")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="livehire-fuzz-"))
    limits = ",".join(f"{name}=1000000/minute" for name in DEFAULT_RULES)
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    server = ServerProcess(work / "data", env={**env, "LIVEHIRE_RATE_LIMITS": limits, "LIVEHIRE_MEDIA_PER_CLIENT_NODE": "1000",
                                               "LIVEHIRE_MEDIA_PER_CLIENT_ROOM": "1000"}).start()
    log_path = work / "data-server.log"
    try:
        summary = asyncio.run(run(server.base_url, work / "data", server.banner_value("stream key"), args.inputs, args.seed,
                                  args.concurrency))
    finally:
        code = server.stop()
    summary["exit_code"] = code
    summary["log"] = str(log_path)
    summary["log_problems"] = log_problems(log_path)[:20]
    ok = not summary["failures"] and not summary["log_problems"] and code == 0
    summary["ok"] = ok
    text = json.dumps(summary, ensure_ascii=False, indent=2)
    print(text)
    if args.json_path:
        Path(args.json_path).write_text(text + "\n", encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
