"""Where licence evidence files live: a small content-addressed blob store (standard 5.1.1).

A blob's name is the sha256 of its bytes, never a name a user chose, so no upload can reach another path
and the same file stored twice is one blob. ``MemoryBlobStore`` is for tests; ``DirectoryBlobStore`` keeps
files under the data dir (``<root>/ab/cd/<sha256>``), written to a temporary file and renamed, so a reader
never sees half a file. One contract suite runs over both (``tests/governance/test_blobs.py``).
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Final, Protocol

_SHA256: Final = re.compile(r"[0-9a-f]{64}")


def blob_name(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _checked(name: str) -> str:
    if _SHA256.fullmatch(name) is None:
        raise ValueError("a blob name is a lower-case sha256 in hex")
    return name


class BlobStore(Protocol):
    async def put(self, data: bytes) -> str:
        """Stores ``data``; returns its sha256 (hex), which names it."""
        ...

    async def get(self, name: str) -> bytes | None:
        """The bytes named ``name``, or None."""
        ...

    async def exists(self, name: str) -> bool: ...


class MemoryBlobStore:
    def __init__(self) -> None:
        self._blobs: dict[str, bytes] = {}

    async def put(self, data: bytes) -> str:
        name = blob_name(data)
        self._blobs.setdefault(name, bytes(data))
        return name

    async def get(self, name: str) -> bytes | None:
        return self._blobs.get(_checked(name))

    async def exists(self, name: str) -> bool:
        return _checked(name) in self._blobs


class DirectoryBlobStore:
    """Blobs as files under ``root`` (e.g. ``<data_dir>/blobs``)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, name: str) -> Path:
        name = _checked(name)
        return self.root / name[:2] / name[2:4] / name

    def _write(self, name: str, data: bytes) -> None:
        path = self._path(name)
        if path.exists():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def _read(self, name: str) -> bytes | None:
        try:
            return self._path(name).read_bytes()
        except FileNotFoundError:
            return None

    async def put(self, data: bytes) -> str:
        name = blob_name(data)
        await asyncio.to_thread(self._write, name, bytes(data))
        return name

    async def get(self, name: str) -> bytes | None:
        return await asyncio.to_thread(self._read, name)

    async def exists(self, name: str) -> bool:
        path = self._path(name)
        return await asyncio.to_thread(path.exists)
