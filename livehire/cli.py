"""The ``livehire`` command: serve, rooms, token, moderate, bench, recordings (ARCHITECTURE.md §2)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from livehire.cli_governance import add_ledger_commands, run_ledger_command
from livehire.cli_identity import add_identity_commands, run_identity_command
from livehire.cli_recordings import add_recording_commands, run_recordings_command
from livehire.settings import Settings, SettingsError, load_settings, with_secret

if TYPE_CHECKING:
    from store.engine import Store


def _settings(args: argparse.Namespace, **extra: Any) -> Settings:
    overrides = {
        "host": getattr(args, "host", None),
        "port": getattr(args, "port", None),
        "data_dir": getattr(args, "data_dir", None),
        "database_url": getattr(args, "database_url", None),
        "redis_url": getattr(args, "redis_url", None),
        "public_url": getattr(args, "public_url", None),
        **extra,
    }
    config = Path(args.config) if getattr(args, "config", None) else None
    return with_secret(load_settings(overrides, config_file=config))


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", help="data directory (SQLite file, secret); default ./data")
    parser.add_argument("--database-url", help="sqlite:///path or postgresql://… (default: SQLite in the data dir)")
    parser.add_argument("--config", help="optional TOML settings file")


def _add_public_url(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--public-url",
        help="base URL of the printed links (default: the one the running server recorded, else http://host:port)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="livehire", description="Live-stream job recruitment server (直播带岗)")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the server")
    _add_common(serve)
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default 8080; 0 = any free port)")
    serve.add_argument("--redis-url", help="redis://… to share chat and events between nodes")
    serve.add_argument("--public-url", help="base URL printed and used in links (default http://host:port)")
    serve.add_argument("--log-level", help="DEBUG, INFO, WARNING …")
    serve.add_argument("--workers", type=int,
                       help="worker processes on the port (default: the number of cores with --redis-url and "
                            "PostgreSQL, else 1)")

    rooms = commands.add_parser("rooms", help="manage live rooms")
    room_commands = rooms.add_subparsers(dest="rooms_command", required=True)
    create = room_commands.add_parser("create", help="create a room and print its stream key")
    create.add_argument("slug")
    create.add_argument("--title")
    create.add_argument("--org")
    create.add_argument("--visibility", default="public", choices=["public", "logged_in", "org", "private"])
    create.add_argument("--json", action="store_true", help="print JSON")
    _add_common(create)
    _add_public_url(create)
    listing = room_commands.add_parser("list", help="list rooms")
    listing.add_argument("--json", action="store_true")
    _add_common(listing)
    _add_public_url(listing)
    rotate = room_commands.add_parser("rotate-key", help="replace a room's stream key")
    rotate.add_argument("slug")
    rotate.add_argument("--json", action="store_true")
    _add_common(rotate)
    _add_public_url(rotate)

    add_identity_commands(commands, _add_common)
    add_ledger_commands(commands, _add_common)
    add_recording_commands(commands, _add_common)

    moderate = commands.add_parser("moderate", help="run the filter over JSON lines on stdin, or export-labels")
    moderate.add_argument("action", nargs="?", choices=["export-labels"],
                          help="export-labels: moderators' decisions on held messages as corpus lines on stdout")
    moderate.add_argument("--role", default="viewer", choices=["host", "viewer", "recruiter", "reviewer", "admin"])
    moderate.add_argument("--context", default="chat", choices=["chat", "job", "interview", "name", "resume"])
    moderate.add_argument("--explain", action="store_true", help="say which rule or model feature decided")
    moderate.add_argument("--since", help="export-labels: decisions from this ISO time on (no zone: UTC)")
    _add_common(moderate)

    bench = commands.add_parser("bench", help="benchmark a hot path against a baseline")
    bench.add_argument("name", help="chat, moderation, media, apply or all")
    bench.add_argument("--json", dest="json_path", help="where to write the JSON (a PNG plot goes next to it)")
    bench.add_argument("--target", help="base URL of an existing deployment to load instead of a local server")
    bench.add_argument("--workers", type=int, default=1,
                       help="client processes (media: server worker processes, measured with 1 and N)")
    bench.add_argument("--quick", action="store_true", help="a short run (for CI smoke checks)")
    bench.add_argument("--minutes", type=float, help="soak: how long to run (same as -o minutes=N)")
    bench.add_argument(
        "-o", "--option", action="append", default=[], metavar="KEY=VALUE",
        help="a bench-specific option (e.g. -o token=… -o room=fair for chat --target); repeatable",
    )
    return parser


async def _export_labels(args: argparse.Namespace, settings: Settings) -> int:
    """``livehire moderate export-labels``: decisions on held messages (rejections without a category left
    out: they name no rule) as corpus lines (moderation.labels)."""
    from governance.labels_sql import LabelBook
    from livehire.cli_governance import parse_time
    from moderation.cli import run_export_labels
    from store.engine import open_store

    try:
        since = parse_time(args.since) if args.since else 0
    except ValueError as exc:
        print(f"livehire moderate: {exc}", file=sys.stderr)
        return 2
    store = await open_store(settings.effective_database_url)
    try:
        rows = await LabelBook(store, str, pseudonym_key=b"").rows(since)
    finally:
        await store.close()
    return run_export_labels([row for row in rows if row.approved or row.category], sys.stdout)


async def _base_url(args: argparse.Namespace, settings: Settings, store: Store) -> str:
    """Where the links point: ``--public-url``, else what the running server recorded at start-up
    (its real port, e.g. after ``--port 0``), else the settings' own base URL."""
    from store.facts import PUBLIC_URL, read_fact

    if args.public_url:
        return str(args.public_url).rstrip("/")
    return (await read_fact(store, PUBLIC_URL)) or settings.base_url


async def _rooms(args: argparse.Namespace, settings: Settings) -> int:
    from livehire.api_rooms import room_links
    from store.engine import open_store
    from store.rooms import RoomError, RoomRepository

    store = await open_store(settings.effective_database_url)
    try:
        repo = RoomRepository(store)
        base_url = await _base_url(args, settings, store)
        if args.rooms_command == "create":
            try:
                room, key = await repo.create(
                    args.slug, title=args.title, org_id=args.org, visibility=args.visibility
                )
            except RoomError as exc:
                print(json.dumps({"error": {"code": exc.code, "message": str(exc)}}, ensure_ascii=False), file=sys.stderr)
                return 1
            output = {**room.to_json(), "stream_key": key, **room_links(base_url, room.slug)}
            _print(output, args.json, f"room {room.slug}: stream key {key}\n  WHIP {output['whip_url']}\n  viewers {output['viewer_url']}")
        elif args.rooms_command == "list":
            rooms = [{**room.to_json(), **room_links(base_url, room.slug)} for room in await repo.list()]
            _print({"rooms": rooms}, args.json, "\n".join(f"{r['slug']}\t{r['title']}\t{r['viewer_url']}" for r in rooms))
        else:
            try:
                key = await repo.rotate_stream_key(args.slug)
            except RoomError as exc:
                print(json.dumps({"error": {"code": exc.code, "message": str(exc)}}, ensure_ascii=False), file=sys.stderr)
                return 1
            links = room_links(base_url, args.slug)
            _print(
                {"slug": args.slug, "stream_key": key, **links}, args.json,
                f"new stream key for {args.slug}: {key}\n  WHIP {links['whip_url']}",
            )
    finally:
        await store.close()
    return 0


def _print(document: dict[str, Any], as_json: bool, text: str) -> None:
    print(json.dumps(document, ensure_ascii=False) if as_json else text)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "serve":
            from livehire.logs import configure_logging
            from livehire.workers import run_workers, worker_count

            settings = _settings(args, log_level=args.log_level)
            configure_logging(settings.log_level)
            run_workers(settings, worker_count(args.workers, settings))
            return 0
        if args.command == "rooms":
            return asyncio.run(_rooms(args, _settings(args)))
        if args.command in ("token", "orgs", "staff", "link", "sms"):
            return asyncio.run(run_identity_command(args, _settings(args), _base_url))
        if args.command == "ledger":
            return asyncio.run(run_ledger_command(args, _settings(args)))
        if args.command == "recordings":
            return asyncio.run(run_recordings_command(args, _settings(args)))
        if args.command == "moderate":
            if args.action == "export-labels":
                return asyncio.run(_export_labels(args, _settings(args)))
            from moderation.cli import run_moderate

            code: int = run_moderate(sys.stdin, sys.stdout, role=args.role, context=args.context,
                                     explain_decisions=args.explain)
            return code
        if args.command == "bench":
            try:
                from bench.harness import run_bench
            except ImportError as exc:  # rich/matplotlib come with the bench extra
                print(f"livehire bench needs the bench extra (pip install 'livehire[bench]'): {exc}", file=sys.stderr)
                return 2

            options = dict(item.partition("=")[::2] for item in args.option)
            if args.minutes is not None:
                options["minutes"] = f"{args.minutes:g}"
            if any(not key for key in options):
                print("livehire bench: options are KEY=VALUE", file=sys.stderr)
                return 2
            bench_code: int = run_bench(
                args.name, json_path=args.json_path, target=args.target, workers=args.workers, quick=args.quick,
                options=options,
            )
            return bench_code
    except SettingsError as exc:
        print(f"livehire: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 2


if __name__ == "__main__":
    sys.exit(main())
