"""Events API: app mentions and DMs answered once, even when Slack retries."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from adapters.slack.settings import SlackSettings
from bot.clock import FixedClock
from bot.config import Settings
from bot.knowledge_store import KnowledgeStore
from bot.storage import Database
from tests.adapters.slack.conftest import SlackEndpoint, make_bot, serve
from tests.adapters.slack.support import event_body
from tests.fakes.fake_slack import FakeSlack


def _mention(text: str, *, ts: str = "1700000100.000100", user: str = "U1") -> dict:
    return {
        "type": "app_mention",
        "user": user,
        "text": text,
        "ts": ts,
        "channel": "C1",
        "event_ts": ts,
    }


def _direct_message(text: str, **extra: object) -> dict:
    return {
        "type": "message",
        "channel_type": "im",
        "user": "U1",
        "text": text,
        "ts": "1700000200.000100",
        "channel": "DU1",
        **extra,
    }


@pytest.fixture
async def shared_endpoint(
    settings: Settings,
    slack_settings: SlackSettings,
    database: Database,
    clock: FixedClock,
    frozen_knowledge: KnowledgeStore,
) -> AsyncIterator[SlackEndpoint]:
    """The endpoint on SQLite and on PostgreSQL (the store several workers share)."""
    bot = await make_bot(
        settings=settings,
        slack_settings=slack_settings,
        database=database,
        clock=clock,
        knowledge=frozen_knowledge,
    )
    async for served in serve(bot):
        yield served


async def test_app_mention_is_answered_in_a_thread(
    endpoint: SlackEndpoint, fake_slack: FakeSlack
) -> None:
    body = event_body(_mention("<@UBOT> when do mentoring applications close?"), event_id="Ev1")
    assert (await endpoint.event(body)).status == 200
    await fake_slack.wait_for_calls("chat.postMessage")
    [answer] = fake_slack.delivered("chat.postMessage")
    assert answer.params["channel"] == "C1"
    assert answer.params["thread_ts"] == "1700000100.000100"
    assert "mentor" in answer.params["text"].lower()


async def test_event_retry_does_not_act_twice(
    shared_endpoint: SlackEndpoint, fake_slack: FakeSlack
) -> None:
    body = event_body(_mention("<@UBOT> what is Día?"), event_id="EvRetry")
    assert (await shared_endpoint.event(body)).status == 200
    for attempt in ("1", "2"):
        retry = await shared_endpoint.event(
            body, **{"X-Slack-Retry-Num": attempt, "X-Slack-Retry-Reason": "http_timeout"}
        )
        assert retry.status == 200
    await fake_slack.wait_for_calls("chat.postMessage")
    await shared_endpoint.settled()  # a wrongly repeated answer has arrived by now
    assert len(fake_slack.calls("chat.postMessage")) == 1


async def test_direct_message_is_answered_in_the_dm(
    endpoint: SlackEndpoint, fake_slack: FakeSlack
) -> None:
    body = event_body(_direct_message("What is Día?"), event_id="EvDM")
    assert (await endpoint.event(body)).status == 200
    await fake_slack.wait_for_calls("chat.postMessage")
    [answer] = fake_slack.delivered("chat.postMessage")
    assert answer.params["channel"] == "DU1"
    assert "thread_ts" not in answer.params


async def test_direct_message_with_a_file_is_answered(
    endpoint: SlackEndpoint, fake_slack: FakeSlack
) -> None:
    event = _direct_message("What is Día?", subtype="file_share", files=[{"id": "F1"}])
    assert (await endpoint.event(event_body(event, event_id="EvFile"))).status == 200
    await fake_slack.wait_for_calls("chat.postMessage")
    [answer] = fake_slack.delivered("chat.postMessage")
    assert answer.params["channel"] == "DU1"
    assert "día" in answer.params["text"].lower()


async def test_bot_messages_and_edits_are_ignored(
    endpoint: SlackEndpoint, fake_slack: FakeSlack
) -> None:
    for event_id, event in (
        ("EvBot", _direct_message("hello", bot_id="BOTHER")),
        ("EvEdit", _direct_message("hello", subtype="message_changed")),
        ("EvChannel", _direct_message("hello", channel_type="channel", channel="C1")),
    ):
        assert (await endpoint.event(event_body(event, event_id=event_id))).status == 200
    await endpoint.settled()
    assert fake_slack.calls("chat.postMessage") == []


async def test_failed_answer_after_retries_is_reported(
    endpoint: SlackEndpoint, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    fake_slack.fail_next("chat.postMessage", times=10, status=500)
    body = event_body(_mention("<@UBOT> what is Día?"), event_id="Ev500")
    with caplog.at_level("ERROR", logger="adapters.slack.handlers"):
        assert (await endpoint.event(body)).status == 200
        await fake_slack.wait_for(
            lambda _: any("could not deliver" in r.message for r in caplog.records)
        )
    # First attempt plus the client's retries, then reported (never silently dropped).
    assert len(fake_slack.calls("chat.postMessage")) == 3


async def test_text_that_is_not_valid_unicode_is_answered(
    endpoint: SlackEndpoint, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    # json.dumps writes the lone surrogate as the escape "\\ud800", as a hostile client could.
    question = "Who painted the lobby mural? \ud800"  # unanswered: it is stored for staff
    body = event_body(_direct_message(question), event_id="EvSurrogate")
    assert "\\ud800" in body
    with caplog.at_level("ERROR"):
        assert (await endpoint.event(body)).status == 200
        await fake_slack.wait_for_calls("chat.postMessage")
    [answer] = fake_slack.delivered("chat.postMessage")
    assert "went wrong" not in answer.params["text"]
    assert [r for r in caplog.records if r.exc_info] == []
