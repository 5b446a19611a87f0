"""The member's home built by the core: what each section holds, staff extras, an outage."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.actions import Button, Select, parse_action
from bot.clock import FixedClock
from bot.config import Settings
from bot.core import BotCore
from bot.home import UNAVAILABLE_TEXT, Home, _remind_choice, build_home
from bot.knowledge_store import KnowledgeStore
from bot.requests import Request, UserRef
from bot.storage import Database

ANA = UserRef("console", "local", "ana", display_name="Ana")
SAM = UserRef("console", "local", "sam", display_name="Sam")
BEFORE_DEADLINES = datetime(2021, 9, 20, 15, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(BEFORE_DEADLINES)


async def _home(core: BotCore, member: UserRef, *, is_staff: bool = False) -> Home:
    return await build_home(
        core.services, member, is_staff=is_staff, now=core.now(), today=core.today()
    )


def _text(home: Home, title: str) -> str:
    [section] = [s for s in home.sections if s.title == title]
    return "\n".join(item.message.plain_text() for item in section.items)


async def _typed(core: BotCore, member: UserRef, command: str, text: str, staff: bool = False):
    request = Request("console", "local", "C1", member, command, text, is_staff=staff)
    return await core.handle(request)


async def test_a_member_sees_kudos_deadlines_and_reminders_with_actions(core: BotCore) -> None:
    home = await _home(core, ANA)
    assert [s.title for s in home.sections] == ["Kudos", "Upcoming deadlines", "Your reminders"]
    assert "received 0 kudos and gave 0 kudos" in _text(home, "Kudos")
    deadlines = next(s for s in home.sections if s.title == "Upcoming deadlines")
    first = deadlines.items[0]
    assert "ALSC Mentoring Program applications close" in first.message.plain_text()
    [choice] = first.actions
    assert isinstance(choice, Select)
    refs = [parse_action(option.ref.encode()) for option in choice.options]
    assert [r.values for r in refs] == [
        ("mentoring-applications-2021", when) for when in ("1w", "1d", "morning")
    ]
    assert {r.subcommand for r in refs} == {"remind"}


async def test_a_reminder_and_the_broadcast_dm_choice_show_with_their_buttons(
    core: BotCore,
) -> None:
    await _typed(core, ANA, "reminders", "remind mentoring-applications-2021 1w")
    await _typed(core, ANA, "reminders", "off")
    home = await _home(core, ANA)
    section = next(s for s in home.sections if s.title == "Your reminders")
    labels = {a.label: parse_action(a.ref.encode()) for i in section.items for a in i.actions}
    assert isinstance(next(iter(section.items[0].actions)), Button)
    assert labels["Cancel"].subcommand == "cancel"
    assert labels["Turn them on"].subcommand == "on"
    assert "a week before" in _text(home, "Your reminders")


async def test_staff_also_see_what_waits_for_them(core: BotCore) -> None:
    await _typed(core, SAM, "broadcast", "#C1 Book sale!", staff=True)
    member_home = await _home(core, ANA)
    assert "For staff" not in [s.title for s in member_home.sections]
    staff_home = await _home(core, SAM, is_staff=True)
    text = _text(staff_home, "For staff")
    assert "Unanswered questions: 0." in text
    assert "Draft #1 awaiting confirmation" in text


def test_a_deadline_id_outside_the_encoding_gets_no_button() -> None:
    assert _remind_choice("x" * 200) == ()
    assert len(_remind_choice("dsa-nominations-2020")) == 1


async def test_a_database_outage_shows_a_short_apology(
    settings: Settings, clock: FixedClock, frozen_knowledge: KnowledgeStore
) -> None:
    down = Database(url="postgresql://nobody@127.0.0.1:1/none")  # refuses every connection
    core = BotCore(settings=settings, database=down, knowledge=frozen_knowledge, clock=clock)
    try:
        home = await _home(core, ANA)
    finally:
        await down.dispose()
    [section] = home.sections
    assert section.items[0].message.plain_text() == UNAVAILABLE_TEXT
