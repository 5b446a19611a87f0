"""Deadline reminders: planning across DST, rescheduling on reload, never sending twice."""

from __future__ import annotations

import asyncio
import contextlib
import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from sqlalchemy import select

from bot.answers.dates import format_when
from bot.broadcasts.background import BroadcastsAndReminders
from bot.broadcasts.dispatcher import Dispatcher, DispatchPolicy
from bot.broadcasts.messages import MAX_MESSAGE_LENGTH, length_as_sent
from bot.broadcasts.reminders import ReminderScheduler, plan_reminders
from bot.clock import FixedClock
from bot.config import Settings
from bot.core import BotCore
from bot.knowledge import Deadline, Knowledge
from bot.knowledge_store import KnowledgeStore
from bot.storage import Database
from bot.storage.models import AuditLog, Broadcast, BroadcastDelivery
from tests.core.broadcast_support import CountingSender
from tests.support.knowledge import FROZEN_KNOWLEDGE_FILE

CHICAGO = ZoneInfo("America/Chicago")
NINE = time(9, 0)


def with_deadlines(base: Knowledge, *deadlines: Deadline) -> Knowledge:
    return base.model_copy(update={"deadlines": list(deadlines)})


def deadline(day: date, *, ident: str = "nominations-2026", title: str = "Nominations close"):
    return Deadline(id=ident, title=title, date=day, description="Nominate a colleague.")


def scheduler(database: Database, *, offsets: tuple[int, ...] = (7, 1)) -> ReminderScheduler:
    return ReminderScheduler(
        database=database,
        platform="console",
        offsets=offsets,
        at=NINE,
        grace=timedelta(hours=6),
    )


async def pending_dues(database: Database) -> dict[str, datetime]:
    async with database.session() as session:
        rows = await session.execute(
            select(Broadcast.reminder_key, BroadcastDelivery.due_at)
            .join(BroadcastDelivery, BroadcastDelivery.broadcast_id == Broadcast.id)
            .where(BroadcastDelivery.status == "pending")
        )
        return {key: due for key, due in rows}


def test_plan_is_at_local_time_across_dst(frozen_knowledge: KnowledgeStore) -> None:
    # 2027-03-14 is spring-forward day in Chicago: 7 days before is CST, 1 day before CDT.
    knowledge = with_deadlines(frozen_knowledge.knowledge, deadline(date(2027, 3, 15)))
    plans = plan_reminders(knowledge, offsets=(7, 1), at=NINE)
    assert {p.key: p.due_at for p in plans} == {
        "nominations-2026:7": datetime(2027, 3, 8, 15, 0, tzinfo=UTC),
        "nominations-2026:1": datetime(2027, 3, 14, 14, 0, tzinfo=UTC),
    }
    assert "tomorrow" in plans[1].body and "Monday, March 15, 2027" in plans[1].body


def test_a_timed_reminder_reads_like_the_answer(frozen_knowledge: KnowledgeStore) -> None:
    # The reminder once said "at 17:00" (and "(Europe/Paris)" for a deadline with its own
    # zone) where /ask says "at 5:00 PM CST": one deadline now reads one way everywhere.
    mixer = Deadline(id="mixer", title="Mixer", date=date(2027, 1, 28), time=time(17), kind="event")
    paris = Deadline(
        id="paris",
        title="Paris call",
        date=date(2027, 1, 29),
        time=time(17),
        timezone="Europe/Paris",
    )
    knowledge = with_deadlines(frozen_knowledge.knowledge, mixer, paris)

    bodies = {
        plan.deadline_id: plan.body for plan in plan_reminders(knowledge, offsets=(3,), at=NINE)
    }

    assert bodies["mixer"].startswith(
        "**Coming up:** Mixer, in 3 days (Thursday, January 28, 2027 at 5:00 PM CST)."
    )
    assert format_when(mixer, CHICAGO) in bodies["mixer"]
    assert "(Friday, January 29, 2027 at 5:00 PM CET)" in bodies["paris"]
    assert "17:00" not in bodies["mixer"] + bodies["paris"]


def test_a_skipped_reminder_time_moves_after_the_jump(frozen_knowledge: KnowledgeStore) -> None:
    knowledge = with_deadlines(frozen_knowledge.knowledge, deadline(date(2027, 3, 15)))
    (plan,) = plan_reminders(knowledge, offsets=(1,), at=time(2, 30))
    assert plan.due_at.astimezone(CHICAGO).strftime("%H:%M %Z") == "03:30 CDT"


def test_plan_across_the_year_boundary(frozen_knowledge: KnowledgeStore) -> None:
    knowledge = with_deadlines(frozen_knowledge.knowledge, deadline(date(2027, 1, 3)))
    plans = plan_reminders(knowledge, offsets=(7,), at=NINE)
    assert plans[0].due_at == datetime(2026, 12, 27, 15, 0, tzinfo=UTC)


async def test_shipped_old_deadlines_are_not_scheduled(
    database: Database, clock: FixedClock, frozen_knowledge: KnowledgeStore
) -> None:
    result = await scheduler(database).reschedule(frozen_knowledge.knowledge, now=clock.now())
    assert result.created == 0
    assert await pending_dues(database) == {}


async def test_reload_moves_cancels_and_never_resends(
    database: Database, clock: FixedClock, frozen_knowledge: KnowledgeStore
) -> None:
    base = frozen_knowledge.knowledge
    reminders = scheduler(database)
    gift = deadline(date(2026, 12, 14), ident="gift-2026")
    original = with_deadlines(base, deadline(date(2026, 12, 7)), gift)
    result = await reminders.reschedule(original, now=clock.now())
    assert result.created == 4
    assert await reminders.reschedule(original, now=clock.now()) == type(result)(unchanged=4)
    assert (await pending_dues(database))["nominations-2026:7"] == datetime(
        2026, 11, 30, 15, 0, tzinfo=UTC
    )

    # The 7-day reminder of the nominations goes out.
    sender = CountingSender()
    clock.set(datetime(2026, 11, 30, 15, 0, tzinfo=UTC))
    dispatcher = Dispatcher(database=database, outbound=sender, clock=clock, worker_id="w")
    await dispatcher.drain()
    assert [channel for channel, _ in sender.posts] == ["announcements"]
    assert "Nominations close, in 7 days" in sender.posts[0][1].plain_text()

    # Staff move nominations to December 10 and remove the gift deadline.
    moved = with_deadlines(base, deadline(date(2026, 12, 10)))
    result = await reminders.reschedule(moved, now=clock.now())
    assert (result.moved, result.cancelled, result.created) == (1, 2, 0)
    assert await pending_dues(database) == {
        "nominations-2026:1": datetime(2026, 12, 9, 15, 0, tzinfo=UTC)
    }

    # Nothing is sent twice and the removed deadline stays silent.
    clock.set(datetime(2026, 12, 9, 15, 0, tzinfo=UTC))
    await dispatcher.drain()
    clock.set(datetime(2026, 12, 15, 15, 0, tzinfo=UTC))
    await dispatcher.drain()
    bodies = [message.plain_text() for _, message in sender.posts]
    assert len(bodies) == 2
    assert "tomorrow (Thursday, December 10, 2026)" in bodies[1]
    async with database.session() as session:
        actions = list(await session.scalars(select(AuditLog.action).order_by(AuditLog.id)))
    assert actions.count("create") == 4 and actions.count("cancel") == 2
    assert "reschedule" in actions


async def test_a_restored_deadline_is_scheduled_again(
    database: Database, clock: FixedClock, frozen_knowledge: KnowledgeStore
) -> None:
    base = frozen_knowledge.knowledge
    reminders = scheduler(database, offsets=(1,))
    await reminders.reschedule(with_deadlines(base, deadline(date(2026, 12, 7))), now=clock.now())
    await reminders.reschedule(with_deadlines(base), now=clock.now())
    assert await pending_dues(database) == {}
    await reminders.reschedule(with_deadlines(base, deadline(date(2026, 12, 7))), now=clock.now())
    assert list(await pending_dues(database)) == ["nominations-2026:1"]


async def test_two_processes_rescheduling_at_once_create_each_reminder_once(
    database: Database, clock: FixedClock, frozen_knowledge: KnowledgeStore
) -> None:
    knowledge = with_deadlines(frozen_knowledge.knowledge, deadline(date(2026, 12, 7)))
    await asyncio.gather(
        scheduler(database).reschedule(knowledge, now=clock.now()),
        scheduler(database).reschedule(knowledge, now=clock.now()),
        return_exceptions=False,
    )
    async with database.session() as session:
        keys = list(await session.scalars(select(Broadcast.reminder_key)))
    assert sorted(keys) == ["nominations-2026:1", "nominations-2026:7"]


@pytest.fixture
def knowledge_file(tmp_path: Path) -> Path:
    data = yaml.safe_load(FROZEN_KNOWLEDGE_FILE.read_text(encoding="utf-8"))
    data["deadlines"] = [
        {"id": "mixer-2026", "title": "Membership mixer", "date": "2026-12-03", "kind": "event"}
    ]
    for entry in data["entries"]:  # answers may name the deadlines just removed
        entry["answer"] = re.sub(r"\{deadline:[^}]*\}", "the date", entry["answer"])
    path = tmp_path / "knowledge.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


async def test_background_service_reschedules_on_knowledge_reload(
    settings: Settings, sqlite_database: Database, clock: FixedClock, knowledge_file: Path
) -> None:
    store = KnowledgeStore(path=knowledge_file)
    sender = CountingSender()
    core = BotCore(
        settings=settings,
        database=sqlite_database,
        knowledge=store,
        clock=clock,
        outbound=sender,
    )
    await core.start()
    service = BroadcastsAndReminders(
        database=core.database,
        outbound=sender,
        knowledge=store,
        clock=clock,
        settings=settings,
    )
    task = asyncio.create_task(service.run())
    try:
        for _ in range(200):
            if await pending_dues(sqlite_database):
                break
            await asyncio.sleep(0.01)
        assert await pending_dues(sqlite_database) == {
            "mixer-2026:7": datetime(2026, 11, 26, 15, 0, tzinfo=UTC),
            "mixer-2026:1": datetime(2026, 12, 2, 15, 0, tzinfo=UTC),
        }
        data = yaml.safe_load(knowledge_file.read_text(encoding="utf-8"))
        data["deadlines"][0]["date"] = "2026-12-17"
        knowledge_file.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        assert await store.reload() is None
        assert await pending_dues(sqlite_database) == {
            "mixer-2026:7": datetime(2026, 12, 10, 15, 0, tzinfo=UTC),
            "mixer-2026:1": datetime(2026, 12, 16, 15, 0, tzinfo=UTC),
        }
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_moving_a_deadline_so_close_that_a_reminder_has_passed_cancels_it(
    database: Database, clock: FixedClock, frozen_knowledge: KnowledgeStore
) -> None:
    base = frozen_knowledge.knowledge
    reminders = scheduler(database)
    await reminders.reschedule(with_deadlines(base, deadline(date(2026, 12, 7))), now=clock.now())
    # Nominations move from December 7 to November 25 (today is November 23): the
    # 7-day reminder would have been November 18, long gone; the 1-day one moves.
    result = await reminders.reschedule(
        with_deadlines(base, deadline(date(2026, 11, 25))), now=clock.now()
    )
    assert (result.moved, result.cancelled) == (1, 1)
    assert await pending_dues(database) == {
        "nominations-2026:1": datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
    }
    # Nothing goes out on November 30 (after the real deadline, saying "in 7 days").
    sender = CountingSender()
    dispatcher = Dispatcher(database=database, outbound=sender, clock=clock, worker_id="w")
    for day in (24, 30):
        clock.set(datetime(2026, 11, day, 15, 0, tzinfo=UTC))
        await dispatcher.drain()
    assert [message.plain_text().split(" (")[0] for _, message in sender.posts] == [
        "Reminder: Nominations close, tomorrow"
    ]
    async with database.session() as session:
        reason = await session.scalar(
            select(BroadcastDelivery.failure_reason).where(BroadcastDelivery.status == "cancelled")
        )
    assert reason == "deadline moved: the new reminder time had already passed"


async def test_reminders_use_the_knowledge_files_time_zone(
    frozen_knowledge: KnowledgeStore,
) -> None:
    base = frozen_knowledge.knowledge
    eastern = base.model_copy(
        update={
            "organisation": base.organisation.model_copy(update={"timezone": "America/New_York"})
        }
    )
    knowledge = with_deadlines(eastern, deadline(date(2026, 12, 7)))
    (plan,) = plan_reminders(knowledge, offsets=(1,), at=NINE)
    assert plan.due_at == datetime(2026, 12, 6, 14, 0, tzinfo=UTC)  # 09:00 EST


def test_a_long_description_is_shortened_to_one_platform_message(
    frozen_knowledge: KnowledgeStore,
) -> None:
    long = Deadline(
        id="gift-2026",
        title="Gift memberships close",
        date=date(2026, 12, 14),
        description="Give a *colleague* a_year of membership. " * 200,
    )
    knowledge = with_deadlines(frozen_knowledge.knowledge, long)
    (plan,) = plan_reminders(knowledge, offsets=(7,), at=NINE)
    assert length_as_sent(plan.body) <= MAX_MESSAGE_LENGTH
    assert plan.body.endswith("…\n\nType /deadlines to see everything coming up.")
    assert "Give a *colleague* a_year of membership." in plan.body


async def test_a_reminder_missed_while_the_bot_was_down_is_reported_in_announcements(
    database: Database, clock: FixedClock, frozen_knowledge: KnowledgeStore
) -> None:
    knowledge = with_deadlines(frozen_knowledge.knowledge, deadline(date(2026, 12, 7)))
    await scheduler(database, offsets=(7,)).reschedule(knowledge, now=clock.now())
    # Down from before November 30 09:00 until 16:00 the next day.
    clock.set(datetime(2026, 12, 1, 22, 0, tzinfo=UTC))
    sender = CountingSender()
    for name in ("first", "second"):  # a restart (or a second process) reports nothing twice
        dispatcher = Dispatcher(
            database=database,
            outbound=sender,
            clock=clock,
            worker_id=name,
            policy=DispatchPolicy(grace=timedelta(hours=6)),
            zone=CHICAGO,
        )
        await dispatcher.drain()
    assert [(channel, message.plain_text()) for channel, message in sender.posts] == [
        (
            "announcements",
            "Missed reminder: memberbot was offline when it was due (Monday, November 30, "
            "2026 at 9:00 AM CST) and came back more than 6 hours later, so this deadline "
            "reminder was not posted then. It read: “Reminder: Nominations close, in 7 days "
            "(Monday, December 7, 2026).” Type /deadlines to see what is coming up.",
        )
    ]
    async with database.session() as session:
        statuses = dict(
            (
                await session.execute(
                    select(Broadcast.kind, BroadcastDelivery.status).join(
                        BroadcastDelivery, BroadcastDelivery.broadcast_id == Broadcast.id
                    )
                )
            ).all()
        )
    assert statuses == {"reminder": "missed", "notice": "sent"}
