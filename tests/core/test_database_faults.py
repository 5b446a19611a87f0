"""Database faults are sorted by error class and SQLSTATE, never by message words:
a PostgreSQL that is starting up is "unavailable" (wait at start, apologise at run
time), a database that does not exist is a setting to fix."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import asyncpg.exceptions as pg
import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from bot.clock import FixedClock
from bot.config import Settings
from bot.core import STORAGE_APOLOGY, BotCore
from bot.errors import ConfigError, StorageUnavailable
from bot.knowledge_store import KnowledgeStore
from bot.requests import Request, UserRef
from bot.storage import Database
from bot.storage.errors import Failure, classify
from bot.storage.models import Member
from tests.fakes.fake_postgres import fake_postgres
from tests.support.databases import require_postgres

ALICE = UserRef("console", "local", "alice", "Alice")


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (pg.CannotConnectNowError("the database system is starting up"), Failure.UNAVAILABLE),
        # the same class in the server's language: still unavailable
        (pg.CannotConnectNowError("das Datenbanksystem startet"), Failure.UNAVAILABLE),
        (pg.AdminShutdownError("terminating connection"), Failure.UNAVAILABLE),
        (pg.TooManyConnectionsError("sorry, too many clients already"), Failure.UNAVAILABLE),
        (pg.ConnectionDoesNotExistError("connection was closed"), Failure.UNAVAILABLE),
        (ConnectionRefusedError(111, "Connect call failed"), Failure.UNAVAILABLE),
        (pg.InvalidCatalogNameError('database "nope" does not exist'), Failure.SETTINGS),
        (pg.InvalidPasswordError("password authentication failed"), Failure.SETTINGS),
        # words that used to count as an outage, in errors that are not one
        (pg.UndefinedTableError('relation "connection_timeout" does not exist'), Failure.OTHER),
        (pg.UniqueViolationError("duplicate key: locked"), Failure.OTHER),
    ],
)
def test_postgres_errors_are_classified_by_class_and_sqlstate(
    error: Exception, expected: Failure
) -> None:
    assert classify(error) is expected


def test_sqlite_errors_are_classified_by_result_code(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite3"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("CREATE TABLE t (x)")
    writer.execute("BEGIN EXCLUSIVE")
    other = sqlite3.connect(path, timeout=0)
    with pytest.raises(sqlite3.OperationalError) as busy:
        other.execute("INSERT INTO t VALUES (1)")
    writer.execute("ROLLBACK")
    read_only = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as refused:
        read_only.execute("INSERT INTO t VALUES (1)")
    with pytest.raises(sqlite3.OperationalError) as no_table:
        other.execute("SELECT * FROM connection_locked")  # words again, but a bug
    for connection in (writer, other, read_only):
        connection.close()
    assert classify(busy.value) is Failure.UNAVAILABLE
    assert classify(refused.value) is Failure.SETTINGS
    assert classify(no_table.value) is Failure.OTHER


async def test_a_server_starting_up_is_unavailable_through_sqlalchemy() -> None:
    async with fake_postgres() as fake:
        database = Database(url=fake.url)
        try:
            with pytest.raises(StorageUnavailable) as caught:
                async with database.session() as session:
                    await session.execute(select(Member))
        finally:
            await database.dispose()
    message = str(caught.value)
    assert "is starting up (SQLSTATE 57P03)" in message
    assert "\n" not in message


async def test_start_waits_for_a_starting_server_then_gives_up_in_one_line() -> None:
    async with fake_postgres() as fake:
        database = Database(url=fake.url, start_timeout=1.0)
        started = time.monotonic()
        try:
            with pytest.raises(StorageUnavailable) as caught:
                await database.upgrade()
        finally:
            await database.dispose()
        waited = time.monotonic() - started
    assert fake.connections >= 2  # it tried again
    assert waited >= 1.0
    assert str(caught.value).endswith("is starting up (SQLSTATE 57P03); gave up after 1 s")


async def test_a_database_that_does_not_exist_is_a_setting_error_at_start() -> None:
    async with fake_postgres(("3D000", 'database "members" does not exist')) as fake:
        database = Database(url=fake.url, start_timeout=5.0)
        started = time.monotonic()
        try:
            with pytest.raises(ConfigError) as caught:
                await database.upgrade()
        finally:
            await database.dispose()
        assert time.monotonic() - started < 2  # no waiting: it will not appear by itself
    assert str(caught.value).startswith("DATABASE_URL: the database 'test' does not exist")


async def test_kudos_while_the_server_starts_up_gets_the_database_apology(
    settings: Settings, clock: FixedClock, frozen_knowledge: KnowledgeStore
) -> None:
    async with fake_postgres() as fake:
        database = Database(url=fake.url)
        core = BotCore(
            settings=settings, database=database, knowledge=frozen_knowledge, clock=clock
        )
        try:
            reply = await core.handle(
                Request(
                    platform="console",
                    workspace_id="local",
                    channel_id="console",
                    sender=ALICE,
                    command="kudos",
                    text="@bob for the agenda",
                    delivery_id="evt-1",
                )
            )
        finally:
            await database.dispose()
    assert reply is not None and reply.text == STORAGE_APOLOGY


def test_sqlite_never_creates_directories_outside_the_data_dir(tmp_path: Path) -> None:
    elsewhere = tmp_path / "nonexistent" / "dir"
    with pytest.raises(ConfigError, match=r"^DATABASE_URL: the directory .* does not exist"):
        Database(url=f"sqlite:///{elsewhere / 'x.db'}", data_dir=tmp_path / "var")
    assert not (tmp_path / "nonexistent").exists()
    Database(url=f"sqlite:///{tmp_path / 'var' / 'x.db'}", data_dir=tmp_path / "var")
    assert (tmp_path / "var").is_dir()  # DATA_DIR itself is made on first use


def test_a_data_dir_that_is_a_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "var").write_text("not a directory")
    with pytest.raises(ConfigError, match=r"^DATA_DIR: .*var is a file, not a directory$"):
        Database(url=f"sqlite:///{tmp_path / 'var' / 'x.db'}", data_dir=tmp_path / "var")


async def test_a_missing_database_on_a_real_server_is_a_setting_error() -> None:
    url = make_url(require_postgres()).set(database="memberbot_no_such_database")
    database = Database(url=url.render_as_string(hide_password=False), start_timeout=5.0)
    try:
        with pytest.raises(ConfigError, match="'memberbot_no_such_database' does not exist"):
            await database.upgrade()
    finally:
        await database.dispose()
