"""The dispatcher: exactly-once delivery, retries, permanent failures, grace, crash recovery."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.broadcasts.background import build_dispatcher
from bot.broadcasts.dispatcher import Dispatcher, DispatchPolicy
from bot.broadcasts.listing import format_counts, list_broadcasts
from bot.broadcasts.parsing import DraftRequest
from bot.broadcasts.service import BroadcastService
from bot.broadcasts.settings import BroadcastSettings
from bot.clock import FixedClock
from bot.config import Settings, load_settings
from bot.core import BotCore
from bot.errors import ConfigError, DeliveryError, DeliveryReason, StorageUnavailable
from bot.knowledge_store import KnowledgeStore
from bot.outbound import DEFAULT_PACE, DeliveryKey, Pace, PostedMessage
from bot.replies import Message
from bot.requests import UserRef
from bot.storage import Database
from bot.storage.models import AuditLog, Broadcast, BroadcastDelivery
from tests.core.broadcast_support import (
    CountingSender,
    OutageDatabase,
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
    database: Database | OutageDatabase,
    sender: CountingSender,
    clock: FixedClock,
    name: str = "w1",
    **policy: object,
) -> Dispatcher:
    return Dispatcher(
        database=database,  # type: ignore[arg-type]
        outbound=sender,
        clock=clock,
        worker_id=name,
        policy=DispatchPolicy(**policy),  # type: ignore[arg-type]
        zone=CHICAGO,
    )


async def only_row(database: Database) -> BroadcastDelivery:
    async with database.session() as session:
        rows = list(await session.scalars(select(BroadcastDelivery)))
    assert len(rows) == 1
    return rows[0]


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


async def test_a_short_outage_does_not_turn_into_a_failure(
    database: Database, clock: FixedClock
) -> None:
    # The platform answers 500 for about 30 seconds (six tries: 0, 1, 3, 7, 15, 31 s).
    sender = CountingSender(members=[], flaky={"sam": 6})
    await schedule_dm(database, sender, clock)
    dispatcher = make_dispatcher(database, sender, clock)
    for _ in range(6):
        await dispatcher.drain()
        row = await only_row(database)
        assert row.status == "pending"
        clock.set(row.next_attempt_at)
    await dispatcher.drain()
    assert sender.dm_counts == {"sam": 1}
    row = await only_row(database)
    assert (row.status, row.attempts, row.failure_reason) == ("sent", 7, None)


async def test_transient_errors_are_retried_until_the_grace_period_ends(
    database: Database, clock: FixedClock
) -> None:
    sender = CountingSender(members=[], flaky={"sam": 10_000})
    due = clock.now()
    await schedule_dm(database, sender, clock)
    grace = timedelta(hours=1)
    dispatcher = make_dispatcher(database, sender, clock, grace=grace)
    tries: list[datetime] = []
    while True:
        tries.append(clock.now())
        await dispatcher.drain()
        row = await only_row(database)
        if row.status != "pending":
            break
        assert row.next_attempt_at <= due + grace
        clock.set(row.next_attempt_at)
    gaps = [later - earlier for earlier, later in itertools.pairwise(tries)]
    assert gaps[:4] == [timedelta(seconds=s) for s in (1, 2, 4, 8)]
    assert max(gaps) == timedelta(minutes=5)  # capped backoff
    assert tries[-1] == due + grace  # the last try is at the end of the grace period
    assert row.status == "failed" and row.attempts == len(tries)
    assert row.failure_reason is not None
    assert row.failure_reason.startswith(f"gave up after {len(tries)} tries")
    assert "server error 500" in row.failure_reason
    assert sender.dm_counts == {}


async def test_rows_still_failing_when_the_bot_comes_back_late_are_given_up_not_missed(
    database: Database, clock: FixedClock
) -> None:
    sender = CountingSender(members=[], flaky={"sam": 1})
    await schedule_dm(database, sender, clock)
    await make_dispatcher(database, sender, clock).drain()  # one 500, then the bot stops
    clock.advance(timedelta(hours=7))
    await make_dispatcher(database, sender, clock, grace=timedelta(hours=6)).drain()
    row = await only_row(database)
    assert row.status == "failed"
    assert row.failure_reason == (
        "gave up: still failing when the grace period ended; last error: server error 500"
    )
    assert sender.dms == []  # neither the broadcast nor a "missed" notice


async def test_permanent_failures_are_recorded_per_recipient(
    database: Database, clock: FixedClock
) -> None:
    sender = CountingSender(members=users(4), closed_dms={"u0002"})
    await schedule_dm(database, sender, clock)
    await make_dispatcher(database, sender, clock).drain()
    assert await delivery_statuses(database) == {"sent": 4, "failed": 1}
    async with database.session() as session:
        failed = await session.scalar(
            select(BroadcastDelivery).where(BroadcastDelivery.status == "failed")
        )
    assert failed is not None and failed.failure_reason == "dms_closed"
    assert failed.attempts == 1


async def test_restart_within_grace_sends_and_beyond_grace_marks_missed_and_tells_the_author(
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
    broadcasts = [(user.user_id, message.plain_text()) for user, message in sender.dms]
    assert sorted(text for user, text in broadcasts if text == "second") == ["second"] * 3
    notices = [(user, text) for user, text in broadcasts if text != "second"]
    assert notices == [
        (
            "sam",
            "Your broadcast #1 was not sent to 3 members: memberbot was offline when it was "
            "due (Monday, November 23, 2026 at 9:00 AM CST) and came back more than 6 hours "
            "later. Late broadcasts are not sent automatically; if it still matters, send it "
            "again with /broadcast. It said: “first”",
        )
    ]
    assert await delivery_statuses(database) == {"missed": 3, "sent": 4}
    async with database.session() as session:
        audit = list(await session.scalars(select(AuditLog).where(AuditLog.action == "missed")))
    assert len(audit) == 1 and audit[0].broadcast_id == 1
    assert audit[0].text.startswith("3 deliveries missed")

    # Restarting again, or a second dispatcher, never repeats the notice.
    await dispatcher.drain()
    await make_dispatcher(database, sender, clock, "w2", grace=timedelta(hours=6)).drain()
    assert len(sender.dms) == 4


async def test_a_missed_notice_is_never_itself_reported(
    database: Database, clock: FixedClock
) -> None:
    sender = CountingSender(members=[])
    await schedule_dm(database, sender, clock)
    clock.advance(timedelta(hours=7))
    # The notice is created, but this dispatcher is stopped before it sends anything.
    await make_dispatcher(database, sender, clock).expire_overdue(clock.now())
    clock.advance(timedelta(hours=7))
    await make_dispatcher(database, sender, clock).drain()
    assert sender.dms == []
    async with database.session() as session:
        kinds = list(await session.scalars(select(Broadcast.kind).order_by(Broadcast.id)))
    assert kinds == ["staff", "notice"]
    assert await delivery_statuses(database) == {"missed": 2}


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


async def test_a_database_hiccup_after_sending_does_not_send_twice(
    database: Database, clock: FixedClock
) -> None:
    outage = OutageDatabase(database)
    # The platform accepts the message, then the database refuses the next three writes.
    sender = CountingSender(members=[], on_sent=lambda: setattr(outage, "failures", 3))
    await schedule_dm(database, sender, clock)
    dispatcher = make_dispatcher(
        outage, sender, clock, lease=timedelta(minutes=2), record_retry_base=0.01
    )
    await dispatcher.drain()
    assert outage.refused == 3
    assert (await only_row(database)).status == "sent"
    clock.advance(timedelta(minutes=3))  # past the lease: nothing is left to reclaim
    await dispatcher.drain()
    assert sender.dm_counts == {"sam": 1}


async def test_a_database_outage_longer_than_the_lease_does_not_send_twice(
    database: Database, clock: FixedClock
) -> None:
    outage = OutageDatabase(database)
    sender = CountingSender(members=[], on_sent=lambda: setattr(outage, "failures", 10_000))
    await schedule_dm(database, sender, clock)
    lease = timedelta(seconds=1)  # the record is retried for about a second, then abandoned
    first = make_dispatcher(outage, sender, clock, lease=lease, record_retry_base=0.01)
    with pytest.raises(StorageUnavailable):  # the next claim finds the database still down
        await first.drain()
    assert first.outcomes["unrecorded"] == 1
    assert (await only_row(database)).status == "sending"
    clock.advance(timedelta(seconds=2))
    sender.on_sent = None
    await make_dispatcher(database, sender, clock, "w2", lease=lease).drain()
    # Reclaimed after the lease as "maybe sent": the platform is asked, not sent again.
    assert sender.dm_counts == {"sam": 1}
    row = await only_row(database)
    assert (row.status, row.maybe_sent) == ("sent", False)


class LostAnswerSender(CountingSender):
    """The platform accepts the DMs to ``lose``, but the answer never comes back."""

    def __init__(self, *, lose: set[str], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.lose = lose

    async def send_dm(
        self, *, user: UserRef, message: Message, key: DeliveryKey | None = None
    ) -> PostedMessage:
        posted = await super().send_dm(user=user, message=message, key=key)
        if user.user_id in self.lose:
            self.lose.discard(user.user_id)
            raise DeliveryError("connection dropped", reason=DeliveryReason.UNCONFIRMED)
        return posted


async def test_a_send_whose_answer_was_lost_is_checked_on_its_retry_not_doubled(
    database: Database, clock: FixedClock
) -> None:
    sender = LostAnswerSender(members=users(2), lose={"u0001"})
    await schedule_dm(database, sender, clock)
    dispatcher = make_dispatcher(database, sender, clock)
    await dispatcher.drain()
    async with database.session() as session:
        row = await session.scalar(
            select(BroadcastDelivery).where(BroadcastDelivery.status == "pending")
        )
    assert row is not None and row.maybe_sent and row.failure_reason is not None
    clock.set(row.next_attempt_at)
    await dispatcher.drain()
    assert sender.dm_counts == {"sam": 1, "u0000": 1, "u0001": 1}
    assert await delivery_statuses(database) == {"sent": 3}


class GatedSender(CountingSender):
    """Sends wait at a gate; with ``accept_first`` the platform has the message by then
    (a process frozen or killed right after the platform accepted it)."""

    def __init__(self, *, accept_first: bool = False, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.gate = asyncio.Event()
        self.accept_first = accept_first
        self.waiting = 0

    async def send_dm(
        self, *, user: UserRef, message: Message, key: DeliveryKey | None = None
    ) -> PostedMessage:
        if self.accept_first:
            posted = await super().send_dm(user=user, message=message, key=key)
        self.waiting += 1
        await self.gate.wait()
        if self.accept_first:
            return posted
        return await super().send_dm(user=user, message=message, key=key)


async def statuses_when(database: Database, sender: GatedSender, waiting: int) -> Counter[str]:
    while sender.waiting < waiting:
        await asyncio.sleep(0.005)
    return await delivery_statuses(database)


async def test_a_dispatcher_claims_no_more_rows_than_it_is_sending(
    database: Database, clock: FixedClock
) -> None:
    sender = GatedSender(members=users(59))
    await schedule_dm(database, sender, clock)
    dispatcher = make_dispatcher(database, sender, clock, batch_size=100, concurrency=4)
    task = asyncio.create_task(dispatcher.drain())
    try:
        assert await statuses_when(database, sender, 4) == {"sending": 4, "pending": 56}
        # /broadcast list counts what is really going out.
        listing = await list_broadcasts(
            database, platform="console", workspace_id="local", now=clock.now(), limit=5
        )
        assert format_counts(listing.staff[0].counts) == "sending 4, pending 56"
    finally:
        sender.gate.set()
        await task
    assert await delivery_statuses(database) == {"sent": 60}


async def test_staff_can_cancel_the_rows_still_waiting_while_a_broadcast_goes_out(
    database: Database, clock: FixedClock
) -> None:
    sender = GatedSender(members=users(49))
    broadcast_id = await schedule_dm(database, sender, clock)
    task = asyncio.create_task(make_dispatcher(database, sender, clock, concurrency=4).drain())
    try:
        await statuses_when(database, sender, 4)
        service = BroadcastService(database=database, outbound=sender, zone=CHICAGO)
        cancelled = await service.cancel(
            request=staff_request(f"cancel {broadcast_id}"),
            broadcast_id=broadcast_id,
            now=clock.now(),
        )
    finally:
        sender.gate.set()
        await task
    assert (cancelled.cancelled, cancelled.already_sent) == (46, 4)
    assert await delivery_statuses(database) == {"sent": 4, "cancelled": 46}
    assert sum(sender.dm_counts.values()) == 4


async def test_a_killed_worker_leaves_its_unstarted_rows_to_others_and_its_sends_are_checked(
    database: Database, clock: FixedClock
) -> None:
    platform = CountingSender(members=users(99))
    # The first worker: the platform accepts each of its four sends in flight, then the
    # process is gone (frozen here; never recording anything again), as with kill -9.
    doomed = GatedSender(accept_first=True, dm_counts=platform.dm_counts)
    doomed.sent_keys = platform.sent_keys
    await schedule_dm(database, platform, clock)
    killed = make_dispatcher(database, doomed, clock, "killed", concurrency=4)
    task = asyncio.create_task(killed.drain())
    try:
        assert await statuses_when(database, doomed, 4) == {"sending": 4, "pending": 96}
        restarted = make_dispatcher(database, platform, clock, "restarted", concurrency=4)
        # At once, not after the lease: the rows the dead worker never started.
        await restarted.drain()
        assert await delivery_statuses(database) == {"sent": 96, "sending": 4}
        # After the lease, its four in-flight rows are checked with the platform.
        clock.advance(DispatchPolicy().lease + timedelta(seconds=1))
        await restarted.drain()
    finally:
        task.cancel()
        doomed.gate.set()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    assert len(platform.dm_counts) == 100
    assert set(platform.dm_counts.values()) == {1}  # no duplicates, no losses
    assert await delivery_statuses(database) == {"sent": 100}


async def test_auto_pace_is_the_senders_own_default(
    settings: Settings,
    database: Database,
    clock: FixedClock,
    frozen_knowledge: KnowledgeStore,
) -> None:
    # The sender declares its pace; the core never looks the platform's name up.
    sender = CountingSender(platform="slack", default_pace=Pace(max_per_second=3.0, concurrency=2))
    core = BotCore(
        settings=settings,
        database=database,
        knowledge=frozen_knowledge,
        clock=clock,
        outbound=sender,
    )
    shipped = BroadcastSettings(_env_file=None)  # type: ignore[call-arg]
    dispatcher = build_dispatcher(core, tuning=shipped)
    assert dispatcher.wake is core.deliveries_due  # a "send now" confirm wakes it
    policy = dispatcher.policy
    assert (policy.max_per_second, policy.concurrency) == (3.0, 2)
    assert policy.grace == timedelta(hours=6)
    assert CountingSender().default_pace == DEFAULT_PACE == Pace(None, concurrency=8)


def test_numbers_in_the_settings_override_the_senders_pace_part_by_part() -> None:
    auto = Pace(max_per_second=20.0, concurrency=8)
    rate = BroadcastSettings(broadcast_max_per_second="5", _env_file=None)  # type: ignore[call-arg]
    assert rate.pace(auto) == Pace(max_per_second=5.0, concurrency=8)
    tuned = BroadcastSettings(
        broadcast_max_per_second="5", broadcast_concurrency="2", _env_file=None
    )  # type: ignore[call-arg]
    assert tuned.pace(auto) == Pace(max_per_second=5.0, concurrency=2)
    unpaced = BroadcastSettings(broadcast_max_per_second="0", _env_file=None)  # type: ignore[call-arg]
    assert unpaced.pace(auto) == Pace(max_per_second=None, concurrency=8)
    with pytest.raises(ConfigError, match="BROADCAST_MAX_PER_SECOND: 'fast' is not 'auto'"):
        load_settings(BroadcastSettings, broadcast_max_per_second="fast", _env_file=None)
    with pytest.raises(ConfigError, match="BROADCAST_CONCURRENCY: '0' is not 'auto'"):
        load_settings(BroadcastSettings, broadcast_concurrency="0", _env_file=None)
