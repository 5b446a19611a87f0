"""Commands through the real endpoint while Slack misbehaves: nothing doubled, nothing lost."""

from __future__ import annotations

from sqlalchemy import func, select

from adapters.slack.app import SlackBot
from bot.storage.models import Kudos, ThankYouNote
from tests.adapters.slack.conftest import SlackEndpoint
from tests.adapters.slack.support import slash_command_body
from tests.fakes.fake_slack import FakeSlack


async def _send(endpoint: SlackEndpoint, fake: FakeSlack, body: str) -> str:
    before = len(fake.responses())
    assert (await endpoint.command(body)).status == 200
    await fake.wait_for(lambda f: len(f.responses()) > before)
    return str(fake.responses()[-1].params["text"])


async def _count(bot: SlackBot, model: type) -> int:
    async with bot.core.database.session() as session:
        return await session.scalar(select(func.count()).select_from(model)) or 0


async def test_a_non_json_503_on_the_kudos_post_keeps_the_kudos_once(
    endpoint: SlackEndpoint, fake_slack: FakeSlack, slack_bot: SlackBot
) -> None:
    # A proxy answers every post with 503 "upstream connect error" as application/json.
    fake_slack.non_json_next("chat.postMessage", times=100)
    body = slash_command_body(
        "/kudos", "<@U2|ben> for the storytime", response_url=fake_slack.response_url()
    )
    reply = await _send(endpoint, fake_slack, body)
    assert "went wrong" not in reply
    assert "is saved" in reply and "I'll keep trying and DM you when it's up" in reply
    # The same delivery again (a retry, a double submit): acted on once.
    assert (await endpoint.command(body)).status == 200
    assert await slack_bot.work.drain(5.0) == 0  # its work (if any) is done
    assert len(fake_slack.responses()) == 1  # a duplicate gets no second answer
    assert await _count(slack_bot, Kudos) == 1
    assert fake_slack.messages_in("CKUDOS") == []


async def test_a_failing_users_info_does_not_fail_the_command(
    endpoint: SlackEndpoint, fake_slack: FakeSlack, slack_bot: SlackBot
) -> None:
    fake_slack.non_json_next("users.info", times=100)
    reply = await _send(
        endpoint,
        fake_slack,
        slash_command_body(
            "/kudos", "<@U2> for the storytime", response_url=fake_slack.response_url()
        ),
    )
    assert "went wrong" not in reply
    [post] = fake_slack.messages_in("CKUDOS")
    assert "<@U2>" in str(post)
    assert await _count(slack_bot, Kudos) == 1


async def test_a_thank_you_dm_accepted_before_the_connection_dropped_arrives_once(
    endpoint: SlackEndpoint, fake_slack: FakeSlack, slack_bot: SlackBot
) -> None:
    fake_slack.reset_next("chat.postMessage")
    reply = await _send(
        endpoint,
        fake_slack,
        slash_command_body(
            "/thanks", "<@U3> for the book list", response_url=fake_slack.response_url()
        ),
    )
    assert "went wrong" not in reply
    assert len(fake_slack.messages_in("DU3")) == 1
    async with slack_bot.core.database.session() as session:
        assert await session.scalar(select(ThankYouNote.status)) == "delivered"


async def test_a_kudos_post_accepted_before_the_connection_dropped_is_posted_once(
    endpoint: SlackEndpoint, fake_slack: FakeSlack
) -> None:
    fake_slack.reset_next("chat.postMessage")
    reply = await _send(
        endpoint,
        fake_slack,
        slash_command_body(
            "/kudos", "<@U2> for the storytime", response_url=fake_slack.response_url()
        ),
    )
    assert "is posted" in reply and "couldn't post" not in reply
    assert len(fake_slack.messages_in("CKUDOS")) == 1
