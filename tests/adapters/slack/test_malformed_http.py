"""Malformed HTTP to the Slack endpoint: a clear 400/401 and one log line, never a traceback."""

from __future__ import annotations

import logging

import pytest

from adapters.slack.http_guard import __name__ as GUARD_LOGGER
from tests.adapters.slack.conftest import SlackEndpoint
from tests.adapters.slack.support import (
    FORM,
    JSON,
    event_body,
    signed_headers,
    slash_command_body,
)
from tests.fakes.fake_slack import FakeSlack

_COMMAND = slash_command_body("/ask", "hello", response_url="http://127.0.0.1:9/unused")
_EVENT = event_body(
    {"type": "app_mention", "user": "U1", "text": "hi", "channel": "C1"}, event_id="E1"
)


def _signed(body: str, *, content_type: str) -> dict[str, str]:
    return signed_headers(body, content_type=content_type)


CASES = [
    pytest.param(
        _COMMAND.encode(),
        {"Content-Type": FORM, "X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": "v0=0"},
        401,
        id="non-numeric-timestamp",
    ),
    pytest.param(
        _COMMAND.encode(),
        {
            "Content-Type": FORM,
            "X-Slack-Request-Timestamp": "9" * 5000,
            "X-Slack-Signature": "v0=0",
        },
        401,
        id="timestamp-too-long-for-int",
    ),
    pytest.param(
        _COMMAND.encode(),
        {**_signed(_COMMAND, content_type=FORM), "X-Slack-Signature": "v0=é"},
        401,
        id="non-ascii-signature",
    ),
    pytest.param(
        _COMMAND.encode(), _signed(_COMMAND, content_type=JSON), 400, id="form-body-labelled-json"
    ),
    pytest.param(
        b"payload=not-json",
        _signed("payload=not-json", content_type=FORM),
        400,
        id="payload-not-json",
    ),
    pytest.param(
        b"text=caf\xe9&command=%2Fask",
        {"Content-Type": FORM, "X-Slack-Request-Timestamp": "1", "X-Slack-Signature": "v0=0"},
        400,
        id="invalid-utf8",
    ),
    pytest.param(
        _EVENT[:40].encode(), _signed(_EVENT[:40], content_type=JSON), 400, id="truncated-json"
    ),
    pytest.param(b"[1, 2]", _signed("[1, 2]", content_type=JSON), 400, id="json-not-an-object"),
    pytest.param(
        b"payload=%5B%5D", _signed("payload=%5B%5D", content_type=FORM), 400, id="payload-a-list"
    ),
]


@pytest.mark.parametrize(("body", "headers", "status"), CASES)
async def test_malformed_requests_get_a_clear_status_and_one_log_line(
    endpoint: SlackEndpoint,
    fake_slack: FakeSlack,
    caplog: pytest.LogCaptureFixture,
    body: bytes,
    headers: dict[str, str],
    status: int,
) -> None:
    caplog.set_level(logging.INFO)
    async with endpoint.session.post(endpoint.url, data=body, headers=headers) as response:
        await response.read()
    await endpoint.settled()  # anything wrongly started has logged or called by now
    assert response.status == status
    assert [r for r in caplog.records if r.exc_info] == []
    [line] = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert line.name == GUARD_LOGGER and line.getMessage() == "refused a malformed Slack request"
    assert fake_slack.calls() == []
