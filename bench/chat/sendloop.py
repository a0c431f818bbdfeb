"""``python -m bench.chat.sendloop``: the flush's send loops alone, C against Python, same sockets, same run.

Why: ``bench chat`` at 20,000 sockets on this shared 2-core machine moves by a factor of two
between runs with the other jobs' load, far more than the send loop changes. Here one process
holds ``--sockets`` loopback TCP connections behind uvloop transports (the bench's chat
outlets), and each round writes one flush (``--size`` bytes) to all of them: the pure-Python
loop and the C loop (chat/_rawsend.c) alone in one thread, and each inside
:class:`chat.writers.ParallelWriter` with ``--threads`` threads, in alternating order. Between rounds (untimed) the
client ends are drained, so no socket fills; nobody waits in ``epoll`` on them, so the
receiver's wake-up, which a real viewer adds, is not in these figures. Prints one JSON object:
per variant the median and minimum wall and CPU milliseconds per flush, and the ratios of C to
Python.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import socket
import statistics
import time
from collections.abc import Callable
from typing import Any

from chat.fanout import Outlet
from chat.writers import NATIVE, ParallelWriter, RawOutlet, send_function


class _Held(asyncio.Protocol):
    """The server end of one connection: a transport the writer may write around."""


def _drain(clients: list[socket.socket]) -> None:
    for client in clients:
        try:
            while client.recv(1 << 16):
                pass
        except BlockingIOError:
            pass


async def measure(sockets: int, size: int, threads: int, rounds: int) -> dict[str, Any]:
    loop = asyncio.get_running_loop()
    listener = socket.create_server(("127.0.0.1", 0), backlog=4096)
    clients: list[socket.socket] = []
    outlets: list[RawOutlet] = []
    for _ in range(sockets):
        client = socket.create_connection(listener.getsockname())
        client.setblocking(False)
        server, _ = listener.accept()
        transport, _ = await loop.connect_accepted_socket(_Held, server)
        clients.append(client)
        outlets.append(Outlet(transport))  # type: ignore[arg-type]  # uvloop's transport
    fds = [outlet.fd for outlet in outlets if outlet.fd is not None]
    writers = [ParallelWriter(threads, min_parallel=1, native=native) for native in (False, True)]
    variants: dict[str, Callable[[bytes], object]] = {
        "python 1 thread": functools.partial(send_function(False), fds),
        "native 1 thread": functools.partial(send_function(True), fds),
        f"python {threads} threads": functools.partial(writers[0].write_all, outlets),
        f"native {threads} threads": functools.partial(writers[1].write_all, outlets)}
    data = b"\x81\x7e" + size.to_bytes(2, "big") + b"x" * size  # one text frame, as a flush writes it
    wall: dict[str, list[float]] = {name: [] for name in variants}
    cpu: dict[str, list[float]] = {name: [] for name in variants}
    for round_ in range(rounds):
        order = list(variants.items()) if round_ % 2 == 0 else list(reversed(variants.items()))
        for name, write in order:
            _drain(clients)
            started, cpu0 = time.perf_counter(), time.process_time()
            write(data)
            wall[name].append((time.perf_counter() - started) * 1000)
            cpu[name].append((time.process_time() - cpu0) * 1000)
    for writer in writers:
        writer.close()
    for outlet in outlets:
        assert isinstance(outlet, Outlet)
        outlet.transport.close()
    for client in clients:
        client.close()
    listener.close()
    figures = {name: {"wall_ms_median": round(statistics.median(wall[name]), 2), "wall_ms_min": round(min(wall[name]), 2),
                      "cpu_ms_median": round(statistics.median(cpu[name]), 2)} for name in variants}
    ratios = {f"native/python {n} {kind}": round(figures[f"native {n}"][f"{kind}_ms_median"]
                                                 / figures[f"python {n}"][f"{kind}_ms_median"], 3)
              for n in ("1 thread", f"{threads} threads") for kind in ("wall", "cpu")}
    return {"bench": "chat-sendloop", "sockets": sockets, "bytes": len(data), "rounds": rounds, "figures": figures,
            "ratios": ratios}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.chat.sendloop", description=__doc__.split("\n")[0])
    parser.add_argument("--sockets", type=int, default=8000, help="connections (two descriptors each)")
    parser.add_argument("--size", type=int, default=300, help="payload bytes of the flush")
    parser.add_argument("--threads", type=int, default=2, help="threads of the parallel variants (at least 2)")
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    if not NATIVE:
        raise SystemExit("chat._rawsend is not built: run scripts/install")
    if args.threads < 2:
        raise SystemExit("--threads: at least 2 (the 1-thread variants are always measured)")
    import uvloop

    result = uvloop.run(measure(args.sockets, args.size, args.threads, args.rounds))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
