"""One contract suite for the recordings' blob stores: the data dir and S3 (moto's standalone server)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from recording.blobs import PART_BYTES, BlobStore, LocalBlobStore, S3BlobStore, checked_key
from tests.recording.moto_server import moto_server


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    with moto_server() as endpoint:
        yield endpoint


@pytest.fixture(params=["local", "s3"])
def endpoint(request: pytest.FixtureRequest) -> str | None:
    """``None`` for the data dir, else the S3 endpoint, resolved here and not in ``blobs``: moto starts
    synchronously, and inside the async fixture its start blocked the event loop past the guard's limit."""
    return None if request.param == "local" else str(request.getfixturevalue("s3_endpoint"))


@pytest.fixture
async def blobs(endpoint: str | None, tmp_path: Path) -> AsyncIterator[BlobStore]:
    if endpoint is None:
        yield LocalBlobStore(tmp_path / "recordings")
        return
    store = S3BlobStore(f"rec-{uuid.uuid4().hex[:8]}", endpoint_url=endpoint, access_key="test", secret_key="test")
    await store.ensure_bucket()
    try:
        yield store
    finally:
        await store.close()


def key() -> str:
    return f"demo/{uuid.uuid4().hex}.mp4"


async def test_a_file_put_is_read_back_by_ranges_and_counted(blobs: BlobStore, tmp_path: Path) -> None:
    data = bytes(range(256)) * (PART_BYTES // 256 + 1000)  # more than one multipart part
    source = tmp_path / "upload.mp4"
    source.write_bytes(data)
    name = key()
    assert await blobs.size(name) is None
    await blobs.put_file(name, source)
    assert await blobs.size(name) == len(data)
    assert await blobs.read(name, 0, 100) == data[:100]
    assert await blobs.read(name, PART_BYTES - 10, PART_BYTES + 10) == data[PART_BYTES - 10:PART_BYTES + 10]
    assert await blobs.read(name, len(data) - 5, len(data)) == data[-5:]
    assert await blobs.usage() == (1, len(data))
    await blobs.delete(name)
    assert await blobs.size(name) is None
    assert await blobs.usage() == (0, 0)
    await blobs.delete(name)  # deleting twice is fine


async def test_two_blobs_are_independent(blobs: BlobStore, tmp_path: Path) -> None:
    names = [key(), key()]
    for i, name in enumerate(names):
        source = tmp_path / f"{i}.mp4"
        source.write_bytes(f"blob {i}".encode())
        await blobs.put_file(name, source)
    assert await asyncio.gather(*(blobs.read(n, 0, 6) for n in names)) == [b"blob 0", b"blob 1"]
    await blobs.delete(names[0])
    assert await blobs.size(names[0]) is None and await blobs.size(names[1]) == 6


@pytest.mark.parametrize("bad", ["../etc/passwd", "demo/notahex.mp4", "a/b/" + "0" * 32 + ".mp4", "demo/" + "0" * 32 + ".exe"])
def test_keys_are_the_servers_own_shape(bad: str) -> None:
    with pytest.raises(ValueError):
        checked_key(bad)
