"""Where the real PostgreSQL and Redis are, and what to do when they are not there.

Under ``CI=true`` a missing service fails the test loudly; elsewhere the test
is skipped with the reason. Tests never mock these services.
"""

from __future__ import annotations

import os
import socket
from urllib.parse import urlsplit

import pytest

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    host = parts.hostname or "127.0.0.1"
    port = parts.port or default_port
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return True
    except OSError:
        return False


def require_service(env_name: str, default: str, default_port: int) -> str:
    """The service URL, or skip (fail under CI) when it is not configured or reachable."""
    url = os.environ.get(env_name) or (default if in_ci() else "")
    if not url:
        url = default
    if _reachable(url, default_port):
        return url
    message = f"{env_name}={url} is not reachable"
    if in_ci():
        pytest.fail(f"{message}; under CI=true this service must run", pytrace=False)
    pytest.skip(f"{message}; set {env_name} to a running server to run this test")


def postgres_url() -> str:
    """A plain ``postgresql://`` URL for the test database."""
    return require_service("DATABASE_URL", DEFAULT_DATABASE_URL, 5432)


def redis_url() -> str:
    return require_service("REDIS_URL", DEFAULT_REDIS_URL, 6379)


async def create_scratch_database(base_url: str) -> str:
    """Creates an empty PostgreSQL database for one test and returns its URL.

    Each test gets its own database, so tests (and engineers running suites at
    the same time) never see each other's rows or Alembic versions.
    """
    import secrets

    import asyncpg

    name = "lh_" + secrets.token_hex(6)
    admin = await asyncpg.connect(_plain(base_url))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    parts = urlsplit(base_url)
    return parts._replace(path="/" + name).geturl()


async def drop_scratch_database(base_url: str, url: str) -> None:
    import asyncpg

    name = urlsplit(url).path.lstrip("/")
    admin = await asyncpg.connect(_plain(base_url))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


def _plain(url: str) -> str:
    """asyncpg wants ``postgresql://`` without a SQLAlchemy driver suffix."""
    scheme, _, rest = url.partition("://")
    return "postgresql://" + rest if scheme.startswith("postgres") else url
