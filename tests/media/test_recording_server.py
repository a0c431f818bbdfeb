"""Recording in the real server: SIGKILL mid-live leaves a playable file, clips and visibility over HTTP
(issue 16, standard 4.3.1 a)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp
import av
import pytest

from tests.media.peers import PatternTrack, answer_into, publisher, wait_for
from tests.server import ServerProcess

pytestmark = pytest.mark.media

FPS = 30


def cli(data_dir: Path, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "livehire.cli", *args, "--data-dir", str(data_dir)],
                          capture_output=True, text=True, check=True)
    return done.stdout


def token(data_dir: Path, *args: str) -> str:
    return cli(data_dir, "token", *args).strip()


async def recordings(http: aiohttp.ClientSession, base: str) -> list[dict[str, Any]]:
    async with http.get(f"{base}/api/v1/rooms/demo/recordings") as response:
        assert response.status == 200
        return list(await response.json())


def video_seconds(path: Path) -> float:
    with av.open(str(path)) as container:
        times = [float(f.pts * f.time_base) for f in container.decode(container.streams.video[0])
                 if f.pts is not None and f.time_base is not None]
    return max(times) - min(times) + 1 / FPS


@pytest.mark.clause("4.3.1 a")
@pytest.mark.timeout(120)
async def test_sigkill_mid_recording_leaves_a_playable_file_and_clips_keep_their_visibility(tmp_path: Path) -> None:
    data_dir = tmp_path / "server"
    server = await asyncio.to_thread(ServerProcess(data_dir).start)
    key = server.banner_value("stream key")
    pub, offer = await publisher("video/H264", fps=FPS)
    track = pub.getTransceivers()[0].sender.track
    assert isinstance(track, PatternTrack)
    async with aiohttp.ClientSession() as http:
        try:
            async with http.post(f"{server.base_url}/whip/demo", data=offer.encode(),
                                 headers={"Content-Type": "application/sdp", "Authorization": f"Bearer {key}"}) as r:
                assert r.status == 201, await r.text()
                await answer_into(pub, await r.text())
            found: list[dict[str, Any]] = []

            async def listed() -> bool:
                found[:] = await recordings(http, server.base_url)
                return bool(found)

            deadline = time.monotonic() + 20
            while not await listed():
                assert time.monotonic() < deadline, "no recording listed"
                await asyncio.sleep(0.2)
            started_at = found[0]["started_at"]
            assert found[0]["kind"] == "replay" and found[0]["recording"] is True
            await wait_for(lambda: time.time() * 1000 - started_at >= 8000, 30)
            killed_at = time.time() * 1000
            await asyncio.to_thread(server.kill)  # SIGKILL: no shutdown handler closes the file
        finally:
            await pub.close()
            await asyncio.to_thread(server.kill)
        server = await asyncio.to_thread(ServerProcess(data_dir).start)  # the next start-up closes the row from the file
        try:
            replay = (await recordings(http, server.base_url))[0]
            lived = (killed_at - started_at) / 1000
            assert replay["recording"] is False and lived - 1.2 <= replay["duration_s"] <= lived, (replay, lived)
            media = tmp_path / "replay.mp4"
            async with http.get(server.base_url + replay["url"]) as response:
                assert response.status == 200 and response.content_type == "video/mp4"
                media.write_bytes(await response.read())
            kept = video_seconds(media)
            assert lived - kept <= 1.0 + 0.2, (lived, kept)  # ≤ 1 s lost (+ the first keyframe's wait)
            # a clip of 3-7 s by a host of the room's organisation, visible to the organisation only
            host = await asyncio.to_thread(token, data_dir, "--role", "host", "--user", "h1", "--org", "demo-org")
            async with http.post(f"{server.base_url}/api/v1/recordings/{replay['id']}/clips",
                                 json={"start_s": 3, "end_s": 7, "title": "仓库岗位讲解", "visibility": "org"},
                                 headers={"Authorization": f"Bearer {host}"}) as response:
                assert response.status == 201, await response.text()
                clip = await response.json()
            assert clip["kind"] == "clip" and abs(clip["duration_s"] - 4) <= 1 and clip["visibility"] == "org"
            outsider = await asyncio.to_thread(token, data_dir, "--role", "viewer", "--user", "v9")
            async with http.get(server.base_url + clip["url"]) as response:
                assert response.status == 401
            async with http.get(server.base_url + clip["url"], headers={"Authorization": f"Bearer {outsider}"}) as r:
                assert r.status == 403
            async with http.post(f"{server.base_url}/api/v1/recordings/{replay['id']}/clips",
                                 json={"start_s": 1, "end_s": 2}, headers={"Authorization": f"Bearer {outsider}"}) as r:
                assert r.status == 403
            async with http.get(server.base_url + clip["url"],
                                headers={"Authorization": f"Bearer {host}", "Range": "bytes=0-99"}) as response:
                assert response.status == 206 and len(await response.read()) == 100
            async with http.get(f"{server.base_url}/api/v1/rooms/demo/recordings") as response:
                assert clip["id"] not in [r["id"] for r in await response.json()]  # not listed to strangers
            async with http.post(f"{server.base_url}/api/v1/recordings/{replay['id']}/clips",
                                 json={"start_s": 5, "end_s": 2}, headers={"Authorization": f"Bearer {host}"}) as r:
                assert r.status == 422 and (await r.json())["error"]["code"] == "invalid_clip"
            async with http.post(f"{server.base_url}/api/v1/recordings/{replay['id']}/clips",
                                 json={"start_s": 1, "end_s": 3, "job_id": "no-such-job"},
                                 headers={"Authorization": f"Bearer {host}"}) as r:
                assert r.status == 422 and (await r.json())["error"]["code"] == "invalid_job"
        finally:
            await asyncio.to_thread(server.stop)
    # the operator's commands on the same data dir
    rows = [json.loads(line) for line in (await asyncio.to_thread(cli, data_dir, "recordings", "list")).splitlines()]
    assert {(r["id"], r["kind"]) for r in rows} == {(replay["id"], "replay"), (clip["id"], "clip")}
    exported = tmp_path / "exported.mp4"
    await asyncio.to_thread(cli, data_dir, "recordings", "export", clip["id"], "--out", str(exported))
    assert abs(video_seconds(exported) - clip["duration_s"]) <= 0.5
    assert await asyncio.to_thread(cli, data_dir, "recordings", "purge", "--dry-run") == ""  # all within 60 days
