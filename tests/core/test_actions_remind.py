"""Remind me under /deadlines and answers, through BotCore.handle on SQLite and PostgreSQL.

The frozen knowledge file's dates are in 2021 and 2022, so these tests live in
September 2021: the mentoring applications close on October 11.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.actions import Button, Select, click_request
from bot.clock import FixedClock
from bot.config import Settings
from bot.core import BotCore
from bot.knowledge_store import KnowledgeStore
from bot.replies import Reply
from bot.requests import Request, UserRef
from bot.storage import Database
from tests.core.kudos_support import ALICE, BOB, request
from tests.support.recording import RecordingSender


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2021, 9, 20, 15, 0, tzinfo=UTC))


@pytest.fixture
async def bot(
    settings: Settings, database: Database, clock: FixedClock, frozen_knowledge: KnowledgeStore
) -> BotCore:
    core = BotCore(
        settings=settings,
        database=database,
        knowledge=frozen_knowledge,
        clock=clock,
        outbound=RecordingSender(platform="slack"),
    )
    await core.start()
    return core


def click(value: str, user: UserRef = ALICE) -> Request:
    return click_request(
        value,
        platform=user.platform,
        workspace_id=user.workspace_id,
        channel_id="C-general",
        sender=user,
    )


async def handled(bot: BotCore, incoming: Request) -> Reply:
    reply = await bot.handle(incoming)
    assert reply is not None
    return reply


async def test_deadlines_offer_a_select_then_when_then_a_reminder(bot: BotCore) -> None:
    listing = await handled(bot, request("", command="deadlines"))
    (select,) = listing.actions
    assert isinstance(select, Select) and select.placeholder == "Remind me about…"
    labels = {option.label: option.ref.encode() for option in select.options}
    mentoring = "October 11: ALSC Mentoring Program applications close (mentors and mentees)"
    assert labels[mentoring] == "dl:remind-when:mentoring-applications-2021"
    assert all(len(label) <= 75 for label in labels)
    when = await handled(bot, click(labels[mentoring]))
    assert "When should I remind you about ALSC Mentoring Program" in when.text
    assert [(b.label, b.ref.encode()) for b in when.actions if isinstance(b, Button)] == [
        ("Remind me a week before", "rm:remind:mentoring-applications-2021:1w"),
        ("Remind me the day before", "rm:remind:mentoring-applications-2021:1d"),
        ("Remind me that morning", "rm:remind:mentoring-applications-2021:morning"),
    ]
    first = await handled(bot, click("rm:remind:mentoring-applications-2021:1w"))
    again = await handled(bot, click("rm:remind:mentoring-applications-2021:1w"))
    mine = await handled(bot, request("list", command="reminders"))
    theirs = await handled(bot, request("list", command="reminders", sender=BOB))
    assert "a week before" in first.text
    assert again.text != first.text  # told it is already set, not a second reminder
    assert mine.text.count("#1 ") == 1 and "#2 " not in mine.text
    assert "mentoring" not in theirs.text.lower()


async def test_an_answer_about_a_deadline_offers_the_three_choices(bot: BotCore) -> None:
    answer = await handled(bot, request("When do mentoring applications close?", command="ask"))
    # Remind me first; the answer's 👍 / 👎 follow.
    assert [b.ref.encode() for b in answer.actions if isinstance(b, Button)][:3] == [
        "rm:remind:mentoring-applications-2021:1w",
        "rm:remind:mentoring-applications-2021:1d",
        "rm:remind:mentoring-applications-2021:morning",
    ]
    calendar = await handled(bot, request("What's due in December?", command="ask"))
    reminds = [
        b for b in calendar.actions if isinstance(b, Button) and b.ref.command == "reminders"
    ]
    assert [b.ref.values[0] for b in reminds] == ["membership-mixer-2022"] * 3


async def test_a_past_or_unknown_deadline_is_refused(bot: BotCore, clock: FixedClock) -> None:
    unknown = await handled(bot, click("dl:remind-when:no-such-deadline"))
    assert "no longer in my calendar" in unknown.text and unknown.actions == ()
    clock.advance(datetime(2021, 10, 20, tzinfo=UTC) - clock.now())
    past = await handled(bot, click("dl:remind-when:mentoring-applications-2021"))
    assert "no longer in my calendar" in past.text
    listing = await handled(bot, request("", command="deadlines"))
    (select,) = listing.actions
    assert isinstance(select, Select)
    assert all("mentoring-applications" not in o.ref.encode() for o in select.options)
