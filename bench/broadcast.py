"""Benchmark: a DM broadcast through the Slack adapter to a rate-limited, flaky fake Slack.

What runs is the shipped configuration: each dispatcher is a separate process
that builds the Slack adapter's sender the way ``memberbot run slack`` does (one
long-lived HTTP session, the adapter's retry handlers) and the dispatcher the
way the bot's background service does (``BROADCAST_*`` settings at their
defaults, ``auto``: for Slack no fixed pace, the platform's 429 answers set it).

The fake Slack answers ``chat.postMessage`` beyond ``--rate`` per second with 429
and ``Retry-After``, fails ``--failure-rate`` of the calls with 500, and accepts
``--reset-rate`` of them and then drops the connection without an answer (the
sender must find the message in the channel history, not send it again). A few
members are deactivated after the audience was fixed, so their DMs fail
permanently. The bound is what the rate limit allows: ``recipients / rate``.

Counted from the fake's log and the database:

* duplicates: messages Slack accepted beyond the first for one recipient;
* misses: recipients with no message and no permanent failure (rows that gave
  up on transient errors, or were never delivered, count as misses).

Runs: SQLite with one dispatcher; SQLite with one dispatcher process killed
(``kill -9``) once Slack holds ``--kill-at`` messages and a fresh process
started in its place (its lease shortened by ``--lease`` so the run stays
short); PostgreSQL (``BENCH_DATABASE_URL`` or ``TEST_DATABASE_URL``) with one
and with two dispatcher processes. Prints a table; exits 1 on any duplicate or
miss (never on a time)::

    .venv/bin/python bench/broadcast.py [--recipients 5000] [--rate 100] [--reset-rate 0.1]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import multiprocessing
import os
import signal
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, replace
from datetime import timedelta
from multiprocessing.synchronize import Event
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp
from sqlalchemy import select, text

from adapters.slack.app import build_sender
from adapters.slack.sender import SLACK_PACE
from adapters.slack.settings import SlackSettings
from bot.broadcasts.background import build_dispatcher, dispatch_policy
from bot.broadcasts.overdue import is_transient_give_up
from bot.broadcasts.parsing import DraftRequest
from bot.broadcasts.service import BroadcastService
from bot.broadcasts.settings import BroadcastSettings
from bot.clock import SystemClock
from bot.config import DEFAULT_KNOWLEDGE_FILE, Settings
from bot.core import BotCore
from bot.knowledge_store import KnowledgeStore
from bot.requests import Request, UserRef
from bot.storage import Database
from bot.storage.models import BroadcastDelivery, Member
from tests.fakes.fake_slack import TEAM_ID, FakeSlack, FakeUser

TOKEN = "xoxb-bench"
STAFF_ID = "USTAFF"
DEACTIVATED = 5


@dataclass
class Row:
    backend: str
    dispatchers: str
    recipients: int
    seconds: float
    bound: float
    sent: int
    permanent: int
    duplicates: int
    misses: int
    http_429: int
    http_500: int
    resets: int

    @property
    def ratio(self) -> float:
        return self.seconds / self.bound


def make_users(count: int) -> list[FakeUser]:
    users = [FakeUser(STAFF_ID, "staff")]
    users += [FakeUser(f"U{index:05d}", f"member{index}") for index in range(count - 1)]
    return users


def slack_settings(api_url: str) -> SlackSettings:
    return SlackSettings(
        slack_bot_token=TOKEN,
        slack_signing_secret="bench",
        slack_api_url=api_url,
        _env_file=None,  # type: ignore[call-arg]
    )


def shipped_tuning() -> BroadcastSettings:
    """The BROADCAST_* settings a bot runs with when ``.env`` leaves them alone."""
    return BroadcastSettings(_env_file=None)  # type: ignore[call-arg]


async def schedule(database: Database, api_url: str) -> int:
    """Sync the directory and confirm one DM broadcast to everyone; returns its audience."""
    async with aiohttp.ClientSession() as session:
        sender = build_sender(slack_settings(api_url), session=session)
        service = BroadcastService(
            database=database, outbound=sender, zone=ZoneInfo("America/Chicago")
        )
        request = Request(
            platform="slack",
            workspace_id=TEAM_ID,
            channel_id="C1",
            sender=UserRef("slack", TEAM_ID, STAFF_ID, "staff"),
            command="broadcast",
            is_staff=True,
        )
        draft = DraftRequest(
            to_dm=True,
            channel_id=None,
            local_day=None,
            local_time=None,
            text="Ballots need membership by January 31.",
        )
        now = SystemClock().now()
        created = await service.create_draft(request=request, draft=draft, now=now)
        confirmed = await service.confirm(
            request=request, broadcast_id=created.broadcast.id, now=now
        )
    return confirmed.audience_size


async def dispatch(
    url: str,
    schema: str | None,
    api_url: str,
    ready: Event,
    go: Event,
    lease_seconds: float | None = None,
) -> None:
    """One bot process's dispatcher, built as the background service builds it.

    Sets ``ready`` once built and starts when ``go`` is set, so the time measured
    is delivery, not Python start-up. With ``lease_seconds`` (the restarted
    process of the kill case) it keeps going until no row is left unfinished,
    taking back the rows of the killed process after that (shortened) lease.
    """
    database = Database(url=url, schema=schema)
    try:
        async with aiohttp.ClientSession() as session:
            core = BotCore(
                settings=Settings(database_url=url, _env_file=None),  # type: ignore[call-arg]
                database=database,
                knowledge=KnowledgeStore(path=DEFAULT_KNOWLEDGE_FILE),
                outbound=build_sender(slack_settings(api_url), session=session),
            )
            dispatcher = build_dispatcher(core, tuning=shipped_tuning())
            if lease_seconds is not None:
                policy = replace(dispatcher.policy, lease=timedelta(seconds=lease_seconds))
                dispatcher.policy = policy
            ready.set()
            await asyncio.to_thread(go.wait)
            await dispatcher.drain(wait_for_retries=True)
            while lease_seconds is not None and await unfinished(database):
                await asyncio.sleep(lease_seconds / 4)
                await dispatcher.drain(wait_for_retries=True)
    finally:
        await database.dispose()


def quiet_logs() -> None:
    # Every 429/500 is logged by the adapter; the table is the output here.
    logging.basicConfig(level=logging.ERROR)


def dispatch_process(
    url: str,
    schema: str | None,
    api_url: str,
    ready: Event,
    go: Event,
    lease_seconds: float | None = None,
) -> None:
    quiet_logs()
    asyncio.run(dispatch(url, schema, api_url, ready, go, lease_seconds))


async def unfinished(database: Database) -> int:
    """Rows still pending or being sent."""
    async with database.session() as session:
        return len(
            list(
                await session.scalars(
                    select(BroadcastDelivery.id).where(
                        BroadcastDelivery.status.in_(["pending", "sending"])
                    )
                )
            )
        )


async def kill_and_restart(
    fake: FakeSlack, url: str, schema: str | None, kill_at: int, lease_seconds: float
) -> None:
    """Start a dispatcher process, ``kill -9`` it once Slack holds ``kill_at`` of the
    messages, start a fresh one (as a supervisor would) and wait until it is done."""
    context = multiprocessing.get_context("spawn")
    first_ready, first_go = context.Event(), context.Event()
    first = context.Process(
        target=dispatch_process, args=(url, schema, fake.api_url, first_ready, first_go)
    )
    first.start()
    await asyncio.to_thread(first_ready.wait, 120)
    first_go.set()
    while len(fake.delivered("chat.postMessage")) < kill_at and first.is_alive():
        await asyncio.sleep(0.005)
    os.kill(first.pid or 0, signal.SIGKILL)
    await asyncio.to_thread(first.join)
    second_ready, second_go = context.Event(), context.Event()
    second = context.Process(
        target=dispatch_process,
        args=(url, schema, fake.api_url, second_ready, second_go, lease_seconds),
    )
    second.start()
    await asyncio.to_thread(second_ready.wait, 120)
    second_go.set()
    await asyncio.to_thread(second.join)
    if second.exitcode:
        raise RuntimeError(f"the restarted dispatcher failed (exit code {second.exitcode})")


async def check(database: Database, fake: FakeSlack, audience: int) -> tuple[int, int, int, int]:
    """(sent, permanent failures, duplicates, misses) from the fake's log and the database."""
    delivered = Counter(
        str(call.params.get("channel")) for call in fake.delivered("chat.postMessage")
    )
    async with database.session() as session:
        rows = list(
            await session.execute(
                select(
                    Member.user_id, BroadcastDelivery.status, BroadcastDelivery.failure_reason
                ).join(Member, Member.id == BroadcastDelivery.member_id)
            )
        )
    permanent = {
        user
        for user, status, reason in rows
        if status == "failed" and reason and not is_transient_give_up(reason)
    }
    duplicates = sum(count - 1 for count in delivered.values() if count > 1)
    misses = sum(
        1 for user, _, _ in rows if delivered.get("D" + user, 0) == 0 and user not in permanent
    )
    misses += max(0, audience - len(rows))
    sent = sum(1 for _, status, _ in rows if status == "sent")
    return sent, len(permanent), duplicates, misses


async def run_case(
    backend: str,
    url: str,
    dispatchers: int,
    recipients: int,
    rate: float,
    failure_rate: float,
    reset_rate: float,
    kill_at: int = 0,
    lease_seconds: float = 5.0,
) -> Row:
    schema = None
    admin = None
    if backend == "postgresql":
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        admin = Database(url=url)
        async with admin.engine.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    database = Database(url=url, schema=schema)
    fake = FakeSlack(
        users=make_users(recipients),
        rate_limit_per_second=rate,
        failure_rate=failure_rate,
        reset_rate=reset_rate,
    ).start()
    try:
        await database.upgrade()
        audience = await schedule(database, fake.api_url)
        for index in range(DEACTIVATED):
            # Left the workspace after the audience was fixed: a permanent failure.
            fake.add_user(FakeUser(f"U{index:05d}", f"member{index}", deleted=True))
        fake.clear()
        if kill_at:
            start = time.perf_counter()
            await kill_and_restart(fake, url, schema, kill_at, lease_seconds)
            return await summarise(
                backend, f"1, kill -9 at {kill_at}", fake, database, audience, rate, start
            )
        context = multiprocessing.get_context("spawn")
        go = context.Event()
        ready = [context.Event() for _ in range(dispatchers)]
        processes = [
            context.Process(target=dispatch_process, args=(url, schema, fake.api_url, event, go))
            for event in ready
        ]
        for process in processes:
            process.start()
        for event in ready:
            await asyncio.to_thread(event.wait, 120)
        start = time.perf_counter()
        go.set()
        for process in processes:
            await asyncio.to_thread(process.join)
        if any(process.exitcode for process in processes):
            raise RuntimeError(
                f"a dispatcher process failed (exit codes {[p.exitcode for p in processes]})"
            )
        return await summarise(backend, str(dispatchers), fake, database, audience, rate, start)
    finally:
        fake.stop()
        await database.dispose()
        if admin is not None:
            async with admin.engine.begin() as conn:
                await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            await admin.dispose()


async def summarise(
    backend: str,
    dispatchers: str,
    fake: FakeSlack,
    database: Database,
    audience: int,
    rate: float,
    start: float,
) -> Row:
    seconds = time.perf_counter() - start
    sent, permanent, duplicates, misses = await check(database, fake, audience)
    statuses = Counter(call.status for call in fake.calls("chat.postMessage"))
    return Row(
        backend=backend,
        dispatchers=dispatchers,
        recipients=audience,
        seconds=seconds,
        bound=audience / rate,
        sent=sent,
        permanent=permanent,
        duplicates=duplicates,
        misses=misses,
        http_429=statuses[429],
        http_500=statuses[500],
        resets=sum(call.connection_reset for call in fake.calls("chat.postMessage")),
    )


def print_table(rows: list[Row]) -> None:
    header = (
        "backend",
        "dispatchers",
        "recipients",
        "seconds",
        "bound s",
        "ratio",
        "sent",
        "permanent failures",
        "duplicates",
        "misses",
        "429s",
        "500s",
        "resets",
    )
    lines = [header] + [
        (
            r.backend,
            r.dispatchers,
            str(r.recipients),
            f"{r.seconds:.1f}",
            f"{r.bound:.1f}",
            f"{r.ratio:.2f}x",
            str(r.sent),
            str(r.permanent),
            str(r.duplicates),
            str(r.misses),
            str(r.http_429),
            str(r.http_500),
            str(r.resets),
        )
        for r in rows
    ]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for index, line in enumerate(lines):
        print(
            "| "
            + " | ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True))
            + " |"
        )
        if index == 0:
            print("|" + "|".join("-" * (width + 2) for width in widths) + "|")


def describe_pace() -> str:
    policy = dispatch_policy(
        Settings(_env_file=None),  # type: ignore[call-arg]
        shipped_tuning(),
        default_pace=SLACK_PACE,
    )
    pace = (
        f"{policy.max_per_second:g} msg/s"
        if policy.max_per_second
        else "no fixed pace (429 + Retry-After)"
    )
    return f"dispatcher per process: {pace}, {policy.concurrency} in flight"


async def main(args: argparse.Namespace) -> int:
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        sqlite_url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        rows.append(
            await run_case(
                "sqlite",
                sqlite_url,
                1,
                args.recipients,
                args.rate,
                args.failure_rate,
                args.reset_rate,
            )
        )
        print_progress(rows[-1])
    kill_at = args.kill_at if args.kill_at is not None else args.recipients // 2
    if kill_at:
        with tempfile.TemporaryDirectory() as tmp:
            sqlite_url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
            rows.append(
                await run_case(
                    "sqlite",
                    sqlite_url,
                    1,
                    args.recipients,
                    args.rate,
                    args.failure_rate,
                    args.reset_rate,
                    kill_at=kill_at,
                    lease_seconds=args.lease,
                )
            )
            print_progress(rows[-1])
    pg_url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if pg_url:
        for dispatchers in (1, 2):
            rows.append(
                await run_case(
                    "postgresql",
                    pg_url,
                    dispatchers,
                    args.recipients,
                    args.rate,
                    args.failure_rate,
                    args.reset_rate,
                )
            )
            print_progress(rows[-1])
    else:
        print("PostgreSQL skipped: set TEST_DATABASE_URL or BENCH_DATABASE_URL", file=sys.stderr)
    print(
        f"\nDM broadcast, fake Slack limit {args.rate:g} msg/s (429 + Retry-After beyond), "
        f"{args.failure_rate:.0%} 500s, {args.reset_rate:.0%} accepted then reset, "
        f"{DEACTIVATED} members deactivated mid-broadcast; "
        f"{describe_pace()}; bound = recipients / rate; target ratio <= 1.15x\n"
    )
    print_table(rows)
    broken = [r for r in rows if r.duplicates or r.misses]
    if broken:
        print("\nFAIL: duplicates or misses", file=sys.stderr)
        return 1
    return 0


def print_progress(row: Row) -> None:
    print(
        f"{row.backend} x{row.dispatchers}: {row.seconds:.1f}s (bound {row.bound:.1f}s)",
        file=sys.stderr,
    )


if __name__ == "__main__":
    quiet_logs()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=5000)
    parser.add_argument("--rate", type=float, default=100.0, help="fake Slack messages per second")
    parser.add_argument("--failure-rate", type=float, default=0.01, help="fraction of 500s")
    parser.add_argument(
        "--reset-rate",
        type=float,
        default=0.1,
        help="fraction of posts accepted, then answered by a dropped connection",
    )
    parser.add_argument(
        "--kill-at",
        type=int,
        default=None,
        help="kill -9 the dispatcher process once Slack has this many messages, then "
        "restart it (default: half the recipients; 0 skips the case)",
    )
    parser.add_argument(
        "--lease",
        type=float,
        default=5.0,
        help="claim lease of the restarted process, seconds (shipped: 60; shorter here "
        "so the run is short)",
    )
    sys.exit(asyncio.run(main(parser.parse_args())))
