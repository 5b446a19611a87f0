"""Mentoring tables: the migration matches the models, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection

from bot.storage import Database
from bot.storage.models import Base

MENTORING_TABLES = {
    "mentoring_cohorts",
    "mentoring_applications",
    "mentoring_private_answers",
    "mentoring_pair_rules",
    "mentoring_past_pairs",
    "mentoring_matches",
}


def _mentoring_differences(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    differences = []
    for diff in compare_metadata(context, Base.metadata):
        flat = diff if isinstance(diff, tuple) else diff[0]
        names = (
            {getattr(part, "name", None) for part in flat}
            | {getattr(getattr(part, "table", None), "name", None) for part in flat}
            | {part for part in flat if isinstance(part, str)}
        )
        if names & MENTORING_TABLES:
            differences.append(diff)
    return differences


async def test_migration_matches_the_models(database: Database) -> None:
    async with database.engine.connect() as connection:
        assert await connection.run_sync(_mentoring_differences) == []
