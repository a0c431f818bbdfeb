"""The operator's ledger commands (standard 4.4.1 f): ``livehire ledger verify | export | purge | anchor``.

``verify`` exits 0 and prints the entry count, or exits 1 naming the first entry that does not verify;
with ``--anchors FILE`` it also checks that the chain still holds every anchor of the file (governance.anchors).
``anchor`` appends the head's anchor to a file (default: the data dir's, where the server appends daily) and
prints it, for handing to a third party.
``export`` writes JSON lines of the entries in a time range (``--from`` inclusive, ``--to`` exclusive;
ISO 8601, a time without a zone is UTC). ``purge`` removes entries older than a time, refused inside the
retention (``ledger_retention_years``, at least 3).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from governance.anchors import ANCHOR_FILE
from livehire.settings import Settings


def add_ledger_commands(commands: Any, add_common: Callable[[argparse.ArgumentParser], None]) -> None:
    ledger = commands.add_parser("ledger", help="the service ledger (4.4.1 f): verify, export, purge")
    ledger_commands = ledger.add_subparsers(dest="ledger_command", required=True)
    verify = ledger_commands.add_parser("verify", help="check the hash chain; exit 1 naming the first bad entry")
    verify.add_argument("--json", action="store_true")
    verify.add_argument("--anchors", metavar="FILE", help="also check the anchors in FILE (JSON lines)")
    add_common(verify)
    anchor = ledger_commands.add_parser("anchor", help="append the head's seq and hash to an anchor file and print it")
    anchor.add_argument("--to", dest="anchor_file", metavar="FILE", help=f"default: <data dir>/{ANCHOR_FILE}")
    add_common(anchor)
    export = ledger_commands.add_parser("export", help="entries of a time range as JSON lines on stdout")
    export.add_argument("--from", dest="start", required=True, help="ISO time, inclusive (no zone: UTC)")
    export.add_argument("--to", dest="end", required=True, help="ISO time, exclusive (no zone: UTC)")
    add_common(export)
    purge = ledger_commands.add_parser("purge", help="remove entries older than --before (never inside the retention)")
    purge.add_argument("--before", required=True, help="ISO time (no zone: UTC)")
    add_common(purge)


def _append(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8") as anchors:
        anchors.write(line + "\n")


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
    from governance.anchors import parse_anchors
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
        if args.ledger_command == "anchor":
            path = Path(args.anchor_file) if args.anchor_file else settings.data_dir / ANCHOR_FILE
            taken = await ledger.anchor()
            await asyncio.to_thread(_append, path, taken.line())
            print(taken.line())
            return 0
        if args.ledger_command == "verify":
            result = await ledger.verify()
            anchored: list[str] = []
            if args.anchors:
                try:
                    text = await asyncio.to_thread(Path(args.anchors).read_text, encoding="utf-8")
                    anchored = await ledger.check_anchors(parse_anchors(text.splitlines()))
                except OSError as exc:
                    print(f"livehire ledger: cannot read the anchors: {exc}", file=sys.stderr)
                    return 2
                except LivehireError as exc:
                    print(f"livehire ledger: {exc.message}", file=sys.stderr)
                    return 2
            ok = result.ok and not anchored
            if args.json:
                print(json.dumps({"ok": ok, "entries": result.count, "first_seq": result.first_seq,
                                  "last_seq": result.last_seq, "head_hash": result.head_hash,
                                  "problem": result.problem, "bad_seq": result.bad_seq, "anchor_problems": anchored}))
            elif ok:
                span = f" (seq {result.first_seq}..{result.last_seq})" if result.count else ""
                held = " and every anchor" if args.anchors else ""
                print(f"ledger verified{held}: {result.count} entries{span}, head {result.head_hash}")
            else:
                print(f"ledger does not verify: {result.problem or anchored[0]}")
                for problem in anchored[1:]:
                    print(f"  also: {problem}")
            return 0 if ok else 1
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
