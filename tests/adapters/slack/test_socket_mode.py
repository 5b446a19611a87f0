"""Socket Mode wiring: one envelope through a local websocket server reaches the core."""

from __future__ import annotations

from urllib.parse import parse_qsl

from tests.adapters.slack.conftest import SOCKET_APP_TOKEN, SocketMode
from tests.adapters.slack.support import slash_command_body
from tests.fakes.fake_slack import FakeSlack


async def test_slash_command_envelope_is_acked_and_answered(
    socket_mode: SocketMode, fake_slack: FakeSlack
) -> None:
    payload = dict(
        parse_qsl(
            slash_command_body("/bothelp", "", response_url=fake_slack.response_url("socket"))
        )
    )
    await socket_mode.send(1, "slash_commands", payload)
    await fake_slack.wait_for(lambda fake: len(fake.responses()) == 1)
    [opened] = fake_slack.calls("apps.connections.open")
    assert opened.headers["Authorization"] == f"Bearer {SOCKET_APP_TOKEN}"
    [answer] = fake_slack.responses()
    assert answer.path == "/response/socket"
    assert "Here is what I can do" in answer.params["text"]
