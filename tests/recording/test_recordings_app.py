"""Recordings in the app without a live: S3 storage end to end (ranges, clips, takedown, metrics) and the
retention purge with a moved clock (issue 16, standard 4.3.1 a)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from common.clock import now_ms
from governance.web import GOVERNANCE
from livehire import keys
from livehire.app import create_app
from livehire.settings import SettingsError, load_settings
from recording.blobs import LocalBlobStore
from recording.http import RECORDINGS
from recording.repository import RecordingRepository, new_id
from recording.service import DAY_MS, Recordings
from store.engine import open_store
from store.rooms import RoomRepository
from tests.recording.media_files import h264_mp4, seconds_of
from tests.recording.moto_server import moto_server


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    with moto_server() as endpoint:
        yield endpoint


def replay_values(rid: str, key: str, at: int) -> dict[str, Any]:
    return {"id": rid, "kind": "replay", "room": "demo", "org_id": "demo-org", "session_id": None,
            "blob_key": key, "media_type": "video/mp4", "codec": "h264", "started_at": at - 6000, "ended_at": at,
            "duration_s": 6.0, "visibility": "public", "created_at": at - 6000}


@pytest.mark.clause("4.3.1 a")
async def test_s3_replays_serve_ranges_cut_clips_and_can_be_taken_down(aiohttp_client: Any, tmp_path: Path,
                                                                       s3_endpoint: str) -> None:
    settings = load_settings({"data_dir": tmp_path / "data", "port": 0, "recording_s3_bucket": "replays",
                              "recording_s3_endpoint": s3_endpoint, "recording_s3_access_key": "test",
                              "recording_s3_secret_key": "test"}, environ={})
    app = create_app(settings)
    client = await aiohttp_client(app)
    recordings: Recordings = app[RECORDINGS]
    rid = new_id()
    key = f"demo/{rid}.mp4"
    original = h264_mp4(settings.data_dir / "recordings" / key)
    row = await recordings.repo.insert(**replay_values(rid, key, now_ms()))
    await recordings._keep(row)  # what stop() does once the file is finished
    assert not (settings.data_dir / "recordings" / key).exists()
    assert await recordings.blobs.size(key) == len(original)

    url = f"/api/v1/recordings/{rid}/media"
    part = await client.get(url, headers={"Range": "bytes=100-199"})
    assert part.status == 206 and await part.read() == original[100:200]
    assert part.headers["Content-Range"] == f"bytes 100-199/{len(original)}"
    whole = await client.get(url)
    assert whole.status == 200 and await whole.read() == original
    assert (await client.get(url, headers={"Range": f"bytes={len(original)}-"})).status == 416

    signer = app[keys.SIGNER]
    host = {"Authorization": "Bearer " + signer.mint(role="host", user="h1", org="demo-org", session="t")}
    made = await client.post(f"/api/v1/recordings/{rid}/clips", json={"start_s": 1.2, "end_s": 4.0,
                                                                     "title": "叉车岗位"}, headers=host)
    assert made.status == 201, await made.text()
    clip = await made.json()
    assert not list((settings.data_dir / "recordings" / "demo").glob(f"{clip['id']}*"))  # uploaded, not local
    clip_bytes = await (await client.get(clip["url"])).read()
    assert abs(seconds_of(clip_bytes, tmp_path / "clip.mp4") - 3.0) <= 1.0
    listed = await (await client.get("/api/v1/orgs/demo-org/clips")).json()
    assert [c["id"] for c in listed] == [clip["id"]] and listed[0]["title"] == "叉车岗位"

    reviewer = {"Authorization": "Bearer " + signer.mint(role="reviewer", user="r1", session="t")}
    viewer = {"Authorization": "Bearer " + signer.mint(role="viewer", user="v1", session="t")}
    # permission settings: the organisation makes the replay logged-in only, then public again
    assert (await client.patch(f"/api/v1/recordings/{rid}", json={"visibility": "logged_in"}, headers=viewer)).status == 403
    assert (await client.patch(f"/api/v1/recordings/{rid}", json={"visibility": "friends"}, headers=host)).status == 422
    edited = await client.patch(f"/api/v1/recordings/{rid}", json={"visibility": "logged_in"}, headers=host)
    assert edited.status == 200 and (await edited.json())["visibility"] == "logged_in"
    assert (await client.get(url, headers={"Range": "bytes=0-9"})).status == 401
    assert (await client.get(url, headers={**viewer, "Range": "bytes=0-9"})).status == 206
    await client.patch(f"/api/v1/recordings/{rid}", json={"visibility": "public"}, headers=host)
    refused = await client.post(f"/api/v1/review/recordings/{rid}/takedown", json={"reason": "x"}, headers=viewer)
    assert refused.status == 403
    assert (await client.post(f"/api/v1/review/recordings/{rid}/takedown", json={}, headers=reviewer)).status == 422
    down = await client.post(f"/api/v1/review/recordings/{rid}/takedown", json={"reason": "含站外导流"},
                             headers=reviewer)
    assert down.status == 200 and (await down.json())["taken_down"] is True
    assert (await client.get(url, headers=viewer)).status == 403
    assert (await client.get(url, headers={**reviewer, "Range": "bytes=0-9"})).status == 206
    assert rid not in [r["id"] for r in await (await client.get("/api/v1/rooms/demo/recordings")).json()]
    entries = [e async for e in app[GOVERNANCE].ledger.export(0, now_ms() + 1)]
    metrics = await (await client.get("/metrics")).text()
    sizes = [line for line in metrics.splitlines() if line.startswith("livehire_recordings_bytes ")]
    assert sizes and float(sizes[0].split()[1]) > len(original), sizes
    assert [e.subject for e in entries if e.kind == "recording.taken_down"] == [f"recording:{rid}"]


def test_retention_below_sixty_days_is_refused() -> None:
    with pytest.raises(SettingsError, match="recording_retention_days"):
        load_settings({"recording_retention_days": 59}, environ={})


@pytest.mark.clause("4.3.1 a")
async def test_retention_with_a_moved_clock_removes_the_file_and_its_row(store_url: str, tmp_path: Path,
                                                                        caplog: pytest.LogCaptureFixture) -> None:
    store = await open_store(store_url)
    try:
        now = [now_ms()]
        directory = tmp_path / "recordings"

        async def no_session(room: str) -> None:
            return None

        recordings = Recordings(RecordingRepository(store), RoomRepository(store), directory, media=lambda room: None,
                                current_session=no_session, clock=lambda: now[0], blobs=LocalBlobStore(directory))
        rid = new_id()
        key = f"demo/{rid}.mp4"
        (directory / "demo").mkdir(parents=True)
        (directory / key).write_bytes(b"not really a video")
        await recordings.repo.insert(**replay_values(rid, key, now[0]))
        now[0] += 59 * DAY_MS
        assert await recordings.purge() == []
        assert (directory / key).exists() and await recordings.repo.get(rid) is not None
        now[0] += 2 * DAY_MS
        with caplog.at_level(logging.INFO, logger="livehire.recording"):
            removed = await recordings.purge()
        assert [r.id for r in removed] == [rid]
        assert not (directory / key).exists() and await recordings.repo.get(rid) is None
        assert any("retention: removed replay" in r.getMessage() and rid in r.getMessage() for r in caplog.records)
    finally:
        await store.close()
