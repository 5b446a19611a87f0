"""Migrations against the models, for every table, on SQLite and PostgreSQL.

* After ``upgrade head`` the database is what the models declare (autogenerate finds
  nothing to write), so a model change without its migration fails here.
* Every migration can be undone: walking the history one step at a time, each
  downgrade gives back exactly the schema the step started from, and applying the step
  again works. Then everything is undone to an empty database and built again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect

from bot.storage.database import VERSION_TABLE, alembic_config
from bot.storage.models import Base
from tests.support.databases import downgrade_to, unmigrated_database, upgrade_to

KINDS = ["sqlite", "postgresql"]


def _revisions() -> list[tuple[str, str]]:
    """Every revision, oldest first, with the target that undoes it alone: ``R@D``
    takes R's branch back to D, its (first) parent, leaving other branches alone."""
    script = ScriptDirectory.from_config(alembic_config())
    steps = []
    for revision in reversed(list(script.walk_revisions())):
        parents = revision.down_revision
        parent = (parents[0] if isinstance(parents, tuple) else parents) or "base"
        steps.append((revision.revision, f"{revision.revision}@{parent}"))
    return steps


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "compare_server_default": False}
    )
    return list(compare_metadata(context, Base.metadata))


def _schema(connection: Connection) -> dict[str, Any]:
    """Every table's columns, keys, indexes and constraints, comparable (read with one
    query per kind of thing, not per table: PostgreSQL's catalogue is slow to walk)."""
    inspector = inspect(connection)
    columns = inspector.get_multi_columns()
    primary_keys = inspector.get_multi_pk_constraint()
    indexes = inspector.get_multi_indexes()
    uniques = inspector.get_multi_unique_constraints()
    foreign_keys = inspector.get_multi_foreign_keys()
    schema: dict[str, Any] = {}
    for key in sorted(columns, key=lambda key: key[1]):
        table = key[1]
        if table == VERSION_TABLE:
            continue
        schema[table] = {
            "columns": [(c["name"], str(c["type"]), c["nullable"]) for c in columns[key]],
            "primary_key": primary_keys[key]["constrained_columns"],
            "indexes": sorted(
                (i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in indexes[key]
            ),
            "unique": sorted(tuple(u["column_names"]) for u in uniques[key]),
            "foreign_keys": sorted(
                (
                    tuple(f["constrained_columns"]),
                    f["referred_table"],
                    tuple(f["referred_columns"]),
                    (f.get("options") or {}).get("ondelete"),
                )
                for f in foreign_keys[key]
            ),
        }
    return schema


@pytest.mark.parametrize("kind", KINDS)
async def test_the_migrated_schema_is_what_the_models_declare(kind: str, tmp_path: Path) -> None:
    async with unmigrated_database(kind, tmp_path) as database:
        await database.upgrade()
        async with database.engine.connect() as connection:
            differences = await connection.run_sync(_differences)
            tables = set(await connection.run_sync(lambda c: inspect(c).get_table_names()))
    assert differences == [], "models and migrations disagree; write the migration"
    assert tables == set(Base.metadata.tables) | {VERSION_TABLE}


@pytest.mark.parametrize("kind", KINDS)
async def test_each_migration_is_undone_exactly_then_everything_down_and_up_again(
    kind: str, tmp_path: Path
) -> None:
    async with unmigrated_database(kind, tmp_path) as database:
        before: dict[str, Any] = {}
        for revision, undo in _revisions():
            async with database.engine.begin() as connection:
                await connection.run_sync(upgrade_to, revision)
                after = await connection.run_sync(_schema)
                await connection.run_sync(downgrade_to, undo)
                undone = await connection.run_sync(_schema)
                await connection.run_sync(upgrade_to, revision)
                again = await connection.run_sync(_schema)
            assert undone == before, f"downgrading {revision} did not restore the schema before it"
            assert again == after, f"{revision} applied again gave a different schema"
            before = again
        assert await database.schema_is_current()

        async with database.engine.begin() as connection:
            await connection.run_sync(downgrade_to, "base")
            emptied = await connection.run_sync(_schema)
        assert emptied == {}
        assert not await database.schema_is_current()

        await database.upgrade()
        assert await database.schema_is_current()
        async with database.engine.connect() as connection:
            assert await connection.run_sync(_differences) == []
