"""Database URLs for tests: SQLite always, PostgreSQL when TEST_DATABASE_URL is set."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Connection, text

from bot.storage import Database
from bot.storage.database import alembic_config

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_postgres() -> str:
    """The PostgreSQL URL, or skip; in CI a missing PostgreSQL fails instead of skipping."""
    if not POSTGRES_URL:
        if IN_CI:
            pytest.fail("CI must set TEST_DATABASE_URL so the PostgreSQL tests run")
        pytest.skip("set TEST_DATABASE_URL to run the PostgreSQL tests")
    return POSTGRES_URL


@asynccontextmanager
async def postgres_schema(url: str) -> AsyncIterator[str]:
    """A fresh schema for one test, dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = Database(url=url)
    async with admin.engine.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield schema
    finally:
        async with admin.engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


@asynccontextmanager
async def unmigrated_database(kind: str, tmp_path: Path) -> AsyncIterator[Database]:
    """A database of ``kind`` ('sqlite' or 'postgresql') with no tables at all."""
    if kind == "sqlite":
        database = Database(url=f"sqlite:///{tmp_path / 'test.sqlite3'}")
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


@asynccontextmanager
async def open_database(kind: str, tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated, empty database of ``kind`` ('sqlite' or 'postgresql')."""
    async with unmigrated_database(kind, tmp_path) as database:
        await database.upgrade()
        yield database


def upgrade_to(connection: Connection, revision: str) -> None:
    """Apply migrations up to ``revision`` only (to build an older schema)."""
    command.upgrade(alembic_config(connection), revision)
