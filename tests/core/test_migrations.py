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
from sqlalchemy import Connection, inspect, text

from bot.storage.migrate import VERSION_TABLE, alembic_config
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


#: PostgreSQL's schema, read from its catalogue in three queries (its reflection API
#: walks the whole catalogue several times per call, seconds per migration step).
_POSTGRES_SCHEMA = {
    "columns": (
        "SELECT table_name, column_name, udt_name, character_maximum_length, "
        "numeric_precision, is_nullable, column_default FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name <> :version ORDER BY 1, 2"
    ),
    "indexes": (
        "SELECT tablename, indexname, indexdef FROM pg_indexes "
        "WHERE schemaname = current_schema() AND tablename <> :version ORDER BY 1, 2"
    ),
    "constraints": (
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE connamespace = current_schema()::regnamespace "
        "AND conrelid::regclass::text <> :version ORDER BY 1, 2"
    ),
}


def _schema(connection: Connection) -> dict[str, Any]:
    """Every table's columns, keys, indexes and constraints, in a comparable form."""
    if connection.dialect.name == "postgresql":
        schema = {}
        for kind, query in _POSTGRES_SCHEMA.items():
            rows = connection.execute(text(query), {"version": VERSION_TABLE}).all()
            if rows:  # an empty database reads as {}
                schema[kind] = [tuple(row) for row in rows]
        return schema
    inspector = inspect(connection)
    schema: dict[str, Any] = {}
    for table in sorted(inspector.get_table_names()):
        if table == VERSION_TABLE:
            continue
        schema[table] = {
            "columns": [
                (c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)
            ],
            "primary_key": inspector.get_pk_constraint(table)["constrained_columns"],
            "indexes": sorted(
                (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                for i in inspector.get_indexes(table)
            ),
            "unique": sorted(
                tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)
            ),
            "foreign_keys": sorted(
                (
                    tuple(f["constrained_columns"]),
                    f["referred_table"],
                    tuple(f["referred_columns"]),
                    (f.get("options") or {}).get("ondelete"),
                )
                for f in inspector.get_foreign_keys(table)
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
