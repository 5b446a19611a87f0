"""Fault injection on Slack: 10% of posts accepted, then the connection reset.

0 duplicates and 0 losses, for a DM broadcast (through the dispatcher) and for
keyed channel posts (kudos posts and notes go the same way).
"""

from __future__ import annotations

from collections import Counter

from adapters.slack.client import build_client
from adapters.slack.sender import SlackSender
from bot.clock import FixedClock
from bot.outbound import ChannelTarget, DeliveryKey
from bot.replies import text_message
from bot.requests import UserRef
from bot.storage import Database
from tests.adapters.faults import broadcast_to_everyone
from tests.fakes.fake_slack import FakeSlack, FakeUser

MEMBERS = [FakeUser(f"U{n:03d}", f"member{n}") for n in range(99)]
STAFF = UserRef(platform="slack", workspace_id="T0001", user_id="USTAFF", display_name="Sam")


async def test_a_broadcast_with_accepted_then_reset_sends_reaches_everyone_once(
    database: Database, clock: FixedClock
) -> None:
    with FakeSlack(users=[*MEMBERS, FakeUser("USTAFF", "sam")], reset_rate=0.1, seed=7) as fake:
        sender = SlackSender(client=build_client(token="xoxb-test", base_url=fake.api_url))
        sent = await broadcast_to_everyone(database, sender, clock, staff=STAFF)
        assert sent == 100
        resets = [c for c in fake.calls("chat.postMessage") if c.connection_reset]
        assert len(resets) >= 5  # the faults really happened
        per_channel = {channel: len(found) for channel, found in fake.all_messages().items()}
        assert len(per_channel) == 100  # no losses
        assert set(per_channel.values()) == {1}  # no duplicates


async def test_keyed_posts_with_accepted_then_reset_sends_arrive_once_each() -> None:
    with FakeSlack(reset_rate=0.1, seed=11) as fake:
        sender = SlackSender(client=build_client(token="xoxb-test", base_url=fake.api_url))
        for number in range(100):
            await sender.post(
                target=ChannelTarget(channel_id="CKUDOS"),
                message=text_message(f"kudos number {number}"),
                key=DeliveryKey.for_kudos_post(number),
            )
        assert sum(c.connection_reset for c in fake.calls("chat.postMessage")) >= 5
        texts = Counter(m["text"] for m in fake.messages_in("CKUDOS"))
        assert len(texts) == 100 and set(texts.values()) == {1}
