"""SlackSender against the fake Web API: retries, error mapping, paging, exactly once."""

from __future__ import annotations

import pytest

from adapters.slack.client import build_client
from adapters.slack.sender import SlackSender
from bot.broadcasts.background import dispatch_policy
from bot.broadcasts.settings import BroadcastSettings
from bot.config import Settings
from bot.errors import DeliveryError, DeliveryReason
from bot.outbound import ChannelPurpose, ChannelTarget, DeliveryKey, Pace, PostedMessage
from bot.replies import text_message
from bot.requests import UserRef
from tests.fakes.fake_slack import FakeSlack, FakeUser

HELLO = text_message("Hello from the association")
KEY = DeliveryKey("b1")
C1 = ChannelTarget(channel_id="C1")


def _sender(fake: FakeSlack, **channels: str) -> SlackSender:
    client = build_client(token="xoxb-test", base_url=fake.api_url)
    return SlackSender(client=client, channels=channels)


def _user(user_id: str, *, is_bot: bool = False) -> UserRef:
    return UserRef(platform="slack", workspace_id="T0001", user_id=user_id, is_bot=is_bot)


async def test_rate_limit_is_waited_out_and_delivered_once(fake_slack: FakeSlack) -> None:
    fake_slack.fail_next("chat.postMessage", times=2, status=429, retry_after=0)
    posted = await _sender(fake_slack).post(target=ChannelTarget(channel_id="C1"), message=HELLO)
    assert [c.status for c in fake_slack.calls("chat.postMessage")] == [429, 429, 200]
    assert len(fake_slack.delivered()) == 1
    assert posted == PostedMessage("slack", "C1", fake_slack.delivered()[0].response["ts"])


async def test_server_error_is_checked_then_retried(fake_slack: FakeSlack) -> None:
    fake_slack.fail_next("chat.postMessage", times=1, status=500)
    await _sender(fake_slack).post(target=C1, message=HELLO, key=KEY)
    assert [c.status for c in fake_slack.calls("chat.postMessage")] == [500, 200]
    # A 500 may follow an accepted post: the history was read before sending again.
    assert len(fake_slack.calls("conversations.history")) == 1
    assert len(fake_slack.messages_in("C1")) == 1


async def test_persistent_server_error_is_reported_as_temporary(fake_slack: FakeSlack) -> None:
    fake_slack.fail_next("chat.postMessage", times=10, status=500)
    with pytest.raises(DeliveryError) as raised:
        await _sender(fake_slack).post(target=C1, message=HELLO, key=KEY)
    assert raised.value.permanent is False
    assert raised.value.reason is DeliveryReason.PLATFORM_ERROR
    assert raised.value.detail == "internal_error"
    assert fake_slack.delivered() == []


@pytest.mark.parametrize("method", ["chat.postMessage", "conversations.open"])
async def test_a_non_json_error_body_is_a_temporary_delivery_error(
    fake_slack: FakeSlack, method: str
) -> None:
    # A proxy's 503 labelled application/json: slack_sdk hands over the raw response.
    fake_slack.non_json_next(method, times=10)
    with pytest.raises(DeliveryError) as raised:
        await _sender(fake_slack).send_dm(user=_user("U2"), message=HELLO)
    assert (raised.value.reason, raised.value.permanent) == (DeliveryReason.PLATFORM_ERROR, False)
    assert raised.value.detail == "http_503"
    assert fake_slack.messages_in("DU2") == []


async def test_a_non_json_503_is_checked_and_the_message_sent_once(fake_slack: FakeSlack) -> None:
    fake_slack.non_json_next("chat.postMessage")
    posted = await _sender(fake_slack).post(target=C1, message=HELLO, key=KEY)
    [message] = fake_slack.messages_in("C1")
    assert posted.message_id == message["ts"]


async def test_a_post_accepted_before_the_connection_dropped_is_not_sent_again(
    fake_slack: FakeSlack,
) -> None:
    fake_slack.reset_next("chat.postMessage")
    posted = await _sender(fake_slack).send_dm(user=_user("U2"), message=HELLO, key=KEY)
    [message] = fake_slack.messages_in("DU2")
    assert posted == PostedMessage("slack", "DU2", message["ts"])
    assert message["metadata"]["event_type"] == "memberbot_delivery"
    assert message["metadata"]["event_payload"]["key"] == "b1"
    [call] = fake_slack.calls("chat.postMessage")  # the client did not resend it blindly
    assert call.connection_reset


async def test_without_a_key_a_dropped_post_is_reported_unconfirmed_not_resent(
    fake_slack: FakeSlack,
) -> None:
    fake_slack.reset_next("chat.postMessage")
    with pytest.raises(DeliveryError) as raised:
        await _sender(fake_slack).post(target=C1, message=HELLO)
    assert (raised.value.reason, raised.value.permanent) == (DeliveryReason.UNCONFIRMED, False)
    assert len(fake_slack.messages_in("C1")) == 1
    assert len(fake_slack.calls("chat.postMessage")) == 1


async def test_maybe_sent_finds_the_earlier_message_and_sends_nothing(
    fake_slack: FakeSlack,
) -> None:
    sender = _sender(fake_slack)
    first = await sender.post(target=C1, message=HELLO, key=KEY)
    await sender.post(target=C1, message=text_message("something else"), key=DeliveryKey("b2"))
    again = await sender.post(target=C1, message=HELLO, key=DeliveryKey("b1", maybe_sent=True))
    assert again == first
    assert len(fake_slack.messages_in("C1")) == 2
    # The same key on a different text (another installation) is not taken for it.
    other = await sender.post(
        target=C1, message=text_message("other"), key=DeliveryKey("b1", maybe_sent=True)
    )
    assert other != first and len(fake_slack.messages_in("C1")) == 3


async def test_an_unreadable_history_leaves_the_row_unconfirmed(fake_slack: FakeSlack) -> None:
    fake_slack.reset_next("chat.postMessage")
    fake_slack.non_json_next("conversations.history", times=10)
    with pytest.raises(DeliveryError) as raised:
        await _sender(fake_slack).post(target=C1, message=HELLO, key=KEY)
    assert raised.value.reason is DeliveryReason.UNCONFIRMED and not raised.value.permanent
    assert len(fake_slack.messages_in("C1")) == 1  # it had arrived; nothing was resent


async def test_without_the_history_scope_it_sends_rather_than_lose_the_message(
    fake_slack: FakeSlack,
) -> None:
    fake_slack.history_error = "missing_scope"
    posted = await _sender(fake_slack).post(
        target=C1, message=HELLO, key=DeliveryKey("b1", maybe_sent=True)
    )
    assert [m["ts"] for m in fake_slack.messages_in("C1")] == [posted.message_id]


async def test_dm_opens_the_conversation_once_then_posts(fake_slack: FakeSlack) -> None:
    sender = _sender(fake_slack)
    for _ in range(2):
        posted = await sender.send_dm(user=_user("U2"), message=HELLO)
        assert posted.channel_id == "DU2"
    assert len(fake_slack.calls("conversations.open")) == 1
    assert [c.params["channel"] for c in fake_slack.delivered()] == ["DU2", "DU2"]


@pytest.mark.parametrize(
    ("user_id", "reason"),
    [
        ("UHELPER", DeliveryReason.BOT_RECIPIENT),
        ("UGONE", DeliveryReason.RECIPIENT_INACTIVE),
        ("U404", DeliveryReason.RECIPIENT_GONE),
    ],
)
async def test_undeliverable_dms_are_permanent(
    fake_slack: FakeSlack, user_id: str, reason: str
) -> None:
    with pytest.raises(DeliveryError) as raised:
        await _sender(fake_slack).send_dm(user=_user(user_id), message=HELLO)
    assert raised.value.permanent is True
    assert raised.value.reason == reason
    assert fake_slack.calls("chat.postMessage") == []


async def test_known_bot_is_refused_without_calling_slack(fake_slack: FakeSlack) -> None:
    with pytest.raises(DeliveryError) as raised:
        await _sender(fake_slack).send_dm(user=_user("UHELPER", is_bot=True), message=HELLO)
    assert raised.value.permanent is True
    assert fake_slack.calls() == []


async def test_missing_or_archived_channel_is_permanent(fake_slack: FakeSlack) -> None:
    fake_slack.missing_channels.add("CGONE")
    fake_slack.archived_channels.add("COLD")
    sender = _sender(fake_slack)
    for channel, code in (("CGONE", "channel_not_found"), ("COLD", "is_archived")):
        with pytest.raises(DeliveryError) as raised:
            await sender.post(target=ChannelTarget(channel_id=channel), message=HELLO)
        assert (raised.value.permanent, raised.value.reason) == (True, DeliveryReason.CHANNEL_GONE)
        assert raised.value.detail == code


async def test_post_uses_the_configured_channel_then_the_fallback(fake_slack: FakeSlack) -> None:
    configured = _sender(fake_slack, kudos="CKUDOS")
    target = ChannelTarget(purpose=ChannelPurpose.KUDOS, fallback_channel_id="CHERE")
    assert (await configured.post(target=target, message=HELLO)).channel_id == "CKUDOS"
    unconfigured = _sender(fake_slack)
    assert (await unconfigured.post(target=target, message=HELLO)).channel_id == "CHERE"
    with pytest.raises(DeliveryError):
        await unconfigured.post(
            target=ChannelTarget(purpose=ChannelPurpose.ANNOUNCEMENTS), message=HELLO
        )


async def test_delete_removes_a_posted_message(fake_slack: FakeSlack) -> None:
    sender = _sender(fake_slack)
    posted = await sender.post(target=ChannelTarget(channel_id="C1"), message=HELLO)
    await sender.delete(posted=posted)
    [deleted] = fake_slack.delivered("chat.delete")
    assert (deleted.params["channel"], deleted.params["ts"]) == ("C1", posted.message_id)
    with pytest.raises(DeliveryError) as raised:
        await sender.delete(posted=posted)
    assert raised.value.permanent is True


async def test_list_members_pages_and_skips_bots_and_deactivated() -> None:
    users = [FakeUser(f"U{n:03d}", f"member{n}") for n in range(5)]
    users += [FakeUser("UBOT2", "robot", is_bot=True), FakeUser("UOLD", "old", deleted=True)]
    users.append(FakeUser("USLACKBOT", "slackbot"))
    with FakeSlack(users=users, users_page_size=2) as fake:
        members = await _sender(fake).list_members()
        assert [m.user_id for m in members] == [f"U{n:03d}" for n in range(5)]
        assert all(m.workspace_id == "T0001" and not m.is_bot for m in members)
        assert members[0].display_name == "member0"
        assert len(fake.calls("users.list")) == 4  # 8 users, 2 per page


def test_auto_pace_leaves_the_pace_to_slacks_429_answers(
    fake_slack: FakeSlack, settings: Settings
) -> None:
    sender = _sender(fake_slack)
    # No fixed pace: Slack answers the excess with 429 + Retry-After, which is waited out.
    assert sender.default_pace == Pace(max_per_second=None, concurrency=32)
    shipped = BroadcastSettings(_env_file=None)  # type: ignore[call-arg]
    policy = dispatch_policy(settings, shipped, default_pace=sender.default_pace)
    assert (policy.max_per_second, policy.concurrency) == (None, 32)
