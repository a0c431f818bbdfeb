"""The operator's recording commands: ``livehire recordings list | export | purge`` (docs/recording.md).

``list`` prints one JSON line per replay or clip (newest first; ``--room`` narrows it); ``export ID --out
FILE`` copies a recording out of the blob store (the data dir or the S3 bucket); ``purge`` applies the
retention now (``recording_retention_days``, never below 60), as the server does daily, and prints what it
removed (``--dry-run``: what it would remove).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from livehire.settings import Settings


def add_recording_commands(commands: Any, add_common: Callable[[argparse.ArgumentParser], None]) -> None:
    recordings = commands.add_parser("recordings", help="replays and clips: list, export, purge")
    actions = recordings.add_subparsers(dest="recordings_command", required=True)
    listing = actions.add_parser("list", help="one JSON line per replay or clip, newest first")
    listing.add_argument("--room", help="only this room's")
    add_common(listing)
    export = actions.add_parser("export", help="copy a recording's file out of the blob store")
    export.add_argument("id")
    export.add_argument("--out", required=True, help="the file to write")
    add_common(export)
    purge = actions.add_parser("purge", help="remove recordings older than the retention now (the server: daily)")
    purge.add_argument("--dry-run", action="store_true", help="print what would be removed, remove nothing")
    add_common(purge)


def _line(row: Any) -> str:
    return json.dumps({"id": row.id, "kind": row.kind, "room": row.room, "org": row.org_id,
                       "session_id": row.session_id, "parent_id": row.parent_id, "started_at": row.started_at,
                       "ended_at": row.ended_at, "duration_s": row.duration_s, "visibility": row.visibility,
                       "title": row.title, "key": row.blob_key, "taken_down": row.taken_down_at is not None},
                      ensure_ascii=False)


async def run_recordings_command(args: argparse.Namespace, settings: Settings) -> int:
    from livehire.recording_setup import build_recordings
    from recording.blobs import S3BlobStore
    from store.engine import open_store
    from store.rooms import RoomRepository

    async def no_session(room: str) -> None:
        return None

    store = await open_store(settings.effective_database_url)
    recordings = build_recordings(settings, store, RoomRepository(store), media=lambda room: None,
                                  current_session=no_session)
    try:
        if args.recordings_command == "list":
            for listed in await recordings.repo.everything(args.room):
                print(_line(listed))
            return 0
        if args.recordings_command == "export":
            row = await recordings.repo.get(args.id)
            if row is None or row.blob_key is None:
                print(f"livehire recordings: no recording {args.id}", file=sys.stderr)
                return 1
            target = Path(args.out)
            async with recordings.local_copy(row) as source:
                await asyncio.to_thread(shutil.copyfile, source, target)
            print(json.dumps({"id": row.id, "out": str(target), "bytes": (await asyncio.to_thread(target.stat)).st_size}))
            return 0
        if args.dry_run:
            for expired in await recordings.expired():
                print(_line(expired))
            return 0
        for removed in await recordings.purge():
            print(_line(removed))
        return 0
    finally:
        if isinstance(recordings.blobs, S3BlobStore):
            await recordings.blobs.close()
        await store.close()
