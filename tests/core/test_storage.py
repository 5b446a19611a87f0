from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from bot.errors import ConfigError, StorageUnavailable
from bot.members import ensure_member, ensure_members
from bot.requests import UserRef
from bot.storage import Database, async_url
from bot.storage.models import Member
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
        first = await ensure_member(session, alice, now=now)
    renamed = UserRef("slack", "T1", "U1", "Alice Liddell")
    same_name_other_person = UserRef("slack", "T1", "U2", "alice")
    async with database.session() as session:
        found = await ensure_members(
            session, [renamed, same_name_other_person], now=now + timedelta(days=1)
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
            await ensure_member(session, UserRef("c", "w", "u"), now=datetime(2026, 1, 1))


async def test_times_come_back_as_utc(database: Database) -> None:
    chicago_noon = datetime(2026, 3, 8, 12, 0, tzinfo=timezone(timedelta(hours=-5)))
    async with database.session() as session:
        await ensure_member(session, UserRef("c", "w", "u"), now=chicago_noon)
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
