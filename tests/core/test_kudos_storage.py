"""Kudos tables: the migration matches the models, and the leaderboard reads an index."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, text

from bot.storage import Database
from bot.storage.database import alembic_config
from bot.storage.models import Base

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


def _upgrade_to(connection: Connection, revision: str) -> None:
    command.upgrade(alembic_config(connection), revision)


async def test_notes_stored_before_retries_existed_are_retried(tmp_path: Path) -> None:
    database = Database(url=f"sqlite:///{tmp_path / 'old.sqlite3'}")
    try:
        async with database.engine.begin() as connection:
            await connection.run_sync(_upgrade_to, "0002")
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
    finally:
        await database.dispose()
    assert [(note, attempts) for note, attempts, _ in rows] == [("waiting", 1), ("sent", 1)]
    assert rows[0][2] is not None and str(rows[0][2]).startswith("2026-11-01 10:00:00")
    assert rows[1][2] is None
