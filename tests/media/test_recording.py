"""Recording by remux: a real aiortc publisher → the SFU → a file PyAV decodes (issue 16, standard 4.3.1 a)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import av
import pytest

from media_server.recording.clip import cut
from media_server.recording.recorder import Recorder
from media_server.sfu.broadcast import Broadcast
from media_server.sfu.peer import PublisherPeer
from tests.media.peers import PatternTrack, answer_into, publisher, wait_for

pytestmark = pytest.mark.media

SECONDS = 10
FPS = 30


def decoded(path: Path) -> tuple[str, int, float, int]:
    """(video codec, video frames, video seconds from first to last frame + one, audio frames) of a file."""
    with av.open(str(path)) as container:
        video = container.streams.video[0]
        times = [float(f.pts * f.time_base) for f in container.decode(video) if f.pts is not None and f.time_base is not None]
    with av.open(str(path)) as container:
        audio = sum(1 for _ in container.decode(container.streams.audio[0])) if container.streams.audio else 0
    return video.codec_context.name, len(times), (max(times) - min(times) + 1 / FPS) if times else 0.0, audio


@pytest.mark.parametrize(("mime", "suffix"), [("video/H264", ".mp4"), ("video/VP8", ".webm")])
@pytest.mark.clause("4.3.1 a")
@pytest.mark.timeout(60)
async def test_ten_second_publish_is_recorded_without_transcoding(tmp_path: Path, mime: str, suffix: str) -> None:
    broadcast = Broadcast()
    pub_pc, offer = await publisher(mime, fps=FPS)
    track = pub_pc.getTransceivers()[0].sender.track
    assert isinstance(track, PatternTrack)
    server_pub = PublisherPeer(broadcast)
    await answer_into(pub_pc, await server_pub.accept(offer))
    recorder = Recorder(broadcast, tmp_path, "session-1")
    recorder.start()
    try:
        await wait_for(lambda: track._count >= SECONDS * FPS, SECONDS + 15)
    finally:
        await pub_pc.close()
        await server_pub.close()
    sent = track._count
    result = await recorder.stop()
    assert result.path is not None and result.path.suffix == suffix
    codec, frames, seconds, audio_frames = decoded(result.path)
    assert codec == mime.split("/")[1].lower()
    assert frames >= 0.95 * sent, (frames, sent, result)
    assert abs(seconds - sent / FPS) <= 0.5, (seconds, sent)
    assert audio_frames >= 0.9 * SECONDS * 50  # Opus at 20 ms
    assert broadcast.tracks["video"].sinks == () and broadcast.tracks["audio"].sinks == ()
    # a clip cut at 3-7 s, at keyframes, without re-encoding: it plays and lasts 4 ± 1 s
    clip = tmp_path / f"clip{suffix}"
    begin, length = cut(result.path, clip, 3.0, 7.0)
    assert 2.0 <= begin <= 3.0 and abs(length - 4.0) <= 1.0, (begin, length)
    clip_codec, clip_frames, clip_seconds, _ = decoded(clip)
    assert clip_codec == codec and abs(clip_seconds - 4.0) <= 1.0, (clip_frames, clip_seconds)


@pytest.mark.clause("4.3.1 a", "5.2")
@pytest.mark.timeout(60)
async def test_a_publisher_reconnecting_continues_the_same_recording(tmp_path: Path) -> None:
    broadcast = Broadcast()
    recorder: Recorder | None = None
    sent = []
    away_from = back_at = 0.0
    for attempt in range(2):
        pub_pc, offer = await publisher("video/H264", fps=FPS)
        track = pub_pc.getTransceivers()[0].sender.track
        assert isinstance(track, PatternTrack)
        server_pub = PublisherPeer(broadcast)  # the same broadcast: what a host's reconnect gets
        await answer_into(pub_pc, await server_pub.accept(offer))
        if recorder is None:
            recorder = Recorder(broadcast, tmp_path, "session-1")
            recorder.start()
        else:
            back_at = asyncio.get_running_loop().time()
        try:
            def enough(track: PatternTrack = track) -> bool:
                return track._count >= 3 * FPS

            await wait_for(enough, 20)
        finally:
            await pub_pc.close()
            await server_pub.close()
        sent.append(track._count)
        if attempt == 0:
            away_from = asyncio.get_running_loop().time()
            await asyncio.sleep(1.0)  # the host is away for a second
    assert recorder is not None
    result = await recorder.stop()
    assert result.path is not None and result.path.name.startswith("session-1")
    assert await asyncio.to_thread(lambda: list(tmp_path.glob("session-1*"))) == [result.path]  # one file for both
    codec, frames, seconds, _ = decoded(result.path)
    assert codec == "h264" and frames >= 0.9 * sum(sent), (frames, sent)
    # both stretches and the time away between them: the second one starts where the wall clock says
    away = back_at - away_from
    assert sum(sent) / FPS + 0.5 <= seconds <= sum(sent) / FPS + away + 1.0, (seconds, sent, away)
