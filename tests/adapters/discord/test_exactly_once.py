"""Fault injection on Discord: 10% of messages accepted, then the connection reset.

The sender sends again at once with the same nonce and ``enforce_nonce``, which
Discord answers with the message it already has: 0 duplicates and 0 losses.
"""

from __future__ import annotations

from collections import Counter

from adapters.discord.app import MemberBotClient
from adapters.discord.sender import DiscordSender
from bot.clock import FixedClock
from bot.outbound import ChannelTarget, DeliveryKey
from bot.replies import text_message
from bot.requests import UserRef
from bot.storage import Database
from tests.adapters.discord.conftest import discord_settings
from tests.adapters.discord.payloads import CHANNEL_ID, GUILD_ID
from tests.adapters.faults import broadcast_to_everyone
from tests.fakes.fake_discord import FakeDiscord, FakeUser

MEMBERS = [FakeUser(300000000000000000 + n, f"member{n}") for n in range(100)]
STAFF = UserRef(
    platform="discord", workspace_id=str(GUILD_ID), user_id=str(MEMBERS[0].id), display_name="Sam"
)


async def test_a_broadcast_with_accepted_then_reset_sends_reaches_everyone_once(
    client: MemberBotClient, fake_discord: FakeDiscord, database: Database, clock: FixedClock
) -> None:
    fake_discord.guild_members[GUILD_ID] = MEMBERS
    fake_discord.reset_rate = 0.1
    sender = DiscordSender(client=client, settings=discord_settings(discord_members_intent=True))
    assert await broadcast_to_everyone(database, sender, clock, staff=STAFF) == 100
    assert sum(r.connection_reset for r in fake_discord.calls("POST", "/messages")) >= 5
    per_member = {member.id: len(fake_discord.created_dms_to(member.id)) for member in MEMBERS}
    assert set(per_member.values()) == {1}  # no losses, no duplicates


async def test_keyed_posts_with_accepted_then_reset_sends_arrive_once_each(
    client: MemberBotClient, fake_discord: FakeDiscord
) -> None:
    fake_discord.reset_rate = 0.1
    sender = DiscordSender(client=client, settings=discord_settings())
    for number in range(100):
        await sender.post(
            target=ChannelTarget(channel_id=str(CHANNEL_ID)),
            message=text_message(f"kudos number {number}"),
            key=DeliveryKey.for_kudos_post(number),
        )
    assert sum(r.connection_reset for r in fake_discord.calls("POST", "/messages")) >= 5
    texts = Counter(m["content"] for m in fake_discord.created_in(CHANNEL_ID))
    assert len(texts) == 100 and set(texts.values()) == {1}
