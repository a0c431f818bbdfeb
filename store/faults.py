"""Which store errors mean "the database cannot be reached now", as opposed to a bug or bad data.

Why: while PostgreSQL is away (restart, failover, network cut), a write must be refused with the
project's ``unavailable`` error (HTTP 503, chat ``error`` frame), never acknowledged and never a 500;
callers try again and it succeeds once the database is back (the writers reconnect by themselves).
"""

from __future__ import annotations

import asyncpg
from sqlalchemy.exc import DBAPIError

from common.errors import Unavailable

#: asyncpg's ways of saying the server or the connection went away (the admin shut it down, it is
#: starting, the socket closed, a transaction's outcome is unknown because the connection died).
_DRIVER_GONE = (
    asyncpg.exceptions.PostgresConnectionError,
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.AdminShutdownError,
    asyncpg.exceptions.CrashShutdownError,
    asyncpg.InterfaceError,
)


def unreachable(error: BaseException, *, sockets: bool = True) -> bool:
    """The database or the connection to it is gone: refuse and let the caller try again.

    ``sockets``: any bare ``OSError``/``TimeoutError`` counts (store code, where nothing else does I/O);
    callers that also see files and other sockets (the HTTP middleware) pass False: then only one raised
    inside the database driver or SQLAlchemy does (the pool's connect lets ``ConnectionRefusedError`` out
    unwrapped), so a missing file is still a 500."""
    if isinstance(error, _DRIVER_GONE):
        return True
    if isinstance(error, (OSError, TimeoutError)) and (sockets or _raised_in_driver(error)):
        return True
    if isinstance(error, DBAPIError):
        return error.connection_invalidated or (error.orig is not None and unreachable(error.orig))
    cause = error.__cause__
    return cause is not None and cause is not error and unreachable(cause, sockets=sockets)


def _raised_in_driver(error: BaseException) -> bool:
    traceback = error.__traceback__
    while traceback is not None:
        module = str(traceback.tb_frame.f_globals.get("__name__", ""))
        if module.startswith(("asyncpg", "sqlalchemy")):
            return True
        traceback = traceback.tb_next
    return False


def store_unavailable() -> Unavailable:
    return Unavailable("unavailable", "数据库暂时不可用，操作未完成，请稍后再试")
