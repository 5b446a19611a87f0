"""Buttons on what the bot posts and DMs, against the fake Discord API.

A post or DM with actions carries them as components on its (last) message, their
custom ids the encoded references, as under a reply; a keyed post is still sent
once (the nonce). Through discord.py: ``/ask-staff`` reaches the staff channel with
Answer / Not for us / Assign, and a staff member's click on Answer there reaches
the one dispatcher and opens the answer form.
"""

from __future__ import annotations

from typing import Any

import pytest

from adapters.discord.app import MemberBotClient, build_client
from adapters.discord.sender import DiscordSender
from bot.actions import ActionRef, Button, ButtonStyle
from bot.core import BotCore
from bot.outbound import ChannelPurpose, ChannelTarget, DeliveryKey
from bot.replies import MessageBuilder, text_message
from bot.requests import UserRef
from tests.adapters.discord.conftest import ANA, BEN, discord_settings, run_interaction
from tests.adapters.discord.payloads import GUILD_ID, STAFF_ROLE_ID, command_interaction, option
from tests.fakes.fake_discord import FakeDiscord
from tests.fakes.fake_discord_interactions import buttons_in, click, sent_message

STAFF_CHANNEL_ID = 700000000000000009
MODAL = 9  # the interaction callback that opens a modal
ACTIONS = (
    Button("Answer 12", ActionRef("unanswered", "answer", ("12",)), ButtonStyle.PRIMARY),
    Button("Not for us 12", ActionRef("unanswered", "dismiss", ("12",))),
)
HELLO = text_message("A member asked the staff (question 12)")


@pytest.fixture(name="unattached_client")
def unattached_client_fixture() -> MemberBotClient:
    """The conftest's client, with a staff channel (its sender is the core's outbound)."""
    return build_client(  # type: ignore[return-value]
        settings=discord_settings(discord_staff_channel_id=str(STAFF_CHANNEL_ID))
    )


def _sender(core: BotCore) -> DiscordSender:
    assert isinstance(core.outbound, DiscordSender)
    return core.outbound


def _labels(body: dict[str, Any]) -> dict[str, str]:
    return {b["label"]: b["custom_id"] for b in buttons_in(body)}


async def test_a_post_with_actions_carries_them_as_components(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    await _sender(core).post(
        target=ChannelTarget(purpose=ChannelPurpose.STAFF), message=HELLO, actions=ACTIONS
    )
    [sent] = fake_discord.messages_in(STAFF_CHANNEL_ID)
    assert _labels(sent.json) == {
        "Answer 12": "unanswered:answer:12",
        "Not for us 12": "unanswered:dismiss:12",
    }
    assert [b["style"] for b in buttons_in(sent.json)] == [1, 2]  # primary, secondary


async def test_the_components_ride_on_the_last_part_of_a_long_post(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    builder = MessageBuilder()
    for number in range(8):
        builder.paragraph(f"Paragraph {number}: " + "word " * 100)
    await _sender(core).post(
        target=ChannelTarget(channel_id=str(STAFF_CHANNEL_ID)),
        message=builder.build(),
        actions=ACTIONS,
    )
    parts = fake_discord.messages_in(STAFF_CHANNEL_ID)
    assert len(parts) > 1
    assert [bool(buttons_in(p.json)) for p in parts] == [False] * (len(parts) - 1) + [True]


async def test_a_dm_with_actions_carries_them(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    user = UserRef("discord", str(GUILD_ID), str(BEN.id), "Ben")
    thanks = Button("👍 Thanks", ActionRef("ask", "helpful", ("7",)))
    await _sender(core).send_dm(user=user, message=HELLO, actions=(thanks,))
    [sent] = fake_discord.dms_to(BEN.id)
    assert _labels(sent.json) == {"👍 Thanks": "ask:helpful:7"}


async def test_a_keyed_post_with_actions_whose_answer_was_lost_is_created_once(
    client: MemberBotClient, fake_discord: FakeDiscord, core: BotCore
) -> None:
    fake_discord.reset_next(f"POST /channels/{STAFF_CHANNEL_ID}/messages")
    await _sender(core).post(
        target=ChannelTarget(purpose=ChannelPurpose.STAFF),
        message=HELLO,
        key=DeliveryKey("s12"),
        actions=ACTIONS,
    )
    first, again = fake_discord.calls("POST", f"/channels/{STAFF_CHANNEL_ID}/messages")
    assert first.connection_reset and again.deduplicated
    assert first.json["nonce"] == again.json["nonce"] == "mbs12.0"
    assert _labels(first.json) == _labels(again.json) != {}
    [created] = fake_discord.created_in(STAFF_CHANNEL_ID)
    assert _labels(created) == _labels(first.json)


async def test_ask_staff_posts_buttons_and_answer_pressed_there_opens_the_form(
    client: MemberBotClient, fake_discord: FakeDiscord
) -> None:
    asked = command_interaction("ask-staff", option("question", "Is there bike parking?"), user=ANA)
    await run_interaction(client, asked)
    [post] = fake_discord.messages_in(STAFF_CHANNEL_ID)
    buttons = _labels(post.json)
    [answer_label] = [label for label in buttons if label.startswith("Answer ")]
    question = answer_label.removeprefix("Answer ")
    assert buttons == {
        f"Answer {question}": f"unanswered:answer:{question}",
        f"Not for us {question}": f"unanswered:dismiss:{question}",
        f"Assign {question} to ...": f"unanswered:assign:{question}",
    }
    # The text fallback, as Discord's menus name the sub-command.
    assert f"/unanswered answer {question}" in post.json["content"]
    message = sent_message(post.json, message_id="1250000000000000077", channel_id=STAFF_CHANNEL_ID)
    pressed = click(
        buttons[answer_label],
        message=message,
        user=BEN,
        roles=(STAFF_ROLE_ID,),
        guild_id=GUILD_ID,
        channel_id=STAFF_CHANNEL_ID,
    )
    await run_interaction(client, pressed)
    (opened,) = fake_discord.calls("POST", f"/interactions/{pressed['id']}/")
    assert opened.json["type"] == MODAL, opened.json
    assert f"unanswered:reply:{question}" in opened.json["data"]["custom_id"]
