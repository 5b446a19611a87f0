"""Benchmark /kudos under load: throughput, latency, and that nothing is lost or doubled.

Run: ``.venv/bin/python bench/kudos.py`` (``--kudos N``, ``--givers N``,
``--board-rows N``, ``--skip-postgres``).

For each database (an SQLite file always; PostgreSQL from ``BENCH_DATABASE_URL``,
``TEST_DATABASE_URL`` or ``postgresql://postgres@127.0.0.1:5432/test`` when it
answers, in a fresh schema dropped afterwards):

1. **core**: 50 concurrent givers send 10,000 ``/kudos`` through ``BotCore.handle``
   (the real parsing, rules, storage and post through an outbound sender that
   only counts). About 5% of deliveries are re-sent at the same moment with the
   same delivery id, as a platform retry would be.
2. **baseline**: the same number of kudos written straight through the ORM, one
   transaction each, with no core in front: the storage floor the core is
   compared with (``ratio`` = core throughput / baseline throughput).
3. **leaderboard**: 100,000 stored kudos, then ``/kudos top`` queries timed.

Correctness: stored kudos must equal accepted kudos (0 lost), no delivery id
may be stored twice (0 doubled), and every accepted kudos is posted exactly
once. The exit status is non-zero only when that fails, never for a timing.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import socket
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select, text  # noqa: E402

from bot.clock import SystemClock  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.core import BotCore  # noqa: E402
from bot.knowledge_store import KnowledgeStore  # noqa: E402
from bot.kudos.queries import leaderboard  # noqa: E402
from bot.members import ensure_members  # noqa: E402
from bot.outbound import ChannelTarget, PostedMessage  # noqa: E402
from bot.replies import Message  # noqa: E402
from bot.requests import Mention, MentionKind, Request, UserRef, mention_token  # noqa: E402
from bot.storage import Database  # noqa: E402
from bot.storage.models import Kudos, KudosRecipient  # noqa: E402

PLATFORM = "bench"
WORKSPACE = "W1"
RECIPIENT_POOL = 500
RETRY_SHARE = 0.05
SEED = 20261123
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
# When the bot answers "database busy" it has released the delivery id; a platform
# (Slack) redelivers the same event, so the bench does too.
PLATFORM_REDELIVERIES = 4
REDELIVERY_PAUSE_S = 0.5


class CountingSender:
    """A real OutboundSender that delivers nowhere and counts what it was asked."""

    platform = PLATFORM

    def __init__(self) -> None:
        self.posts = 0
        self._ids = itertools.count(1)

    async def post(self, *, target: ChannelTarget, message: Message) -> PostedMessage:
        self.posts += 1
        return PostedMessage(PLATFORM, target.fallback_channel_id or "kudos", str(next(self._ids)))

    async def send_dm(self, *, user: UserRef, message: Message) -> PostedMessage:
        return PostedMessage(PLATFORM, f"dm:{user.user_id}", str(next(self._ids)))

    async def delete(self, *, posted: PostedMessage) -> None:
        return None

    async def list_members(self) -> list[UserRef]:
        return []


@dataclass
class LoadResult:
    database: str
    run: str
    accepted: int
    stored: int
    lost: int
    doubled: int
    unconfirmed: int  # stored although the giver was told nothing was saved
    retries: int
    duplicates_ignored: int
    busy: int  # "can't reach my database" answers (SQLite lock waits over the timeout)
    given_up: int  # deliveries still busy after every platform redelivery
    posts: int
    seconds: float
    latencies_ms: list[float]

    @property
    def throughput(self) -> float:
        return self.accepted / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        if not self.latencies_ms:
            return 0.0
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    @property
    def correct(self) -> bool:
        return (
            self.lost == 0
            and self.doubled == 0
            and self.unconfirmed == 0
            and self.posts in (self.accepted, -1)
        )


def person(index: int, prefix: str = "U") -> UserRef:
    return UserRef(PLATFORM, WORKSPACE, f"{prefix}{index}", f"{prefix.lower()}{index}")


def kudos_request(giver: UserRef, recipient: UserRef, delivery_id: str) -> Request:
    return Request(
        platform=PLATFORM,
        workspace_id=WORKSPACE,
        channel_id="C-kudos",
        sender=giver,
        command="kudos",
        text=f"{mention_token(0)} for running the sensory storytime",
        mentions=(Mention(MentionKind.USER, f"<@{recipient.user_id}>", recipient),),
        delivery_id=delivery_id,
    )


def bench_settings(data_dir: Path) -> Settings:
    # The bench gives 200+ kudos per giver; the quota is raised so every one is accepted.
    return Settings(data_dir=data_dir, kudos_daily_quota=1000, _env_file=None)  # type: ignore[call-arg]


async def run_core_load(
    database: Database, *, name: str, total: int, givers: int, data_dir: Path
) -> LoadResult:
    sender = CountingSender()
    core = BotCore(
        settings=bench_settings(data_dir),
        database=database,
        knowledge=KnowledgeStore(path=ROOT / "data" / "knowledge.yaml"),
        clock=SystemClock(),
        outbound=sender,
    )
    rng = random.Random(SEED)
    per_giver = [total // givers + (1 if i < total % givers else 0) for i in range(givers)]
    latencies: list[float] = []
    accepted_ids: set[str] = set()
    counters = {"retries": 0, "ignored": 0, "busy": 0, "given_up": 0}

    async def one(request: Request) -> str:
        started = time.perf_counter()
        reply = await core.handle(request)
        latencies.append((time.perf_counter() - started) * 1000)
        if reply is None:
            counters["ignored"] += 1
            return "duplicate"
        if "posted" in reply.text:
            return "accepted"
        if "can't reach my database" in reply.text:
            counters["busy"] += 1
            return "busy"
        raise RuntimeError(f"kudos refused: {reply.text}")

    async def deliver(request: Request) -> str:
        """One delivery, redelivered like a platform would while the bot says "busy"."""
        for _ in range(PLATFORM_REDELIVERIES):
            outcome = await one(request)
            if outcome != "busy":
                return outcome
            await asyncio.sleep(REDELIVERY_PAUSE_S)
        counters["given_up"] += 1
        return "given_up"

    async def giver_task(index: int) -> None:
        giver = person(index, "G")
        for number in range(per_giver[index]):
            recipient = person(rng.randrange(RECIPIENT_POOL))
            delivery_id = f"{name}-{index}-{number}"
            request = kudos_request(giver, recipient, delivery_id)
            if rng.random() < RETRY_SHARE:
                counters["retries"] += 1
                results = await asyncio.gather(deliver(request), deliver(request))
            else:
                results = [await deliver(request)]
            if results.count("accepted") > 1:
                raise RuntimeError(f"delivery {delivery_id} accepted twice")
            if "accepted" in results:
                accepted_ids.add(delivery_id)

    started = time.perf_counter()
    await asyncio.gather(*(giver_task(i) for i in range(givers)))
    seconds = time.perf_counter() - started
    stored, doubled, stored_ids = await stored_summary(database, prefix=f"{name}-")
    return LoadResult(
        database=name,
        run="core (BotCore.handle)",
        accepted=len(accepted_ids),
        stored=stored,
        lost=len(accepted_ids - stored_ids),
        doubled=doubled,
        unconfirmed=len(stored_ids - accepted_ids),
        retries=counters["retries"],
        duplicates_ignored=counters["ignored"],
        busy=counters["busy"],
        given_up=counters["given_up"],
        posts=sender.posts,
        seconds=seconds,
        latencies_ms=latencies,
    )


async def stored_summary(database: Database, *, prefix: str) -> tuple[int, int, set[str]]:
    """(kudos stored, delivery ids stored more than once, the delivery ids stored)."""
    async with database.session() as session:
        ids = list(
            await session.scalars(
                select(Kudos.delivery_id).where(Kudos.delivery_id.like(f"{prefix}%"))
            )
        )
    return len(ids), len(ids) - len(set(ids)), set(ids)  # type: ignore[arg-type]


async def run_baseline(database: Database, *, name: str, total: int, givers: int) -> LoadResult:
    """The same kudos as plain ORM writes, one transaction each: the storage floor."""
    now = datetime.now(UTC)
    async with database.session() as session:
        members = await ensure_members(
            session,
            [person(i, "G") for i in range(givers)] + [person(i) for i in range(RECIPIENT_POOL)],
            now=now,
        )
    ids = {key[2]: member.id for key, member in members.items()}
    rng = random.Random(SEED + 1)
    latencies: list[float] = []
    per_giver = [total // givers + (1 if i < total % givers else 0) for i in range(givers)]

    async def giver_task(index: int) -> None:
        for number in range(per_giver[index]):
            started = time.perf_counter()
            async with database.session() as session:
                kudos = Kudos(
                    platform=PLATFORM,
                    workspace_id=WORKSPACE,
                    giver_id=ids[f"G{index}"],
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
            latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(giver_task(i) for i in range(givers)))
    seconds = time.perf_counter() - started
    stored, doubled, _ = await stored_summary(database, prefix=f"base-{name}-")
    return LoadResult(
        database=name,
        run="baseline (plain ORM insert)",
        accepted=total,
        stored=stored,
        lost=total - stored,
        doubled=doubled,
        unconfirmed=0,
        retries=0,
        duplicates_ignored=0,
        busy=0,
        given_up=0,
        posts=-1,
        seconds=seconds,
        latencies_ms=latencies,
    )


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
        members = await ensure_members(session, users, now=now)
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


def postgres_url() -> str | None:
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL") or DEFAULT_PG
    host_port = url.split("@")[-1].split("/")[0]
    host, _, port = host_port.partition(":")
    try:
        with socket.create_connection((host or "127.0.0.1", int(port or 5432)), timeout=2):
            return url
    except OSError:
        return None


@asynccontextmanager
async def open_database(kind: str, workdir: Path) -> AsyncIterator[Database | None]:
    if kind == "sqlite":
        database = Database(url=f"sqlite:///{workdir / 'bench.sqlite3'}")
        await database.upgrade()
        try:
            yield database
        finally:
            await database.dispose()
        return
    url = postgres_url()
    if url is None:
        yield None
        return
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = Database(url=url)
    async with admin.engine.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    database = Database(url=url, schema=schema)
    try:
        await database.upgrade()
        yield database
    finally:
        await database.dispose()
        async with admin.engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


def print_tables(loads: list[LoadResult], boards: list[BoardResult]) -> None:
    baselines = {r.database: r for r in loads if r.run.startswith("baseline")}
    print(
        "| database | run | accepted | stored | lost | doubled | retries injected "
        "| duplicates ignored | busy answers | given up | kudos/s | p50 ms | p99 ms "
        "| ratio to baseline |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in loads:
        base = baselines.get(r.database)
        ratio = r.throughput / base.throughput if base and base.throughput else 0.0
        print(
            f"| {r.database} | {r.run} | {r.accepted} | {r.stored} | {r.lost} | {r.doubled} "
            f"| {r.retries} | {r.duplicates_ignored} | {r.busy} | {r.given_up} "
            f"| {r.throughput:,.0f} "
            f"| {r.percentile(0.5):.1f} | {r.percentile(0.99):.1f} | {ratio:.2f} |"
        )
    print()
    print("| database | leaderboard period | stored kudos | p50 ms | max of 21 ms | top count |")
    print("|---|---|---:|---:|---:|---:|")
    for b in boards:
        print(
            f"| {b.database} | {b.period} | {b.rows:,} | {b.p50_ms:.1f} | {b.p99_ms:.1f} "
            f"| {b.top_count} |"
        )


async def main(args: argparse.Namespace) -> int:
    loads: list[LoadResult] = []
    boards: list[BoardResult] = []
    kinds = ["sqlite"] if args.skip_postgres else ["sqlite", "postgresql"]
    with tempfile.TemporaryDirectory() as tmp:
        for kind in kinds:
            async with open_database(kind, Path(tmp)) as database:
                if database is None:
                    print(f"({kind}: not reachable, skipped)", file=sys.stderr)
                    continue
                print(f"{kind}: core load...", file=sys.stderr)
                loads.append(
                    await run_core_load(
                        database,
                        name=kind,
                        total=args.kudos,
                        givers=args.givers,
                        data_dir=Path(tmp),
                    )
                )
                print(f"{kind}: baseline...", file=sys.stderr)
                loads.append(
                    await run_baseline(database, name=kind, total=args.kudos, givers=args.givers)
                )
                print(f"{kind}: filling {args.board_rows:,} kudos...", file=sys.stderr)
                rows = await fill_for_leaderboard(database, rows=args.board_rows)
                boards.extend(await time_leaderboard(database, name=kind, rows=rows))
    print_tables(loads, boards)
    failures = [r for r in loads if not r.correct]
    for r in failures:
        print(
            f"CORRECTNESS FAILURE {r.database} {r.run}: accepted {r.accepted}, stored "
            f"{r.stored}, lost {r.lost}, doubled {r.doubled}, stored but reported failed "
            f"{r.unconfirmed}, posts {r.posts}",
            file=sys.stderr,
        )
    return 1 if failures else 0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kudos", type=int, default=10_000)
    parser.add_argument("--givers", type=int, default=50)
    parser.add_argument("--board-rows", type=int, default=100_000)
    parser.add_argument("--skip-postgres", action="store_true")
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse_args())))
