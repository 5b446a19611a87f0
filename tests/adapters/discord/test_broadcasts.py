"""/broadcast and /reminders through the command tree, delivered to the fake Discord."""

from __future__ import annotations

from sqlalchemy import func, select

from adapters.discord.app import MemberBotClient
from adapters.discord.sender import DiscordSender
from bot.broadcasts.background import build_dispatcher
from bot.broadcasts.dispatcher import Dispatcher
from bot.broadcasts.settings import BroadcastSettings
from bot.core import BotCore
from bot.outbound import Pace
from bot.storage.models import Broadcast, BroadcastDelivery, Member
from tests.adapters.discord.conftest import ANA, BEN, CARA, run_interaction
from tests.adapters.discord.payloads import (
    GUILD_ID,
    INTEGER,
    STAFF_ROLE_ID,
    channel_option,
    command_interaction,
    option,
    sub_command,
)
from tests.fakes.fake_discord import APPLICATION_ID, FakeDiscord

EPHEMERAL = 64
NEWS_CHANNEL_ID = 700000000000000010


async def _replies(client: MemberBotClient, fake: FakeDiscord, payload: dict) -> list[str]:
    """Run one interaction; the ephemeral follow-ups the member saw, in order."""
    await run_interaction(client, payload)
    followups = fake.calls("POST", f"/webhooks/{APPLICATION_ID}/{payload['token']}")
    assert followups and all(f.json["flags"] & EPHEMERAL for f in followups)
    return [f.json["content"] for f in followups]


def _broadcast(*options: dict, sub: str, staff: bool = True, channels: tuple = ()) -> dict:
    return command_interaction(
        "broadcast",
        sub_command(sub, *options),
        user=ANA,
        roles=(STAFF_ROLE_ID,) if staff else (),
        channels=channels,
    )


def _id(number: int) -> dict:
    return option("id", number, kind=INTEGER)


async def _count(core: BotCore, model: type) -> int:
    async with core.database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def _deliver_due(core: BotCore) -> None:
    assert core.outbound is not None
    dispatcher = Dispatcher(
        database=core.database, outbound=core.outbound, clock=core.clock, worker_id="test"
    )
    await dispatcher.drain()


async def test_a_member_without_a_staff_role_is_refused_and_nothing_is_scheduled(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    (reply,) = await _replies(
        client,
        fake_discord,
        _broadcast(option("message", "Free books for all @everyone"), sub="post", staff=False),
    )
    assert "for association staff only" in reply and "Nothing was sent" in reply
    assert await _count(core, Broadcast) == 0
    await _deliver_due(core)
    assert fake_discord.calls("POST", "/channels/") == []


async def test_staff_preview_confirm_and_list_a_channel_post(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    (preview,) = await _replies(
        client,
        fake_discord,
        _broadcast(
            option("message", "Nominations close December 7 @everyone <@&42>"),
            channel_option("channel", NEWS_CHANNEL_ID),
            sub="post",
            channels=(NEWS_CHANNEL_ID,),
        ),
    )
    assert "Preview of broadcast #1" in preview and "Nominations close December 7" in preview
    assert f"post in #{NEWS_CHANNEL_ID}" in preview
    await _deliver_due(core)
    assert fake_discord.messages_in(NEWS_CHANNEL_ID) == []  # nothing before the confirm

    (confirmed,) = await _replies(client, fake_discord, _broadcast(_id(1), sub="confirm"))
    assert "Broadcast #1 is scheduled" in confirmed
    await _deliver_due(core)
    (post,) = fake_discord.messages_in(NEWS_CHANNEL_ID)
    assert "Nominations close December 7" in post.json["content"]
    assert "@everyone" not in post.json["content"] and "<@&42>" not in post.json["content"]
    assert post.json["content"].endswith("@role")  # a role named, never pinged
    assert post.json["allowed_mentions"] == {"parse": [], "users": []}

    (listing,) = await _replies(client, fake_discord, _broadcast(sub="list"))
    assert "#1" in listing and "sent 1" in listing


async def test_announcements_is_the_default_channel_and_a_draft_can_be_cancelled(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    (preview,) = await _replies(
        client,
        fake_discord,
        _broadcast(
            option("message", "Gift memberships close December 14."),
            option("at", "2026-12-01 09:00"),
            sub="post",
        ),
    )
    assert "post in the announcements channel" in preview
    assert "Tuesday, December 1, 2026 at 9:00 AM" in preview  # organisation time
    (cancelled,) = await _replies(client, fake_discord, _broadcast(_id(1), sub="cancel"))
    assert "Broadcast #1 is cancelled" in cancelled
    async with core.database.session() as session:
        broadcast = await session.get(Broadcast, 1)
    assert broadcast is not None and broadcast.status == "cancelled"
    assert broadcast.workspace_id == str(GUILD_ID)


async def test_a_send_time_that_is_not_a_date_is_refused_before_the_core(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    # The core would read "next friday" as the start of the message and send it now.
    (reply,) = await _replies(
        client,
        fake_discord,
        _broadcast(option("message", "Ballots!"), option("at", "next friday"), sub="dm"),
    )
    assert "'next friday' is not a send time" in reply and "Nothing was scheduled" in reply
    assert await _count(core, Broadcast) == 0


async def test_a_long_preview_is_split_into_ephemeral_follow_ups_under_the_limit(
    client: MemberBotClient, fake_discord: FakeDiscord
) -> None:
    # Within the 2,000-character broadcast limit, but not together with the preview's framing.
    paragraphs = [f"Paragraph {n}: " + "storytime volunteers needed. " * 13 for n in range(5)]
    message = "\n\n".join(paragraphs)
    assert 1900 < len(message) <= 2000
    parts = await _replies(client, fake_discord, _broadcast(option("message", message), sub="dm"))
    assert len(parts) == 2
    assert all(len(part) <= 2000 for part in parts)
    joined = "\n\n".join(parts)
    assert all(paragraph.strip() in joined for paragraph in paragraphs)
    assert "Preview of broadcast #1" in parts[0] and "/broadcast confirm 1" in parts[-1]


async def test_reminders_off_keeps_a_member_out_of_dm_broadcasts(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    for user in (BEN, CARA):  # members the bot has met (no Server Members intent here)
        await _replies(client, fake_discord, command_interaction("bothelp", user=user))
    (off,) = await _replies(
        client,
        fake_discord,
        command_interaction("reminders", sub_command("off"), user=BEN),
    )
    assert "I will not send you broadcast DMs" in off
    (status,) = await _replies(
        client, fake_discord, command_interaction("reminders", sub_command("status"), user=BEN)
    )
    assert "Broadcast DMs are off for you" in status

    (preview,) = await _replies(
        client, fake_discord, _broadcast(option("message", "Ballots need membership"), sub="dm")
    )
    assert "DM to 2 members" in preview  # Ana (staff) and Cara; Ben opted out
    await _replies(client, fake_discord, _broadcast(_id(1), sub="confirm"))
    await _deliver_due(core)
    assert fake_discord.dms_to(BEN.id) == []
    (to_cara,) = fake_discord.dms_to(CARA.id)
    assert "Ballots need membership" in to_cara.json["content"]
    assert await _count(core, BroadcastDelivery) == 2

    (on,) = await _replies(
        client, fake_discord, command_interaction("reminders", sub_command("on"), user=BEN)
    )
    assert "you will get broadcast DMs" in on
    async with core.database.session() as session:
        opted_out = await session.scalar(
            select(Member.reminders_opt_out).where(Member.user_id == str(BEN.id))
        )
    assert opted_out is False


def test_auto_pace_stays_under_discords_limit(client: MemberBotClient, core: BotCore) -> None:
    # 20 messages/s (a DM costs up to two requests of the 50/s a bot has), 8 in flight.
    assert isinstance(core.outbound, DiscordSender)
    assert core.outbound.default_pace == Pace(max_per_second=20.0, concurrency=8)
    shipped = BroadcastSettings(_env_file=None)  # type: ignore[call-arg]
    policy = build_dispatcher(core, tuning=shipped).policy
    assert (policy.max_per_second, policy.concurrency) == (20.0, 8)


async def test_a_message_starting_with_a_time_is_not_taken_for_the_send_time(
    client: MemberBotClient, fake_discord: FakeDiscord
) -> None:
    # The send time is its own option on Discord; the message is only the message.
    (preview,) = await _replies(
        client,
        fake_discord,
        _broadcast(option("message", "At 6pm tonight the mixer opens!"), sub="dm"),
    )
    assert "Preview of broadcast #1" in preview, preview
    assert "At 6pm tonight the mixer opens!" in preview
