"""Bringing the schema up to date with Alembic, once, even with several workers starting."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

if TYPE_CHECKING:
    from alembic.config import Config

#: Arbitrary constant naming the PostgreSQL advisory lock that serialises migrations.
MIGRATION_LOCK_KEY = 7_415_020_301

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
#: The revision(s) the newest migration leaves a database at. A database already there
#: is not handed to Alembic at all: importing it and reading every migration script
#: takes longer than the rest of a CLI command. Add each new migration's revision
#: here (tests/core/test_migration_check.py compares this with the scripts).
SCHEMA_HEADS = frozenset({"0012"})
#: Alembic's bookkeeping table (its default name).
VERSION_TABLE = "alembic_version"


def schema_is_current(connection: Connection) -> bool:
    if not inspect(connection).has_table(VERSION_TABLE):
        return False
    applied = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars()
    return frozenset(applied) == SCHEMA_HEADS


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config  # Alembic loads only when a migration may be due

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def run_alembic_upgrade(connection: Connection) -> None:
    from alembic import command

    if connection.dialect.name == "postgresql":
        # Several workers may start at once: one migrates, the others wait, then find
        # nothing left to do. The lock is released when this transaction ends.
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
    command.upgrade(alembic_config(connection), "heads")
