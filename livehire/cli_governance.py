"""The operator's ledger commands (standard 4.4.1 f): ``livehire ledger verify | export | purge``.

``verify`` exits 0 and prints the entry count, or exits 1 naming the first entry that does not verify.
``export`` writes JSON lines of the entries in a time range (``--from`` inclusive, ``--to`` exclusive;
ISO 8601, a time without a zone is UTC). ``purge`` removes entries older than a time, refused inside the
retention (``ledger_retention_years``, at least 3).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from livehire.settings import Settings


def add_ledger_commands(commands: Any, add_common: Callable[[argparse.ArgumentParser], None]) -> None:
    ledger = commands.add_parser("ledger", help="the service ledger (4.4.1 f): verify, export, purge")
    ledger_commands = ledger.add_subparsers(dest="ledger_command", required=True)
    verify = ledger_commands.add_parser("verify", help="check the hash chain; exit 1 naming the first bad entry")
    verify.add_argument("--json", action="store_true")
    add_common(verify)
    export = ledger_commands.add_parser("export", help="entries of a time range as JSON lines on stdout")
    export.add_argument("--from", dest="start", required=True, help="ISO time, inclusive (no zone: UTC)")
    export.add_argument("--to", dest="end", required=True, help="ISO time, exclusive (no zone: UTC)")
    add_common(export)
    purge = ledger_commands.add_parser("purge", help="remove entries older than --before (never inside the retention)")
    purge.add_argument("--before", required=True, help="ISO time (no zone: UTC)")
    add_common(purge)


def parse_time(raw: str) -> int:
    """ISO 8601 date or date-time → ms since the epoch; a value without a zone is UTC."""
    try:
        moment = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValueError(f"not an ISO 8601 time: {raw!r}") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


async def run_ledger_command(args: argparse.Namespace, settings: Settings) -> int:
    from common.errors import LivehireError
    from governance.ledger_sql import StoreLedger
    from store.engine import open_store

    try:
        times = {name: parse_time(getattr(args, name)) for name in ("start", "end", "before") if hasattr(args, name)}
    except ValueError as exc:
        print(f"livehire ledger: {exc}", file=sys.stderr)
        return 2
    store = await open_store(settings.effective_database_url)
    try:
        ledger = StoreLedger(store, retention_years=settings.ledger_retention_years)
        if args.ledger_command == "verify":
            result = await ledger.verify()
            if args.json:
                print(json.dumps({"ok": result.ok, "entries": result.count, "first_seq": result.first_seq,
                                  "last_seq": result.last_seq, "head_hash": result.head_hash,
                                  "problem": result.problem, "bad_seq": result.bad_seq}))
            elif result.ok:
                span = f" (seq {result.first_seq}..{result.last_seq})" if result.count else ""
                print(f"ledger verified: {result.count} entries{span}, head {result.head_hash}")
            else:
                print(f"ledger does not verify: {result.problem}")
            return 0 if result.ok else 1
        if args.ledger_command == "export":
            async for entry in ledger.export(times["start"], times["end"]):
                sys.stdout.write(json.dumps(entry.to_json(), ensure_ascii=False) + "\n")
            return 0
        try:
            removed = await ledger.purge(times["before"])
        except LivehireError as exc:
            print(json.dumps({"error": {"code": exc.code, "message": exc.message, **exc.details}},
                             ensure_ascii=False), file=sys.stderr)
            return 1
        print(f"purged {removed} entries")
        return 0
    finally:
        await store.close()
