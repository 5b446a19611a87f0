"""Driving ``/mentoring`` through BotCore.handle: typed commands, clicks and forms."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from bot.actions import Button, Form, click_request, form_request
from bot.clock import FixedClock
from bot.config import Settings
from bot.core import BotCore
from bot.knowledge_store import KnowledgeStore
from bot.log_format import KeyValueFormatter, configure_logging
from bot.replies import Reply
from bot.requests import ArgumentValue, Request, UserRef
from bot.storage import Database
from bot.storage.models.mentoring import MentoringMatch
from tests.core.kudos_support import ALICE, BOB, CAROL, request
from tests.support.cores import start_core
from tests.support.recording import RecordingSender

STAFF = UserRef("slack", "T1", "U9", "sam")
PRIVATE_VALUES = ("Latina", "nonbinary", "Pacific Islander")
__all__ = ["ALICE", "BOB", "CAROL", "STAFF"]


async def handled(bot: BotCore, incoming: Request) -> Reply:
    reply = await bot.handle(incoming)
    assert reply is not None
    return reply


async def say(bot: BotCore, text: str, *, user: UserRef = ALICE, staff: bool = False) -> Reply:
    return await handled(bot, request(text, sender=user, command="mentoring", staff=staff))


async def staff_says(bot: BotCore, text: str) -> Reply:
    return await say(bot, text, user=STAFF, staff=True)


async def press(
    bot: BotCore, value: str, *, user: UserRef = ALICE, staff: bool = False, delivery: str = ""
) -> Reply:
    return await handled(
        bot,
        click_request(
            value,
            platform=user.platform,
            workspace_id=user.workspace_id,
            channel_id="D-1",
            sender=user,
            delivery_id=delivery or None,
            is_staff=staff,
            is_direct=True,
        ),
    )


async def submit(
    bot: BotCore, form: Form, fields: dict[str, ArgumentValue], *, user: UserRef = ALICE
) -> Reply:
    return await handled(
        bot,
        form_request(
            form.ref.encode(),
            fields,
            platform=user.platform,
            workspace_id=user.workspace_id,
            channel_id="D-1",
            sender=user,
        ),
    )


def button(reply: Reply, label: str) -> Button:
    found = [a for a in reply.actions if isinstance(a, Button) and a.label.startswith(label)]
    assert found, [getattr(a, "label", a) for a in reply.actions]
    return found[0]


async def apply_by_form(
    bot: BotCore,
    user: UserRef,
    *,
    role: str,
    email: str,
    interests: str = "storytime; supervision",
    region: str = "Midwest",
    capacity: str | None = None,
    private: dict[str, ArgumentValue] | None = None,
) -> list[Reply]:
    """Apply through the three forms, as a member presses through them."""
    opened = await say(bot, "apply", user=user)
    assert opened.form is not None and opened.form.title == "Mentoring: about you"
    about = await submit(
        bot,
        opened.form,
        {"role": role, "email": email, "region": region, "interests": interests, "goals": "grow"},
        user=user,
    )
    assert about.form is not None, about.text
    fields: dict[str, ArgumentValue] = {"member": "yes", "adult": "yes"}
    if capacity:
        fields["capacity"] = capacity
    eligible = await submit(bot, about.form, fields, user=user)
    assert eligible.form is not None, eligible.text
    done = await submit(bot, eligible.form, private or {}, user=user)
    return [opened, about, eligible, done]


def logged(records: list[logging.LogRecord]) -> str:
    """Every log line with its key=value context, as the bot writes them."""
    formatter = KeyValueFormatter("%(levelname)s %(name)s: %(message)s")
    return "\n".join(formatter.format(record) for record in records)


@pytest.fixture
def debug_logging() -> Iterator[None]:
    """Logging as every entry point sets it up, at its most talkative (DEBUG)."""
    quiet = {name: logging.getLogger(name).level for name in ("alembic", "aiosqlite")}
    configure_logging("DEBUG")
    yield
    for name, level in quiet.items():
        logging.getLogger(name).setLevel(level)


PRIVATE = {
    "gender": "nonbinary",
    "race_ethnicity": "Latina; Pacific Islander",
    "prefer_same": "gender, race/ethnicity",
    "bipoc_funding": "yes",
}


@pytest.fixture
def sender() -> RecordingSender:
    return RecordingSender(platform="slack", channels={"kudos": "#kudos", "staff": "#staff"})


@pytest.fixture
async def bot(
    settings: Settings,
    database: Database,
    clock: FixedClock,
    sender: RecordingSender,
    frozen_knowledge: KnowledgeStore,
) -> BotCore:
    return await start_core(
        settings=settings,
        database=database,
        knowledge=frozen_knowledge,
        clock=clock,
        outbound=sender,
    )


async def only_match_id(bot: BotCore) -> int:
    async with bot.database.session() as session:
        (match_id,) = (await session.scalars(select(MentoringMatch.id))).all()
        return match_id


async def matched_pair(bot: BotCore) -> None:
    """Alice mentors, Bob is mentored; the cohort is open, then closed."""
    assert "opened" in (await staff_says(bot, "open Spring 2027")).text
    await apply_by_form(bot, ALICE, role="mentor", email="alice@example.org", capacity="2")
    await apply_by_form(
        bot, BOB, role="mentee", email="bob@example.org", interests="storytime", private=PRIVATE
    )
    assert "closed" in (await staff_says(bot, "close Spring 2027")).text


async def confirmed_pair(bot: BotCore) -> None:
    """:func:`matched_pair`, previewed and confirmed by staff (introductions sent)."""
    await matched_pair(bot)
    preview = await staff_says(bot, "match Spring 2027")
    confirmed = await press(bot, button(preview, "Confirm").ref.encode(), user=STAFF, staff=True)
    assert "Confirmed 1 matches" in confirmed.text
