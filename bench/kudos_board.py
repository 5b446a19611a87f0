"""The leaderboard part of ``bench/kudos.py``: 100,000 stored kudos, then ``/kudos top``.

The kudos are bulk-inserted (spread over a year, recipients skewed so there is
a clear top) in their own workspace, then each period's leaderboard is asked
21 times through the same query ``/kudos top`` runs.
"""

from __future__ import annotations

import random
import statistics
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from kudos_load import PLATFORM, SEED
from sqlalchemy import func, insert, select, text

from bot.kudos.queries import leaderboard
from bot.requests import UserRef
from bot.storage import Database
from bot.storage.models import Kudos, KudosRecipient
from bot.storage.repositories.members import MemberRepository


@dataclass
class BoardResult:
    database: str
    period: str
    rows: int
    p50_ms: float
    p99_ms: float
    top_count: int


async def fill_for_leaderboard(database: Database, *, rows: int) -> int:
    """Bulk-insert ``rows`` kudos (one recipient each) spread over the last year."""
    now = datetime.now(UTC)
    board_workspace = "BOARD"
    users = [UserRef(PLATFORM, board_workspace, f"M{i}", f"member {i}") for i in range(2000)]
    async with database.session() as session:
        members = await MemberRepository(session).ensure_many(users, now=now)
        start_id = (await session.scalar(select(func.max(Kudos.id)))) or 0
    member_ids = [member.id for member in members.values()]
    rng = random.Random(SEED + 2)
    chunk = 10_000
    for offset in range(0, rows, chunk):
        kudos_rows, recipient_rows = [], []
        for number in range(offset, min(rows, offset + chunk)):
            kudos_id = start_id + number + 1
            created = now - timedelta(seconds=rng.randrange(365 * 24 * 3600))
            kudos_rows.append(
                {
                    "id": kudos_id,
                    "platform": PLATFORM,
                    "workspace_id": board_workspace,
                    "giver_id": rng.choice(member_ids),
                    "reason": "for the storytime",
                    "channel_id": "C-kudos",
                    "created_at": created,
                }
            )
            recipient_rows.append(
                {
                    "kudos_id": kudos_id,
                    # a skewed choice, so the leaderboard has a clear top
                    "recipient_id": member_ids[int(rng.paretovariate(1.2)) % len(member_ids)],
                    "platform": PLATFORM,
                    "workspace_id": board_workspace,
                    "created_at": created,
                }
            )
        async with database.session() as session:
            await session.execute(insert(Kudos), kudos_rows)
            await session.execute(insert(KudosRecipient), recipient_rows)
    if not database.is_sqlite:
        async with database.engine.begin() as conn:
            await conn.execute(text("ANALYZE kudos_recipients"))
    return rows


async def time_leaderboard(database: Database, *, name: str, rows: int) -> list[BoardResult]:
    now = datetime.now(UTC)
    periods = {
        "week": now - timedelta(days=7),
        "month": now - timedelta(days=30),
        "year": now - timedelta(days=365),
        "all": None,
    }
    results = []
    for period, since in periods.items():
        timings, standings = [], []
        for _ in range(21):
            started = time.perf_counter()
            standings = await leaderboard(
                database, platform=PLATFORM, workspace_id="BOARD", since=since
            )
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        results.append(
            BoardResult(
                name,
                period,
                rows,
                statistics.median(timings),
                timings[-1],
                standings[0].count if standings else 0,
            )
        )
    return results
