"""A process that publishes with aiortc to its own SFU broadcast and records it until it is killed.

``python -m tests.media.record_child DIR MIME``: prints ``RECORDING <path>`` once the file is open, then
``SENT <frames> <monotonic>`` every 0.1 s; the crash test SIGKILLs it mid-recording.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

from media_server.recording.recorder import Recorder
from media_server.sfu.broadcast import Broadcast
from media_server.sfu.peer import PublisherPeer
from tests.media.peers import PatternTrack, answer_into, publisher, wait_for


async def main(directory: Path, mime: str) -> None:
    broadcast = Broadcast()
    pub, offer = await publisher(mime, fps=30)
    track = pub.getTransceivers()[0].sender.track
    assert isinstance(track, PatternTrack)
    server = PublisherPeer(broadcast)
    await answer_into(pub, await server.accept(offer))
    recorder = Recorder(broadcast, directory, "crash")
    recorder.start()
    await wait_for(lambda: recorder.path is not None, 20)
    print(f"RECORDING {recorder.path}", flush=True)
    while True:
        print(f"SENT {track._count} {time.monotonic()}", flush=True)
        await asyncio.sleep(0.1)


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), sys.argv[2]))
