"""Where finished recordings live: a ``BlobStore`` protocol, the data dir (default) and an S3-compatible
bucket (several nodes: any node serves any replay).

Keys are ``<room>/<id>.<ext>``, made by the server, never by a user. A live is always written to the local
recordings directory first (the muxer needs a file it can append to, and a crash must leave it playable);
once finished, ``put_file`` hands it to the store: a no-op for the local store, an upload (multipart, 8 MB
parts) followed by removing the local copy for S3. Reads take byte ranges, so the media route serves HTTP
range requests from either. One contract suite runs against both (``tests/recording/test_blob_contract.py``;
S3 against moto's standalone server).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any, Protocol

_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}/[0-9a-f]{32}\.(mp4|webm)")
PART_BYTES = 8 * 1024 * 1024


def checked_key(key: str) -> str:
    if _KEY.fullmatch(key) is None:
        raise ValueError(f"not a recording key: {key!r}")
    return key


class BlobStore(Protocol):
    async def put_file(self, key: str, source: Path) -> None:
        """Stores the finished file ``source`` under ``key`` (the source may be moved or removed)."""
        ...

    async def size(self, key: str) -> int | None:
        """Bytes of ``key``, or None when there is no such blob."""
        ...

    async def read(self, key: str, start: int, end: int) -> bytes:
        """Bytes ``start`` to ``end`` (exclusive) of ``key``."""
        ...

    async def delete(self, key: str) -> None: ...

    async def usage(self) -> tuple[int, int]:
        """(blobs, bytes) held."""
        ...


class LocalBlobStore:
    """Recordings as files under ``root`` (``<data_dir>/recordings``), where the recorder writes them."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, key: str) -> Path:
        return self.root / checked_key(key)

    async def put_file(self, key: str, source: Path) -> None:
        target = self.path(key)
        await asyncio.to_thread(_move, source, target)

    async def size(self, key: str) -> int | None:
        try:
            return self.path(key).stat().st_size
        except FileNotFoundError:
            return None

    async def read(self, key: str, start: int, end: int) -> bytes:
        def read() -> bytes:
            with self.path(key).open("rb") as file:
                file.seek(start)
                return file.read(max(0, end - start))

        return await asyncio.to_thread(read)

    async def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    async def usage(self) -> tuple[int, int]:
        def walk() -> tuple[int, int]:
            count = total = 0
            for directory, _, files in os.walk(self.root):
                for name in files:
                    if _KEY.fullmatch(f"{Path(directory).name}/{name}"):
                        count += 1
                        total += (Path(directory) / name).stat().st_size
            return count, total

        return await asyncio.to_thread(walk)


class S3BlobStore:
    """Recordings in an S3-compatible bucket through aiobotocore (AWS, MinIO, Ceph, OSS's S3 API...)."""

    def __init__(self, bucket: str, *, endpoint_url: str | None = None, region: str = "us-east-1",
                 access_key: str | None = None, secret_key: str | None = None, prefix: str = "recordings/") -> None:
        self.bucket = bucket
        self.prefix = prefix
        self._options: dict[str, Any] = {"region_name": region, "endpoint_url": endpoint_url,
                                         "aws_access_key_id": access_key, "aws_secret_access_key": secret_key}
        self._stack: AsyncExitStack | None = None
        self._client: Any = None

    async def _s3(self) -> Any:
        if self._client is None:
            session = await asyncio.to_thread(_loaded_session)
            self._stack = AsyncExitStack()
            self._client = await self._stack.enter_async_context(session.create_client("s3", **self._options))
        return self._client

    async def close(self) -> None:
        if self._stack is not None:
            await self._stack.aclose()
        self._stack, self._client = None, None

    async def ensure_bucket(self) -> None:
        s3 = await self._s3()
        try:
            await s3.head_bucket(Bucket=self.bucket)
        except Exception:
            await s3.create_bucket(Bucket=self.bucket)

    def _name(self, key: str) -> str:
        return self.prefix + checked_key(key)

    async def put_file(self, key: str, source: Path) -> None:
        s3, name = await self._s3(), self._name(key)
        upload = await s3.create_multipart_upload(Bucket=self.bucket, Key=name)
        parts = []
        try:
            number = 0
            async for chunk in _chunks(source):
                number += 1
                part = await s3.upload_part(Bucket=self.bucket, Key=name, UploadId=upload["UploadId"],
                                            PartNumber=number, Body=chunk)
                parts.append({"PartNumber": number, "ETag": part["ETag"]})
            await s3.complete_multipart_upload(Bucket=self.bucket, Key=name, UploadId=upload["UploadId"],
                                               MultipartUpload={"Parts": parts})
        except BaseException:
            await s3.abort_multipart_upload(Bucket=self.bucket, Key=name, UploadId=upload["UploadId"])
            raise
        await asyncio.to_thread(source.unlink, True)

    async def size(self, key: str) -> int | None:
        s3 = await self._s3()
        try:
            head = await s3.head_object(Bucket=self.bucket, Key=self._name(key))
        except Exception as exc:
            if getattr(exc, "response", {}).get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        return int(head["ContentLength"])

    async def read(self, key: str, start: int, end: int) -> bytes:
        if end <= start:
            return b""
        s3 = await self._s3()
        answer = await s3.get_object(Bucket=self.bucket, Key=self._name(key), Range=f"bytes={start}-{end - 1}")
        async with answer["Body"] as body:
            return bytes(await body.read())

    async def delete(self, key: str) -> None:
        s3 = await self._s3()
        await s3.delete_object(Bucket=self.bucket, Key=self._name(key))

    async def usage(self) -> tuple[int, int]:
        s3 = await self._s3()
        count = total = 0
        async for page in s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix):
            for item in page.get("Contents", []):
                count += 1
                total += int(item["Size"])
        return count, total


def _loaded_session() -> Any:
    """An aiobotocore session whose S3 model files are already read, built in a worker thread.

    Why: importing botocore and reading its JSON models is synchronous and took over two
    seconds on a loaded node, all of it on the event loop at the first recording's upload;
    the models are cached by the session's loader, so the client is then built in milliseconds.
    """
    from aiobotocore.session import get_session  # only when S3 is configured
    from botocore.exceptions import DataNotFoundError

    session = get_session()
    loader = session.get_component("data_loader")
    loader.load_service_model("s3", "service-2")
    for name in ("endpoints", "partitions", "sdk-default-configuration", "_retry"):
        with contextlib.suppress(DataNotFoundError):  # not every botocore release ships each file
            loader.load_data(name)
    return session


def _move(source: Path, target: Path) -> None:
    if source.resolve() == target.resolve():
        return  # the recorder wrote it in place
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(source, target)


async def _chunks(path: Path) -> AsyncIterator[bytes]:
    with path.open("rb") as file:
        while True:
            chunk = await asyncio.to_thread(file.read, PART_BYTES)
            if not chunk:
                return
            yield chunk
