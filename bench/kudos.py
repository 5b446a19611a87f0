"""Benchmark /kudos under load: throughput, latency, and that nothing is lost or doubled.

Run: ``.venv/bin/python bench/kudos.py`` (``--kudos N``, ``--givers N``,
``--paced-seconds N``, ``--board-rows N``, ``--skip-postgres``).

For each database (an SQLite file always; PostgreSQL from ``BENCH_DATABASE_URL``,
``TEST_DATABASE_URL`` or ``postgresql://postgres@127.0.0.1:5432/test`` when it
answers, in a fresh schema dropped afterwards), through ``BotCore.handle`` (real
parsing, rules, storage, and posts through an outbound sender that only counts):

1. **saturation**: 50 givers send 10,000 ``/kudos`` back to back; about 5% of
   deliveries are sent twice at once with the same delivery id (a platform retry).
2. **paced**: ``/kudos`` arriving at the target rate (SQLite 300, PostgreSQL
   1,000 a second), each on time whatever the answers take: latency under a
   sustained load. Then **mixed** commands at 100 a second (``/kudos`` mostly,
   with ``/thanks``, ``/kudos top``, ``/kudos mine``, ``/kudos @someone``):
   latency per command.
3. **baseline**: the same number of kudos as plain ORM inserts, one transaction
   each, no core (``ratio`` = run throughput / baseline throughput).
4. **leaderboard**: 100,000 stored kudos, then ``/kudos top`` timed per period.

In a closed loop (run 1) latency is queueing: 50 givers waiting on each other
at N kudos/s wait about 50/N seconds each, so run 2 is the latency to read.

Correctness: every confirmed kudos and note is stored (0 lost), no delivery id
is stored twice (0 doubled), nothing refused is stored, every kudos is posted
once, and no delivery gave up after the platform's redeliveries. The exit status
is non-zero only when that fails, never for a timing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]

from kudos_baseline import run_baseline  # noqa: E402
from kudos_board import BoardResult, fill_for_leaderboard, time_leaderboard  # noqa: E402
from kudos_load import MIXED, LoadResult, run_paced, run_saturation  # noqa: E402
from sqlalchemy import text  # noqa: E402

from bot.storage import Database  # noqa: E402

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
#: The issue's targets, printed next to what was measured (never an exit status).
TARGET_KUDOS_PER_SECOND = {"sqlite": 300, "postgresql": 1000}
TARGET_P99_MS = 50
TARGET_LEADERBOARD_MS = 50
#: The mixed run: a very busy association (most hours see a handful of commands).
MIXED_RATE = 100


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
        "| database | run | kudos confirmed | stored | lost | doubled | retries injected "
        "| duplicates ignored | busy answers | given up | kudos/s | p50 ms | p99 ms "
        "| ratio to baseline |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in loads:
        base = baselines.get(r.database)
        ratio = r.throughput / base.throughput if base and base.throughput else 0.0
        print(
            f"| {r.database} | {r.run} | {r.accepted} | {r.stored} | {r.lost + r.notes_lost} "
            f"| {r.doubled} | {r.retries} | {r.duplicates_ignored} | {r.busy} | {r.given_up} "
            f"| {r.throughput:,.0f} | {r.percentile(0.5):.1f} | {r.percentile(0.99):.1f} "
            f"| {ratio:.2f} |"
        )
    print()
    print("| database | run | command | answered | p50 ms | p99 ms |")
    print("|---|---|---|---:|---:|---:|")
    for r in loads:
        for command, values in sorted(r.by_command.items()) if r.offered_rate else ():
            print(
                f"| {r.database} | {r.run} | {command} | {len(values)} "
                f"| {r.percentile(0.5, values):.1f} | {r.percentile(0.99, values):.1f} |"
            )
    print()
    print("| database | leaderboard period | stored kudos | p50 ms | max of 21 ms | top count |")
    print("|---|---|---:|---:|---:|---:|")
    for b in boards:
        print(
            f"| {b.database} | {b.period} | {b.rows:,} | {b.p50_ms:.1f} | {b.p99_ms:.1f} "
            f"| {b.top_count} |"
        )


def print_targets(loads: list[LoadResult], boards: list[BoardResult]) -> None:
    """The issue's targets next to the measurements (information, not a verdict)."""
    print()
    for r in loads:
        if r.run.startswith("saturation"):
            target = TARGET_KUDOS_PER_SECOND[r.database]
            print(f"- {r.database}: {r.throughput:,.0f} kudos/s at saturation (target {target:,})")
        if r.offered_rate and len(r.by_command) == 1:
            kudos = r.by_command.get("/kudos", [])
            p99 = r.percentile(0.99, kudos)
            print(
                f"- {r.database}: /kudos p99 {p99:.1f} ms at {r.throughput:,.0f} kudos/s sustained "
                f"(target < {TARGET_P99_MS} ms)"
            )
    for database in dict.fromkeys(b.database for b in boards):
        worst = max(b.p50_ms for b in boards if b.database == database)
        print(
            f"- {database}: slowest leaderboard median {worst:.1f} ms over "
            f"{boards[0].rows:,} kudos (target < {TARGET_LEADERBOARD_MS} ms)"
        )


async def bench_database(
    kind: str, database: Database, args: argparse.Namespace, workdir: Path
) -> tuple[list[LoadResult], list[BoardResult]]:
    loads = []
    print(f"{kind}: saturation...", file=sys.stderr)
    loads.append(
        await run_saturation(
            database, name=kind, total=args.kudos, givers=args.givers, data_dir=workdir
        )
    )
    rate = TARGET_KUDOS_PER_SECOND[kind]
    print(f"{kind}: /kudos paced at {rate:,}/s...", file=sys.stderr)
    loads.append(
        await run_paced(
            database,
            name=kind,
            rate=rate,
            seconds=args.paced_seconds,
            givers=args.givers,
            data_dir=workdir,
        )
    )
    print(f"{kind}: mixed commands at {MIXED_RATE}/s...", file=sys.stderr)
    loads.append(
        await run_paced(
            database,
            name=kind,
            rate=MIXED_RATE,
            seconds=args.paced_seconds,
            givers=args.givers,
            data_dir=workdir,
            mix=MIXED,
        )
    )
    print(f"{kind}: baseline...", file=sys.stderr)
    loads.append(await run_baseline(database, name=kind, total=args.kudos, givers=args.givers))
    print(f"{kind}: filling {args.board_rows:,} kudos...", file=sys.stderr)
    rows = await fill_for_leaderboard(database, rows=args.board_rows)
    return loads, await time_leaderboard(database, name=kind, rows=rows)


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
                more_loads, more_boards = await bench_database(kind, database, args, Path(tmp))
                loads += more_loads
                boards += more_boards
    print_tables(loads, boards)
    print_targets(loads, boards)
    failures = [r for r in loads if r.problems]
    for r in failures:
        print(
            f"CORRECTNESS FAILURE {r.database} {r.run}: " + "; ".join(r.problems),
            file=sys.stderr,
        )
    return 1 if failures else 0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kudos", type=int, default=10_000)
    parser.add_argument("--givers", type=int, default=50)
    parser.add_argument("--paced-seconds", type=float, default=10.0)
    parser.add_argument("--board-rows", type=int, default=100_000)
    parser.add_argument("--skip-postgres", action="store_true")
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse_args())))
