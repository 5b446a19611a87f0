"""Kudos tables: the migration matches the models, and the leaderboard reads an index."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, text

from bot.storage import Database
from bot.storage.models import Base

KUDOS_TABLES = {"kudos", "kudos_recipients", "thank_you_notes"}


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
