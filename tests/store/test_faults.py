"""Which store errors are "unreachable" (refused as ``unavailable``) and which are bugs or bad data (500)."""

from __future__ import annotations

import asyncpg
from sqlalchemy.exc import DBAPIError, IntegrityError

from store.faults import store_unavailable, unreachable


def test_socket_and_driver_connection_errors_are_unreachable() -> None:
    assert unreachable(ConnectionRefusedError())
    assert unreachable(TimeoutError())
    assert unreachable(asyncpg.exceptions.ConnectionDoesNotExistError("connection was closed"))
    assert unreachable(asyncpg.exceptions.CannotConnectNowError("the database system is starting up"))
    assert unreachable(DBAPIError("SELECT 1", None, ConnectionResetError()))
    wrapped = RuntimeError("while writing")
    wrapped.__cause__ = asyncpg.InterfaceError("connection is closed")
    assert unreachable(wrapped)


def test_outside_the_store_only_the_drivers_errors_count() -> None:
    assert not unreachable(FileNotFoundError("licence.pdf"), sockets=False), "a file error is not the database"
    assert unreachable(DBAPIError("SELECT 1", None, ConnectionRefusedError()), sockets=False)
    assert unreachable(asyncpg.exceptions.ConnectionDoesNotExistError("closed"), sockets=False)


def test_bugs_and_bad_data_are_not() -> None:
    assert not unreachable(ValueError("bad"))
    assert not unreachable(IntegrityError("INSERT", None, asyncpg.exceptions.UniqueViolationError("dup")))
    assert not unreachable(asyncpg.exceptions.UndefinedTableError("no table"))
    error = store_unavailable()
    assert (error.code, error.kind) == ("unavailable", "unavailable") and error.message
