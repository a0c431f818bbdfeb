"""``/metrics`` under ``serve --workers``: the whole node's figures, whichever worker answers.

The kernel hands a scrape to any worker, and each worker's registry only knows
its own process. So the answering worker scrapes its siblings over loopback
(with :data:`~livehire.workers.HOP_HEADER`, so they answer for themselves only)
and serves every worker's samples with a ``worker`` label, plus
``livehire_worker_scrape_up{worker}`` (0 for a sibling that did not answer,
e.g. while it restarts). Prometheus sums them with ``sum without (worker)``.
Authorisation is the answering worker's own check; the scrape's
``Authorization`` header is passed on to the siblings, which check it again.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import aiohttp
from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.metrics_core import Metric
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.registry import Collector

from livehire.middleware import Handler

log = logging.getLogger("livehire.workers")

UP = "livehire_worker_scrape_up"


class _Merged(Collector):
    def __init__(self, families: list[Metric]) -> None:
        self._families = families

    def collect(self) -> list[Metric]:
        return self._families


def merge_scrapes(scrapes: dict[str, str | None]) -> bytes:
    """One exposition of every worker's scrape (worker name → text, None: no answer), samples labelled."""
    families: dict[str, Metric] = {}
    up = Metric(UP, "Whether this worker answered the node-wide scrape (serve --workers).", "gauge")
    for worker, text in scrapes.items():
        up.add_sample(UP, {"worker": worker}, 0.0 if text is None else 1.0)
        for family in text_string_to_metric_families(text or ""):
            merged = families.setdefault(family.name, Metric(family.name, family.documentation, family.type))
            for sample in family.samples:
                merged.add_sample(sample.name, {**sample.labels, "worker": worker}, sample.value, sample.timestamp,
                                  sample.exemplar)
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Merged([*families.values(), up]))
    return generate_latest(registry)


def node_metrics(index: int, siblings: Sequence[tuple[int, int]], hop_header: str) -> tuple[Any, Any]:
    """Middleware answering ``GET /metrics`` for the node; ``siblings``: (worker index, loopback port)."""
    client: list[aiohttp.ClientSession] = []

    @web.middleware
    async def node_wide(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path != "/metrics" or request.method != "GET" or hop_header in request.headers:
            return await handler(request)
        own = await handler(request)
        if own.status != 200 or not isinstance(own, web.Response) or not isinstance(own.body, bytes):
            return own  # refused (401) or not a plain scrape: answered as by one worker
        if not client:
            client.append(aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)))
        headers = {hop_header: "1"}
        if "Authorization" in request.headers:
            headers["Authorization"] = request.headers["Authorization"]
        scrapes: dict[str, str | None] = {str(index): own.body.decode()}
        for sibling, port in siblings:
            text: str | None = None
            try:
                async with client[0].get(f"http://127.0.0.1:{port}/metrics", headers=headers) as answer:
                    if answer.status == 200:
                        text = await answer.text()
                    else:
                        log.info("worker %d's /metrics answered %d", sibling, answer.status)
            except (aiohttp.ClientError, TimeoutError) as exc:  # down or restarting: reported as not up
                log.info("scraping worker %d (port %d) failed: %s", sibling, port, exc)
            scrapes[str(sibling)] = text
        return web.Response(body=merge_scrapes(dict(sorted(scrapes.items()))),
                            headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def close() -> None:
        if client:
            await client[0].close()

    return node_wide, close
