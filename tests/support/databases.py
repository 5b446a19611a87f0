"""Databases for tests: SQLite always, PostgreSQL when TEST_DATABASE_URL is set.

Migrating a database costs far more than most tests that use one, so the migrations run
once per test session into a template, and each test gets a clean copy of it:

* SQLite: the migrated template file is copied (a file copy, fully independent).
* PostgreSQL: one schema migrated per session, emptied before each test (every row
  deleted, children first, and every sequence restarted), so ids start at 1 again.

Tests about migrations themselves use :func:`unmigrated_database`, which is always fresh.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Connection, MetaData, text

from bot.storage import Database
from bot.storage.migrate import alembic_config

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
SQLITE_FILE = "test.sqlite3"


def require_postgres() -> str:
    """The PostgreSQL URL, or skip; in CI a missing PostgreSQL fails instead of skipping."""
    if not POSTGRES_URL:
        if IN_CI:
            pytest.fail("CI must set TEST_DATABASE_URL so the PostgreSQL tests run")
        pytest.skip("set TEST_DATABASE_URL to run the PostgreSQL tests")
    return POSTGRES_URL


async def _create_schema(url: str) -> str:
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = Database(url=url)
    try:
        async with admin.engine.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    finally:
        await admin.dispose()
    return schema


async def _drop_schema(url: str, schema: str) -> None:
    admin = Database(url=url)
    try:
        async with admin.engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    finally:
        await admin.dispose()


@asynccontextmanager
async def postgres_schema(url: str) -> AsyncIterator[str]:
    """A fresh schema for one test, dropped afterwards."""
    schema = await _create_schema(url)
    try:
        yield schema
    finally:
        await _drop_schema(url, schema)


@asynccontextmanager
async def unmigrated_database(kind: str, tmp_path: Path) -> AsyncIterator[Database]:
    """A fresh database of ``kind`` ('sqlite' or 'postgresql') with no tables at all."""
    if kind == "sqlite":
        database = Database(url=f"sqlite:///{tmp_path / SQLITE_FILE}")
        try:
            yield database
        finally:
            await database.dispose()
        return
    url = require_postgres()
    async with postgres_schema(url) as schema:
        database = Database(url=url, schema=schema)
        try:
            yield database
        finally:
            await database.dispose()


#: Restarts every sequence of the current schema that handed out a value (ids start at
#: 1 again); one statement, and untouched sequences are not written at all.
_RESTART_USED_SEQUENCES = (
    "SELECT setval(format('%I.%I', schemaname, sequencename), 1, false) "
    "FROM pg_sequences WHERE schemaname = current_schema() AND last_value IS NOT NULL"
)


def _emptying_statements(connection: Connection) -> list[str]:
    """DELETE for every table of the connection's schema (children before parents, read
    from the migrated database itself), then the sequence restart."""
    metadata = MetaData()
    metadata.reflect(connection)
    deletes = [
        f'DELETE FROM "{table.name}"'
        for table in reversed(metadata.sorted_tables)
        if table.name != "alembic_version"
    ]
    return [*deletes, _RESTART_USED_SEQUENCES]


class MigratedTemplates:
    """One migrated database per kind and test session, handed out as clean copies."""

    def __init__(self) -> None:
        #: Where the SQLite template goes (the session sets pytest's temporary directory,
        #: which pytest cleans up even after an interrupted run).
        self.folder: Path | None = None
        self._sqlite_dir: Path | None = None
        self._postgres_schema: str | None = None
        self._postgres_emptying = ""
        self._postgres_in_use = False

    async def sqlite_copy(self, folder: Path) -> Path:
        """A copy of the migrated SQLite template in ``folder``."""
        if self._sqlite_dir is None:
            template_dir = Path(tempfile.mkdtemp(prefix="memberbot-template-", dir=self.folder))
            template = Database(url=f"sqlite:///{template_dir / SQLITE_FILE}")
            try:
                await template.upgrade()
            finally:
                await template.dispose()  # the last connection checkpoints the WAL
            self._sqlite_dir = template_dir
        target = folder / SQLITE_FILE
        shutil.copyfile(self._sqlite_dir / SQLITE_FILE, target)
        return target

    @asynccontextmanager
    async def postgres_database(self) -> AsyncIterator[Database]:
        """The session's migrated PostgreSQL schema, emptied, for one test at a time."""
        url = require_postgres()
        if self._postgres_in_use:
            raise RuntimeError(
                "the migrated PostgreSQL template is already open: use unmigrated_database() "
                "for a second, independent PostgreSQL database in one test"
            )
        if self._postgres_schema is None:
            schema = await _create_schema(url)
            template = Database(url=url, schema=schema)
            try:
                await template.upgrade()
                async with template.engine.connect() as connection:
                    statements = await connection.run_sync(_emptying_statements)
            finally:
                await template.dispose()
            self._postgres_schema = schema
            self._postgres_emptying = "; ".join(statements)
        database = Database(url=url, schema=self._postgres_schema)
        self._postgres_in_use = True
        try:
            async with database.engine.begin() as connection:
                raw = await connection.get_raw_connection()
                # One round trip (the simple query protocol takes several statements);
                # no need to wait for the disk: a crashed server fails the test anyway.
                await raw.driver_connection.execute(  # type: ignore[union-attr]
                    "SET LOCAL synchronous_commit TO off; " + self._postgres_emptying
                )
            yield database
        finally:
            self._postgres_in_use = False
            await database.dispose()

    async def close(self) -> None:
        """Remove the templates (at the end of the session)."""
        if self._sqlite_dir is not None:
            shutil.rmtree(self._sqlite_dir, ignore_errors=True)
            self._sqlite_dir = None
        if self._postgres_schema is not None:
            await _drop_schema(require_postgres(), self._postgres_schema)
            self._postgres_schema = None


TEMPLATES = MigratedTemplates()


@asynccontextmanager
async def open_database(kind: str, tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated, empty database of ``kind`` ('sqlite' or 'postgresql'): a clean copy
    of the session's template (see the module docstring)."""
    if kind == "sqlite":
        path = await TEMPLATES.sqlite_copy(tmp_path)
        database = Database(url=f"sqlite:///{path}")
        try:
            yield database
        finally:
            await database.dispose()
        return
    async with TEMPLATES.postgres_database() as database:
        yield database


def upgrade_to(connection: Connection, revision: str) -> None:
    """Apply migrations up to ``revision`` only (to build an older schema)."""
    command.upgrade(alembic_config(connection), revision)


def downgrade_to(connection: Connection, revision: str) -> None:
    """Undo migrations down to ``revision`` ('base': every one)."""
    command.downgrade(alembic_config(connection), revision)
