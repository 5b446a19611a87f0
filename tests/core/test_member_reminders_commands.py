"""/reminders for a member's own reminders: list, cancel, change, typed options, ownership.

Through ``BotCore.handle`` on SQLite and (with TEST_DATABASE_URL) PostgreSQL; the
broadcast-DM choice (``off``/``on``/``status``) keeps working beside them.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.clock import FixedClock
from bot.core import BotCore
from bot.requests import Arguments, Request
from bot.storage.models import BroadcastDelivery, Member
from bot.storage.models.member_reminders import MemberReminder
from tests.core import test_member_reminders as shared
from tests.core.broadcast_support import PLATFORM, WORKSPACE, member
from tests.core.test_member_reminders import (
    AWARDS_DUE,
    NOW,
    ask,
    count,
    deliver_at,
    dm_texts,
    pending_dues,
)
from tests.support.recording import RecordingSender

# The same knowledge file, clock, sender and core as the delivery tests.
knowledge_file = shared.knowledge_file
store = shared.store
now_clock = shared.now_clock
sender = shared.sender
bot = shared.bot


def typed(who: str, arguments: Arguments) -> Request:
    """A request as Discord (or a Remind me button) sends it: options already typed."""
    return Request(
        platform=PLATFORM,
        workspace_id=WORKSPACE,
        channel_id="console",
        sender=member(who),
        command="reminders",
        text="",
        arguments=arguments,
    )


async def test_list_shows_the_members_reminders_soonest_first(bot: BotCore) -> None:
    assert "You have no deadline reminders" in await ask(bot, "list")
    await ask(bot, "remind awards-2026 morning")
    await ask(bot, "remind awards-2026 1w")
    await ask(bot, "remind renewals-2026 1d", who="bob")  # someone else's
    listing = await ask(bot, "list")
    week = listing.index("#2 Award nominations close: a week before, Thursday, December 3")
    morning = listing.index("#1 Award nominations close: that morning, Thursday, December 10")
    assert week < morning
    assert "9:00 AM CST" in listing and "renewals" not in listing.lower()
    # /reminders alone: the broadcast DM choice, then the list
    overview = await ask(bot, "")
    assert "Broadcast DMs are on for you" in overview and "#2 Award nominations" in overview


async def test_cancel_stops_the_dm_and_another_member_cannot_cancel_it(
    bot: BotCore, sender: RecordingSender, now_clock: FixedClock
) -> None:
    await ask(bot, "remind awards-2026 1d")
    refused = await ask(bot, "cancel 1", who="bob")
    assert "You have no reminder #1, so nothing changed" in refused
    assert await pending_dues(bot.database) == [AWARDS_DUE["1d"]]
    # the same through typed options (Discord, a button): still refused
    reply = await bot.handle(typed("bob", Arguments("cancel", {"id": 1})))
    assert reply is not None and "You have no reminder #1" in reply.text
    assert await pending_dues(bot.database) == [AWARDS_DUE["1d"]]

    assert "Cancelled reminder #1 (Award nominations close, the day before)" in await ask(
        bot, "cancel #1"
    )
    assert "You have no reminder #1" in await ask(bot, "cancel 1")  # cancelling twice
    assert "You have no deadline reminders" in await ask(bot, "list")
    await deliver_at(bot, sender, AWARDS_DUE["1d"])
    assert sender.dms == []
    # asking again after cancelling brings it back (still one subscription)
    now_clock.set(NOW)
    assert "This is reminder #1" in await ask(bot, "remind awards-2026 1d")
    assert await pending_dues(bot.database) == [AWARDS_DUE["1d"]]
    assert await count(bot.database, MemberReminder) == 1


async def test_a_cancel_without_a_number_is_explained(bot: BotCore) -> None:
    assert "Which reminder? Give its number, not 'soon'" in await ask(bot, "cancel soon")
    assert "Which reminder? Give its number" in await ask(bot, "cancel")


async def test_an_already_sent_reminder_cannot_be_cancelled(
    bot: BotCore, sender: RecordingSender
) -> None:
    await ask(bot, "remind awards-2026 1w")
    await deliver_at(bot, sender, AWARDS_DUE["1w"])
    assert len(dm_texts(sender)) == 1
    assert "Reminder #1 has already been sent to you" in await ask(bot, "cancel 1")


async def test_change_moves_a_reminder_to_another_lead_time(
    bot: BotCore, sender: RecordingSender
) -> None:
    await ask(bot, "remind awards-2026 1w")
    changed = await ask(bot, "change 1 morning")
    assert "Done: I will DM you about Award nominations close that morning" in changed
    assert await pending_dues(bot.database) == [AWARDS_DUE["morning"]]
    assert "You have no reminder #1" in await ask(bot, "change 1 1d", who="bob")
    assert "When should it come instead?" in await ask(bot, "change 2")
    for due in AWARDS_DUE.values():
        await deliver_at(bot, sender, due)
    (text,) = dm_texts(sender)
    assert "Award nominations close, today" in text


async def test_typed_options_from_discord_or_a_button_subscribe_the_same_way(
    bot: BotCore, sender: RecordingSender
) -> None:
    reply = await bot.handle(
        typed("ann", Arguments("remind", {"deadline": "awards-2026", "when": "1w"}))
    )
    assert reply is not None and "This is reminder #1" in reply.text
    again = await bot.handle(
        typed("ann", Arguments("remind", {"deadline": "awards-2026", "when": "1w"}))
    )
    assert again is not None and "You already have this reminder (#1)" in again.text
    no_when = await bot.handle(typed("ann", Arguments("remind", {"deadline": "awards-2026"})))
    assert no_when is not None and "the day before" in no_when.text  # 1d when not given
    assert await pending_dues(bot.database) == [AWARDS_DUE["1w"], AWARDS_DUE["1d"]]


async def test_broadcast_dms_off_leaves_the_members_own_reminders_alone(
    bot: BotCore, sender: RecordingSender
) -> None:
    assert "I will not send you broadcast DMs" in await ask(bot, "off")
    assert "Broadcast DMs are off for you" in await ask(bot, "status")
    async with bot.database.session() as session:
        opted_out = await session.scalar(
            select(Member.reminders_opt_out).where(Member.user_id == "ann")
        )
    assert opted_out is True
    await ask(bot, "remind awards-2026 1d")
    await deliver_at(bot, sender, AWARDS_DUE["1d"])
    assert len(dm_texts(sender)) == 1  # asked for: sent even with broadcast DMs off
    assert "you will get broadcast DMs" in await ask(bot, "on")
    async with bot.database.session() as session:
        assert await session.scalar(select(BroadcastDelivery.status)) == "sent"


async def test_an_unknown_sub_command_gets_the_usage(bot: BotCore) -> None:
    reply = await ask(bot, "maybe")
    assert "I did not understand 'maybe'" in reply
    assert "/reminders remind DEADLINE-ID 1w|1d|morning" in reply and "/reminders off" in reply


async def test_a_reminder_being_sent_cannot_be_cancelled_halfway(
    bot: BotCore, sender: RecordingSender, now_clock: FixedClock
) -> None:
    await ask(bot, "remind awards-2026 1d")
    now_clock.set(AWARDS_DUE["1d"])
    sending = shared.dispatcher(bot, sender, "sending")
    assert len(await sending.claim(now_clock.now(), limit=1)) == 1  # a dispatcher took it
    assert "Reminder #1 is being sent to you right now" in await ask(bot, "cancel 1")
    async with bot.database.session() as session:
        status = await session.scalar(select(MemberReminder.status))
    assert status == "active"
