"""The baseline of ``bench/kudos.py``: the same kudos as plain ORM inserts.

One transaction per kudos, with no core in front (no parsing, rules, delivery ids
or posts): the storage floor the core's throughput is compared with.
"""

from __future__ import annotations

import asyncio
import random
import time
from datetime import UTC, datetime

from kudos_load import PLATFORM, RECIPIENT_POOL, SEED, WORKSPACE, LoadResult, person, stored_summary

from bot.errors import StorageUnavailable
from bot.storage import Database
from bot.storage.models import Kudos, KudosRecipient
from bot.storage.repositories.members import MemberRepository


async def run_baseline(database: Database, *, name: str, total: int, givers: int) -> LoadResult:
    """The same kudos as plain ORM writes, one transaction each: the storage floor."""
    now = datetime.now(UTC)
    givers_refs = [person(i, f"{name}-B") for i in range(givers)]
    async with database.session() as session:
        members = await MemberRepository(session).ensure_many(
            givers_refs + [person(i) for i in range(RECIPIENT_POOL)], now=now
        )
    ids = {key[2]: member.id for key, member in members.items()}
    rng = random.Random(SEED + 1)
    latencies: list[float] = []
    busy = 0
    per_giver = [total // givers + (1 if i < total % givers else 0) for i in range(givers)]

    async def giver_task(index: int) -> None:
        nonlocal busy
        for number in range(per_giver[index]):
            started = time.perf_counter()
            while True:
                try:
                    await _orm_insert(database, ids, index, number, name, rng)
                    break
                except StorageUnavailable:
                    busy += 1  # SQLite's write lock outlasted the busy timeout: try again
            latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(giver_task(i) for i in range(givers)))
    seconds = time.perf_counter() - started
    stored, doubled, _ = await stored_summary(database, prefix=f"base-{name}-")
    return LoadResult(
        database=name,
        run="baseline: plain ORM insert, no core",
        accepted=total,
        stored=stored,
        lost=total - stored,
        doubled=doubled,
        unconfirmed=0,
        retries=0,
        duplicates_ignored=0,
        busy=busy,
        given_up=0,
        posts=-1,
        seconds=seconds,
        latencies_ms=latencies,
    )


async def _orm_insert(
    database: Database, ids: dict[str, int], index: int, number: int, name: str, rng: random.Random
) -> None:
    async with database.session() as session:
        kudos = Kudos(
            platform=PLATFORM,
            workspace_id=WORKSPACE,
            giver_id=ids[f"{name}-B{index}"],
            reason="for running the sensory storytime",
            channel_id="C-kudos",
            delivery_id=f"base-{name}-{index}-{number}",
            created_at=datetime.now(UTC),
        )
        kudos.recipients = [
            KudosRecipient(
                recipient_id=ids[f"U{rng.randrange(RECIPIENT_POOL)}"],
                platform=PLATFORM,
                workspace_id=WORKSPACE,
                created_at=kudos.created_at,
            )
        ]
        session.add(kudos)
