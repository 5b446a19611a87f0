"""Engine, sessions and migrations for SQLite (default) and PostgreSQL."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    InvalidRequestError,
    NoSuchModuleError,
    OperationalError,
)
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.errors import ConfigError, StorageUnavailable

log = logging.getLogger(__name__)

#: Arbitrary constant naming the PostgreSQL advisory lock that serialises migrations.
MIGRATION_LOCK_KEY = 7_415_020_301

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 5000

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


def _create_engine(url: URL, **kwargs: Any) -> AsyncEngine:
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


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        # WAL lets readers work while one writer commits; busy_timeout waits out locks.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


class Database:
    """Owns the async engine and hands out sessions."""

    def __init__(self, *, url: str, echo: bool = False, schema: str | None = None) -> None:
        """Create the engine.

        Args:
            url: Any SQLAlchemy URL; plain sqlite/postgresql URLs get async drivers.
            echo: Log every SQL statement.
            schema: PostgreSQL only: the schema to use as search_path (test isolation,
                several associations on one server).
        """
        self.url = async_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        kwargs: dict[str, Any] = {"echo": echo}
        if self.is_sqlite:
            self._ensure_sqlite_dir()
            kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        else:
            kwargs.update(pool_size=10, max_overflow=20, pool_pre_ping=True)
            if schema:
                kwargs["connect_args"] = {"server_settings": {"search_path": schema}}
        self.engine = _create_engine(self.url, **kwargs)
        if self.is_sqlite:
            _configure_sqlite(self.engine)
            log.info("SQLite database", extra={"path": self.url.database or ":memory:"})
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    def _ensure_sqlite_dir(self) -> None:
        database = self.url.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)

    @property
    def dialect(self) -> str:
        return self.url.get_backend_name()

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session in a transaction, committed on success; storage outages become
        :class:`StorageUnavailable`."""
        try:
            async with self.sessions() as session, session.begin():
                yield session
        except (OperationalError, DBAPIError, OSError) as exc:
            if isinstance(exc, DBAPIError) and not _is_unavailable(exc):
                raise
            log.warning("storage unavailable: %s", exc, extra={"db": self.dialect})
            raise StorageUnavailable(str(exc)) from exc

    async def upgrade(self) -> None:
        """Apply every Alembic migration not yet applied (safe to run at each start)."""
        try:
            async with self.engine.begin() as connection:
                await connection.run_sync(_run_alembic_upgrade)
        except (OperationalError, OSError) as exc:
            raise StorageUnavailable(f"cannot migrate the database: {exc}") from exc

    async def dispose(self) -> None:
        await self.engine.dispose()


def _is_unavailable(exc: DBAPIError) -> bool:
    if isinstance(exc, OperationalError) or exc.connection_invalidated:
        return True
    text = str(exc.orig).lower()
    return any(word in text for word in ("locked", "connection", "could not connect", "timeout"))


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _run_alembic_upgrade(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        # Several workers may start at once: one migrates, the others wait, then find
        # nothing left to do. The lock is released when this transaction ends.
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
    command.upgrade(alembic_config(connection), "heads")
