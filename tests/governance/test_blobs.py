"""One contract suite over both blob stores (memory, directory): content-addressed by sha256, never a
user-chosen path, idempotent, whole files only."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from governance.blobs import BlobStore, DirectoryBlobStore, MemoryBlobStore


@pytest.fixture(params=["memory", "directory"])
def blobs(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[BlobStore]:
    yield MemoryBlobStore() if request.param == "memory" else DirectoryBlobStore(tmp_path / "blobs")


async def test_put_names_the_blob_by_its_sha256_and_get_returns_it(blobs: BlobStore) -> None:
    data = b"%PDF-1.4 licence"
    name = await blobs.put(data)
    assert name == hashlib.sha256(data).hexdigest()
    assert await blobs.get(name) == data and await blobs.exists(name)
    assert await blobs.put(data) == name  # the same bytes twice: one blob
    assert await blobs.get(hashlib.sha256(b"other").hexdigest()) is None
    assert not await blobs.exists(hashlib.sha256(b"other").hexdigest())


@pytest.mark.parametrize("name", ["../etc/passwd", "ABC", "a" * 63, "g" * 64, "/" + "a" * 63, ""])
async def test_only_sha256_names_are_accepted(blobs: BlobStore, name: str) -> None:
    with pytest.raises(ValueError):
        await blobs.get(name)
    with pytest.raises(ValueError):
        await blobs.exists(name)


async def test_directory_store_keeps_files_under_its_root_and_survives_a_new_instance(tmp_path: Path) -> None:
    root = tmp_path / "blobs"
    name = await DirectoryBlobStore(root).put(b"\x89PNG\r\n\x1a\nimage")
    files = [p for p in root.rglob("*") if p.is_file()]
    assert files == [root / name[:2] / name[2:4] / name]  # no temporary file left behind
    assert await DirectoryBlobStore(root).get(name) == b"\x89PNG\r\n\x1a\nimage"
