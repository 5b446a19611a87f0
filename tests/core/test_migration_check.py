"""The start-up migration check: a current database skips Alembic, any other migrates."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect

from bot.storage.migrate import SCHEMA_HEADS, alembic_config
from tests.support.databases import unmigrated_database, upgrade_to


def test_schema_heads_name_the_newest_migrations() -> None:
    heads = set(ScriptDirectory.from_config(alembic_config()).get_heads())
    assert heads == SCHEMA_HEADS, (
        f"bot/storage/migrate.py SCHEMA_HEADS is {sorted(SCHEMA_HEADS)} but the newest "
        f"migrations are {sorted(heads)}: add the new migration's revision there"
    )


def _columns(connection: Connection, table: str) -> set[str]:
    return {column["name"] for column in inspect(connection).get_columns(table)}


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
async def test_a_new_database_is_migrated_then_current(kind: str, tmp_path: Path) -> None:
    async with unmigrated_database(kind, tmp_path) as database:
        assert not await database.schema_is_current()
        await database.upgrade()
        assert await database.schema_is_current()
        await database.upgrade()  # current: nothing to do
        assert await database.schema_is_current()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
async def test_a_database_behind_the_newest_migration_is_migrated(
    kind: str, tmp_path: Path
) -> None:
    async with unmigrated_database(kind, tmp_path) as database:
        async with database.engine.begin() as connection:
            await connection.run_sync(upgrade_to, "0002")
        assert not await database.schema_is_current()
        await database.upgrade()
        assert await database.schema_is_current()
        async with database.engine.connect() as connection:
            columns = await connection.run_sync(_columns, "thank_you_notes")
        assert {"attempts", "next_attempt_at"} <= columns  # added by 0005
