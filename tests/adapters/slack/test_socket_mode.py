"""Socket Mode wiring: one envelope through a local websocket server reaches the core."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from urllib.parse import parse_qsl

import pytest
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from adapters.slack.settings import SlackSettings
from bot.clock import FixedClock
from bot.config import Settings
from bot.knowledge_store import KnowledgeStore
from bot.storage import Database
from tests.adapters.slack.conftest import make_bot
from tests.adapters.slack.support import slash_command_body
from tests.fakes.fake_slack import FakeSlack
from tests.fakes.fake_slack_socket import SocketModeServer, socket_mode_server


@pytest.fixture
async def socket_server(fake_slack: FakeSlack) -> AsyncIterator[SocketModeServer]:
    async with socket_mode_server() as server:
        fake_slack.socket_mode_url = server.url
        yield server


async def test_slash_command_envelope_is_acked_and_answered(
    socket_server: SocketModeServer,
    fake_slack: FakeSlack,
    settings: Settings,
    slack_settings: SlackSettings,
    sqlite_database: Database,
    clock: FixedClock,
    frozen_knowledge: KnowledgeStore,
) -> None:
    socket_settings = slack_settings.model_copy(update={"slack_app_token": "xapp-1-test"})
    bot = await make_bot(
        settings=settings,
        slack_settings=socket_settings,
        database=sqlite_database,
        clock=clock,
        knowledge=frozen_knowledge,
    )
    handler = AsyncSocketModeHandler(bot.app, socket_settings.slack_app_token)
    await handler.connect_async()
    try:
        await asyncio.wait_for(socket_server.connected.wait(), 5)
        payload = dict(
            parse_qsl(
                slash_command_body("/bothelp", "", response_url=fake_slack.response_url("socket"))
            )
        )
        await socket_server.send(
            {
                "envelope_id": "env-1",
                "type": "slash_commands",
                "accepts_response_payload": True,
                "payload": payload,
            }
        )
        ack = await asyncio.wait_for(socket_server.acks.get(), 5)
        assert ack["envelope_id"] == "env-1"
        await fake_slack.wait_for(lambda fake: len(fake.responses()) == 1)
    finally:
        await handler.close_async()
    [opened] = fake_slack.calls("apps.connections.open")
    assert opened.headers["Authorization"] == "Bearer xapp-1-test"
    [answer] = fake_slack.responses()
    assert answer.path == "/response/socket"
    assert "Here is what I can do" in answer.params["text"]
