"""Creating the async engine: driver choice, SQLite pragmas, PostgreSQL connection checks."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DisconnectionError,
    InvalidRequestError,
    NoSuchModuleError,
)
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.errors import ConfigError

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 5000
POSTGRES_CONNECT_TIMEOUT_SECONDS = 10
#: A pooled PostgreSQL connection idle longer than this is pinged before use (a server
#: restart or a firewall may have dropped it). Busy connections are not pinged: that
#: saves a round trip on every transaction under load, and a connection that breaks
#: while busy makes SQLAlchemy renew the whole pool.
IDLE_PING_SECONDS = 10.0

SUPPORTED_URLS = "sqlite:///path/to/memberbot.sqlite3 or postgresql://user:password@host/db"

_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+pysqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
    "postgresql+psycopg2": "postgresql+asyncpg",
}


def async_url(url: str) -> URL:
    """Map plain ``sqlite:///`` and ``postgresql://`` URLs to their async drivers.

    A relative SQLite path is relative to the current directory (as everywhere in
    SQLAlchemy) and ``~`` is the home directory; both are made absolute here, so the
    file stays the same whatever the process does later and logs show where it is.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigError(
            f"DATABASE_URL: '{url}' is not a database URL; use {SUPPORTED_URLS}"
        ) from exc
    driver = _ASYNC_DRIVERS.get(parsed.drivername)
    if driver:
        parsed = parsed.set(drivername=driver)
    if parsed.get_backend_name() == "sqlite":
        parsed = _absolute_sqlite_path(parsed)
    return parsed


def _absolute_sqlite_path(url: URL) -> URL:
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return url  # in-memory, or a URI filename SQLite resolves itself
    return url.set(database=str(Path(database).expanduser().absolute()))


def create_engine(url: URL, **kwargs: Any) -> AsyncEngine:
    """The async engine, or one clear ConfigError line when the URL cannot work."""
    scheme = url.drivername
    try:
        return create_async_engine(url, **kwargs)
    except NoSuchModuleError:
        raise ConfigError(
            f"DATABASE_URL: '{scheme}://' is not a database type I know; use {SUPPORTED_URLS}"
        ) from None
    except ImportError as exc:
        missing = getattr(exc, "name", None) or str(exc)
        raise ConfigError(
            f"DATABASE_URL: the driver for '{scheme}://' is not installed "
            f"(missing Python module '{missing}'); install it, or use {SUPPORTED_URLS}"
        ) from None
    except InvalidRequestError as exc:
        # e.g. mysql+pymysql: installed, but not an asyncio driver
        raise ConfigError(
            f"DATABASE_URL: '{scheme}://' needs an asyncio driver ({exc}); use {SUPPORTED_URLS}"
        ) from None


def configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        # WAL lets readers work while one writer commits; busy_timeout waits out locks.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def ping_idle_connections(engine: AsyncEngine) -> None:
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(sync_engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.pop("idle_since", None)
        if idle_since is None or time.monotonic() - idle_since < IDLE_PING_SECONDS:
            return
        try:
            sync_engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:
            # The pool discards this connection and checks out (or opens) another.
            raise DisconnectionError(f"stale pooled connection: {exc}") from exc
