"""/broadcast and /reminders through BotCore.handle: preview, confirm, list, cancel, refusals."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from adapters.discord.render import render_chunks
from bot.broadcasts.dispatcher import Dispatcher
from bot.broadcasts.messages import MAX_MESSAGE_LENGTH, broadcast_message
from bot.broadcasts.policy import DispatchPolicy
from bot.broadcasts.reminders import ReminderScheduler
from bot.clock import FixedClock
from bot.commands.naming import structured_form, with_command_forms
from bot.commands.spec import CommandNames
from bot.config import Settings
from bot.core import BotCore
from bot.knowledge import Deadline, Knowledge
from bot.knowledge_store import KnowledgeStore
from bot.replies import MentionSpan, Text
from bot.requests import Mention, MentionKind, Request, UserRef, mention_token
from bot.storage import Database
from bot.storage.models import AuditLog, Broadcast, BroadcastDelivery
from tests.core.broadcast_support import (
    PLATFORM,
    WORKSPACE,
    CountingSender,
    delivery_statuses,
    member,
    member_request,
    staff_request,
)
from tests.support.cores import start_core


@pytest.fixture
def sender() -> CountingSender:
    bot = UserRef(PLATFORM, WORKSPACE, "helperbot", "Helper", is_bot=True)
    elsewhere = UserRef(PLATFORM, "other-workspace", "zed", "Zed")
    return CountingSender(members=[member("ann"), member("bob"), bot, elsewhere])


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


async def say(bot: BotCore, text: str, *, staff: bool = True, command: str = "broadcast") -> str:
    reply = await bot.handle(staff_request(text, command=command, staff=staff))
    assert reply is not None
    return reply.text


def dispatcher(bot: BotCore, sender: CountingSender) -> Dispatcher:
    return Dispatcher(database=bot.database, outbound=sender, clock=bot.clock, worker_id="test")


async def count(database: Database, model: type) -> int:
    async with database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_non_staff_is_refused_politely_and_nothing_is_scheduled(bot: BotCore) -> None:
    text = await say(bot, "dm Hello everyone", staff=False)
    assert "for association staff only" in text
    assert "Nothing was sent" in text
    assert await count(bot.database, Broadcast) == 0
    assert await count(bot.database, BroadcastDelivery) == 0


async def test_preview_sends_nothing_until_confirmed(bot: BotCore, sender: CountingSender) -> None:
    preview = await say(bot, "announcements Mentoring applications close Monday!")
    assert "Preview of broadcast #1" in preview
    assert "Mentoring applications close Monday!" in preview
    assert "post in the announcements channel" in preview
    assert "as soon as you confirm" in preview
    assert "/broadcast confirm 1" in preview
    await dispatcher(bot, sender).drain()
    assert sender.posts == []

    confirmed = await say(bot, "confirm 1")
    assert "Broadcast #1 is scheduled" in confirmed
    await dispatcher(bot, sender).drain()
    assert [(channel, m.plain_text()) for channel, m in sender.posts] == [
        ("announcements", "Mentoring applications close Monday!")
    ]


async def test_dm_broadcast_reaches_members_who_did_not_opt_out(
    bot: BotCore, sender: CountingSender
) -> None:
    # Bob opts out; the bot account and the other workspace's member never get DMs.
    reply = await bot.handle(member_request("bob", "reminders", "off"))
    assert reply is not None and "not send you broadcast DMs" in reply.text

    preview = await say(bot, "dm Ballots need membership by January 31.")
    assert "DM to 2 members" in preview  # ann and sam (the staff member is a member too)
    await say(bot, "confirm 1")
    await dispatcher(bot, sender).drain()
    assert sender.dm_counts == {"ann": 1, "sam": 1}


async def test_reminders_status_and_bad_choice(bot: BotCore) -> None:
    assert "on for you" in await say(bot, "status", command="reminders")
    await say(bot, "off", command="reminders")
    assert "off for you" in await say(bot, "", command="reminders")
    assert "Type /reminders off" in await say(bot, "maybe", command="reminders")


async def test_member_text_never_pings(bot: BotCore, sender: CountingSender) -> None:
    request = Request(
        platform=PLATFORM,
        workspace_id=WORKSPACE,
        channel_id="console",
        sender=member("sam"),
        command="broadcast",
        text=f"announcements {mention_token(0)} thanks {mention_token(1)} <!channel>",
        mentions=(
            Mention(kind=MentionKind.EVERYONE, raw="@everyone"),
            Mention(kind=MentionKind.USER, raw="@ann", user=member("ann")),
        ),
        is_staff=True,
    )
    await bot.handle(request)
    await say(bot, "confirm 1")
    await dispatcher(bot, sender).drain()
    (_, message) = sender.posts[0]
    assert message.plain_text() == "@everyone thanks @Ann <!channel>"
    assert message.mentioned_users() == []
    assert all(isinstance(span, Text) for span in message.spans())
    assert not any(isinstance(span, MentionSpan) for span in message.spans())


async def test_channel_mention_and_plain_channel_targets(
    bot: BotCore, sender: CountingSender
) -> None:
    request = Request(
        platform=PLATFORM,
        workspace_id=WORKSPACE,
        channel_id="console",
        sender=member("sam"),
        command="broadcast",
        text=f"{mention_token(0)} Hello news channel",
        mentions=(Mention(kind=MentionKind.CHANNEL, raw="#news", channel_id="C0NEWS"),),
        is_staff=True,
    )
    reply = await bot.handle(request)
    assert reply is not None and "post in #C0NEWS" in reply.text
    assert "post in #general" in await say(bot, "#general Hi all")
    await say(bot, "confirm 1")
    await say(bot, "confirm 2")
    await dispatcher(bot, sender).drain()
    assert sorted(channel for channel, _ in sender.posts) == ["C0NEWS", "general"]


async def test_scheduled_broadcast_waits_for_its_local_time(
    bot: BotCore, sender: CountingSender, clock: FixedClock
) -> None:
    preview = await say(bot, "dm at 2026-12-01 09:00 Gift memberships close December 14.")
    assert "Tuesday, December 1, 2026 at 9:00 AM CST" in preview
    await say(bot, "confirm 1")
    async with bot.database.session() as session:
        due = await session.scalar(select(Broadcast.due_at))
    assert due == datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
    worker = dispatcher(bot, sender)
    await worker.drain()
    assert sender.dms == []
    clock.set(datetime(2026, 12, 1, 15, 0, tzinfo=UTC))
    await worker.drain()
    assert set(sender.dm_counts) == {"ann", "bob", "sam"}


async def test_times_across_dst_and_year_end(bot: BotCore) -> None:
    spring = await say(bot, "dm at 2027-03-14 02:30 hello")
    assert "does not exist" in spring and "jump forward" in spring
    fall = await say(bot, "dm at 2027-11-07 01:30 hello")
    assert "happens twice" in fall
    year_end = await say(bot, "dm at 2026-12-31 23:30 Happy new year")
    assert "Thursday, December 31, 2026 at 11:30 PM CST" in year_end
    new_year = await say(bot, "dm at 2027-01-01 00:15 Happy new year")
    assert "Friday, January 1, 2027 at 12:15 AM CST" in new_year
    summer = await say(bot, "dm at 2027-07-01 09:00 Summer")
    assert "9:00 AM CDT" in summer
    async with bot.database.session() as session:
        dues = list(await session.scalars(select(Broadcast.due_at).order_by(Broadcast.id)))
    assert dues == [
        datetime(2027, 1, 1, 5, 30, tzinfo=UTC),
        datetime(2027, 1, 1, 6, 15, tzinfo=UTC),
        datetime(2027, 7, 1, 14, 0, tzinfo=UTC),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("dm at 2026-11-23 08:00 too late", "in the past"),
        ("dm at 2026-02-30 09:00 hello", "not a real date"),
        ("dm at 2026-12-01 hello", "at YYYY-MM-DD HH:MM"),
        ("dm", "has no message"),
        ("nowhere hello", "Start with a #channel"),
        ("confirm abc", "/broadcast confirm ID"),
        ("confirm 99", "no broadcast #99"),
        ("cancel", "/broadcast cancel ID"),
        ("dm " + "x" * 2001, "at most 2,000 characters"),
        # str.isdigit takes superscripts, which int() refuses
        ("confirm ²", "with the broadcast's number in digits"),
        ("cancel #³", "with the broadcast's number in digits"),
        ("list ²", "a COUNT from 1 to 50"),
        # beyond what storage can hold, or hold as an id
        ("confirm 99999999999999999999999", "There is no broadcast #999999999999…"),
        ("cancel 2147483648", "There is no broadcast #2147483648"),
        ("confirm " + "9" * 5000, "There is no broadcast #999999999999…"),
        ("confirm 0", "There is no broadcast #0"),
        ("confirm １２", "no broadcast #12"),  # full-width digits are digits
        # beyond the dates that can be converted between time zones
        ("dm at 9999-12-31 23:59 hello", "too far ahead"),
        ("announcements at 2027-11-25 09:00 hello", "until 2027-11-24"),
        ("dm at 0001-01-01 00:00 hello", "in the past"),
    ],
)
async def test_bad_input_gets_a_clear_message(bot: BotCore, text: str, expected: str) -> None:
    reply = await say(bot, text)
    assert expected in reply and "went wrong" not in reply
    assert await count(bot.database, BroadcastDelivery) == 0


async def test_a_year_ahead_is_the_furthest_send_day(bot: BotCore) -> None:
    preview = await say(bot, "announcements at 2027-11-24 09:00 Same day next year")
    assert "Preview of broadcast #1" in preview


@pytest.mark.parametrize(
    "text",
    [
        "dm at 25:00 bad time",
        "dm at 09:00 tomorrow",
        "dm at 9am Coffee morning",
        "announcements at tomorrow 09:00 Coffee morning",
        "dm AT Noon lunch",
        "dm at 12/07/2026 09:00 hello",
        "dm at monday 09:00 Team meeting",  # day and month names: once sent as text
        "announcements at Dec 7 09:00 Gift memberships close",
    ],
)
async def test_a_send_time_that_cannot_be_read_is_refused_not_sent_as_text(
    bot: BotCore, text: str
) -> None:
    reply = await say(bot, text)
    assert "I could not read that send time" in reply
    assert "`at YYYY-MM-DD HH:MM`" in reply and "e.g. at 2026-12-07 09:00" in reply
    assert "Nothing was drafted" in reply
    assert await count(bot.database, Broadcast) == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("dm at the conference we met 40 new members", "at the conference we met 40 new members"),
        ("announcements At last, the new site is live", "At last, the new site is live"),
        ("dm at todays meeting we voted", "at todays meeting we voted"),
        ("dm at Monday's meeting we voted", "at Monday's meeting we voted"),
        ("dm at may day we dance", "at may day we dance"),
        ("dm at 2026-12-01 09:00 at 5pm the doors open", "at 5pm the doors open"),
        ("dm at now At 6pm tonight the mixer opens", "At 6pm tonight the mixer opens"),
    ],
)
async def test_a_message_may_start_with_the_word_at(bot: BotCore, text: str, message: str) -> None:
    preview = await say(bot, text)
    assert "Preview of broadcast #1" in preview
    async with bot.database.session() as session:
        broadcast = await session.scalar(select(Broadcast))
    assert broadcast is not None and broadcast.body == message


async def test_help_lists_the_subcommands(bot: BotCore) -> None:
    text = await say(bot, "help")
    assert "/broadcast confirm ID" in text and "/broadcast cancel ID" in text


async def test_help_names_a_target_for_every_broadcast_as_the_parser_needs(bot: BotCore) -> None:
    reply = await bot.handle(staff_request("help", command="broadcast"))
    assert reply is not None
    text = reply.text
    assert "without a channel" not in text  # typed commands need a target
    assert "/broadcast #channel MESSAGE: post in that channel." in text
    assert "/broadcast announcements MESSAGE: post in the announcements channel." in text
    # On Discord the channel option may be left empty; help says so in Discord's form.
    on_discord = with_command_forms(reply, structured_form(bot.commands, CommandNames()))
    discord = "".join(chunk.content for chunk in render_chunks(on_discord.message))
    assert "**/broadcast post MESSAGE**: post in the announcements channel." in discord
    # What help promises, the parser takes: a target first, or a clear refusal.
    assert "Preview of broadcast #1" in await say(bot, "announcements Book club Friday")
    assert "Where should it go?" in await say(bot, "Book club Friday")


async def test_cancelling_one_unsent_message_says_message(bot: BotCore) -> None:
    await say(bot, "announcements at 2026-11-24 09:00 Tomorrow's news")
    await say(bot, "confirm 1")
    assert "cancelled: 1 unsent message dropped." in await say(bot, "cancel 1")


async def test_confirm_twice_and_by_another_staff_member(bot: BotCore) -> None:
    await say(bot, "announcements hello")
    other = Request(
        platform=PLATFORM,
        workspace_id=WORKSPACE,
        channel_id="console",
        sender=member("tess"),
        command="broadcast",
        text="confirm 1",
        is_staff=True,
    )
    reply = await bot.handle(other)
    assert reply is not None and "drafted by someone else" in reply.text
    assert "is scheduled" in await say(bot, "confirm 1")
    assert "already scheduled" in await say(bot, "confirm 1")
    assert await count(bot.database, BroadcastDelivery) == 1


async def test_cancel_stops_unsent_deliveries(
    bot: BotCore, sender: CountingSender, clock: FixedClock
) -> None:
    await say(bot, "dm at 2026-11-24 09:00 Tomorrow's news")
    await say(bot, "confirm 1")
    text = await say(bot, "cancel 1")
    assert "cancelled: 3 unsent messages dropped" in text
    clock.advance(timedelta(days=1))
    await dispatcher(bot, sender).drain()
    assert sender.dms == []
    assert await delivery_statuses(bot.database) == {"cancelled": 3}
    assert "already cancelled" in await say(bot, "cancel 1")


async def test_list_shows_counts_and_permanent_failures(
    bot: BotCore, sender: CountingSender
) -> None:
    sender.closed_dms.add("bob")
    await say(bot, "dm Nominations close December 7.")
    await say(bot, "confirm 1")
    await say(bot, "announcements Draft only")
    await dispatcher(bot, sender).drain()
    listing = await say(bot, "list")
    assert "#1 sent, 1 failed · DM to 3 members" in listing
    assert "sent 2, failed 1" in listing
    assert "not delivered: Bob: dms_closed" in listing
    assert "#2 draft" in listing and "no deliveries (draft)" in listing


async def test_every_action_is_audit_logged(bot: BotCore) -> None:
    await say(bot, "dm at 2026-12-01 09:00 Audit me")
    await say(bot, "confirm 1")
    await say(bot, "cancel 1")
    async with bot.database.session() as session:
        rows = list(await session.scalars(select(AuditLog).order_by(AuditLog.id)))
    assert [row.action for row in rows] == ["create", "confirm", "cancel"]
    assert all(row.broadcast_id == 1 for row in rows)
    assert all(row.actor.startswith("Sam (console:local:sam)") for row in rows)
    assert rows[1].audience == "DM to 3 members (console/local)"
    assert rows[0].text == "Audit me"
    assert all(row.at == bot.now() for row in rows)


async def test_broadcast_message_keeps_paragraphs(bot: BotCore) -> None:
    await say(bot, "announcements First paragraph.\n\nSecond paragraph.")
    async with bot.database.session() as session:
        broadcast = await session.scalar(select(Broadcast))
    assert broadcast is not None
    assert broadcast_message(broadcast).plain_text() == "First paragraph.\n\nSecond paragraph."


async def test_list_shows_the_audience_of_a_draft_as_its_preview_did(bot: BotCore) -> None:
    preview = await say(bot, "dm Nominations close December 7.")
    assert "DM to 3 members" in preview
    listing = await say(bot, "list")
    assert "#1 draft · DM to 3 members ·" in listing
    assert "no deliveries (draft)" in listing
    # The audience follows opt-outs until it is confirmed, as the confirm will.
    await bot.handle(member_request("bob", "reminders", "off"))
    assert "#1 draft · DM to 2 members ·" in await say(bot, "list")
    assert "DM to 2 members" in await say(bot, "confirm 1")


def reminder_scheduler(bot: BotCore) -> ReminderScheduler:
    return ReminderScheduler(
        database=bot.database,
        platform=PLATFORM,
        offsets=(7, 1),
        at=time(9, 0),
        grace=timedelta(hours=6),
    )


def knowledge_with(bot: BotCore, *deadlines: Deadline) -> Knowledge:
    return bot.knowledge.knowledge.model_copy(update={"deadlines": list(deadlines)})


def nominations(day: date) -> Deadline:
    return Deadline(id="nominations-2026", title="Nominations close", date=day)


async def test_list_shows_a_just_sent_broadcast_however_many_reminders_are_scheduled(
    bot: BotCore, sender: CountingSender
) -> None:
    deadlines = [
        Deadline(id=f"event-{n}", title=f"Event {n}", date=date(2027, 1, 1) + timedelta(days=n))
        for n in range(12)
    ]
    await reminder_scheduler(bot).reschedule(knowledge_with(bot, *deadlines), now=bot.now())
    await say(bot, "announcements Book club meets Friday")
    await say(bot, "confirm 25")
    await dispatcher(bot, sender).drain()
    listing = await say(bot, "list")
    staff, reminders = listing.split("Deadline reminders")
    assert "#25 sent · post in the announcements channel" in staff
    assert "sent 1" in staff and "Book club meets Friday" in staff
    assert reminders.count("· post in the announcements channel ·") == 10
    assert "#1 scheduled" in reminders and "Reminder: Event 0, in 7 days" in reminders
    short = await say(bot, "list 3")
    assert short.split("Deadline reminders")[1].count("announcements channel ·") == 3
    assert "COUNT from 1 to 50" in await say(bot, "list 0")


async def test_a_fully_sent_broadcast_shows_as_sent_and_cannot_be_cancelled(
    bot: BotCore, sender: CountingSender
) -> None:
    await say(bot, "dm Ballots need membership by January 31.")
    await say(bot, "confirm 1")
    assert "#1 sending · DM to 3 members" in await say(bot, "list")  # due now, not yet out
    await dispatcher(bot, sender).drain()
    assert "#1 sent · DM to 3 members" in await say(bot, "list")
    refusal = await say(bot, "cancel 1")
    assert refusal == (
        "Broadcast #1 has already gone out (sent 3), so there is nothing left to cancel. "
        "Messages that were sent cannot be recalled."
    )
    assert "#1 sent ·" in await say(bot, "list")  # still sent, not cancelled


async def test_staff_can_skip_an_upcoming_reminder_and_a_reload_keeps_it_skipped(
    bot: BotCore, sender: CountingSender, clock: FixedClock
) -> None:
    reminders = reminder_scheduler(bot)
    knowledge = knowledge_with(bot, nominations(date(2026, 12, 7)))
    await reminders.reschedule(knowledge, now=bot.now())  # #1: 7 days before, #2: 1 day
    reply = await say(bot, "cancel 1")
    assert reply.startswith("Reminder #1 is cancelled: it will not be posted.")
    assert "remove it from the file" in reply
    await reminders.reschedule(knowledge, now=bot.now())  # a reload or restart
    clock.set(datetime(2026, 11, 30, 15, 0, tzinfo=UTC))
    await dispatcher(bot, sender).drain()
    assert sender.posts == []
    assert "#1 cancelled" in await say(bot, "list")

    # A new date is a new reminder: it is scheduled again.
    moved = knowledge_with(bot, nominations(date(2026, 12, 10)))
    assert (await reminders.reschedule(moved, now=bot.now())).moved == 2
    clock.set(datetime(2026, 12, 3, 15, 0, tzinfo=UTC))
    await dispatcher(bot, sender).drain()
    assert len(sender.posts) == 1
    refusal = await say(bot, "cancel 1")
    assert refusal.startswith("Reminder #1 has already gone out (sent 1)")


async def test_confirming_a_reminder_says_it_needs_no_confirm(
    bot: BotCore, sender: CountingSender, clock: FixedClock
) -> None:
    reminders = reminder_scheduler(bot)
    await reminders.reschedule(
        knowledge_with(bot, nominations(date(2026, 12, 7))), now=bot.now()
    )  # #1: 7 days before, #2: 1 day before
    reply = await say(bot, "confirm 1")
    assert reply.startswith("Reminder #1 is an automatic deadline reminder")
    assert "need no confirm" in reply and "already scheduled" in reply
    assert "/broadcast cancel 1" in reply
    assert "There is no broadcast" not in reply
    # Cancel still works for a reminder; a confirm afterwards says it is cancelled.
    assert (await say(bot, "cancel 1")).startswith("Reminder #1 is cancelled")
    assert "This one was cancelled" in await say(bot, "confirm 1")
    clock.set(datetime(2026, 12, 6, 15, 0, tzinfo=UTC))
    await dispatcher(bot, sender).drain()
    assert len(sender.posts) == 1  # only #2: the confirm changed nothing


async def test_other_workspaces_and_notices_cannot_be_cancelled(bot: BotCore) -> None:
    await say(bot, "announcements hello")
    elsewhere = Request(
        platform=PLATFORM,
        workspace_id="other-workspace",
        channel_id="console",
        sender=member("sam"),
        command="broadcast",
        text="cancel 1",
        is_staff=True,
    )
    reply = await bot.handle(elsewhere)
    assert reply is not None and "There is no broadcast #1 here" in reply.text


async def test_a_broadcast_is_always_one_discord_message(bot: BotCore) -> None:
    # Every character of this text is escaped on Discord, so it counts twice.
    worst = "*" * (MAX_MESSAGE_LENGTH // 2)
    assert "Preview of broadcast #1" in await say(bot, f"announcements {worst}")
    refusal = await say(bot, f"announcements {worst}_")
    assert "at most 2,000 characters" in refusal and "counts as 2,002" in refusal
    # The limit is the same on every platform, and the refusal says so without naming one.
    assert "the smallest message limit of the chat platforms we support" in refusal
    assert "Discord" not in refusal and "Slack" not in refusal
    assert "at most 2,000 characters" in await say(bot, "dm " + "x" * 2001)
    async with bot.database.session() as session:
        broadcast = await session.scalar(select(Broadcast))
    assert broadcast is not None
    assert len(render_chunks(broadcast_message(broadcast))) == 1
    plain = await say(bot, "announcements " + "x" * MAX_MESSAGE_LENGTH)
    assert "Preview of broadcast #2" in plain


async def test_a_broadcast_confirmed_for_now_wakes_the_running_dispatcher(
    bot: BotCore, sender: CountingSender
) -> None:
    posted = asyncio.Event()
    sender.on_sent = posted.set
    # Polls once an hour: only the wake-up can get the second broadcast out in time.
    running = Dispatcher(
        database=bot.database,
        outbound=sender,
        clock=bot.clock,
        worker_id="test",
        policy=DispatchPolicy(poll_interval=3600),
        wake=bot.deliveries_due,
    )
    task = asyncio.create_task(running.run_forever())
    try:
        for number, text in enumerate(("First news", "Second news"), start=1):
            await say(bot, f"announcements {text}")
            await say(bot, f"confirm {number}")
            await asyncio.wait_for(posted.wait(), timeout=30)
            posted.clear()
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert [m.plain_text() for _, m in sender.posts] == ["First news", "Second news"]
