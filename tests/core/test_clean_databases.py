"""The test databases: every test gets an empty, migrated copy whose ids start at 1."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.requests import UserRef
from bot.storage import Database
from bot.storage.models import Member
from bot.storage.repositories.members import MemberRepository
from tests.support.databases import open_database

WHEN = datetime(2026, 11, 23, 15, tzinfo=UTC)


async def _add_member(database: Database, user_id: str) -> int:
    user = UserRef(platform="slack", workspace_id="T1", user_id=user_id, display_name=user_id)
    async with database.session() as session:
        member = await MemberRepository(session).ensure(user, now=WHEN)
        return member.id


async def _members(database: Database) -> int:
    async with database.session() as session:
        return await session.scalar(select(func.count()).select_from(Member)) or 0


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
async def test_each_copy_is_empty_current_and_counts_ids_from_one(
    kind: str, tmp_path: Path
) -> None:
    for round_ in ("first", "second"):
        folder = tmp_path / round_
        folder.mkdir()
        async with open_database(kind, folder) as database:
            assert await database.schema_is_current()
            assert await _members(database) == 0  # nothing left from the round before
            assert await _add_member(database, "U1") == 1
            assert await _add_member(database, "U2") == 2


async def test_the_shared_postgresql_copy_is_never_open_twice(tmp_path: Path) -> None:
    # One migrated schema serves every test in turn: a second open would empty it under
    # the first; a test that needs two databases opens an unmigrated_database().
    async with open_database("postgresql", tmp_path) as first:
        await _add_member(first, "U1")
        with pytest.raises(RuntimeError, match="already open"):
            async with open_database("postgresql", tmp_path):
                pass
        assert await _members(first) == 1
