"""A member's own deadline reminders: one DM at the chosen time, moved, cancelled, never twice.

Every test runs on SQLite and (with TEST_DATABASE_URL) PostgreSQL, through the real
core, the real delivery dispatcher and the recording sender, with an injected clock.
The organisation is in America/Chicago (CST, UTC-6 in December) and reminders come
at 09:00 local time, so a reminder's DM is due at 15:00 UTC.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from bot.broadcasts.background import BroadcastsAndReminders
from bot.broadcasts.dispatcher import Dispatcher, DispatchPolicy
from bot.clock import FixedClock
from bot.config import Settings
from bot.core import BotCore
from bot.knowledge_store import KnowledgeStore
from bot.outbound import DeliveryKey
from bot.reminders.reconcile import MemberReminderScheduler
from bot.replies import text_message
from bot.storage import Database
from bot.storage.models import Broadcast, BroadcastDelivery
from bot.storage.models.member_reminders import MemberReminder
from tests.core.broadcast_support import member, member_request
from tests.support.knowledge import FROZEN_KNOWLEDGE_FILE
from tests.support.recording import RecordingSender

#: Monday November 23, 2026, 09:00 in Chicago.
NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
AWARDS = {
    "id": "awards-2026",
    "title": "Award nominations close",
    "date": "2026-12-10",
    "description": "Nominate a colleague for a service award.",
}
RENEWALS = {"id": "renewals-2026", "title": "Membership renewals due", "date": "2026-11-25"}
OLD = {"id": "old-2020", "title": "Old gala", "date": "2020-12-07"}
#: When each choice's DM for AWARDS is due (09:00 CST = 15:00 UTC).
AWARDS_DUE = {
    "1w": datetime(2026, 12, 3, 15, 0, tzinfo=UTC),
    "1d": datetime(2026, 12, 9, 15, 0, tzinfo=UTC),
    "morning": datetime(2026, 12, 10, 15, 0, tzinfo=UTC),
}


def write_deadlines(path: Path, *deadlines: dict[str, str]) -> None:
    """The frozen knowledge file with only ``deadlines``, written to ``path``."""
    data = yaml.safe_load(FROZEN_KNOWLEDGE_FILE.read_text(encoding="utf-8"))
    data["deadlines"] = [dict(d) for d in deadlines]
    for entry in data["entries"]:  # answers may name the deadlines just removed
        entry["answer"] = re.sub(r"\{deadline:[^}]*\}", "the date", entry["answer"])
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


@pytest.fixture
def knowledge_file(tmp_path: Path) -> Path:
    path = tmp_path / "knowledge.yaml"
    write_deadlines(path, AWARDS, RENEWALS, OLD)
    return path


@pytest.fixture
def store(knowledge_file: Path) -> KnowledgeStore:
    return KnowledgeStore(path=knowledge_file)


@pytest.fixture
def now_clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def sender() -> RecordingSender:
    return RecordingSender()


@pytest.fixture
async def bot(
    settings: Settings,
    database: Database,
    now_clock: FixedClock,
    sender: RecordingSender,
    store: KnowledgeStore,
) -> BotCore:
    core = BotCore(
        settings=settings, database=database, knowledge=store, clock=now_clock, outbound=sender
    )
    await core.start()
    return core


async def ask(bot: BotCore, text: str, *, who: str = "ann") -> str:
    reply = await bot.handle(member_request(who, "reminders", text))
    assert reply is not None
    return reply.text


def dispatcher(bot: BotCore, sender: RecordingSender, name: str = "worker") -> Dispatcher:
    return Dispatcher(
        database=bot.database,
        outbound=sender,
        clock=bot.clock,
        worker_id=name,
        policy=DispatchPolicy(lease=timedelta(minutes=1)),
    )


async def deliver_at(bot: BotCore, sender: RecordingSender, moment: datetime) -> None:
    """Run a dispatcher at ``moment`` until nothing is due."""
    assert isinstance(bot.clock, FixedClock)
    bot.clock.set(moment)
    await dispatcher(bot, sender).drain()


def dm_texts(sender: RecordingSender, user_id: str = "ann") -> list[str]:
    return [message.plain_text() for user, message in sender.dms if user.user_id == user_id]


async def pending_dues(database: Database) -> list[datetime]:
    async with database.session() as session:
        rows = await session.scalars(
            select(BroadcastDelivery.due_at)
            .join(Broadcast, Broadcast.id == BroadcastDelivery.broadcast_id)
            .where(Broadcast.kind == "member_reminder", BroadcastDelivery.status == "pending")
            .order_by(BroadcastDelivery.due_at)
        )
        return list(rows)


async def count(database: Database, model: type) -> int:
    async with database.session() as session:
        return await session.scalar(select(func.count()).select_from(model)) or 0


def reconciler(bot: BotCore) -> MemberReminderScheduler:
    return MemberReminderScheduler(
        database=bot.database, platform="console", at=bot.settings.reminder_local_time
    )


@pytest.mark.parametrize(
    ("when", "wording"), [("1w", "in 7 days"), ("1d", "tomorrow"), ("morning", "today")]
)
async def test_each_lead_time_sends_one_dm_at_nine_in_the_morning_local_time(
    bot: BotCore, sender: RecordingSender, when: str, wording: str
) -> None:
    reply = await ask(bot, f"remind awards-2026 {when}")
    assert "Done: I will DM you about Award nominations close" in reply
    due = AWARDS_DUE[when]
    assert await pending_dues(bot.database) == [due]

    await deliver_at(bot, sender, due - timedelta(minutes=1))
    assert sender.dms == []
    await deliver_at(bot, sender, due)
    (text,) = dm_texts(sender)
    assert f"Award nominations close, {wording} (Thursday, December 10, 2026)" in text
    assert "Nominate a colleague" in text and "/reminders list" in text
    await deliver_at(bot, sender, due + timedelta(hours=1))
    assert len(sender.dms) == 1  # sent once, recorded as sent


async def test_asking_twice_keeps_one_reminder_even_at_the_same_moment(
    bot: BotCore, sender: RecordingSender
) -> None:
    first, second = await asyncio.gather(
        ask(bot, "remind awards-2026 1d"), ask(bot, "remind awards-2026 1d")
    )
    assert sorted(("already" in first, "already" in second)) == [False, True]
    assert "You already have this reminder (#1)" in await ask(bot, "remind awards-2026 when:1d")
    assert await count(bot.database, MemberReminder) == 1
    assert await count(bot.database, BroadcastDelivery) == 1
    await deliver_at(bot, sender, AWARDS_DUE["1d"])
    assert len(dm_texts(sender)) == 1
    # another lead time for the same deadline is another reminder
    await ask(bot, "remind awards-2026 morning")
    assert await pending_dues(bot.database) == [AWARDS_DUE["morning"]]


async def test_a_past_deadline_or_a_past_lead_time_is_refused_kindly(bot: BotCore) -> None:
    past = await ask(bot, "remind old-2020 1d")
    assert "Old gala has already passed (Monday, December 7, 2020)" in past
    assert "nothing to remind you of" in past
    too_late = await ask(bot, "remind renewals-2026 1w")  # a week before was Nov 18
    assert "too late for a reminder a week before Membership renewals due" in too_late
    assert "I can still remind you 1d (the day before) or morning (that morning)" in too_late
    assert await count(bot.database, MemberReminder) == 0
    assert await count(bot.database, Broadcast) == 0


async def test_a_deadline_the_member_names_wrongly_gets_the_upcoming_ids(bot: BotCore) -> None:
    reply = await ask(bot, "remind galaxy 1d")
    assert "I know no deadline 'galaxy'" in reply
    assert "awards-2026 (Award nominations close" in reply and "old-2020" not in reply
    assert "I did not understand when 'when:fortnight'" in await ask(
        bot, "remind awards-2026 when:fortnight"
    )
    # words of the title that fit one deadline are enough
    assert "Award nominations close" in await ask(bot, "remind award nominations a week")
    assert await pending_dues(bot.database) == [AWARDS_DUE["1w"]]
    assert await count(bot.database, MemberReminder) == 1


async def test_a_moved_deadline_moves_the_reminder_on_reload(
    bot: BotCore, sender: RecordingSender, store: KnowledgeStore, knowledge_file: Path
) -> None:
    await ask(bot, "remind awards-2026 1d")
    write_deadlines(knowledge_file, {**AWARDS, "date": "2026-12-17"}, RENEWALS)
    assert await store.reload() is None
    result = await reconciler(bot).reconcile(store.knowledge, now=bot.clock.now())
    assert result.moved == 1
    moved_due = datetime(2026, 12, 16, 15, 0, tzinfo=UTC)
    assert await pending_dues(bot.database) == [moved_due]
    again = await reconciler(bot).reconcile(store.knowledge, now=bot.clock.now())
    assert (again.moved, again.cancelled) == (0, 0)  # reconciling twice changes nothing

    await deliver_at(bot, sender, AWARDS_DUE["1d"])  # the old time: nothing
    assert sender.dms == []
    await deliver_at(bot, sender, moved_due)
    (text,) = dm_texts(sender)
    assert "tomorrow (Thursday, December 17, 2026)" in text


async def test_moving_a_reminder_that_may_have_been_sent_keeps_it_checked_before_sending(
    bot: BotCore, sender: RecordingSender, store: KnowledgeStore, knowledge_file: Path
) -> None:
    await ask(bot, "remind awards-2026 1d")
    async with bot.database.session() as session:
        row = await session.scalar(select(BroadcastDelivery))
        assert row is not None
        # An earlier attempt reached the platform, but its outcome was never recorded:
        # the row went back to pending, flagged "maybe sent".
        row.maybe_sent = True
        row_id = row.id
    await sender.send_dm(
        user=member("ann"),
        message=text_message("Award nominations close, tomorrow"),
        key=DeliveryKey.for_broadcast_delivery(row_id),
    )

    write_deadlines(knowledge_file, {**AWARDS, "date": "2026-12-17"}, RENEWALS)
    assert await store.reload() is None
    assert (await reconciler(bot).reconcile(store.knowledge, now=NOW)).moved == 1
    moved_due = datetime(2026, 12, 16, 15, 0, tzinfo=UTC)
    assert await pending_dues(bot.database) == [moved_due]
    async with bot.database.session() as session:
        moved = await session.get(BroadcastDelivery, row_id)
        assert moved is not None
        assert (moved.status, moved.due_at, moved.maybe_sent) == ("pending", moved_due, True)

    await deliver_at(bot, sender, moved_due)
    assert sender.dm_counts["ann"] == 1  # the platform already had it: never sent twice


async def test_a_removed_deadline_cancels_the_reminder_and_nothing_is_sent(
    bot: BotCore,
    sender: RecordingSender,
    store: KnowledgeStore,
    knowledge_file: Path,
    now_clock: FixedClock,
) -> None:
    await ask(bot, "remind awards-2026 1w")
    write_deadlines(knowledge_file, RENEWALS)
    assert await store.reload() is None
    result = await reconciler(bot).reconcile(store.knowledge, now=bot.clock.now())
    assert result.cancelled == 1
    assert await pending_dues(bot.database) == []
    assert "You have no deadline reminders" in await ask(bot, "list")
    for due in AWARDS_DUE.values():
        await deliver_at(bot, sender, due)
    assert sender.dms == [] and sender.posts == []  # neither the member nor staff hear of it

    # restored (a mistaken edit undone): the reminder comes back
    write_deadlines(knowledge_file, AWARDS, RENEWALS)
    assert await store.reload() is None
    now_clock.set(NOW)
    assert (await reconciler(bot).reconcile(store.knowledge, now=NOW)).moved == 1
    assert await pending_dues(bot.database) == [AWARDS_DUE["1w"]]


async def test_a_deadline_moved_so_close_that_the_time_has_passed_is_not_sent_late(
    bot: BotCore, sender: RecordingSender, store: KnowledgeStore, knowledge_file: Path
) -> None:
    await ask(bot, "remind awards-2026 1w")
    write_deadlines(knowledge_file, {**AWARDS, "date": "2026-11-26"}, RENEWALS)
    assert await store.reload() is None
    assert (await reconciler(bot).reconcile(store.knowledge, now=NOW)).cancelled == 1
    await deliver_at(bot, sender, NOW + timedelta(minutes=1))
    assert sender.dms == []  # "in 7 days" three days before would be wrong


async def test_the_background_service_reconciles_member_reminders_on_reload(
    bot: BotCore, sender: RecordingSender, store: KnowledgeStore, knowledge_file: Path
) -> None:
    await ask(bot, "remind awards-2026 morning")
    service = BroadcastsAndReminders(
        database=bot.database,
        outbound=sender,
        knowledge=store,
        clock=bot.clock,
        settings=bot.settings,
    )
    task = asyncio.create_task(service.run())
    try:
        write_deadlines(knowledge_file, {**AWARDS, "date": "2026-12-11"}, RENEWALS)
        assert await store.reload() is None
        moved = datetime(2026, 12, 11, 15, 0, tzinfo=UTC)
        for _ in range(200):
            if await pending_dues(bot.database) == [moved]:
                break
            await asyncio.sleep(0.01)
        assert await pending_dues(bot.database) == [moved]
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_a_crash_after_the_platform_took_the_dm_does_not_send_it_twice(
    bot: BotCore, sender: RecordingSender, now_clock: FixedClock
) -> None:
    await ask(bot, "remind awards-2026 1d")
    now_clock.set(AWARDS_DUE["1d"])
    crashed = dispatcher(bot, sender, "crashed")
    (row,) = await crashed.claim(bot.clock.now(), limit=5)
    assert row.recipient is not None
    # The crashed worker's send reached the platform; then the process died.
    await sender.send_dm(
        user=row.recipient, message=row.message, key=DeliveryKey.for_broadcast_delivery(row.id)
    )
    survivor = dispatcher(bot, sender, "survivor")
    assert await survivor.drain() == 0  # still leased to the crashed worker
    now_clock.advance(timedelta(minutes=2))
    await survivor.drain()  # reclaims it, checks with the platform, records it sent
    assert sender.dm_counts["ann"] == 1
    async with bot.database.session() as session:
        status = await session.scalar(select(BroadcastDelivery.status))
    assert status == "sent"


async def test_a_failed_send_is_retried_and_delivered_once(
    bot: BotCore, now_clock: FixedClock
) -> None:
    flaky = RecordingSender(flaky={"ann": 2})
    await ask(bot, "remind awards-2026 1d")
    now_clock.set(AWARDS_DUE["1d"])
    worker = dispatcher(bot, flaky)
    for _ in range(5):
        await worker.drain()
        now_clock.advance(timedelta(minutes=5))
    assert flaky.failed_dms == 2 and flaky.dm_counts["ann"] == 1


async def test_a_reminder_missed_while_the_bot_was_down_is_not_announced_in_a_channel(
    bot: BotCore, sender: RecordingSender
) -> None:
    # Staff reminders missed while the bot was down are reported in announcements; a
    # member's own reminder must not be (it would quote their reminder to everyone).
    await ask(bot, "remind awards-2026 1d")
    await deliver_at(bot, sender, AWARDS_DUE["1d"] + timedelta(days=1))
    assert sender.dms == [] and sender.posts == []
    async with bot.database.session() as session:
        statuses = list(await session.scalars(select(BroadcastDelivery.status)))
    assert statuses == ["missed"]


async def test_that_morning_of_an_early_event_comes_before_it_starts(
    bot: BotCore, sender: RecordingSender, store: KnowledgeStore, knowledge_file: Path
) -> None:
    breakfast = {"id": "breakfast-2026", "title": "Board breakfast", "date": "2026-12-01"}
    write_deadlines(knowledge_file, {**breakfast, "time": "07:30", "kind": "event"})
    assert await store.reload() is None
    await ask(bot, "remind breakfast-2026 morning")
    # 06:30 CST, an hour before it starts (09:00 would be after it)
    assert await pending_dues(bot.database) == [datetime(2026, 12, 1, 12, 30, tzinfo=UTC)]
    await ask(bot, "remind breakfast-2026 1d")  # the day before keeps the usual 09:00
    assert datetime(2026, 11, 30, 15, 0, tzinfo=UTC) in await pending_dues(bot.database)
