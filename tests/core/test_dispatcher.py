"""The dispatcher: exactly-once delivery, retries, permanent failures, grace, crash recovery."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.broadcasts.dispatcher import Dispatcher, DispatchPolicy
from bot.broadcasts.parsing import DraftRequest
from bot.broadcasts.service import BroadcastService
from bot.clock import FixedClock
from bot.requests import UserRef
from bot.storage import Database
from bot.storage.models import AuditLog, BroadcastDelivery
from tests.core.broadcast_support import (
    CountingSender,
    delivery_statuses,
    member,
    seed_members,
    staff_request,
)
from tests.support.databases import postgres_schema, require_postgres

CHICAGO = ZoneInfo("America/Chicago")


def users(count: int) -> list[UserRef]:
    return [member(f"u{index:04d}") for index in range(count)]


async def schedule_dm(
    database: Database, sender: CountingSender, clock: FixedClock, *, text: str = "Hello"
) -> int:
    """Draft and confirm a DM broadcast to every member ``sender`` lists, due now."""
    service = BroadcastService(database=database, outbound=sender, zone=CHICAGO)
    request = staff_request(f"dm {text}")
    draft = DraftRequest(to_dm=True, channel_id=None, local_day=None, local_time=None, text=text)
    created = await service.create_draft(request=request, draft=draft, now=clock.now())
    await service.confirm(request=request, broadcast_id=created.broadcast.id, now=clock.now())
    return created.broadcast.id


def make_dispatcher(
    database: Database,
    sender: CountingSender,
    clock: FixedClock,
    name: str = "w1",
    **policy: object,
) -> Dispatcher:
    return Dispatcher(
        database=database,
        outbound=sender,
        clock=clock,
        worker_id=name,
        policy=DispatchPolicy(**policy),  # type: ignore[arg-type]
    )


async def test_each_recipient_gets_one_message(database: Database, clock: FixedClock) -> None:
    sender = CountingSender(members=users(30))
    await schedule_dm(database, sender, clock)
    dispatcher = make_dispatcher(database, sender, clock, batch_size=7, concurrency=3)
    assert await dispatcher.drain() == 31  # 30 listed members + the staff member
    assert await dispatcher.drain() == 0
    assert set(sender.dm_counts.values()) == {1}
    assert len(sender.dm_counts) == 31
    assert await delivery_statuses(database) == {"sent": 31}


async def test_transient_errors_are_retried_with_backoff(
    database: Database, clock: FixedClock
) -> None:
    sender = CountingSender(members=users(3), flaky={"u0001": 2})
    await schedule_dm(database, sender, clock)
    dispatcher = make_dispatcher(database, sender, clock)
    await dispatcher.drain()
    assert sender.dm_counts["u0001"] == 0
    async with database.session() as session:
        row = await session.scalar(
            select(BroadcastDelivery).where(BroadcastDelivery.status == "pending")
        )
    assert row is not None and row.attempts == 1
    assert row.next_attempt_at == clock.now() + timedelta(seconds=1)
    clock.advance(timedelta(seconds=1))
    await dispatcher.drain()  # second failure: next try 2 s later
    assert await dispatcher.drain() == 0
    clock.advance(timedelta(seconds=2))
    await dispatcher.drain()
    assert sender.dm_counts["u0001"] == 1
    assert await delivery_statuses(database) == {"sent": 4}


async def test_transient_errors_give_up_after_max_attempts(
    database: Database, clock: FixedClock
) -> None:
    sender = CountingSender(members=users(1), flaky={"u0000": 99})
    await schedule_dm(database, sender, clock)
    dispatcher = make_dispatcher(database, sender, clock, max_attempts=3)
    for _ in range(3):
        await dispatcher.drain()
        clock.advance(timedelta(minutes=1))
    async with database.session() as session:
        row = await session.scalar(
            select(BroadcastDelivery).where(BroadcastDelivery.status == "failed")
        )
    assert row is not None
    assert row.failure_reason is not None and "gave up after 3 tries" in row.failure_reason


async def test_permanent_failures_are_recorded_per_recipient(
    database: Database, clock: FixedClock
) -> None:
    sender = CountingSender(members=users(4), closed={"u0002"})
    await schedule_dm(database, sender, clock)
    await make_dispatcher(database, sender, clock).drain()
    assert await delivery_statuses(database) == {"sent": 4, "failed": 1}
    async with database.session() as session:
        failed = await session.scalar(
            select(BroadcastDelivery).where(BroadcastDelivery.status == "failed")
        )
    assert failed is not None and failed.failure_reason == "dms_closed"
    assert failed.attempts == 1


async def test_restart_within_grace_sends_and_beyond_grace_marks_missed(
    database: Database, clock: FixedClock
) -> None:
    sender = CountingSender(members=users(2))
    start = clock.now()
    await schedule_dm(database, sender, clock, text="first")  # due now
    clock.advance(timedelta(hours=2))
    await schedule_dm(database, sender, clock, text="second")  # due two hours later
    # The bot was down; it comes back 7 hours after the first broadcast fell due.
    clock.set(start + timedelta(hours=7))
    dispatcher = make_dispatcher(database, sender, clock, grace=timedelta(hours=6))
    await dispatcher.drain()
    texts = {message.plain_text() for _, message in sender.dms}
    assert texts == {"second"}
    assert await delivery_statuses(database) == {"missed": 3, "sent": 3}
    async with database.session() as session:
        audit = list(await session.scalars(select(AuditLog).where(AuditLog.action == "missed")))
    assert len(audit) == 1 and audit[0].broadcast_id == 1
    assert audit[0].text.startswith("3 deliveries missed")


async def test_rows_of_a_crashed_dispatcher_are_reclaimed_after_the_lease(
    database: Database, clock: FixedClock
) -> None:
    sender = CountingSender(members=users(5))
    await schedule_dm(database, sender, clock)
    crashed = make_dispatcher(database, sender, clock, "crashed")
    claimed = await crashed.claim(clock.now(), limit=4)  # then the process died
    assert len(claimed) == 4
    survivor = make_dispatcher(database, sender, clock, "survivor", lease=timedelta(minutes=2))
    await survivor.drain()
    assert sum(sender.dm_counts.values()) == 2  # only the unclaimed rows
    clock.advance(timedelta(minutes=3))
    await survivor.drain()
    assert set(sender.dm_counts.values()) == {1} and len(sender.dm_counts) == 6
    assert await delivery_statuses(database) == {"sent": 6}


async def test_stopping_mid_broadcast_and_restarting_sends_each_message_once(
    database: Database, clock: FixedClock
) -> None:
    sender = CountingSender(members=users(150), delay=0.002)
    await schedule_dm(database, sender, clock)
    first = make_dispatcher(database, sender, clock, "first", batch_size=20, concurrency=4)
    task = asyncio.create_task(first.drain())
    while sum(sender.dm_counts.values()) < 40:
        await asyncio.sleep(0.005)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    sent_before_restart = sum(sender.dm_counts.values())
    assert 40 <= sent_before_restart < 151
    statuses = await delivery_statuses(database)
    assert "sending" not in statuses  # graceful stop leaves nothing half-claimed
    assert statuses["pending"] == 151 - sent_before_restart

    second = make_dispatcher(database, sender, clock, "second", batch_size=20, concurrency=4)
    await second.drain()
    assert len(sender.dm_counts) == 151
    assert set(sender.dm_counts.values()) == {1}
    assert await delivery_statuses(database) == {"sent": 151}


async def test_two_dispatchers_on_postgresql_share_a_broadcast_without_duplicates(
    tmp_path: Path, clock: FixedClock
) -> None:
    url = require_postgres()
    async with postgres_schema(url) as schema:
        first_db = Database(url=url, schema=schema)
        second_db = Database(url=url, schema=schema)  # a second pool, as a second process has
        try:
            await first_db.upgrade()
            sender = CountingSender(members=users(999), delay=0.0005)
            await schedule_dm(first_db, sender, clock)
            first = make_dispatcher(first_db, sender, clock, "a", batch_size=50, concurrency=6)
            second = make_dispatcher(second_db, sender, clock, "b", batch_size=50, concurrency=6)
            await asyncio.gather(first.drain(), second.drain())
            assert len(sender.dm_counts) == 1000
            assert set(sender.dm_counts.values()) == {1}
            assert first.outcomes["sent"] > 0 and second.outcomes["sent"] > 0
            assert first.outcomes["sent"] + second.outcomes["sent"] == 1000
            assert await delivery_statuses(first_db) == {"sent": 1000}
        finally:
            await first_db.dispose()
            await second_db.dispose()


async def test_seeded_members_without_directory_are_reached(
    database: Database, clock: FixedClock
) -> None:
    # The console has no member directory: members it has seen are the audience.
    sender = CountingSender(members=[])
    await seed_members(database, [member("ann"), member("bob")], now=clock.now())
    await schedule_dm(database, sender, clock)
    await make_dispatcher(database, sender, clock).drain()
    assert set(sender.dm_counts) == {"ann", "bob", "sam"}
