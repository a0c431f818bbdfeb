"""``python -m bench.apply serve|load``: the bench's server and load-worker processes."""

from __future__ import annotations

import argparse
import asyncio

from bench.apply.load import worker_main
from bench.apply.server import serve, use_uvloop


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.apply")
    sub = parser.add_subparsers(dest="command", required=True)
    serve_cmd = sub.add_parser("serve", help="run the chat + recruiting server used by the bench")
    serve_cmd.add_argument("--database-url", required=True)
    serve_cmd.add_argument("--port", type=int, required=True)
    serve_cmd.add_argument("--redis-url")
    serve_cmd.add_argument("--max-batch", type=int, default=2000)
    serve_cmd.add_argument("--gc-freeze", action="store_true", help="gc.freeze() after start-up")
    load_cmd = sub.add_parser("load", help="one load worker (started by the bench with --workers)")
    load_cmd.add_argument("--spec", required=True)
    load_cmd.add_argument("--index", type=int, required=True)
    load_cmd.add_argument("--workers", type=int, required=True)
    args = parser.parse_args()
    use_uvloop()
    if args.command == "load":
        asyncio.run(worker_main(args.spec, args.index, args.workers))
    else:
        asyncio.run(serve(args.database_url, args.port, redis_url=args.redis_url, max_batch=args.max_batch,
                          gc_freeze=args.gc_freeze))


if __name__ == "__main__":
    main()
