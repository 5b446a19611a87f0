"""Read-only kudos queries: leaderboard, histories, export rows.

The queries themselves live in :mod:`bot.storage.repositories.kudos_reports`, with
the one counting rule: **a kudos counts once per person recognised**
(``/kudos @ana @ben @chris`` is three kudos: one each for Ana, Ben and Chris, three
given by the giver). Every count (``/kudos mine``, the leaderboard, someone's
kudos, the digest and the daily quota) is built on ``counted_kudos`` there, which
counts rows of ``kudos_recipients``.
"""

from __future__ import annotations

from datetime import datetime

from bot.requests import UserRef
from bot.storage import Database
from bot.storage.repositories.kudos_reports import (
    ExportRow,
    KudosEntry,
    Standing,
)

__all__ = [
    "HISTORY_SIZE",
    "LEADERBOARD_SIZE",
    "ExportRow",
    "KudosEntry",
    "Standing",
    "export_rows",
    "kudos_given",
    "kudos_received",
    "leaderboard",
    "thanks_received_count",
]

LEADERBOARD_SIZE = 10
HISTORY_SIZE = 10


async def leaderboard(
    database: Database,
    *,
    platform: str,
    workspace_id: str,
    since: datetime | None,
    limit: int = LEADERBOARD_SIZE,
) -> list[Standing]:
    """Members by kudos received since ``since`` (all time when None), most first."""
    async with database.unit_of_work() as work:
        return await work.kudos.leaderboard(
            platform=platform, workspace_id=workspace_id, since=since, limit=limit
        )


async def kudos_received(
    database: Database, user: UserRef, *, limit: int = HISTORY_SIZE
) -> tuple[int, list[KudosEntry]]:
    """How many kudos ``user`` received in all, and the latest ``limit`` with their givers."""
    async with database.unit_of_work() as work:
        return await work.kudos.received_history(user, limit=limit)


async def kudos_given(
    database: Database, user: UserRef, *, limit: int = HISTORY_SIZE
) -> tuple[int, list[KudosEntry]]:
    """How many kudos ``user`` gave, and the latest ``limit`` (one row per recipient).

    Each person recognised counts as one kudos, as in the quota and the
    leaderboard: ``/kudos @ana @ben`` is two kudos given.
    """
    async with database.unit_of_work() as work:
        return await work.kudos.given_history(user, limit=limit)


async def thanks_received_count(database: Database, user: UserRef) -> int:
    """Thank-you notes ``user`` received by direct message."""
    async with database.unit_of_work() as work:
        return await work.notes.delivered_count(user)


async def export_rows(database: Database, *, since: datetime | None = None) -> list[ExportRow]:
    """Every kudos (oldest first) with giver and recipients, for the CSV export."""
    async with database.unit_of_work() as work:
        return await work.kudos.export_rows(since=since)
