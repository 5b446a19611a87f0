"""Rate limits, DMs, attachments, split messages, nonces and the sender, against the fake API."""

from __future__ import annotations

import pytest

from adapters.discord import sender as sender_module
from adapters.discord.app import MemberBotClient
from adapters.discord.sender import DiscordSender, nonce_for
from bot.core import BotCore
from bot.errors import DeliveryError, DeliveryReason
from bot.outbound import ChannelPurpose, ChannelTarget, DeliveryKey
from bot.replies import MentionSpan, MessageBuilder, NameSpan, text_message
from bot.requests import UserRef
from tests.adapters.discord.conftest import ANA, BEN, CARA, discord_settings, run_interaction
from tests.adapters.discord.payloads import (
    CHANNEL_ID,
    GUILD_ID,
    KUDOS_CHANNEL_ID,
    command_interaction,
    option,
)
from tests.fakes.fake_discord import APPLICATION_ID, FakeDiscord, FakeUser


def _ref(user_id: int, name: str = "someone") -> UserRef:
    return UserRef(
        platform="discord", workspace_id=str(GUILD_ID), user_id=str(user_id), display_name=name
    )


def _sender(client: MemberBotClient, core: BotCore) -> DiscordSender:
    assert isinstance(core.outbound, DiscordSender)
    return core.outbound


async def test_a_rate_limited_follow_up_is_waited_out_and_delivered_once(
    client: MemberBotClient, fake_discord: FakeDiscord
) -> None:
    fake_discord.rate_limit_next(f"POST /webhooks/{APPLICATION_ID}/", times=2)
    payload = command_interaction("ask", option("question", "what is Día?"), user=ANA)
    await run_interaction(client, payload)
    calls = fake_discord.calls("POST", f"/webhooks/{APPLICATION_ID}/{payload['token']}")
    assert [call.status for call in calls] == [429, 429, 200]


async def test_a_rate_limited_channel_post_is_waited_out_and_delivered_once(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    fake_discord.rate_limit_next(f"POST /channels/{KUDOS_CHANNEL_ID}/messages")
    posted = await _sender(client, core).post(
        target=ChannelTarget(purpose=ChannelPurpose.KUDOS), message=text_message("hello")
    )
    assert [c.status for c in fake_discord.calls("POST", "/messages")] == [429, 200]
    assert len(fake_discord.messages_in(KUDOS_CHANNEL_ID)) == 1
    assert posted.channel_id == str(KUDOS_CHANNEL_ID)


async def test_commands_work_in_direct_messages(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    payload = command_interaction("bothelp", user=BEN, guild_id=None, channel_id=555)
    await run_interaction(client, payload)
    (followup,) = fake_discord.calls("POST", f"/webhooks/{APPLICATION_ID}/{payload['token']}")
    assert "Here is what I can do" in followup.json["content"]


async def test_deadlines_calendar_arrives_as_a_file(
    client: MemberBotClient, fake_discord: FakeDiscord
) -> None:
    payload = command_interaction("deadlines", option("calendar", True, kind=5), user=ANA)
    await run_interaction(client, payload)
    (followup,) = fake_discord.calls("POST", f"/webhooks/{APPLICATION_ID}/{payload['token']}")
    (data,) = followup.files.values()
    assert data.startswith(b"BEGIN:VCALENDAR")
    assert followup.json["flags"] & 64


async def test_long_posts_are_split_and_each_part_pings_only_its_mentions(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    builder = MessageBuilder().paragraph(MentionSpan(_ref(BEN.id)), " first")
    for _ in range(30):
        builder.paragraph("A long announcement paragraph about the conference. " * 2)
    builder.paragraph(MentionSpan(_ref(CARA.id)), " and ", NameSpan(_ref(ANA.id, "@everyone")))
    posted = await _sender(client, core).post(
        target=ChannelTarget(channel_id=str(CHANNEL_ID)), message=builder.build()
    )
    parts = fake_discord.messages_in(CHANNEL_ID)
    assert len(parts) == 2
    assert all(len(p.json["content"]) <= 2000 for p in parts)
    assert parts[0].json["allowed_mentions"]["users"] == [BEN.id]
    assert parts[1].json["allowed_mentions"]["users"] == [CARA.id]
    assert "@everyone" not in parts[1].json["content"]  # a name, escaped
    assert posted.message_id == ",".join(p.response_id or "" for p in parts)

    await _sender(client, core).delete(posted=posted)
    assert len(fake_discord.calls("DELETE", f"/channels/{CHANNEL_ID}/messages/")) == 2


async def test_dm_to_closed_dms_is_a_permanent_failure(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    fake_discord.closed_dms.add(CARA.id)
    with pytest.raises(DeliveryError) as raised:
        await _sender(client, core).send_dm(user=_ref(CARA.id), message=text_message("hi"))
    assert raised.value.permanent and raised.value.reason == "dms_closed"


async def test_posting_without_a_channel_is_a_clear_permanent_failure(
    client: MemberBotClient, core: BotCore
) -> None:
    with pytest.raises(DeliveryError) as raised:
        await _sender(client, core).post(
            target=ChannelTarget(purpose=ChannelPurpose.ANNOUNCEMENTS), message=text_message("x")
        )
    assert raised.value.permanent and raised.value.reason == "no_channel"


async def test_list_members_pages_through_the_guild_with_the_members_intent(
    client: MemberBotClient,
    fake_discord: FakeDiscord,
    core: BotCore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    many = [FakeUser(200000000000000000 + n, f"m{n}") for n in range(5)]
    fake_discord.guild_members[GUILD_ID] = [*many, FakeUser(300000000000000000, "b", bot=True)]
    sender = DiscordSender(client=client, settings=discord_settings(discord_members_intent=True))
    monkeypatch.setattr(sender_module, "MEMBERS_PAGE", 2)  # page through 6 members
    members = await sender.list_members()
    assert sorted(m.user_id for m in members) == sorted(str(u.id) for u in many)
    # three full pages, then an empty one that ends the listing
    assert len(fake_discord.calls("GET", f"/guilds/{GUILD_ID}/members")) == 4


async def test_list_members_without_the_intent_lists_nobody_and_asks_discord_nothing(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    # Without the Server Members intent Discord has no list to give; the core's
    # audience is then the members it already knows (not the adapter's business).
    await run_interaction(client, command_interaction("bothelp", user=BEN))
    assert await _sender(client, core).list_members() == []
    assert fake_discord.calls("GET", "/members") == []


async def test_a_failed_member_listing_is_reported_not_silently_partial(
    client: MemberBotClient, fake_discord: FakeDiscord
) -> None:
    fake_discord.guild_members[GUILD_ID] = [FakeUser(200000000000000001, "m1")]
    fake_discord.fail_next(f"GET /guilds/{GUILD_ID}/members", status=403)
    sender = DiscordSender(client=client, settings=discord_settings(discord_members_intent=True))
    with pytest.raises(DeliveryError) as raised:
        await sender.list_members()
    assert raised.value.permanent and raised.value.reason == "forbidden"


async def test_a_post_accepted_before_the_connection_dropped_is_sent_again_and_not_doubled(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    fake_discord.reset_next(f"POST /channels/{KUDOS_CHANNEL_ID}/messages")
    posted = await _sender(client, core).post(
        target=ChannelTarget(purpose=ChannelPurpose.KUDOS),
        message=text_message("hello"),
        key=DeliveryKey("k7"),
    )
    first, again = fake_discord.calls("POST", f"/channels/{KUDOS_CHANNEL_ID}/messages")
    assert first.connection_reset and again.deduplicated
    assert first.json["nonce"] == again.json["nonce"] == "mbk7.0"
    assert first.json["enforce_nonce"] is True
    [message] = fake_discord.created_in(KUDOS_CHANNEL_ID)
    assert posted.message_id == message["id"]


async def test_a_dm_whose_answer_was_lost_arrives_once(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    fake_discord.reset_next("/messages", times=2)
    await _sender(client, core).send_dm(
        user=_ref(BEN.id), message=text_message("thanks"), key=DeliveryKey("n3", maybe_sent=True)
    )
    assert len(fake_discord.created_dms_to(BEN.id)) == 1
    assert len(fake_discord.calls("POST", "/messages")) == 3


async def test_without_a_key_a_lost_answer_is_reported_unconfirmed_not_resent(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    fake_discord.reset_next(f"POST /channels/{CHANNEL_ID}/messages")
    with pytest.raises(DeliveryError) as raised:
        await _sender(client, core).post(
            target=ChannelTarget(channel_id=str(CHANNEL_ID)), message=text_message("x")
        )
    assert (raised.value.reason, raised.value.permanent) == (DeliveryReason.UNCONFIRMED, False)
    assert len(fake_discord.created_in(CHANNEL_ID)) == 1
    assert len(fake_discord.calls("POST", "/messages")) == 1


def test_nonces_are_stable_per_part_and_never_longer_than_discord_allows() -> None:
    key = DeliveryKey("b" + "9" * 40)
    assert nonce_for(key, 0) == nonce_for(DeliveryKey(key.value, maybe_sent=True), 0)
    assert nonce_for(key, 0) != nonce_for(key, 1)
    assert all(len(nonce_for(key, part)) <= 25 for part in range(3))
    assert nonce_for(DeliveryKey("b12"), 1) == "mbb12.1"
