"""An independent publisher: FFmpeg's ``whip`` muxer (as shipped inside PyAV) → our WHIP → an aiortc viewer.

This FFmpeg build generates a P-224 DTLS certificate that OpenSSL 3.x/4 rejects,
so we pass ``cert_file``/``key_file`` with a P-256 certificate made here (see
docs/media.md for the equivalent ``ffmpeg`` command line).
"""

from __future__ import annotations

import asyncio
import datetime
import fractions
import sys
import time
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from signaling.service import SignalingService
from tests.media.peers import Viewer, wait_for
from tests.signaling.helpers import KEY, make_app, make_service, post_sdp

pytestmark = [pytest.mark.media, pytest.mark.slow, pytest.mark.clause("4.3.1 a")]


def p256_certificate(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ffmpeg-whip-test")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=7)).sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def ffmpeg_publish(url: str, cert: Path, key: Path, seconds: float = 12.0, profile: str = "baseline",
                   stream_key: str = KEY) -> None:
    """Blocking, and PyAV keeps the GIL while FFmpeg does HTTP/ICE/DTLS: so it runs in a child process."""
    options = {"authorization": stream_key, "cert_file": str(cert), "key_file": str(key), "handshake_timeout": "8000"}
    container = av.open(url, mode="w", format="whip", options=options)
    video = container.add_stream("libx264", rate=30)
    video.width, video.height, video.pix_fmt = 320, 240, "yuv420p"
    # ultrafast turns off CABAC and 8x8 transforms, and x264 then signals Baseline whatever the profile cap
    preset = "ultrafast" if profile == "baseline" else "veryfast"
    video.options = {"profile": profile, "tune": "zerolatency", "preset": preset, "g": "30", "bf": "0"}
    audio = container.add_stream("libopus", rate=48000)
    audio.layout = "stereo"
    start = time.monotonic()
    samples = 0
    try:
        for i in range(int(seconds * 30)):
            image = np.zeros((240, 320, 3), dtype=np.uint8)
            image[:, : (i * 4) % 320 + 1, 1] = 180
            frame = av.VideoFrame.from_ndarray(image, format="rgb24").reformat(format="yuv420p")
            frame.pts = i
            frame.time_base = fractions.Fraction(1, 30)
            for packet in video.encode(frame):
                container.mux(packet)
            while samples < (i + 1) * 1600:
                sound = av.AudioFrame.from_ndarray(np.zeros((1, 960 * 2), dtype=np.int16), format="s16", layout="stereo")
                sound.sample_rate = 48000
                sound.pts = samples
                sound.time_base = fractions.Fraction(1, 48000)
                samples += 960
                for packet in audio.encode(sound):
                    container.mux(packet)
            delay = start + (i + 1) / 30 - time.monotonic()
            if delay > 0:
                time.sleep(delay)
    finally:
        container.close()


async def test_ffmpeg_whip_muxer_publishes_to_an_aiortc_viewer(aiohttp_client: Any, tmp_path: Path) -> None:
    service: SignalingService = make_service()
    client = await aiohttp_client(make_app(service))
    cert, key = p256_certificate(tmp_path)
    url = str(client.make_url("/whip/demo"))
    worker = await asyncio.create_subprocess_exec(
        sys.executable, "-c", "import sys; from tests.media.test_ffmpeg_whip import ffmpeg_publish; "
        "from pathlib import Path; ffmpeg_publish(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]))",
        url, str(cert), str(key), stderr=asyncio.subprocess.PIPE,
    )
    viewer = Viewer()
    try:
        await wait_for(lambda: service.room_state("demo")["live"] or worker.returncode is not None, 20)
        if worker.returncode is not None:
            assert worker.stderr is not None
            pytest.fail("ffmpeg publisher exited early: " + (await worker.stderr.read()).decode()[-3000:])
        assert service.room_state("demo")["codecs"]["video"].lower() == "video/h264"
        created = await post_sdp(client, "/whep/demo", await viewer.offer(), token=None)
        assert created.status == 201, created.sdp
        await viewer.answer(created.sdp)
        await viewer.wait_frames(10, limit=10)
        assert viewer.frames[-1][1:] == (320, 240)
    finally:
        await viewer.close()
        if worker.returncode is None:
            worker.terminate()
        await worker.communicate()
