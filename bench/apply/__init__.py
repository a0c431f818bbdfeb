"""``livehire bench apply``: durable applications per second and click → back-office latency.

Many viewers, each on its own chat websocket, press apply on a series of jobs
(every apply is a new, delivered application). A back-office stream
(``/api/v1/orgs/{org}/applications/stream``) is open during the run; the
latency from sending the ``apply`` frame to that office event arriving is the
click → back-office latency. The server runs in a subprocess (``python -m
bench.apply serve``, on uvloop like ``livehire serve``) composed of the real chat
service, the recruiting service and the store (the real ``create_app``), on SQLite
(WAL, ``synchronous=FULL``) and PostgreSQL when reachable. Baseline, measured in the
same run: the same server with ``max_batch=1`` — one commit per apply.

Modules: :mod:`bench.apply.server` (seed, server process, tokens), :mod:`bench.apply.client`
(the cheap raw-websocket viewer), :mod:`bench.apply.load` (load, workers, figures),
:mod:`bench.apply.suite` (what ``run`` measures).
"""

from __future__ import annotations

from bench.apply.load import load, load_workers, percentile, summarise
from bench.apply.server import ORG, ROOM, office_token, seed, start_server, viewer_token
from bench.apply.suite import measure, measure_service, run, run_target

__all__ = [
    "ORG", "ROOM", "load", "load_workers", "measure", "measure_service", "office_token", "percentile", "run",
    "run_target", "seed", "start_server", "summarise", "viewer_token",
]
