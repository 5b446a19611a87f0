"""The action model: encoding, and clicks and forms routed through BotCore.handle.

A click is a Request of kind ``action`` carrying the encoded reference; a form
submission one of kind ``form`` with its fields. Both are checked like commands:
staff only where the command is, the author only where the service says so, a
retried delivery once, a malformed or forged value refused politely.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import replace
from datetime import datetime

import pytest
from sqlalchemy import func, select

from bot.actions import (
    MALFORMED_TEXT,
    MAX_VALUE_LENGTH,
    ActionRef,
    MalformedAction,
    click_request,
    form_request,
    parse_action,
)
from bot.clock import FixedClock
from bot.config import Settings
from bot.core import BotCore
from bot.knowledge_store import KnowledgeStore
from bot.replies import Reply
from bot.requests import Arguments, ArgumentValue, Mention, MentionKind, Request, RequestKind
from bot.storage import Database
from bot.storage.models import Broadcast, BroadcastDelivery
from tests.core.broadcast_support import (
    PLATFORM,
    WORKSPACE,
    CountingSender,
    member,
    staff_request,
)
from tests.support.cores import start_core

# -- the encoding -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ref", "encoded"),
    [
        (ActionRef("broadcast", "confirm", ("21",)), "bc:confirm:21"),
        (ActionRef("kudos", "post-digest", ("2026-10",)), "kd:post-digest:2026-10"),
        (ActionRef("reminders", None, ("off",)), "rm::off"),
        (ActionRef("thanks", None), "thanks:"),
        (ActionRef("broadcast", "compose", ("", "7")), "bc:compose::7"),
    ],
)
def test_a_reference_encodes_compactly_and_reads_back(ref: ActionRef, encoded: str) -> None:
    assert ref.encode() == encoded
    assert parse_action(encoded) == ref


@pytest.mark.parametrize(
    "value",
    [
        "",
        "bc",  # no sub-command part
        "bc:confirm:21 OR 1=1",  # a space and more
        "bc:confirm:<@U1>",
        "BC:confirm:21",  # commands are lower case
        "bc:Confirm:21",
        "bc:confirm:" + "1" * 81,  # a value longer than any id, month or deadline id
        "kd:undo-one:" + ":".join(["1"] * 50),  # over Discord's 100 characters
        "bc:confirm:२१",  # digits of another script
        "bc:con\x00firm:21",
    ],
)
def test_malformed_values_are_refused(value: str) -> None:
    with pytest.raises(MalformedAction) as refused:
        parse_action(value)
    assert refused.value.message == MALFORMED_TEXT


def test_encoding_refuses_what_would_not_read_back() -> None:
    with pytest.raises(ValueError, match="cannot encode"):
        ActionRef("broadcast", "confirm", ("21:22",)).encode()
    with pytest.raises(ValueError, match="cannot encode"):
        ActionRef("kudos", "give", ("for running storytime",)).encode()
    longest = ActionRef("kudos", "undo-one", ("9" * 40, "9" * 40))
    assert len(longest.encode()) <= MAX_VALUE_LENGTH


# -- routed like a command ------------------------------------------------------------


@pytest.fixture
def sender() -> CountingSender:
    return CountingSender(members=[member("ann"), member("bob")])


@pytest.fixture
async def bot(
    settings: Settings,
    database: Database,
    clock: FixedClock,
    sender: CountingSender,
    frozen_knowledge: KnowledgeStore,
) -> BotCore:
    return await start_core(
        settings=settings,
        database=database,
        knowledge=frozen_knowledge,
        clock=clock,
        outbound=sender,
    )


def click(
    value: str, *, user: str = "sam", staff: bool = True, delivery_id: str | None = None
) -> Request:
    return click_request(
        value,
        platform=PLATFORM,
        workspace_id=WORKSPACE,
        channel_id="console",
        sender=member(user),
        delivery_id=delivery_id,
        is_staff=staff,
    )


async def draft_id(bot: BotCore, text: str = "announcements Hello all") -> int:
    reply = await bot.handle(staff_request(text))
    assert reply is not None
    found = re.search(r"broadcast #(\d+)", reply.text)
    assert found, reply.text
    return int(found.group(1))


async def scheduled_deliveries(database: Database) -> int:
    async with database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(BroadcastDelivery)) or 0)


async def handled(bot: BotCore, request: Request) -> Reply:
    reply = await bot.handle(request)
    assert reply is not None
    return reply


async def test_a_click_is_routed_like_the_typed_command(bot: BotCore) -> None:
    number = await draft_id(bot)
    request = click(f"bc:confirm:{number}")
    assert request.kind is RequestKind.ACTION and request.command == "broadcast"
    reply = await handled(bot, request)
    assert f"Broadcast #{number} is scheduled" in reply.text
    assert await scheduled_deliveries(bot.database) == 1


async def test_a_retried_click_acts_once_and_a_double_click_is_told(bot: BotCore) -> None:
    number = await draft_id(bot)
    first = await handled(bot, click(f"bc:confirm:{number}", delivery_id="click-1"))
    assert "is scheduled" in first.text
    # The platform delivers the same click again: acted on once, nothing said twice.
    assert await bot.handle(click(f"bc:confirm:{number}", delivery_id="click-1")) is None
    # A second click (its own delivery) on the same button: told, nothing scheduled again.
    second = await handled(bot, click(f"bc:confirm:{number}", delivery_id="click-2"))
    assert f"Broadcast #{number} is already scheduled" in second.text
    assert await scheduled_deliveries(bot.database) == 1


async def test_concurrent_clicks_schedule_once(bot: BotCore) -> None:
    number = await draft_id(bot)
    replies = await asyncio.gather(
        *(bot.handle(click(f"bc:confirm:{number}", delivery_id=f"c{i}")) for i in range(4))
    )
    texts = [reply.text for reply in replies if reply is not None]
    assert sum("is scheduled" in text for text in texts) == 1, texts
    assert await scheduled_deliveries(bot.database) == 1


async def test_a_click_by_another_member_is_refused(bot: BotCore) -> None:
    number = await draft_id(bot)
    # Another staff member presses (or replays) Sam's Confirm: only the author confirms.
    reply = await handled(bot, click(f"bc:confirm:{number}", user="tess"))
    assert "drafted by someone else" in reply.text
    # A member who is not staff is refused before anything is read.
    reply = await handled(bot, click(f"bc:confirm:{number}", user="ann", staff=False))
    assert "for association staff only" in reply.text
    assert await scheduled_deliveries(bot.database) == 0
    async with bot.database.session() as session:
        assert await session.scalar(select(Broadcast.status)) == "draft"


@pytest.mark.parametrize(
    "value",
    [
        "bc:confirm:abc",  # not a number
        "bc:confirm:21:22",  # more values than options
        "bc:explode:21",  # no such sub-command
        "zz:confirm:21",  # no such command
        "bc:confirm:",  # the id left out
        "kd:give:7",  # a member option cannot travel in a reference
        "x" * 101,
    ],
)
async def test_malformed_clicks_are_refused_politely(bot: BotCore, value: str) -> None:
    number = await draft_id(bot)
    reply = await handled(bot, click(value.replace("21", str(number))))
    assert reply.text == MALFORMED_TEXT
    assert await scheduled_deliveries(bot.database) == 0


async def test_a_forged_reference_is_refused(bot: BotCore) -> None:
    await draft_id(bot)
    reply = await handled(bot, click("bc:confirm:999"))
    assert "999" in reply.text and "is scheduled" not in reply.text
    out_of_range = await handled(bot, click("bc:confirm:0"))
    assert "must be a number from 1" in out_of_range.text
    assert await scheduled_deliveries(bot.database) == 0


# -- forms --------------------------------------------------------------------------------


def submit(
    value: str, fields: dict[str, ArgumentValue], *, delivery_id: str | None = None
) -> Request:
    return form_request(
        value,
        fields,
        platform=PLATFORM,
        workspace_id=WORKSPACE,
        channel_id="console",
        sender=member("sam"),
        delivery_id=delivery_id,
        is_staff=True,
    )


async def test_a_form_with_bad_fields_returns_errors_by_field(bot: BotCore) -> None:
    reply = await handled(
        bot, submit("bc:post", {"message": "  ", "at": "next tuesday"}, delivery_id="view-1")
    )
    assert set(reply.field_errors) == {"message", "at"}
    assert "YYYY-MM-DD HH:MM" in reply.field_errors["at"]
    async with bot.database.session() as session:
        assert await session.scalar(select(func.count()).select_from(Broadcast)) == 0
    # Fixed and submitted again from the same open form: it acts now.
    fixed = await handled(
        bot,
        submit(
            "bc:post",
            {"message": "Hello all", "at": datetime(2026, 12, 1, 9, 0)},
            delivery_id="view-1",
        ),
    )
    assert not fixed.field_errors
    assert "Preview of broadcast #" in fixed.text


async def test_form_fields_cannot_override_the_reference(bot: BotCore) -> None:
    number = await draft_id(bot)
    other = await draft_id(bot, "announcements Another")
    reply = await handled(bot, submit(f"bc:confirm:{number}", {"id": other}))
    assert f"Broadcast #{number} is scheduled" in reply.text
    async with bot.database.session() as session:
        status = await session.scalar(select(Broadcast.status).where(Broadcast.id == other))
    assert status == "draft"


async def test_form_people_and_channels_must_be_picked(bot: BotCore) -> None:
    channel = Mention(MentionKind.CHANNEL, "#news", channel_id="news")
    reply = await handled(bot, submit("bc:post", {"message": "Hi", "channel": "#news"}))
    assert set(reply.field_errors) == {"channel"}
    good = await handled(bot, submit("bc:post", {"message": "Hi", "channel": channel}))
    assert "post in #news" in good.text


async def test_a_click_carries_no_fields_only_its_reference(bot: BotCore) -> None:
    """Only a form submission brings field values: values smuggled into a click are
    ignored, so a click can never do more than its reference says."""
    smuggled = replace(
        click("bc:post"),
        arguments=Arguments(None, {"message": "Sent without a preview?"}),
    )
    reply = await handled(bot, smuggled)
    assert "Preview" not in reply.text
    async with bot.database.session() as session:
        assert await session.scalar(select(func.count()).select_from(Broadcast)) == 0
