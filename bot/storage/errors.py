"""Which database errors mean "unavailable, try again later", and which mean "the
settings are wrong", decided by error class and SQLSTATE / SQLite result code.

Never by the words of the message: servers translate them (``lc_messages``) and
drivers reword them between versions.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from enum import Enum

from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, DisconnectionError


class Failure(Enum):
    """What a database error means for the caller."""

    UNAVAILABLE = "unavailable"  # down, starting, restarting, locked: retry later
    SETTINGS = "settings"  # no such database, wrong password, read-only file: fix the setup
    OTHER = "other"  # a bug or a data problem: not an outage


#: SQLSTATE classes and codes of a server that cannot serve right now (PostgreSQL
#: appendix A): connection exceptions, insufficient resources, operator intervention
#: (shutting down, starting up), system errors (I/O), and a query cancelled by a timeout.
_UNAVAILABLE_SQLSTATE_CLASSES = frozenset({"08", "53", "58"})
_UNAVAILABLE_SQLSTATES = frozenset({"57P01", "57P02", "57P03", "57P04", "57P05", "57014"})
#: A database that does not exist, or credentials the server refuses.
_SETTINGS_SQLSTATES = frozenset({"3D000", "28000", "28P01"})

#: SQLite primary result codes of a database that is busy or cannot be read right now.
_SQLITE_UNAVAILABLE = frozenset(
    {
        sqlite3.SQLITE_BUSY,
        sqlite3.SQLITE_LOCKED,
        sqlite3.SQLITE_NOMEM,
        sqlite3.SQLITE_IOERR,
        sqlite3.SQLITE_FULL,
        sqlite3.SQLITE_CANTOPEN,
        sqlite3.SQLITE_PROTOCOL,
    }
)
#: SQLite result codes that only a change of setup (permissions, path) can cure.
_SQLITE_SETTINGS = frozenset(
    {sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH, sqlite3.SQLITE_NOTADB}
)


def classify(error: BaseException) -> Failure:
    """What ``error`` (raised by SQLAlchemy, a driver or the network) means.

    Looks through SQLAlchemy's wrapper and the driver's own exception chain, so the
    same asyncpg error is classified alike whether it came wrapped or bare.
    """
    for cause in _chain(error):
        sqlstate = _sqlstate(cause)
        if sqlstate:
            if sqlstate in _SETTINGS_SQLSTATES:
                return Failure.SETTINGS
            if sqlstate in _UNAVAILABLE_SQLSTATES or sqlstate[:2] in _UNAVAILABLE_SQLSTATE_CLASSES:
                return Failure.UNAVAILABLE
            return Failure.OTHER
        if isinstance(cause, sqlite3.Error) and getattr(cause, "sqlite_errorcode", None):
            primary = cause.sqlite_errorcode & 0xFF
            if primary in _SQLITE_SETTINGS:
                return Failure.SETTINGS
            return Failure.UNAVAILABLE if primary in _SQLITE_UNAVAILABLE else Failure.OTHER
        if isinstance(cause, (OSError, TimeoutError, DisconnectionError)):
            return Failure.UNAVAILABLE  # refused, reset, unreachable, timed out
        if isinstance(cause, DBAPIError) and cause.connection_invalidated:
            return Failure.UNAVAILABLE  # the dialect saw the connection drop
    return Failure.OTHER


#: Plain words for the SQLSTATEs a starting or misconfigured server sends most.
_SQLSTATE_WORDS = {
    "57P03": "is starting up",
    "57P01": "is shutting down",
    "57P02": "restarted after a crash",
    "53300": "has too many connections",
    "57014": "cancelled the query (timeout)",
}


def describe_failure(error: BaseException, url: URL, failure: Failure) -> str:
    """One line for logs and stderr: which database, what is wrong, the SQLSTATE.

    The password in ``url`` is never shown.
    """
    sqlstate = sqlstate_of(error)
    detail = _innermost_message(error)
    if url.get_backend_name() == "sqlite":
        where = f"SQLite file {url.database or ':memory:'}"
        if failure is Failure.SETTINGS:
            return f"DATABASE_URL/DATA_DIR: cannot use the {where}: {detail}"
        return f"the {where} is unavailable: {detail}"
    server = f"PostgreSQL at {url.host or 'localhost'}:{url.port or 5432}"
    code = f" (SQLSTATE {sqlstate})" if sqlstate else ""
    if sqlstate == "3D000":
        return (
            f"DATABASE_URL: the database '{url.database}' does not exist on {server}; "
            f"create it (createdb {url.database}) or fix the name"
        )
    if failure is Failure.SETTINGS:
        return f"DATABASE_URL: {server} refused user '{url.username}': {detail}{code}"
    words = _SQLSTATE_WORDS.get(sqlstate or "")
    if words:
        return f"{server} {words}{code}"
    return f"cannot reach {server}: {detail}{code}"


def _innermost_message(error: BaseException) -> str:
    """The driver's own message (first line), without SQLAlchemy's wrapping."""
    causes = list(_chain(error))
    text = str(causes[-1]).strip() or type(causes[-1]).__name__
    return text.splitlines()[0]


def sqlstate_of(error: BaseException) -> str | None:
    """The first SQLSTATE anywhere in ``error``'s chain, if any."""
    for cause in _chain(error):
        if code := _sqlstate(cause):
            return code
    return None


def _chain(error: BaseException) -> Iterator[BaseException]:
    """``error``, then what it wraps (``.orig``, ``__cause__``), once each."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        wrapped = getattr(current, "orig", None)
        if isinstance(wrapped, BaseException) and id(wrapped) not in seen:
            current = wrapped
        else:
            # __cause__ only: an error raised while handling another is not caused by it
            current = current.__cause__


def _sqlstate(error: BaseException) -> str | None:
    # asyncpg's exception classes (CannotConnectNowError: 57P03, ConnectionDoesNotExistError:
    # 08003, ...) and SQLAlchemy's adapted ones carry ``sqlstate``; psycopg has ``pgcode``.
    code = getattr(error, "sqlstate", None) or getattr(error, "pgcode", None)
    return code if isinstance(code, str) and len(code) == 5 else None
