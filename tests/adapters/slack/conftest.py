"""Fixtures: a fake Slack, the real Bolt app on a real local HTTP endpoint."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from adapters.slack.app import SlackBot, build_sender, build_slack_bot, create_web_app
from adapters.slack.settings import SlackSettings
from adapters.slack.work import PostAckWork
from bot.clock import FixedClock
from bot.config import Settings
from bot.core import BotCore
from bot.knowledge_store import KnowledgeStore
from bot.storage import Database
from tests.adapters.slack.support import FORM, JSON, SIGNING_SECRET, signed_headers
from tests.fakes.fake_slack import FakeSlack, FakeUser
from tests.fakes.fake_slack_socket import SocketModeServer, socket_mode_server

USERS = (
    FakeUser("U1", "ana", display_name="Ana"),
    FakeUser("U2", "ben", display_name="Ben"),
    FakeUser("U3", "cleo", real_name="Cleo Park"),
    FakeUser("UHELPER", "helperbot", is_bot=True),
    FakeUser("UGONE", "gone", deleted=True),
    FakeUser("USTAFF", "sam", display_name="Sam (staff)"),
)


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack(users=USERS, usergroups={"SSTAFF": ["USTAFF"]}) as fake:
        yield fake


@pytest.fixture
def slack_settings(fake_slack: FakeSlack) -> SlackSettings:
    return SlackSettings(  # type: ignore[call-arg]
        _env_file=None,
        slack_bot_token="xoxb-test-token",
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake_slack.api_url,
        slack_kudos_channel="CKUDOS",
        slack_staff_usergroup_id="SSTAFF",
    )


async def make_bot(
    *,
    settings: Settings,
    slack_settings: SlackSettings,
    database: Database,
    clock: FixedClock,
    knowledge: KnowledgeStore,
    work: PostAckWork | None = None,
) -> SlackBot:
    sender = build_sender(slack_settings)
    core = BotCore(
        settings=settings, database=database, knowledge=knowledge, clock=clock, outbound=sender
    )
    await core.start()
    return build_slack_bot(core=core, settings=slack_settings, sender=sender, work=work)


@pytest.fixture
async def slack_bot(
    settings: Settings,
    slack_settings: SlackSettings,
    sqlite_database: Database,
    clock: FixedClock,
    frozen_knowledge: KnowledgeStore,
) -> SlackBot:
    return await make_bot(
        settings=settings,
        slack_settings=slack_settings,
        database=sqlite_database,
        clock=clock,
        knowledge=frozen_knowledge,
    )


@dataclass
class SlackEndpoint:
    """The bot's real HTTP endpoint on 127.0.0.1 and a client session to call it."""

    url: str
    session: aiohttp.ClientSession
    work: PostAckWork

    async def settled(self) -> None:
        """Wait until the work behind every ack so far is finished (what a wrongly
        started answer would do has then been done), instead of sleeping a while."""
        assert await self.work.drain(5.0) == 0

    async def post(
        self, body: str, *, content_type: str, **signing: object
    ) -> aiohttp.ClientResponse:
        headers = signed_headers(body, content_type=content_type, **signing)  # type: ignore[arg-type]
        return await self.post_raw(body, headers=headers)

    async def post_raw(self, body: str, *, headers: dict[str, str]) -> aiohttp.ClientResponse:
        async with self.session.post(self.url, data=body.encode(), headers=headers) as response:
            await response.read()
            return response

    async def command(self, body: str, **signing: object) -> aiohttp.ClientResponse:
        return await self.post(body, content_type=FORM, **signing)

    async def event(self, body: str, **extra_headers: str) -> aiohttp.ClientResponse:
        headers = signed_headers(body, content_type=JSON) | extra_headers
        return await self.post_raw(body, headers=headers)


async def serve(bot: SlackBot) -> AsyncIterator[SlackEndpoint]:
    runner = web.AppRunner(create_web_app(bot.app), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    async with aiohttp.ClientSession() as session:
        yield SlackEndpoint(
            url=f"http://127.0.0.1:{port}/slack/events", session=session, work=bot.work
        )
    await runner.cleanup()
    # As on shutdown: finish (or, after a moment, abandon) work behind the acks.
    await bot.work.drain(5.0)


@pytest.fixture
async def endpoint(slack_bot: SlackBot) -> AsyncIterator[SlackEndpoint]:
    async for served in serve(slack_bot):
        yield served


SOCKET_APP_TOKEN = "xapp-1-test"


@dataclass
class SocketMode:
    """The bot connected by Socket Mode to a local websocket server."""

    server: SocketModeServer

    async def send(self, number: int, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Send one envelope and return the bot's ack of it."""
        await self.server.send(
            {
                "envelope_id": f"env-{number}",
                "type": kind,
                "accepts_response_payload": True,
                "payload": payload,
            }
        )
        ack = await asyncio.wait_for(self.server.acks.get(), 5)
        assert ack["envelope_id"] == f"env-{number}"
        return ack


@pytest.fixture
async def socket_mode(
    fake_slack: FakeSlack,
    settings: Settings,
    slack_settings: SlackSettings,
    sqlite_database: Database,
    clock: FixedClock,
    frozen_knowledge: KnowledgeStore,
) -> AsyncIterator[SocketMode]:
    """The real Bolt app with an app token, connected to a local Socket Mode server."""
    async with socket_mode_server() as server:
        fake_slack.socket_mode_url = server.url
        socket_settings = slack_settings.model_copy(update={"slack_app_token": SOCKET_APP_TOKEN})
        bot = await make_bot(
            settings=settings,
            slack_settings=socket_settings,
            database=sqlite_database,
            clock=clock,
            knowledge=frozen_knowledge,
        )
        handler = AsyncSocketModeHandler(bot.app, SOCKET_APP_TOKEN)
        await handler.connect_async()
        try:
            await asyncio.wait_for(server.connected.wait(), 5)
            yield SocketMode(server)
        finally:
            await handler.close_async()
