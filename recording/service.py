"""Recordings wired to the live: a replay per live of a room, clips, cards, access, takedown (4.3.1 a, 5.2).

Theory of operation: signaling reports a room going live or idle (a publisher
reconnecting within its grace keeps the room live, so the same recording goes
on); on live this starts a :class:`media_server.recording.recorder.Recorder`
on the room's broadcast and inserts the replay's row with the file's key at
once, so a node killed mid-live leaves a row and a playable file that the
next start-up closes (its length read from the file). The replay belongs to
the recruiting live session running in the room when it started. Cards are
the room's job pins made while it recorded; access is the room visibility
rule applied to the recording's own visibility, on every request.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import av

from common.clock import now_ms
from common.errors import Invalid, NotFound
from identity.policy import MODERATORS, RoomFacts, manages_room, may_view_room
from identity.principal import Principal
from media_server.recording.clip import cut
from media_server.recording.container import format_for
from media_server.recording.recorder import Recorder
from media_server.sfu.broadcast import Broadcast
from store.rooms import RoomRepository

from .blobs import BlobStore, LocalBlobStore
from .repository import RecordingRepository, RecordingRow, new_id

log = logging.getLogger("livehire.recording")

MEDIA_TYPES = {".mp4": "video/mp4", ".webm": "video/webm"}
VISIBILITIES = ("public", "logged_in", "org", "private")
MAX_CLIP_SECONDS = 600.0
DAY_MS = 86_400_000


def probe_duration(path: Path) -> float:
    """Seconds of a (possibly cut-short) recording, read from its packets."""
    last = 0.0
    with av.open(str(path)) as container:
        for packet in container.demux():
            if packet.pts is not None and packet.time_base is not None:
                last = max(last, float(packet.pts * packet.time_base))
    return last


@contextlib.contextmanager
def _temporary(suffix: str) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="livehire-clip-") as directory:
        yield Path(directory) / f"source{suffix}"


class Recordings:
    """The recordings of this node's rooms, and the queries and edits the API needs."""

    def __init__(self, repo: RecordingRepository, rooms: RoomRepository, directory: Path, *,
                 media: Callable[[str], Broadcast | None], current_session: Callable[[str], Awaitable[str | None]],
                 clock: Callable[[], int] = now_ms, blobs: BlobStore | None = None, retention_days: int = 60,
                 ledger: Callable[[str, str, dict[str, Any]], Awaitable[object]] | None = None,
                 on_usage: Callable[[int, int], None] | None = None, node_url: str | None = None) -> None:
        """``directory``: where lives are written; ``blobs``: where finished ones are kept (default: there);
        ``node_url``: where other nodes reach this one, kept on a replay so they can serve it while it grows."""
        self.repo = repo
        self.rooms = rooms
        self.directory = directory
        self.blobs: BlobStore = blobs if blobs is not None else LocalBlobStore(directory)
        self.retention_days = retention_days
        self._on_usage = on_usage
        self._media = media
        self._current_session = current_session
        self._clock = clock
        self._ledger = ledger
        self.node_url = node_url
        self._active: dict[str, tuple[str, Recorder]] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self.on_started: Callable[[str], None] | None = None  # (room) once a replay's row exists

    # -- live state ----------------------------------------------------------------------------

    def on_live_change(self, room: str, live: bool) -> None:
        task = asyncio.get_running_loop().create_task(self.start(room) if live else self.stop(room))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def recording(self, room: str) -> str | None:
        active = self._active.get(room)
        return None if active is None else active[0]

    async def start(self, room: str) -> str | None:
        async with self._locks.setdefault(room, asyncio.Lock()):
            broadcast = self._media(room)
            if room in self._active or broadcast is None:
                return self.recording(room)
            found = await self.rooms.get(room)
            video = broadcast.tracks["video"].codec
            _, suffix = format_for(video.name if video is not None else None)
            rid, started = new_id(), self._clock()
            recorder = Recorder(broadcast, self.directory / room, rid)
            recorder.start()
            self._active[room] = (rid, recorder)
            await self.repo.insert(
                id=rid, kind="replay", room=room, org_id=found.org_id if found else None,
                session_id=await self._current_session(room), blob_key=f"{room}/{rid}{suffix}",
                media_type=MEDIA_TYPES[suffix], codec=video.name if video else None, started_at=started,
                visibility=found.visibility if found else "public", created_at=started, origin=self.node_url,
            )
            if self.on_started is not None:
                self.on_started(room)
            log.info("recording room %s as %s", room, rid)
            return rid

    async def stop(self, room: str) -> None:
        async with self._locks.setdefault(room, asyncio.Lock()):
            active = self._active.pop(room, None)
            if active is None:
                return
            rid, recorder = active
            result = await recorder.stop()
            if result.path is None:
                await self.repo.remove(rid)  # nothing was ever written (no keyframe came)
                return
            await self.repo.update(rid, ended_at=self._clock(), duration_s=round(result.duration_s, 3))
            log.info("recorded room %s: %s, %.1f s, %d video frames (%d dropped)", room, rid, result.duration_s,
                     result.video_frames, result.dropped_frames)
            row = await self.get(rid)
            await self._keep(row)

    async def _keep(self, row: RecordingRow) -> None:
        """A finished file to the blob store (a no-op on the local store); kept locally if that fails."""
        local = self.path_of(row)
        if row.blob_key is None or local is None or not local.exists():
            return
        try:
            await self.blobs.put_file(row.blob_key, local)
        except Exception:
            log.exception("recording %s stays in %s: the blob store refused it", row.id, local)
        await self.report_usage()

    async def report_usage(self) -> tuple[int, int]:
        usage = await self.blobs.usage()
        if self._on_usage is not None:
            self._on_usage(*usage)
        return usage

    async def expired(self) -> list[RecordingRow]:
        """Replays and clips older than the retention (a live longer than it is kept until it ends)."""
        rows = await self.repo.older_than(self._clock() - self.retention_days * DAY_MS)
        return [row for row in rows if self.recording(row.room) != row.id]

    async def purge(self) -> list[RecordingRow]:
        """Removes replays and clips older than the retention (file, then row), logging each (daily)."""
        removed = []
        for row in await self.expired():
            if row.blob_key is not None:
                await self.blobs.delete(row.blob_key)
                local = self.path_of(row)
                if local is not None:
                    local.unlink(missing_ok=True)
            await self.repo.remove(row.id)
            removed.append(row)
            log.info("retention: removed %s %s of room %s (started %d, %.1f s, key %s)", row.kind, row.id, row.room,
                     row.started_at, row.duration_s, row.blob_key)
        if removed:
            await self.report_usage()
        return removed

    async def close(self) -> None:
        for room in list(self._active):
            await self.stop(room)

    async def recover(self) -> int:
        """Close the rows a killed node left open, with the length of what reached its file (files of this node)."""
        closed = 0
        for row in await self.repo.unfinished():
            path = self.path_of(row)
            if row.room in self._active:
                continue
            if path is None or not path.exists():
                continue  # another node's live (shared store), or a row whose node never wrote a frame
            try:
                seconds = await asyncio.get_running_loop().run_in_executor(None, probe_duration, path)
            except av.error.FFmpegError:
                seconds = 0.0
            await self.repo.update(row.id, ended_at=row.started_at + round(seconds * 1000), duration_s=seconds)
            await self._keep(await self.get(row.id))
            closed += 1
        return closed

    # -- queries -------------------------------------------------------------------------------

    def path_of(self, row: RecordingRow) -> Path | None:
        return None if row.blob_key is None else self.directory / row.blob_key

    async def get(self, recording_id: str) -> RecordingRow:
        row = await self.repo.get(recording_id)
        if row is None:
            raise NotFound("unknown_recording", "没有这个回放")
        return row

    @staticmethod
    def may_watch(principal: Principal, row: RecordingRow) -> bool:
        """The room visibility rule on the recording's own visibility; taken down: platform staff only."""
        if row.taken_down_at is not None:
            return principal.is_platform_staff
        return may_view_room(principal, RoomFacts(row.room, row.org_id, row.visibility))  # type: ignore[arg-type]

    @staticmethod
    def may_edit(principal: Principal, row: RecordingRow) -> bool:
        """A host or member (recruiter, admin) of the room's organisation, or a platform admin."""
        if principal.is_platform_admin:
            return True
        return principal.role in (*MODERATORS, "recruiter") and manages_room(
            principal, RoomFacts(row.room, row.org_id, "private"))

    def view(self, row: RecordingRow) -> dict[str, Any]:
        live = row.ended_at is None  # closed with its length when it stops (or at the next start-up after a crash)
        duration = row.duration_s
        return {
            "id": row.id, "session_id": row.session_id, "started_at": row.started_at, "duration_s": duration,
            "visibility": row.visibility, "url": f"/api/v1/recordings/{row.id}/media", "kind": row.kind,
            "room": row.room, "org": row.org_id, "title": row.title, "job_id": row.job_id,
            "parent_id": row.parent_id, "offset_s": row.offset_s, "media_type": row.media_type,
            "recording": live, "taken_down": row.taken_down_at is not None, "page_url": f"/replay/{row.id}",
            "chat_replay": row.chat_replay,
        }

    async def cards(self, row: RecordingRow) -> list[dict[str, Any]]:
        """Job cards pinned while the replay recorded, with their offsets in seconds (a clip: from its start)."""
        replay = row if row.parent_id is None else await self.get(row.parent_id)
        until = replay.ended_at if replay.ended_at is not None else self._clock()
        cards = []
        for pin in await self.repo.pins(replay.room, replay.started_at, until):
            offset = (pin["pinned_at"] - replay.started_at) / 1000 - (row.offset_s if row.parent_id else 0.0)
            if row.parent_id is not None and not 0 <= offset <= row.duration_s:
                continue
            cards.append({"job_id": pin["job_id"], "title": pin["title"], "employer": pin["employer"],
                          "location": pin["location"], "offset_s": round(max(offset, 0.0), 3)})
        return cards

    # -- edits ---------------------------------------------------------------------------------

    async def clip(self, row: RecordingRow, principal: Principal, body: dict[str, Any]) -> RecordingRow:
        start, end = body.get("start_s"), body.get("end_s")
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (start, end)):
            raise Invalid("invalid_clip", "start_s 和 end_s 须为秒数")
        assert isinstance(start, int | float) and isinstance(end, int | float)
        if row.kind != "replay":
            raise Invalid("invalid_clip", "只能从直播回放中剪辑")
        if not 0 <= start < end or end - start > MAX_CLIP_SECONDS or end > row.duration_s + 0.5:
            raise Invalid("invalid_clip", f"片段须在回放之内，且不超过 {MAX_CLIP_SECONDS:.0f} 秒")
        title, job_id = body.get("title"), body.get("job_id")
        if title is not None and (not isinstance(title, str) or len(title) > 200):
            raise Invalid("invalid_clip", "标题须为不超过 200 字的文本")
        if job_id is not None and (not isinstance(job_id, str) or await self.repo.job_org(job_id) != row.org_id):
            raise Invalid("invalid_job", "只能关联本直播间所属机构的岗位")
        visibility = body.get("visibility", row.visibility)
        if visibility not in VISIBILITIES:
            raise Invalid("invalid_visibility", "可见范围须为 public、logged_in、org 或 private")
        cid = new_id()
        key = f"{row.room}/{cid}{Path(row.blob_key or '.mp4').suffix}"
        target = self.directory / key
        target.parent.mkdir(parents=True, exist_ok=True)
        async with self.local_copy(row) as source:
            try:
                begin, length = await asyncio.get_running_loop().run_in_executor(
                    None, cut, source, target, float(start), float(end))
            except ValueError as exc:
                target.unlink(missing_ok=True)
                raise Invalid("invalid_clip", f"无法剪辑：{exc}") from exc
        now = self._clock()
        clip = await self.repo.insert(
            id=cid, kind="clip", room=row.room, org_id=row.org_id, session_id=row.session_id, parent_id=row.id,
            blob_key=key, media_type=row.media_type, codec=row.codec, started_at=row.started_at + round(begin * 1000),
            ended_at=now, duration_s=round(length, 3), offset_s=round(begin, 3), visibility=visibility,
            title=title, job_id=job_id, created_by=principal.user_id, created_at=now,
        )
        await self._keep(clip)
        return clip

    @contextlib.asynccontextmanager
    async def local_copy(self, row: RecordingRow) -> Any:
        """The recording as a local file PyAV can open: the written one, or a copy fetched from the blob store."""
        local = self.path_of(row)
        if local is not None and local.exists():
            yield local
            return
        size = None if row.blob_key is None else await self.blobs.size(row.blob_key)
        if row.blob_key is None or size is None:
            raise NotFound("recording_gone", "回放文件已不存在")
        with _temporary(Path(row.blob_key).suffix) as copy:
            with copy.open("wb") as file:
                for start in range(0, size, 8 << 20):
                    chunk = await self.blobs.read(row.blob_key, start, min(size, start + (8 << 20)))
                    await asyncio.to_thread(file.write, chunk)
            yield copy

    async def edit(self, row: RecordingRow, body: dict[str, Any]) -> RecordingRow:
        """Who may watch it (``visibility``), its ``title``, whether its chat is replayed: 4.3.1 a's settings."""
        values: dict[str, Any] = {}
        if "visibility" in body:
            if body["visibility"] not in VISIBILITIES:
                raise Invalid("invalid_visibility", "可见范围须为 public、logged_in、org 或 private")
            values["visibility"] = body["visibility"]
        if "title" in body:
            title = body["title"]
            if title is not None and (not isinstance(title, str) or len(title) > 200):
                raise Invalid("invalid_title", "标题须为不超过 200 字的文本")
            values["title"] = title
        if "chat_replay" in body:  # the owner's choice to replay the live's chat (off by default)
            if not isinstance(body["chat_replay"], bool):
                raise Invalid("invalid_chat_replay", "chat_replay 须为 true 或 false")
            values["chat_replay"] = body["chat_replay"]
        if not values:
            raise Invalid("nothing_to_change", "请提供 visibility、title 或 chat_replay")
        await self.repo.update(row.id, **values)
        return await self.get(row.id)

    async def take_down(self, row: RecordingRow, principal: Principal, reason: str) -> RecordingRow:
        await self.repo.update(row.id, taken_down_at=self._clock(), takedown_reason=reason)
        if self._ledger is not None:
            await self._ledger("recording.taken_down", f"recording:{row.id}",
                               {"room": row.room, "kind": row.kind, "reason": reason, "by": principal.user_id})
        return await self.get(row.id)
