"""Signed slash commands through the real HTTP endpoint produce the right Slack calls."""

from __future__ import annotations

import asyncio
import time

from adapters.slack.settings import SlackSettings
from adapters.slack.work import PostAckWork
from bot.clock import FixedClock
from bot.config import Settings
from bot.knowledge_store import KnowledgeStore
from bot.storage import Database
from tests.adapters.slack.conftest import SlackEndpoint, make_bot, serve
from tests.adapters.slack.support import FORM, slash_command_body
from tests.fakes.fake_slack import RESPONSE_URL, FakeSlack


async def test_ask_is_acked_then_answered_ephemerally(
    endpoint: SlackEndpoint, fake_slack: FakeSlack
) -> None:
    body = slash_command_body(
        "/ask", "When do mentoring applications close?", response_url=fake_slack.response_url("a1")
    )
    response = await endpoint.command(body)
    assert response.status == 200
    await fake_slack.wait_for(lambda fake: len(fake.responses()) == 1)
    [answer] = fake_slack.responses()
    assert answer.path == "/response/a1"
    assert answer.params["response_type"] == "ephemeral"
    assert "mentor" in answer.params["text"].lower()
    assert answer.params["blocks"][0]["type"] == "rich_text"


def _bold_texts(node: object) -> set[str]:
    """Every bold text element in rich_text blocks."""
    if isinstance(node, list):
        return set().union(*(_bold_texts(child) for child in node))
    if not isinstance(node, dict):
        return set()
    found = _bold_texts(node.get("elements", []))
    if node.get("type") == "text" and node.get("style", {}).get("bold"):
        found.add(node["text"])
    return found


async def test_bothelp_maps_to_help(endpoint: SlackEndpoint, fake_slack: FakeSlack) -> None:
    body = slash_command_body("/bothelp", "", response_url=fake_slack.response_url("h1"))
    assert (await endpoint.command(body)).status == 200
    await fake_slack.wait_for(lambda fake: len(fake.responses()) == 1)
    [answer] = fake_slack.responses()
    assert answer.params["response_type"] == "ephemeral"
    assert "Here is what I can do" in answer.params["text"]
    commands = _bold_texts(answer.params["blocks"])
    assert {"/ask QUESTION", "/bothelp"} <= commands
    # Typed in full on Slack: no Discord-style sub-command names.
    assert {"/kudos @someone for WHY", "/deadlines ics"} <= commands


async def test_deadlines_ics_uploads_the_calendar_into_a_dm(
    endpoint: SlackEndpoint, fake_slack: FakeSlack
) -> None:
    body = slash_command_body("/deadlines", "ics", response_url=fake_slack.response_url("d1"))
    assert (await endpoint.command(body)).status == 200
    await fake_slack.wait_for(lambda fake: len(fake.responses()) == 1)
    assert fake_slack.calls("conversations.open")[0].params["users"] == "U1"
    [complete] = fake_slack.delivered("files.completeUploadExternal")
    assert complete.params["channel_id"] == "DU1"
    [upload] = fake_slack.uploads.values()
    assert b"BEGIN:VCALENDAR" in upload
    [answer] = fake_slack.responses()
    assert "as a direct message" in answer.params["text"]
    assert answer.params["response_type"] == "ephemeral"


async def test_bad_signature_is_refused_and_makes_no_calls(
    endpoint: SlackEndpoint, fake_slack: FakeSlack
) -> None:
    body = slash_command_body("/ask", "hello", response_url=fake_slack.response_url())
    response = await endpoint.command(body, secret="not-the-signing-secret")
    assert response.status == 401
    unsigned = await endpoint.post_raw(body, headers={"Content-Type": FORM})
    assert unsigned.status == 401
    await endpoint.settled()  # anything wrongly started has called by now
    assert fake_slack.calls() == []


async def test_stale_timestamp_is_refused_and_makes_no_calls(
    endpoint: SlackEndpoint, fake_slack: FakeSlack
) -> None:
    body = slash_command_body("/ask", "hello", response_url=fake_slack.response_url())
    six_minutes_ago = int(time.time()) - 6 * 60
    response = await endpoint.command(body, timestamp=six_minutes_ago)
    assert response.status == 401
    await endpoint.settled()
    assert fake_slack.calls() == []


async def test_same_trigger_id_acts_once(endpoint: SlackEndpoint, fake_slack: FakeSlack) -> None:
    body = slash_command_body(
        "/ask", "What is Día?", response_url=fake_slack.response_url(), trigger_id="trig-1"
    )
    assert (await endpoint.command(body)).status == 200
    assert (await endpoint.command(body)).status == 200
    await fake_slack.wait_for(lambda fake: len(fake.responses()) == 1)
    await endpoint.settled()
    assert len(fake_slack.responses()) == 1


async def test_a_reply_whose_connection_drops_after_sending_is_not_sent_twice(
    endpoint: SlackEndpoint, fake_slack: FakeSlack
) -> None:
    fake_slack.reset_next(RESPONSE_URL)
    body = slash_command_body("/bothelp", "", response_url=fake_slack.response_url())
    assert (await endpoint.command(body)).status == 200
    await fake_slack.wait_for(lambda fake: len(fake.responses()) == 1)
    await endpoint.settled()
    assert len(fake_slack.responses()) == 1
    assert fake_slack.delivered("chat.postEphemeral") == []


async def test_unreachable_response_url_falls_back_to_the_web_api(
    endpoint: SlackEndpoint, fake_slack: FakeSlack
) -> None:
    body = slash_command_body("/bothelp", "", response_url=f"{fake_slack.url}/expired-response")
    assert (await endpoint.command(body)).status == 200
    await fake_slack.wait_for_calls("chat.postEphemeral")
    [ephemeral] = fake_slack.delivered("chat.postEphemeral")
    assert ephemeral.params["user"] == "U1"
    assert ephemeral.params["channel"] == "C1"
    assert "Here is what I can do" in ephemeral.params["text"]


async def test_health_check_answers(endpoint: SlackEndpoint) -> None:
    health_url = endpoint.url.replace("/slack/events", "/healthz")
    async with endpoint.session.get(health_url) as response:
        assert response.status == 200
        assert await response.text() == "ok"


async def test_ack_arrives_while_slack_still_holds_the_work(
    endpoint: SlackEndpoint, fake_slack: FakeSlack
) -> None:
    body = slash_command_body(
        "/kudos", "<@U2> for the sensory storytime", response_url=fake_slack.response_url("k1")
    )
    with fake_slack.hold("chat.postMessage"):
        # Were the ack sent after the work, it could not arrive while Slack holds the post.
        response = await asyncio.wait_for(endpoint.command(body), timeout=30)
        assert response.status == 200
        await fake_slack.wait_for(lambda fake: fake.arrivals("chat.postMessage") == 1)
        assert fake_slack.calls("chat.postMessage") == []
        assert fake_slack.responses() == []
    await fake_slack.wait_for(lambda fake: len(fake.responses()) == 1)
    [post] = fake_slack.delivered("chat.postMessage")
    assert post.params["channel"] == "CKUDOS"
    assert fake_slack.responses()[0].path == "/response/k1"


async def test_replies_waiting_out_a_429_do_not_delay_other_answers(
    settings: Settings,
    slack_settings: SlackSettings,
    sqlite_database: Database,
    clock: FixedClock,
    frozen_knowledge: KnowledgeStore,
    fake_slack: FakeSlack,
) -> None:
    bot = await make_bot(
        settings=settings,
        slack_settings=slack_settings,
        database=sqlite_database,
        clock=clock,
        knowledge=frozen_knowledge,
        work=PostAckWork(slots=2),
    )
    # Both kudos posts are told to come back in a minute; as many as there are slots.
    fake_slack.fail_next("chat.postMessage", times=2, status=429, retry_after=60)
    async for endpoint in serve(bot):
        for giver, recipient in (("U1", "U2"), ("U3", "U1")):
            kudos = slash_command_body(
                "/kudos",
                f"<@{recipient}> for covering the desk",
                response_url=fake_slack.response_url(f"kudos-{giver}"),
                user_id=giver,
            )
            assert (await endpoint.command(kudos)).status == 200
        await fake_slack.wait_for(lambda fake: len(fake.calls("chat.postMessage")) == 2)
        help_body = slash_command_body(
            "/bothelp", "", response_url=fake_slack.response_url("help"), user_id="U2"
        )
        assert (await endpoint.command(help_body)).status == 200
        await fake_slack.wait_for(lambda fake: len(fake.responses()) == 1)
        assert fake_slack.responses()[0].path == "/response/help"
        # The kudos are still waiting out their Retry-After: nothing was posted yet.
        assert fake_slack.delivered("chat.postMessage") == []
        await bot.work.drain(0)


def _styled_texts(node: object) -> list[tuple[str, bool]]:
    """Every text element in rich_text blocks, with whether it carries any style."""
    if isinstance(node, list):
        return [found for child in node for found in _styled_texts(child)]
    if not isinstance(node, dict):
        return []
    found = _styled_texts(node.get("elements", []))
    if node.get("type") == "text":
        found.insert(0, (node["text"], bool(node.get("style"))))
    return found


async def test_formatting_in_a_kudos_reason_is_posted_as_typed(
    endpoint: SlackEndpoint, fake_slack: FakeSlack
) -> None:
    reason = "for *bold* _quick_ ~fixes~ and `code` reviews"
    body = slash_command_body(
        "/kudos", f"<@U2|ben> {reason}", response_url=fake_slack.response_url("k1")
    )
    assert (await endpoint.command(body)).status == 200
    await fake_slack.wait_for(lambda fake: len(fake.delivered("chat.postMessage")) == 1)
    [post] = fake_slack.delivered("chat.postMessage")
    blocks = post.params["blocks"]
    assert "mrkdwn" not in str(blocks)
    # The reason is one plain text element: Slack shows it character for character.
    assert any(reason in text and not styled for text, styled in _styled_texts(blocks))
    assert not set("*_~`") & set(post.params["text"])
