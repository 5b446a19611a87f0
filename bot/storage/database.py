"""The database: sessions, units of work and the start-up migration, on SQLite
(default) or PostgreSQL.

Features use :meth:`Database.unit_of_work` only. :meth:`Database.transaction`,
:meth:`Database.single_statement` and :meth:`Database.batcher` serve the hot paths
inside the repositories (``bot/storage/repositories``); :meth:`Database.session` is
what a unit of work wraps (and what tests set rows up with).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import (
    AbstractAsyncContextManager,
    asynccontextmanager,
    contextmanager,
    nullcontext,
)
from pathlib import Path
from typing import Any

from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from bot.errors import ConfigError, StorageUnavailable
from bot.storage.batching import BatchWrite, ItemT, ResultT, WriteBatcher
from bot.storage.engine import (
    POSTGRES_CONNECT_TIMEOUT_SECONDS,
    SQLITE_BUSY_TIMEOUT_MS,
    async_url,
    configure_sqlite,
    create_engine,
    ping_idle_connections,
)
from bot.storage.errors import Failure, classify, describe_failure
from bot.storage.migrate import run_alembic_upgrade, schema_is_current
from bot.storage.sqlite_files import check_sqlite_location
from bot.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

#: Waits between attempts while the database comes up at start (doubling to the last).
START_RETRY_DELAYS = (0.5, 1.0, 2.0, 4.0)
#: Errors a database operation may raise that :func:`classify` sorts into outages,
#: setting problems and the rest (asyncpg's connect errors arrive wrapped in DBAPIError;
#: refused or timed-out connections as OSError).
_DATABASE_ERRORS = (DBAPIError, OSError, DisconnectionError)

#: How long closing the database waits for writes in flight, and how often it looks.
CLOSE_TIMEOUT_SECONDS = 10.0
IDLE_POLL_SECONDS = 0.02


class Database:
    """Owns the async engine and hands out sessions (and, for hot paths, connections)."""

    def __init__(
        self,
        *,
        url: str,
        echo: bool = False,
        schema: str | None = None,
        data_dir: Path | None = None,
        start_timeout: float = 0.0,
    ) -> None:
        """Create the engine.

        Args:
            url: Any SQLAlchemy URL; plain sqlite/postgresql URLs get async drivers.
            echo: Log every SQL statement.
            schema: PostgreSQL only: the schema to use as search_path (test isolation,
                several associations on one server).
            data_dir: The one directory a SQLite file may be created in if it is
                missing (``DATA_DIR``); any other missing directory is a setting error.
            start_timeout: How long :meth:`upgrade` waits for a database that is
                unavailable (starting up, restarting, refusing connections) before
                giving up.

        Raises:
            ConfigError: the URL cannot work, or a SQLite file's directory is
                missing, not a directory or not writable.
        """
        self.url = async_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        self.start_timeout = start_timeout
        kwargs: dict[str, Any] = {"echo": echo}
        if self.is_sqlite:
            check_sqlite_location(self.url, data_dir)
            kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        else:
            kwargs.update(pool_size=10, max_overflow=20)
            connect_args: dict[str, Any] = {}
            if self.url.drivername.endswith("+asyncpg"):
                # A server that never answers: fail in seconds, not asyncpg's default 60.
                connect_args["timeout"] = POSTGRES_CONNECT_TIMEOUT_SECONDS
            if schema:
                connect_args["server_settings"] = {"search_path": schema}
            kwargs["connect_args"] = connect_args
        self.engine = create_engine(self.url, **kwargs)
        if self.is_sqlite:
            configure_sqlite(self.engine)
            log.debug("SQLite database", extra={"path": self.url.database or ":memory:"})
        else:
            ping_idle_connections(self.engine)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # SQLite has one writer at a time: this process's hot-path writers queue here
        # (first come, first served) instead of polling the file lock with busy sleeps.
        self._sqlite_writer = asyncio.Lock() if self.is_sqlite else None
        self._autocommit = self.engine.execution_options(isolation_level="AUTOCOMMIT")
        self._batchers: dict[str, WriteBatcher[Any, Any]] = {}

    @property
    def dialect(self) -> str:
        return self.url.get_backend_name()

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[UnitOfWork]:
        """One transaction for a feature's reads and writes, through its repositories.

        Commits when the block ends without an error, rolls back otherwise; storage
        outages become :class:`StorageUnavailable`. This is the one way into the
        database outside ``bot/storage``.
        """
        async with self.session() as session:
            yield UnitOfWork(session)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session in a transaction, committed on success; storage outages become
        :class:`StorageUnavailable`."""
        with self._storage_errors():
            async with self.sessions() as session, session.begin():
                yield session

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncConnection]:
        """A Core connection in one transaction, committed on success: for the hot
        paths (every kudos), where an ORM session's bookkeeping is pure cost.

        On SQLite, transactions opened here run one at a time in this process. Never
        open another one (or wait on something that does) inside it.
        """
        writer: AbstractAsyncContextManager[Any] = self._sqlite_writer or nullcontext()
        with self._storage_errors():
            async with writer, self.engine.begin() as connection:
                yield connection

    @asynccontextmanager
    async def single_statement(self) -> AsyncIterator[AsyncConnection]:
        """A connection for exactly one statement, for the hot paths.

        PostgreSQL runs it in autocommit mode: no BEGIN and COMMIT round trips, and
        one statement is atomic anyway. SQLite (where autocommit saves nothing) gets
        a :meth:`transaction`.
        """
        if self.is_sqlite:
            async with self.transaction() as connection:
                yield connection
            return
        with self._storage_errors():
            async with self._autocommit.connect() as connection:
                yield connection

    def batcher(
        self,
        name: str,
        write: BatchWrite[ItemT, ResultT],
        *,
        single_statement: bool = False,
        max_batch: int = 100,
    ) -> WriteBatcher[ItemT, ResultT]:
        """This database's :class:`WriteBatcher` called ``name`` (made on first use).

        Args:
            name: One per kind of write; every caller of one name shares its batches.
            write: Writes one batch (see :data:`~bot.storage.batching.BatchWrite`).
            single_statement: ``write`` runs one statement, so it may autocommit.
            max_batch: Most items per transaction.
        """
        found = self._batchers.get(name)
        if found is None:
            found = WriteBatcher(
                open_transaction=self.single_statement if single_statement else self.transaction,
                write=write,
                max_batch=max_batch,
            )
            self._batchers[name] = found
        return found

    @contextmanager
    def _storage_errors(self) -> Iterator[None]:
        """Storage outages (locked, unreachable, starting up, connection lost) ->
        StorageUnavailable, decided by error class and SQLSTATE/result code.

        A database that became unusable for setup reasons while running (dropped,
        read-only, credentials revoked) is unavailable too for the member asking;
        the log says which.
        """
        try:
            yield
        except _DATABASE_ERRORS as exc:
            failure = classify(exc)
            if failure is Failure.OTHER:
                raise
            reason = describe_failure(exc, self.url, failure)
            log.warning("storage unavailable: %s", reason, extra={"db": self.dialect})
            raise StorageUnavailable(reason) from exc

    async def upgrade(self) -> None:
        """Apply every Alembic migration not yet applied (safe to run at each start).

        A database already at :data:`SCHEMA_HEADS` costs a look at its version table;
        only one behind (or new) loads Alembic and migrates. An unavailable database
        (a PostgreSQL container still starting beside the bot, say) is tried again
        for up to ``start_timeout`` seconds.

        Raises:
            StorageUnavailable: still unavailable when the time is up (one line).
            ConfigError: the database does not exist, refuses the credentials, or
                is read-only (one line naming the setting).
        """
        deadline = time.monotonic() + self.start_timeout
        delays = iter(START_RETRY_DELAYS)
        delay = START_RETRY_DELAYS[0]
        while True:
            try:
                await self._upgrade_once()
                return
            except _DATABASE_ERRORS as exc:
                failure = classify(exc)
                if failure is Failure.OTHER:
                    raise
                reason = describe_failure(exc, self.url, failure)
                if failure is Failure.SETTINGS:
                    raise ConfigError(reason) from None
                left = deadline - time.monotonic()
                if left <= 0:
                    if self.start_timeout:
                        reason += f"; gave up after {self.start_timeout:g} s"
                    raise StorageUnavailable(reason) from None
                delay = min(next(delays, delay), left)
                log.warning(
                    "database not ready, trying again in %.1f s: %s",
                    delay,
                    reason,
                    extra={"db": self.dialect},
                )
                await asyncio.sleep(delay)

    async def _upgrade_once(self) -> None:
        async with self.engine.begin() as connection:
            if await connection.run_sync(schema_is_current):
                return
            await connection.run_sync(run_alembic_upgrade)

    async def schema_is_current(self) -> bool:
        """True when every migration is applied (the database is at :data:`SCHEMA_HEADS`)."""
        with self._storage_errors():
            async with self.engine.connect() as connection:
                return await connection.run_sync(schema_is_current)

    async def dispose(self, *, timeout: float = CLOSE_TIMEOUT_SECONDS) -> None:
        """Close every connection, once queued writes are written and sessions closed.

        Waits (at most ``timeout`` seconds) for batched writes to settle and for
        every checked-out connection to come back: disposing the engine under a
        session that is still closing would leave that close waiting forever.
        """
        try:
            async with asyncio.timeout(timeout):
                for batcher in list(self._batchers.values()):
                    await batcher.settled()
                while self._connections_in_use():
                    await asyncio.sleep(IDLE_POLL_SECONDS)
        except TimeoutError:
            log.warning(
                "closing the database with work still in flight",
                extra={"db": self.dialect, "connections_in_use": self._connections_in_use()},
            )
        finally:
            await self.engine.dispose()

    def _connections_in_use(self) -> int:
        checked_out = getattr(self.engine.pool, "checkedout", None)
        return checked_out() if checked_out is not None else 0
