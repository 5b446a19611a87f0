"""SlackSender against the fake Web API: retries, error mapping, paging."""

from __future__ import annotations

import pytest

from adapters.slack.client import build_client
from adapters.slack.sender import SlackSender
from bot.broadcasts.background import dispatch_policy
from bot.broadcasts.settings import BroadcastSettings
from bot.config import Settings
from bot.errors import DeliveryError
from bot.outbound import ChannelPurpose, ChannelTarget, Pace, PostedMessage
from bot.replies import text_message
from bot.requests import UserRef
from tests.fakes.fake_slack import FakeSlack, FakeUser

HELLO = text_message("Hello from the association")


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


async def test_server_error_is_retried(fake_slack: FakeSlack) -> None:
    fake_slack.fail_next("chat.postMessage", times=1, status=500)
    await _sender(fake_slack).post(target=ChannelTarget(channel_id="C1"), message=HELLO)
    assert [c.status for c in fake_slack.calls("chat.postMessage")] == [500, 200]


async def test_persistent_server_error_is_reported_as_temporary(fake_slack: FakeSlack) -> None:
    fake_slack.fail_next("chat.postMessage", times=10, status=500)
    with pytest.raises(DeliveryError) as raised:
        await _sender(fake_slack).post(target=ChannelTarget(channel_id="C1"), message=HELLO)
    assert raised.value.permanent is False
    assert raised.value.reason == "internal_error"
    assert fake_slack.delivered() == []


async def test_dm_opens_the_conversation_once_then_posts(fake_slack: FakeSlack) -> None:
    sender = _sender(fake_slack)
    for _ in range(2):
        posted = await sender.send_dm(user=_user("U2"), message=HELLO)
        assert posted.channel_id == "DU2"
    assert len(fake_slack.calls("conversations.open")) == 1
    assert [c.params["channel"] for c in fake_slack.delivered()] == ["DU2", "DU2"]


@pytest.mark.parametrize(
    ("user_id", "reason"),
    [("UHELPER", "cannot_dm_bot"), ("UGONE", "user_disabled"), ("U404", "user_not_found")],
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
    for channel, reason in (("CGONE", "channel_not_found"), ("COLD", "is_archived")):
        with pytest.raises(DeliveryError) as raised:
            await sender.post(target=ChannelTarget(channel_id=channel), message=HELLO)
        assert (raised.value.permanent, raised.value.reason) == (True, reason)


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
