"""Kudos tables: the migration matches the models, and the leaderboard reads an index."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, text

from bot.storage import Database
from bot.storage.models import Base
from tests.support.databases import unmigrated_database, upgrade_to

KUDOS_TABLES = {"kudos", "kudos_recipients", "thank_you_notes", "members"}


def _kudos_differences(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    differences = []
    for diff in compare_metadata(context, Base.metadata):
        flat = diff if isinstance(diff, tuple) else diff[0]
        names = (
            {getattr(part, "name", None) for part in flat}
            | {getattr(getattr(part, "table", None), "name", None) for part in flat}
            | {part for part in flat if isinstance(part, str)}  # modify_* name tables
        )
        if names & KUDOS_TABLES:
            differences.append(diff)
    return differences


async def test_migration_matches_the_models(database: Database) -> None:
    async with database.engine.connect() as connection:
        assert await connection.run_sync(_kudos_differences) == []


async def test_leaderboard_query_uses_the_covering_index(sqlite_database: Database) -> None:
    since = datetime(2026, 11, 1, tzinfo=UTC).isoformat()
    async with sqlite_database.engine.connect() as connection:
        plan = (
            await connection.execute(
                text(
                    "EXPLAIN QUERY PLAN SELECT recipient_id, count(*) FROM kudos_recipients "
                    "WHERE platform = 'slack' AND workspace_id = 'T1' AND created_at >= :since "
                    "GROUP BY recipient_id"
                ),
                {"since": since},
            )
        ).all()
    details = " ".join(str(row[-1]) for row in plan)
    assert "USING COVERING INDEX ix_kudos_recipients_board" in details
    assert "SCAN kudos_recipients " not in details + " "  # never a full table scan


_AT_TEN = datetime(2026, 11, 1, 10, tzinfo=UTC)


async def test_notes_stored_before_retries_existed_are_retried(tmp_path: Path) -> None:
    async with unmigrated_database("sqlite", tmp_path) as database:
        async with database.engine.begin() as connection:
            await connection.run_sync(upgrade_to, "0002")
            await connection.execute(
                text(
                    "INSERT INTO members (id, platform, workspace_id, user_id, display_name, "
                    "is_bot, reminders_opt_out, first_seen, last_seen) VALUES "
                    "(1, 's', 'T', 'U1', 'a', 0, 0, :t, :t), (2, 's', 'T', 'U2', 'b', 0, 0, :t, :t)"
                ),
                {"t": "2026-11-01 10:00:00.000000"},
            )
            await connection.execute(
                text(
                    "INSERT INTO thank_you_notes (platform, workspace_id, giver_id, recipient_id, "
                    "note, created_at, status) VALUES "
                    "('s', 'T', 1, 2, 'waiting', '2026-11-01 10:00:00.000000', 'retry_later'), "
                    "('s', 'T', 1, 2, 'sent', '2026-11-01 11:00:00.000000', 'delivered')"
                )
            )
        await database.upgrade()
        async with database.engine.connect() as connection:
            rows = (
                await connection.execute(
                    text("SELECT note, attempts, next_attempt_at FROM thank_you_notes ORDER BY id")
                )
            ).all()
    assert [(note, attempts) for note, attempts, _ in rows] == [("waiting", 1), ("sent", 1)]
    assert rows[0][2] is not None and str(rows[0][2]).startswith("2026-11-01 10:00:00")
    assert rows[1][2] is None


def _kudos_floor_rows(connection: Connection) -> list[tuple[object, ...]]:
    return [
        tuple(row)
        for row in connection.execute(
            text("SELECT user_id, undo_floor_kudos_id FROM members ORDER BY id")
        )
    ]


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
async def test_undo_floors_by_time_become_floors_by_id(kind: str, tmp_path: Path) -> None:
    async with unmigrated_database(kind, tmp_path) as database:
        async with database.engine.begin() as connection:
            await connection.run_sync(upgrade_to, "0005")
            await connection.execute(
                text(
                    "INSERT INTO members (id, platform, workspace_id, user_id, display_name, "
                    "is_bot, reminders_opt_out, first_seen, last_seen, last_undone_kudos_at) "
                    "VALUES (1, 's', 'T', 'U1', 'a', false, false, :t, :t, :undone), "
                    "(2, 's', 'T', 'U2', 'b', false, false, :t, :t, NULL), "
                    "(3, 's', 'T', 'U3', 'c', false, false, :t, :t, :undone)"
                ),
                {"t": datetime(2026, 11, 1, 9, tzinfo=UTC), "undone": _AT_TEN},
            )
            # U1 gave #1 and #2 at ten (it undid a third one then) and #3 later; U3's
            # only kudos was the one it undid.
            for kudos_id, hour in ((1, 10), (2, 10), (3, 11)):
                await connection.execute(
                    text(
                        "INSERT INTO kudos (id, platform, workspace_id, giver_id, reason, "
                        "created_at) VALUES (:id, 's', 'T', 1, 'r', :at)"
                    ),
                    {"id": kudos_id, "at": datetime(2026, 11, 1, hour, tzinfo=UTC)},
                )
        async with database.engine.begin() as connection:
            await connection.run_sync(upgrade_to, "0006")
        async with database.engine.connect() as connection:
            floors = await connection.run_sync(_kudos_floor_rows)
            kudos = await connection.scalar(text("SELECT count(*) FROM kudos"))
    # U1 can undo only #3; U2 never undid; U3 undid its last one (0: none left).
    assert floors == [("U1", 2), ("U2", None), ("U3", 0)]
    assert kudos == 3  # nothing cascaded away while the members table changed
