"""SlackSender.send_group_dm against the fake Web API: one multi-person DM, exactly once."""

from __future__ import annotations

import pytest

from adapters.slack.app import SlackBot
from adapters.slack.client import build_client
from adapters.slack.sender import SlackSender
from bot.errors import DeliveryError, DeliveryReason
from bot.outbound import DeliveryKey, GroupMessenger
from bot.replies import text_message
from bot.requests import UserRef
from tests.core.mentoring_chat_support import (
    PRIVATE_VALUES,
    STAFF,
    button,
    matched_pair,
    press,
    staff_says,
)
from tests.fakes.fake_slack import FakeSlack

INTRO = text_message("Welcome to the Spring 2027 mentoring cohort, U2 (mentor) and U3 (mentee)!")
KEY = DeliveryKey("mi7")


def _sender(fake: FakeSlack) -> SlackSender:
    return SlackSender(client=build_client(token="xoxb-test", base_url=fake.api_url))


def _pair(*, bot_mentee: bool = False) -> tuple[UserRef, UserRef]:
    return (
        UserRef(platform="slack", workspace_id="T0001", user_id="U2"),
        UserRef(platform="slack", workspace_id="T0001", user_id="U3", is_bot=bot_mentee),
    )


async def test_a_group_dm_opens_one_conversation_with_both_and_posts_once_there(
    fake_slack: FakeSlack,
) -> None:
    sender = _sender(fake_slack)
    assert isinstance(sender, GroupMessenger) and sender.group_dm_shared
    [posted] = await sender.send_group_dm(users=_pair(), message=INTRO, key=KEY)
    [opened] = fake_slack.calls("conversations.open")
    assert opened.params["users"] == "U2,U3"
    channel = opened.response["channel"]["id"]  # type: ignore[index]
    [post] = fake_slack.calls("chat.postMessage")
    assert post.params["channel"] == channel == posted.channel_id
    [message] = fake_slack.messages_in(channel)
    assert message["metadata"]["event_payload"]["key"] == "mi7"
    assert fake_slack.messages_in("DU2") == fake_slack.messages_in("DU3") == []


async def test_a_group_dm_accepted_before_the_connection_dropped_is_not_posted_again(
    fake_slack: FakeSlack,
) -> None:
    fake_slack.reset_next("chat.postMessage")
    sender = _sender(fake_slack)
    [posted] = await sender.send_group_dm(users=_pair(), message=INTRO, key=KEY)
    [message] = fake_slack.messages_in(posted.channel_id)
    assert posted.message_id == message["ts"]
    [call] = fake_slack.calls("chat.postMessage")  # found in the history, not resent
    assert call.connection_reset
    # A later attempt that may have been sent finds it too, and posts nothing.
    again = await sender.send_group_dm(
        users=_pair(), message=INTRO, key=DeliveryKey("mi7", maybe_sent=True)
    )
    assert again == (posted,)
    assert len(fake_slack.messages_in(posted.channel_id)) == 1


async def test_a_group_dm_with_a_bot_is_refused_before_anything_is_opened(
    fake_slack: FakeSlack,
) -> None:
    with pytest.raises(DeliveryError) as raised:
        await _sender(fake_slack).send_group_dm(users=_pair(bot_mentee=True), message=INTRO)
    assert raised.value.reason == DeliveryReason.BOT_RECIPIENT
    assert fake_slack.calls("conversations.open") == []


@pytest.mark.parametrize("dropped", [False, True], ids=["answered", "connection-dropped"])
async def test_confirming_a_cohort_introduces_the_pair_in_one_group_dm(
    fake_slack: FakeSlack, slack_bot: SlackBot, dropped: bool
) -> None:
    if dropped:  # Slack takes the introduction, the bot never hears so
        fake_slack.reset_next("chat.postMessage")
    core = slack_bot.core
    await matched_pair(core)  # U1 mentors U2
    preview = await staff_says(core, "match Spring 2027")
    confirmed = await press(core, button(preview, "Confirm").ref.encode(), user=STAFF, staff=True)
    assert "Introductions sent: 1" in confirmed.text
    await core.services.mentoring.pairs.introduce("Spring 2027")  # a second run sends nothing
    [opened] = fake_slack.calls("conversations.open")
    assert opened.params["users"] == "U1,U2"
    channel = opened.response["channel"]["id"]  # type: ignore[index]
    [message] = fake_slack.messages_in(channel)
    assert "<@U1>" in message["text"] and "<@U2>" in message["text"]
    assert [c.params["channel"] for c in fake_slack.calls("chat.postMessage")] == [channel]
    assert [c.connection_reset for c in fake_slack.calls("chat.postMessage")] == [dropped]
    for value in PRIVATE_VALUES:
        assert value not in str(message)
