"""DiscordSender.send_group_dm against the fake API: bots cannot open group DMs, so a DM
to each member, each with its own nonce derived from the key."""

from __future__ import annotations

from adapters.discord.app import MemberBotClient
from adapters.discord.sender import DiscordSender, nonce_for
from bot.core import BotCore
from bot.outbound import DeliveryKey, GroupMessenger, member_key
from bot.replies import text_message
from bot.requests import UserRef
from tests.adapters.discord.conftest import ANA, BEN, discord_settings
from tests.adapters.discord.payloads import GUILD_ID
from tests.fakes.fake_discord import FakeDiscord, FakeUser

__all__ = ["discord_settings"]  # fixture

INTRO = text_message("Welcome to the Spring 2027 mentoring cohort!")


def _ref(user: FakeUser) -> UserRef:
    return UserRef(platform="discord", workspace_id=str(GUILD_ID), user_id=str(user.id))


def _sender(core: BotCore) -> DiscordSender:
    assert isinstance(core.outbound, DiscordSender)
    return core.outbound


async def test_a_group_dm_is_one_dm_to_each_member_with_a_nonce_of_its_own(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    sender = _sender(core)
    assert isinstance(sender, GroupMessenger) and not sender.group_dm_shared
    posted = await sender.send_group_dm(
        users=(_ref(ANA), _ref(BEN)), message=INTRO, key=DeliveryKey("mi7")
    )
    assert len(posted) == 2
    assert len(fake_discord.created_dms_to(ANA.id)) == len(fake_discord.created_dms_to(BEN.id)) == 1
    nonces = [call.json["nonce"] for call in fake_discord.calls("POST", "/messages")]
    key = DeliveryKey("mi7")
    expected = [nonce_for(member_key(key, _ref(user)) or key, 0) for user in (ANA, BEN)]
    assert nonces == expected and len(set(nonces)) == 2  # Discord drops a repeated nonce


async def test_a_group_dm_whose_answer_was_lost_reaches_each_member_once(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    fake_discord.reset_next("/messages", times=2)
    await _sender(core).send_group_dm(
        users=(_ref(ANA), _ref(BEN)), message=INTRO, key=DeliveryKey("mi7", maybe_sent=True)
    )
    assert len(fake_discord.created_dms_to(ANA.id)) == len(fake_discord.created_dms_to(BEN.id)) == 1
