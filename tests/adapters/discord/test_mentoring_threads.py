"""Mentoring introductions in a private thread (DISCORD_MENTORING_THREAD_CHANNEL_ID), through
the real discord.py client against the fake API, on SQLite and PostgreSQL.

Configured, a confirmed pair gets one private thread in that channel, named for them,
both members in it and the introduction posted there once (no DMs). When Discord refuses
private threads (403, Missing Permissions), one warning names the channel and the
permissions, and each person gets their own introduction by DM. A thread whose answer
was lost, or that an earlier attempt made, is used again rather than made twice.
"""

from __future__ import annotations

import logging

import pytest

from adapters.discord.app import MemberBotClient, build_client
from adapters.discord.sender import SEND_TRIES, DiscordSender
from adapters.discord.threads import MAX_THREAD_NAME, PRIVATE_THREAD, thread_name
from bot.clock import FixedClock
from bot.config import Settings
from bot.core import BotCore
from bot.errors import DeliveryError, DeliveryReason
from bot.knowledge_store import KnowledgeStore
from bot.outbound import DeliveryKey, GroupMessenger
from bot.replies import text_message
from bot.requests import UserRef
from bot.storage import Database
from tests.adapters.discord.conftest import ANA, BEN, discord_settings
from tests.adapters.discord.payloads import GUILD_ID
from tests.core.mentoring_chat_support import apply_by_form, button, press, say
from tests.fakes.fake_discord import BOT_ID, FakeDiscord, FakeUser
from tests.support.cores import start_core

THREAD_CHANNEL = 1190000000000000042
COHORT = "Spring 2027"
INTRO = text_message("Welcome to the Spring 2027 mentoring cohort!")
SAM = UserRef("discord", str(GUILD_ID), "100000000000000005", "Sam (staff)")


def _ref(user: FakeUser) -> UserRef:
    return UserRef("discord", str(GUILD_ID), str(user.id), user.global_name)


@pytest.fixture
def unattached_client() -> MemberBotClient:
    settings = discord_settings(discord_mentoring_thread_channel_id=str(THREAD_CHANNEL))
    return build_client(settings=settings)  # type: ignore[return-value]


@pytest.fixture
async def core(
    settings: Settings,
    database: Database,
    clock: FixedClock,
    outbound: DiscordSender,
    frozen_knowledge: KnowledgeStore,
    fake_discord: FakeDiscord,
) -> BotCore:
    """The core on both databases, delivering through the client's sender to the fake."""
    fake_discord.guild_channels[THREAD_CHANNEL] = GUILD_ID
    return await start_core(
        settings=settings,
        database=database,
        knowledge=frozen_knowledge,
        clock=clock,
        outbound=outbound,
    )


async def _confirm_pair(core: BotCore) -> str:
    """Staff open the cohort, Ana (mentor) and Ben (mentee) apply, staff match and confirm."""
    assert "opened" in (await say(core, f"open {COHORT}", user=SAM, staff=True)).text
    await apply_by_form(core, _ref(ANA), role="mentor", email="ana@example.org", capacity="2")
    await apply_by_form(
        core, _ref(BEN), role="mentee", email="ben@example.org", interests="storytime"
    )
    assert "closed" in (await say(core, f"close {COHORT}", user=SAM, staff=True)).text
    preview = await say(core, f"match {COHORT}", user=SAM, staff=True)
    confirmed = await press(core, button(preview, "Confirm").ref.encode(), user=SAM, staff=True)
    return confirmed.text


def _sender(core: BotCore) -> DiscordSender:
    assert isinstance(core.outbound, DiscordSender)
    return core.outbound


async def test_a_confirmed_pair_is_introduced_once_in_a_private_thread_of_their_own(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    sender = _sender(core)
    assert isinstance(sender, GroupMessenger) and sender.group_dm_shared
    confirmed = await _confirm_pair(core)
    assert "Confirmed 1 matches" in confirmed and "Introductions sent: 1" in confirmed, confirmed
    await core.services.mentoring.pairs.introduce(COHORT)  # a second run sends nothing

    (thread,) = fake_discord.threads_in(THREAD_CHANNEL)
    assert thread["type"] == PRIVATE_THREAD and thread["thread_metadata"]["invitable"] is False
    assert thread["name"] == "Mentoring: Ana Reyes & Ben Okafor"
    thread_id = int(thread["id"])
    assert fake_discord.thread_members[thread_id] == {BOT_ID, ANA.id, BEN.id}
    (intro,) = fake_discord.created_in(thread_id)
    assert f"<@{ANA.id}>" in intro["content"] and f"<@{BEN.id}>" in intro["content"]
    assert "first meeting" in intro["content"]
    (posted,) = fake_discord.messages_in(thread_id)
    assert sorted(posted.json["allowed_mentions"]["users"]) == sorted([ANA.id, BEN.id])
    assert fake_discord.dms_to(ANA.id) == fake_discord.dms_to(BEN.id) == []
    assert len(fake_discord.calls("POST", f"/channels/{THREAD_CHANNEL}/threads")) == 1


async def test_without_permission_for_private_threads_each_person_gets_a_dm_and_one_warning(
    client: MemberBotClient,
    fake_discord: FakeDiscord,
    core: BotCore,
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake_discord.no_thread_permission.add(THREAD_CHANNEL)
    caplog.set_level(logging.WARNING, logger="adapters.discord.threads")
    confirmed = await _confirm_pair(core)
    assert "Introductions sent: 2" in confirmed, confirmed
    await core.services.mentoring.pairs.introduce(COHORT)  # a second run sends nothing

    assert fake_discord.threads_in(THREAD_CHANNEL) == []
    (to_ana,) = fake_discord.dms_to(ANA.id)
    (to_ben,) = fake_discord.dms_to(BEN.id)
    assert f"Your mentee is <@{BEN.id}>" in to_ana.json["content"]  # worded for each
    assert f"Your mentor is <@{ANA.id}>" in to_ben.json["content"]
    assert len(fake_discord.calls("POST", f"/channels/{THREAD_CHANNEL}/threads")) == 1
    (warning,) = [r for r in caplog.records if r.name == "adapters.discord.threads"]
    text = warning.getMessage()
    assert str(THREAD_CHANNEL) in text and "Create Private Threads" in text, text
    assert "50013" in text and "Missing Permissions" in text, text
    assert not _sender(core).group_dm_shared  # each person by DM for the rest of the run


async def test_a_thread_whose_answer_was_lost_is_found_and_not_made_twice(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    fake_discord.reset_next(f"POST /channels/{THREAD_CHANNEL}/threads")
    [posted] = await _sender(core).send_group_dm(
        users=(_ref(ANA), _ref(BEN)), message=INTRO, key=DeliveryKey("mi7")
    )
    (thread,) = fake_discord.threads_in(THREAD_CHANNEL)  # made once, found again
    assert len(fake_discord.calls("GET", f"/guilds/{GUILD_ID}/threads/active")) == 1
    thread_id = int(thread["id"])
    assert posted.channel_id == thread["id"]
    assert fake_discord.thread_members[thread_id] == {BOT_ID, ANA.id, BEN.id}
    assert len(fake_discord.created_in(thread_id)) == 1


@pytest.mark.parametrize("process", ["same", "another"])
async def test_a_retry_after_the_connection_dropped_uses_the_thread_and_message_made(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore, process: str
) -> None:
    users = (_ref(ANA), _ref(BEN))
    # Discord made the thread and the message, but no answer reached the bot.
    fake_discord.reset_next("/messages", times=SEND_TRIES)
    with pytest.raises(DeliveryError) as lost:
        await _sender(core).send_group_dm(users=users, message=INTRO, key=DeliveryKey("mi7"))
    assert lost.value.reason == DeliveryReason.UNCONFIRMED
    (thread,) = fake_discord.threads_in(THREAD_CHANNEL)
    thread_id = int(thread["id"])
    (made,) = fake_discord.created_in(thread_id)  # one message (the nonce held)
    fake_discord.nonce_memory = 0  # the retry comes after Discord forgot the nonce

    # The core tries again later, in this process or in another that remembers nothing.
    again = (
        _sender(core)
        if process == "same"
        else DiscordSender(client=client, settings=client.settings)
    )
    [posted] = await again.send_group_dm(
        users=users, message=INTRO, key=DeliveryKey("mi7", maybe_sent=True)
    )
    assert fake_discord.threads_in(THREAD_CHANNEL) == [thread]  # no second thread
    assert posted.channel_id == thread["id"]
    assert fake_discord.created_in(thread_id) == [made]  # nor a second introduction
    assert posted.message_id == made["id"]
    assert len(fake_discord.calls("POST", f"/channels/{thread_id}/messages")) == SEND_TRIES
    assert fake_discord.thread_members[thread_id] == {BOT_ID, ANA.id, BEN.id}


def test_a_thread_name_names_the_pair_within_discords_limit() -> None:
    assert thread_name((_ref(ANA), _ref(BEN))) == "Mentoring: Ana Reyes & Ben Okafor"
    long = UserRef("discord", "1", "2", "A" * 120)
    name = thread_name((long, _ref(BEN)))
    assert len(name) == MAX_THREAD_NAME and name.startswith("Mentoring: AAA")
