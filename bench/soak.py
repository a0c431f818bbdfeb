"""``livehire bench soak --minutes N``: a live fair in miniature for N minutes, watching the server grow.

One server process (``python -m bench.soak_server``: the real app on SQLite) gets, all at once: an
aiortc publisher sending a looped H264 clip (republishing every few minutes, so the room goes
offline and live again), WHEP viewers joining and leaving, chat sockets joining and leaving with
chat at a steady rate, applies through the chat ``apply`` frame, and office feeds (the
applications event stream) opening and closing. Every few seconds the server's RSS, open
descriptors and asyncio tasks are sampled (``GET /bench/process``). Figures: those series, their
growth after warm-up (the first fifth of the run, or ``-o warmup_s=S``), and the live object
types that grew most between the end of warm-up and the end (what leaks). The plot shows each
series as % of its value at the end of warm-up.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp

from bench.apply.server import ORG, ROOM, free_port, office_token, viewer_token
from bench.registry import BenchContext, BenchResult, Series

CHAT_TEXTS = ("请问这个岗位包住吗", "夜班补贴多少", "主播讲得很清楚", "什么时候开始面试", "有没有五险一金")


class Load:
    """The fair's traffic; counters of what was done and what failed."""

    def __init__(self, base: str, options: dict[str, str], rng: random.Random) -> None:
        self.base, self.rng = base, rng
        self.chat_sockets = int(options.get("chat_sockets", 60))
        self.chat_rate = float(options.get("chat_rate", 10))
        self.apply_rate = float(options.get("apply_rate", 3))
        self.whep_viewers = int(options.get("whep_viewers", 3))
        self.office_feeds = int(options.get("office_feeds", 3))
        self.users = int(options.get("users", 2000))
        self.jobs = int(options.get("jobs", 10))
        self.republish_s = float(options.get("republish_s", 180))
        self.done: Counter[str] = Counter()
        self.stop = asyncio.Event()

    async def chat(self, http: aiohttp.ClientSession) -> None:
        """``chat_sockets`` sockets of distinct users; one leaves and another joins every second; chat and
        applies go out at their rates from random open sockets."""
        sockets: dict[str, aiohttp.ClientWebSocketResponse] = {}
        readers: set[asyncio.Task[None]] = set()

        async def join() -> None:
            user = f"u{self.rng.randrange(self.users)}"
            while user in sockets:  # another user: the room keeps its number of sockets
                user = f"u{self.rng.randrange(self.users)}"
            ws = await http.ws_connect(f"{self.base}/ws/rooms/{ROOM}", params={"token": viewer_token(user)})
            sockets[user] = ws
            task = asyncio.create_task(self._drain(ws))
            readers.add(task)
            task.add_done_callback(readers.discard)
            self.done["chat_joins"] += 1

        async def leave() -> None:
            if sockets:
                user = self.rng.choice(list(sockets))
                await sockets.pop(user).close()
                self.done["chat_leaves"] += 1

        for _ in range(self.chat_sockets):
            await join()
        started, sent_chat, sent_apply, churned = time.monotonic(), 0, 0, 0
        while not self.stop.is_set():
            await asyncio.sleep(0.05)
            elapsed = time.monotonic() - started
            while sent_chat < elapsed * self.chat_rate and sockets:
                ws = sockets[self.rng.choice(list(sockets))]
                with contextlib.suppress(ConnectionError):
                    await ws.send_json({"type": "chat", "text": self.rng.choice(CHAT_TEXTS), "ref": f"c{sent_chat}"})
                sent_chat += 1
            while sent_apply < elapsed * self.apply_rate and sockets:
                ws = sockets[self.rng.choice(list(sockets))]
                job = f"bench-job-{self.rng.randrange(self.jobs)}"
                with contextlib.suppress(ConnectionError):
                    await ws.send_json({"type": "apply", "job_id": job, "ref": f"a{sent_apply}"})
                sent_apply += 1
            while churned < elapsed:
                await leave()
                await join()
                churned += 1
        self.done["chat_sent"], self.done["applies_sent"] = sent_chat, sent_apply
        for ws in list(sockets.values()):
            await ws.close()
        for task in list(readers):
            task.cancel()

    async def _drain(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        async for message in ws:
            if message.type == aiohttp.WSMsgType.TEXT:
                head = message.data[:40]
                if '"type":"apply_result"' in head:
                    self.done["applies_answered"] += 1
                elif '"type":"error"' in head:
                    self.done["chat_errors"] += 1
                    self.done[f"error {json.loads(message.data).get('code')}"] += 1

    async def media(self, http: aiohttp.ClientSession) -> None:
        """The publisher (republished every ``republish_s``) and ``whep_viewers`` viewers, each staying
        10-30 s, then leaving (DELETE) and a new one joining."""
        from bench.media_loadgen import LightViewer, Publisher, encode_clip

        clip = await asyncio.to_thread(encode_clip, 320, 240, 2, 300_000)
        while not self.stop.is_set():
            publisher = Publisher(clip)
            try:
                await publisher.start(http, self.base)
                self.done["publishes"] += 1
                until = time.monotonic() + self.republish_s
                viewers = [asyncio.create_task(self._viewer(http, LightViewer, publisher.sent, until))
                           for _ in range(self.whep_viewers)]
                await asyncio.gather(*viewers)
                with contextlib.suppress(TimeoutError):  # no viewers: the publisher stays its time all the same
                    await asyncio.wait_for(self.stop.wait(), max(0.0, until - time.monotonic()))
            except (RuntimeError, aiohttp.ClientError) as exc:
                self.done[f"media failed: {str(exc)[:60]}"] += 1
                await asyncio.sleep(2)
            finally:
                await publisher.pc.close()  # the room goes offline until the next publish

    async def _viewer(self, http: aiohttp.ClientSession, kind: Any, sent: dict[bytes, float], until: float) -> None:
        while not self.stop.is_set() and time.monotonic() < until:
            viewer = kind(sent)
            try:
                await viewer.start(http, self.base)
                self.done["whep_joins"] += 1
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.stop.wait(), self.rng.uniform(10, 30))
                self.done["whep_packets"] += viewer.window()[0]
            except (RuntimeError, aiohttp.ClientError):
                self.done["whep_failed"] += 1
                await asyncio.sleep(1)
            finally:
                await viewer.pc.close()  # the server notices the peer gone (ICE consent) and drops it

    async def office(self, http: aiohttp.ClientSession) -> None:
        """``office_feeds`` recruiters' event streams, each open 20-60 s, then closed and reopened."""
        async def one() -> None:
            while not self.stop.is_set():
                # A token per opening: one minted at the start expires mid-run, and a refused feed
                # must not turn into a reconnect loop (it did: millions of 401s in a 36-minute run).
                headers = {"Authorization": f"Bearer {office_token()}"}
                try:
                    async with http.get(f"{self.base}/api/v1/orgs/{ORG}/applications/stream", headers=headers,
                                        timeout=aiohttp.ClientTimeout(total=None, sock_read=None)) as feed:
                        if feed.status != 200:
                            self.done[f"office_refused {feed.status}"] += 1
                            await asyncio.sleep(1)
                            continue
                        self.done["office_opens"] += 1
                        until = time.monotonic() + self.rng.uniform(20, 60)
                        async for line in feed.content:
                            if line.startswith(b"event: application"):
                                self.done["office_events"] += 1
                            if time.monotonic() > until or self.stop.is_set():
                                break
                except aiohttp.ClientError:
                    self.done["office_failed"] += 1
                    await asyncio.sleep(1)

        await asyncio.gather(*(one() for _ in range(self.office_feeds)))


async def sample(http: aiohttp.ClientSession, base: str, types: int = 0) -> dict[str, Any]:
    async with http.get(f"{base}/bench/process", params={"types": str(types)} if types else None) as response:
        return dict(await response.json())


def warmup_samples(options: dict[str, str], total_s: float, every_s: float) -> int:
    """Samples before growth is measured: ``-o warmup_s=S`` (so a 30-minute window can follow a
    warm-up of its own), else the first fifth of the run."""
    return max(1, int(float(options.get("warmup_s", total_s / 5)) / every_s))


def growth(samples: list[dict[str, Any]], warm: int, key: str) -> dict[str, float]:
    """Value at the end of warm-up, at the end (mean of the last three samples), and the change in %."""
    start = samples[warm][key]
    end = sum(s[key] for s in samples[-3:]) / len(samples[-3:])
    return {"after_warmup": start, "end": round(end, 1), "growth_pct": round(100 * (end - start) / max(1, start), 2)}


async def run(ctx: BenchContext) -> BenchResult:
    options = ctx.options
    minutes = float(options.get("minutes", 0.5 if ctx.quick else 10))
    every = float(options.get("sample_s", 2 if minutes < 2 else 5))
    total = minutes * 60
    samples_wanted = int(total / every)
    ctx.progress.start(samples_wanted, f"soak: a fair in miniature for {minutes:g} min")
    port, stats_port, data_dir = free_port(), free_port(), Path(tempfile.mkdtemp(prefix="livehire-soak-"))
    log_path = data_dir / "server.log"
    log = await asyncio.to_thread(log_path.open, "wb")
    server = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.soak_server", "--port", str(port), "--stats-port", str(stats_port),
        "--data-dir", str(data_dir), *(["--tracemalloc"] if options.get("tracemalloc") == "1" else []),
        *(["--malloc-trim", options["malloc_trim"]] if "malloc_trim" in options else []),
        *(["--gc-every", options["gc_every"]] if "gc_every" in options else []),
        stdout=asyncio.subprocess.PIPE, stderr=log)
    log.close()  # the server holds its own copy
    assert server.stdout is not None
    ready = await asyncio.wait_for(server.stdout.readline(), 120)
    if not ready.startswith(b"READY"):
        raise RuntimeError(f"the soak server did not start: {ready!r}; see {log_path}")
    base, stats = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{stats_port}"
    load = Load(base, options, random.Random(int(options.get("seed", 1))))
    samples: list[dict[str, Any]] = []
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as http:
            workers = [asyncio.create_task(job(http)) for job in (load.chat, load.media, load.office)]
            started = time.monotonic()
            types_after_warmup: dict[str, int] = {}
            warm = warmup_samples(options, total, every)
            while len(samples) < samples_wanted:
                await asyncio.sleep(max(0.0, started + (len(samples) + 1) * every - time.monotonic()))
                failed = next((w for w in workers if w.done() and w.exception()), None)
                if failed is not None:
                    raise RuntimeError(f"soak load failed: {failed.exception()!r}")
                samples.append({"t": round(time.monotonic() - started, 1), **await sample(http, stats)})
                if len(samples) == warm + 1:
                    types_after_warmup = (await sample(http, stats, types=200))["types"]
                ctx.progress.advance()
            census_end = await sample(http, stats, types=200)
            types_end = census_end["types"]
            load.stop.set()
            await asyncio.wait_for(asyncio.gather(*workers, return_exceptions=True), 60)
    finally:
        server.terminate()
        await server.wait()
    grew = sorted(((name, count - types_after_warmup.get(name, 0)) for name, count in types_end.items()),
                  key=lambda item: -item[1])[:15]
    log_text = log_path.read_text(encoding="utf-8", errors="replace")
    figures = {
        "minutes": minutes, "sample_every_s": every, "warmup_samples": warm,
        "rss_mb": growth([{**s, "rss": s["rss"] / 2**20} for s in samples], warm, "rss"),
        "fds": growth(samples, warm, "fds"), "tasks": growth(samples, warm, "tasks"),
        "garbage_at_end": census_end.get("garbage_collected"), "objects_grown_most": dict(grew), "allocations_grown_most": census_end.get("allocations_grown_most"),
        "load": dict(load.done),
        "server_log_warnings": log_text.count(" WARNING "), "server_log_errors": log_text.count(" ERROR "),
        "server_log": str(log_path), "samples": samples,
    }
    minutes_axis = [s["t"] / 60 for s in samples[warm:]]
    series = [Series(label, minutes_axis, [100 * s[key] / max(1, samples[warm][key]) for s in samples[warm:]])
              for label, key in (("RSS", "rss"), ("open descriptors", "fds"), ("asyncio tasks", "tasks"))]
    notes = ["one server process (the real app on SQLite); the load generators share this machine's cores",
             f"plot: each series as % of its sample at the end of warm-up ({samples[warm]['t']:g} s)"]
    return BenchResult(figures=figures, baseline={}, ratios={}, notes=notes, series=series,
                       plot_title=f"Soak: a fair in miniature, {minutes:g} min", x_label="minutes",
                       y_label="% of the value after warm-up")
