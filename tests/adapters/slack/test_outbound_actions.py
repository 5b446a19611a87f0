"""Buttons on what the bot posts and DMs, against the fake Slack Web API.

A post or DM with actions goes out as one ``chat.postMessage`` whose blocks are the
text's rich text and an ``actions`` block, as under a reply; its delivery key still
makes it arrive once. Through the real Bolt app: ``/ask-staff`` reaches the staff
channel with Answer / Not for us / Assign, and a staff member's click on Answer
there opens the answer form.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from adapters.slack.client import build_client
from adapters.slack.sender import SlackSender
from adapters.slack.settings import SlackSettings
from bot.actions import ActionRef, Button, ButtonStyle, Select, SelectOption
from bot.commands.catalogue import default_catalogue
from bot.commands.spec import parse_command_names
from bot.outbound import ChannelTarget, DeliveryKey
from bot.replies import CommandSpan, MessageBuilder, text_message
from bot.requests import UserRef
from tests.adapters.slack.conftest import SlackEndpoint
from tests.adapters.slack.interactive_support import block_actions, button_values, send
from tests.adapters.slack.support import SIGNING_SECRET, slash_command_body
from tests.fakes.fake_slack import FakeSlack

STAFF_CHANNEL = "CSTAFF"
HELLO = text_message("A member asked the staff (question 12)")
ACTIONS = (
    Button("Answer 12", ActionRef("unanswered", "answer", ("12",)), ButtonStyle.PRIMARY),
    Button("Not for us 12", ActionRef("unanswered", "dismiss", ("12",))),
)


@pytest.fixture
def slack_settings(fake_slack: FakeSlack) -> SlackSettings:
    """The conftest's settings with a staff channel."""
    return SlackSettings(  # type: ignore[call-arg]
        _env_file=None,
        slack_bot_token="xoxb-test-token",
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake_slack.api_url,
        slack_kudos_channel="CKUDOS",
        slack_staff_channel=STAFF_CHANNEL,
        slack_staff_usergroup_id="SSTAFF",
    )


def _sender(fake: FakeSlack) -> SlackSender:
    client = build_client(token="xoxb-test", base_url=fake.api_url)
    return SlackSender(client=client, channels={"staff": STAFF_CHANNEL})


def _blocks(params: dict[str, Any]) -> list[dict[str, Any]]:
    blocks = params["blocks"]
    return json.loads(blocks) if isinstance(blocks, str) else list(blocks)


async def test_a_post_with_actions_carries_its_text_and_an_actions_block(
    fake_slack: FakeSlack,
) -> None:
    await _sender(fake_slack).post(
        target=ChannelTarget(channel_id="C1"), message=HELLO, actions=ACTIONS
    )
    [call] = fake_slack.delivered()
    blocks = _blocks(call.params)
    assert [block["type"] for block in blocks] == ["rich_text", "actions"]
    assert button_values(blocks) == {
        "Answer 12": "unanswered:answer:12",
        "Not for us 12": "unanswered:dismiss:12",
    }
    assert blocks[1]["elements"][0]["style"] == "primary"
    assert "question 12" in call.params["text"]  # the notification text is the message's


async def test_a_dm_with_a_select_carries_its_options(fake_slack: FakeSlack) -> None:
    select = Select(
        "Pick one", (SelectOption("A week before", ActionRef("reminders", "set", ("d1", "week"))),)
    )
    user = UserRef(platform="slack", workspace_id="T0001", user_id="U2")
    await _sender(fake_slack).send_dm(user=user, message=HELLO, actions=(select,))
    [call] = fake_slack.delivered()
    [_, actions] = _blocks(call.params)
    [element] = actions["elements"]
    assert element["type"] == "static_select"
    assert element["options"][0]["value"] == "rm:set:d1:week"


async def test_a_keyed_post_with_actions_still_arrives_once(fake_slack: FakeSlack) -> None:
    sender = _sender(fake_slack)
    key = DeliveryKey("s12")
    target = ChannelTarget(channel_id="C1")
    first = await sender.post(target=target, message=HELLO, key=key, actions=ACTIONS)
    again = await sender.post(
        target=target,
        message=HELLO,
        key=DeliveryKey("s12", maybe_sent=True),
        actions=ACTIONS,
    )
    assert again == first
    assert len(fake_slack.messages_in("C1")) == 1
    [call] = fake_slack.delivered()
    assert call.params["metadata"]["event_payload"]["key"] == "s12"


async def test_a_post_names_commands_as_the_installation_renamed_them(
    fake_slack: FakeSlack,
) -> None:
    client = build_client(token="xoxb-test", base_url=fake_slack.api_url)
    names = parse_command_names("unanswered:staffq", default_catalogue())
    sender = SlackSender(client=client, command_names=names)
    message = (
        MessageBuilder()
        .paragraph("Answer it: ", CommandSpan("unanswered", "answer 12", action="answer"))
        .build()
    )
    await sender.post(target=ChannelTarget(channel_id="C1"), message=message)
    [call] = fake_slack.delivered()
    assert "/staffq answer 12" in call.params["text"]
    assert "/unanswered" not in json.dumps(_blocks(call.params))


async def test_ask_staff_posts_buttons_and_answer_pressed_there_opens_the_form(
    endpoint: SlackEndpoint, fake_slack: FakeSlack
) -> None:
    body = slash_command_body(
        "/ask-staff", "Is there bike parking?", response_url=fake_slack.response_url(), user_id="U1"
    )
    assert (await endpoint.command(body)).status == 200
    await fake_slack.wait_for(lambda f: bool(f.messages_in(STAFF_CHANNEL)))
    [post] = [c for c in fake_slack.delivered() if c.params["channel"] == STAFF_CHANNEL]
    buttons = button_values(_blocks(post.params))
    [answer_label] = [label for label in buttons if label.startswith("Answer ")]
    question = answer_label.removeprefix("Answer ")
    assert buttons == {
        f"Answer {question}": f"unanswered:answer:{question}",
        f"Not for us {question}": f"unanswered:dismiss:{question}",
        f"Assign {question} to ...": f"unanswered:assign:{question}",
    }
    assert f"/unanswered answer {question}" in post.params["text"]  # the text fallback
    click = block_actions(
        buttons[answer_label],
        user_id="USTAFF",
        response_url=fake_slack.response_url("r2"),
        channel_id=STAFF_CHANNEL,
    )
    assert (await send(endpoint.session, endpoint.url, click)).status == 200
    await fake_slack.wait_for_calls("views.open")
    [opened] = fake_slack.delivered("views.open")
    assert opened.response["view"]["private_metadata"] == f"unanswered:reply:{question}"
