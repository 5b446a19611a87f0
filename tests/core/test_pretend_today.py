"""``--today`` changes what "today" means for answers and listings only: everything
stored or scheduled keeps the real time, so a demo leaves no fake-dated data."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from bot.broadcasts.background import reminder_scheduler
from bot.cli.common import clock_for
from bot.config import Settings
from bot.core import BotCore
from bot.knowledge_store import KnowledgeStore
from bot.requests import Request, UserRef
from bot.storage import Database
from bot.storage.models import Member, UnansweredQuestion

PRETEND = date(2021, 10, 1)
ALICE = UserRef("console", "local", "alice", "Alice")


def request(command: str, text: str = "") -> Request:
    return Request(
        platform="console",
        workspace_id="local",
        channel_id="console",
        sender=ALICE,
        command=command,
        text=text,
    )


def recent(moment: datetime) -> bool:
    return abs(datetime.now(UTC) - moment.astimezone(UTC)) < timedelta(minutes=5)


async def test_pretend_today_shows_that_day_and_stores_real_times(
    settings: Settings, sqlite_database: Database, frozen_knowledge: KnowledgeStore
) -> None:
    core = BotCore(
        settings=settings,
        database=sqlite_database,
        knowledge=frozen_knowledge,
        clock=clock_for(PRETEND, settings),
    )
    assert core.today() == PRETEND
    assert recent(core.now())

    deadlines = await core.handle(request("deadlines"))
    assert deadlines is not None
    assert "no upcoming deadlines" not in deadlines.text  # the 2021 season is ahead
    await core.handle(request("ask", "what is the capital of australia"))

    async with sqlite_database.session() as session:
        member = await session.scalar(select(Member))
        question = await session.scalar(select(UnansweredQuestion))
    assert member is not None and recent(member.first_seen) and recent(member.last_seen)
    assert question is not None and recent(question.asked_at)


async def test_pretend_today_schedules_no_reminders_for_that_day(
    settings: Settings, sqlite_database: Database, frozen_knowledge: KnowledgeStore
) -> None:
    core = BotCore(
        settings=settings,
        database=sqlite_database,
        knowledge=frozen_knowledge,
        clock=clock_for(PRETEND, settings),
    )
    scheduler = reminder_scheduler(core, platform="console")
    result = await scheduler.reschedule(frozen_knowledge.knowledge, now=core.now())
    # The sample deadlines (2020-2022) are long past in real time: nothing to remind,
    # so nothing turns into "missed" notices at the next normal start.
    assert result.created == 0
