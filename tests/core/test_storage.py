"""Storage: URLs and drivers, members, times, migrations, pruning of delivery ids."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.clock import FixedClock
from bot.core import BotCore
from bot.delivery_ids import KEEP_DELIVERY_IDS, PruneDeliveryIds
from bot.errors import ConfigError, StorageUnavailable, UserError
from bot.requests import UserRef
from bot.runner import background_services
from bot.storage import Database, async_url
from bot.storage.models import Member, ProcessedDelivery
from bot.storage.repositories.deliveries import claim_delivery, prune_processed_deliveries
from bot.storage.repositories.members import MemberRepository
from tests.support.databases import postgres_schema, require_postgres


def test_plain_urls_map_to_async_drivers() -> None:
    assert async_url("sqlite:///var/x.db").drivername == "sqlite+aiosqlite"
    assert async_url("postgresql://u@h/db").drivername == "postgresql+asyncpg"
    assert async_url("postgresql+asyncpg://u@h/db").drivername == "postgresql+asyncpg"
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        async_url("not a url")


async def test_members_keyed_by_platform_identity_and_names_refresh(database: Database) -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    alice = UserRef("slack", "T1", "U1", "alice")
    async with database.session() as session:
        first = await MemberRepository(session).ensure(alice, now=now)
    renamed = UserRef("slack", "T1", "U1", "Alice Liddell")
    same_name_other_person = UserRef("slack", "T1", "U2", "alice")
    async with database.session() as session:
        found = await MemberRepository(session).ensure_many(
            [renamed, same_name_other_person], now=now + timedelta(days=1)
        )
    assert found[renamed.key].id == first.id
    assert found[renamed.key].display_name == "Alice Liddell"
    assert found[same_name_other_person.key].id != first.id
    async with database.session() as session:
        stored = (await session.scalars(select(Member).order_by(Member.id))).all()
    assert [m.display_name for m in stored] == ["Alice Liddell", "alice"]
    assert stored[0].last_seen == now + timedelta(days=1)
    assert stored[0].first_seen == now


async def test_naive_datetimes_are_refused(sqlite_database: Database) -> None:
    with pytest.raises(Exception, match="naive datetime"):
        async with sqlite_database.session() as session:
            await MemberRepository(session).ensure(UserRef("c", "w", "u"), now=datetime(2026, 1, 1))


async def test_times_come_back_as_utc(database: Database) -> None:
    chicago_noon = datetime(2026, 3, 8, 12, 0, tzinfo=timezone(timedelta(hours=-5)))
    async with database.session() as session:
        await MemberRepository(session).ensure(UserRef("c", "w", "u"), now=chicago_noon)
    async with database.session() as session:
        member = await session.scalar(select(Member))
    assert member is not None
    assert member.first_seen == chicago_noon
    assert member.first_seen.tzinfo is not None and member.first_seen.utcoffset() == timedelta(0)


async def test_database_down_is_storage_unavailable() -> None:
    database = Database(url="postgresql://nobody@127.0.0.1:1/none")
    with pytest.raises(StorageUnavailable):
        await database.upgrade()
    with pytest.raises(StorageUnavailable):
        async with database.session() as session:
            await session.execute(select(Member))
    await database.dispose()


async def test_migrations_are_idempotent(database: Database) -> None:
    await database.upgrade()
    await database.upgrade()


async def test_workers_starting_together_migrate_once() -> None:
    url = require_postgres()
    async with postgres_schema(url) as schema:
        workers = [Database(url=url, schema=schema) for _ in range(4)]
        try:
            await asyncio.gather(*(worker.upgrade() for worker in workers))
            async with workers[0].session() as session:
                assert (await session.scalars(select(Member))).all() == []
        finally:
            for worker in workers:
                await worker.dispose()


@pytest.mark.parametrize(
    ("url", "named"),
    [
        ("mysql://x/y", "'mysql://'"),
        ("mysql+aiomysql://u:secret@x/y", "'aiomysql'"),
        ("oracle://x/y", "'oracledb'"),
    ],
)
def test_a_missing_database_driver_is_a_config_error_naming_it(url: str, named: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Database(url=url)
    message = str(caught.value)
    assert message.startswith("DATABASE_URL: the driver for")
    assert "not installed" in message and named in message
    assert "secret" not in message


def test_an_unknown_database_type_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"DATABASE_URL: 'nosuchdb://' is not a database type"):
        Database(url="nosuchdb://x/y")


def test_sqlite_paths_are_made_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert async_url("sqlite:///relative.db").database == str(tmp_path / "relative.db")
    assert async_url("sqlite:///var/x.db").database == str(tmp_path / "var" / "x.db")
    assert async_url("sqlite:///~/bot.db").database == str(tmp_path / "home" / "bot.db")
    assert async_url("sqlite:////abs/bot.db").database == "/abs/bot.db"
    assert async_url("sqlite://").database is None  # in memory, untouched
    assert async_url("sqlite+pysqlite:///x.db").drivername == "sqlite+aiosqlite"


async def test_a_relative_sqlite_url_opens_a_file_in_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    database = Database(url="sqlite:///data/relative.db")
    try:
        await database.upgrade()
        monkeypatch.chdir("/")  # the file stays where it was opened
        async with database.session() as session:
            await MemberRepository(session).ensure(UserRef("c", "w", "u"), now=datetime.now(UTC))
    finally:
        await database.dispose()
    assert (tmp_path / "data" / "relative.db").is_file()


async def test_old_delivery_ids_are_pruned(database: Database) -> None:
    now = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
    ages = {"fresh": timedelta(minutes=5), "day-old": timedelta(hours=23), "old": timedelta(days=2)}
    async with database.session() as session:
        session.add_all(
            ProcessedDelivery(
                platform="slack", delivery_id=name, command="kudos", received_at=now - age
            )
            for name, age in ages.items()
        )
    assert await prune_processed_deliveries(database, now=now, keep=KEEP_DELIVERY_IDS) == 1
    assert await prune_processed_deliveries(database, now=now, keep=KEEP_DELIVERY_IDS) == 0
    async with database.session() as session:
        kept = set(await session.scalars(select(ProcessedDelivery.delivery_id)))
    assert kept == {"fresh", "day-old"}


async def test_the_pruning_service_runs_at_start(core: BotCore, clock: FixedClock) -> None:
    async with core.database.session() as session:
        session.add(
            ProcessedDelivery(
                platform="console",
                delivery_id="old",
                command="ask",
                received_at=clock.now() - timedelta(days=3),
            )
        )
    assert any(isinstance(service, PruneDeliveryIds) for service in background_services(core))
    pruning = PruneDeliveryIds(database=core.database, clock=core.clock, first_delay=0)
    task = asyncio.create_task(pruning.run())
    try:
        for _ in range(500):  # wait for the first pass, not for a time
            async with core.database.session() as session:
                if await session.scalar(select(ProcessedDelivery.delivery_id)) is None:
                    break
            await asyncio.sleep(0.01)
    finally:
        task.cancel()
    async with core.database.session() as session:
        assert await session.scalar(select(ProcessedDelivery.delivery_id)) is None


async def test_writes_arriving_together_share_a_transaction(database: Database) -> None:
    batches: list[list[int]] = []

    async def write(connection: AsyncConnection, items: list[int]) -> list[int | Exception]:
        batches.append(items)
        await connection.execute(select(1))
        return [UserError(f"no {item}") if item == 3 else item * 10 for item in items]

    writes = database.batcher("test", write)
    results = await asyncio.gather(
        *(writes.submit(item) for item in range(6)), return_exceptions=True
    )
    assert [str(r) if isinstance(r, Exception) else r for r in results] == [
        0,
        10,
        20,
        "no 3",
        40,
        50,
    ]
    # all six arrived before the first transaction began: one transaction
    assert batches == [[0, 1, 2, 3, 4, 5]]
    assert await writes.submit(7) == 70  # later writes start a new one
    assert batches[-1] == [7]


async def test_a_failed_batch_fails_each_of_its_writes(database: Database) -> None:
    async def write(connection: AsyncConnection, items: list[int]) -> list[int | Exception]:
        raise StorageUnavailable("database is locked")

    writes = database.batcher("failing", write)
    results = await asyncio.gather(*(writes.submit(i) for i in range(3)), return_exceptions=True)
    assert all(isinstance(r, StorageUnavailable) for r in results)
    await writes.settled()


async def test_duplicate_delivery_ids_in_one_batch_are_claimed_once(database: Database) -> None:
    now = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
    claims = await asyncio.gather(
        *(
            claim_delivery(database, platform="slack", delivery_id=d, command="kudos", now=now)
            for d in ("a", "b", "a", "c", "b", "a")
        )
    )
    assert claims == [True, True, False, True, False, False]
    again = await claim_delivery(database, platform="slack", delivery_id="c", command="x", now=now)
    assert again is False
