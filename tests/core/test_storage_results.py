"""Row counts of statements run through a session (bot.storage.results)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update

from bot.requests import UserRef
from bot.storage import Database
from bot.storage.models import Member
from bot.storage.repositories.members import MemberRepository
from bot.storage.results import changed_rows


async def test_an_update_through_a_session_counts_the_rows_it_changed(
    database: Database,
) -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    async with database.session() as session:
        for user_id in ("U1", "U2"):
            await MemberRepository(session).ensure(
                UserRef("slack", "T1", user_id, user_id), now=now
            )
        opted_out = await session.execute(
            update(Member).where(Member.workspace_id == "T1").values(reminders_opt_out=True)
        )
        nobody = await session.execute(
            update(Member).where(Member.workspace_id == "T2").values(reminders_opt_out=True)
        )
        assert changed_rows(opted_out) == 2
        assert changed_rows(nobody) == 0


async def test_a_select_has_no_row_count(sqlite_database: Database) -> None:
    async with sqlite_database.session() as session:
        rows = await session.execute(select(Member.id))
        with pytest.raises(TypeError, match="no row count"):
            changed_rows(rows)
