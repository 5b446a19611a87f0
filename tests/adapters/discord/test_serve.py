"""The Discord adapter under the runner, end to end against the fake REST API and gateway;
start-up failures; sync."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import discord
import pytest

from adapters.discord.app import DiscordAdapter, build_client
from adapters.discord.settings import DiscordSettings
from bot.config import Settings
from bot.core import BotCore
from bot.outbound import ChannelTarget
from bot.replies import text_message
from bot.runner import Runner
from tests.adapters.discord.conftest import ANA, BEN, CARA, discord_settings
from tests.adapters.discord.payloads import CHANNEL_ID, GUILD_ID, command_interaction, option
from tests.adapters.discord.test_messages_and_settings import message_create
from tests.fakes.fake_discord import (
    APPLICATION_ID,
    BOT_ID,
    BOT_USER,
    GATEWAY_PATH,
    FakeDiscord,
)

#: A safety net so a broken start-up fails the test instead of hanging it (not a timing check).
PATIENCE = 60
MESSAGE_CONTENT_INTENT = 1 << 15


@pytest.fixture(autouse=True)
def endpoints_restored() -> Iterator[None]:
    """serve() points discord.py's class-level endpoints at the fake; put them back."""
    base = discord.http.Route.BASE
    gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    yield
    discord.http.Route.BASE = base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = gateway


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(users=[ANA, BEN, CARA]) as fake_discord:
        yield fake_discord


def serve(
    *, core_settings: Settings, settings: DiscordSettings, stop: asyncio.Event
) -> Coroutine[Any, Any, int]:
    """What ``memberbot run discord`` runs, stopped by ``stop``; returns the exit code."""
    runner = Runner(settings=core_settings, adapter=DiscordAdapter(settings), handle_signals=False)
    return runner.run(stop)


class Running:
    """The runner with the Discord adapter as a task, with the event that stops it."""

    def __init__(self, fake: FakeDiscord, tmp_path: Path, **overrides: Any) -> None:
        self.fake = fake
        self.stop = asyncio.Event()
        settings = discord_settings(
            discord_api_base=fake.api_base, discord_gateway_url=fake.gateway_url, **overrides
        )
        core_settings = Settings(data_dir=tmp_path, _env_file=None)  # type: ignore[call-arg]
        self.task = asyncio.create_task(
            serve(
                core_settings=core_settings,
                settings=settings,
                stop=self.stop,
            )
        )

    async def until(self, predicate: Callable[[FakeDiscord], bool]) -> None:
        """Wait for the fake to see something, or for serve() to end early (and say so)."""
        waiter = asyncio.ensure_future(self.fake.wait_for(predicate))
        done, _ = await asyncio.wait(
            {waiter, self.task}, timeout=PATIENCE, return_when=asyncio.FIRST_COMPLETED
        )
        if waiter not in done:
            waiter.cancel()
            ended = self.task.result() if self.task.done() else "still running"
            pytest.fail(f"the fake never saw it; serve() {ended}")

    async def exit_code(self) -> int:
        return await asyncio.wait_for(self.task, timeout=PATIENCE)


def _ready(fake: FakeDiscord) -> bool:
    return fake.gateway.ready_connections > 0


def _stderr_line(capsys: pytest.CaptureFixture[str]) -> str:
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


async def test_serve_runs_the_bot_over_the_gateway_and_stops_cleanly(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    bot = Running(fake, tmp_path)
    await bot.until(_ready)
    # Logged in and synced before connecting; identified with the configured token.
    (sync,) = fake.calls("PUT", "/commands")
    assert sync.path == f"/applications/{APPLICATION_ID}/guilds/{GUILD_ID}/commands"
    (connection,) = fake.gateway.connections
    assert connection.path == GATEWAY_PATH and connection.query["v"] == "10"
    assert connection.identify is not None and connection.identify["token"] == "test-token"
    # No privileged intent unless a setting asks for one.
    assert connection.identify["intents"] == discord.Intents.default().value
    assert not connection.identify["intents"] & MESSAGE_CONTENT_INTENT

    ask = command_interaction(
        "ask", option("question", "When is the mentoring deadline?"), user=ANA
    )
    await fake.gateway.dispatch("INTERACTION_CREATE", ask)
    followups = f"/webhooks/{APPLICATION_ID}/{ask['token']}"
    await bot.until(lambda f: bool(f.calls("POST", followups)))
    (answer,) = fake.calls("POST", followups)
    assert "October 11" in answer.json["content"]

    # A mention is answered too, although the Message Content intent is off.
    mention = message_create(
        f"<@{BOT_ID}> when do mentoring applications close?", author=BEN, mentions=(BOT_USER,)
    )
    await fake.gateway.dispatch("MESSAGE_CREATE", mention)
    await bot.until(lambda f: bool(f.messages_in(CHANNEL_ID)))
    assert "October 11" in fake.messages_in(CHANNEL_ID)[0].json["content"]

    bot.stop.set()
    assert await bot.exit_code() == 0
    await fake.wait_for(lambda f: f.gateway.ready_connections == 0)  # the bot hung up


async def test_sharded_mode_connects_to_the_configured_gateway(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    # /gateway/bot names another URL, as Discord names its own; DISCORD_GATEWAY_URL wins.
    fake.gateway_bot_url = fake.other_gateway_url
    bot = Running(fake, tmp_path, discord_sharded=True)
    await bot.until(_ready)
    assert fake.calls("GET", "/gateway/bot")  # the shard count still comes from the API
    (connection,) = fake.gateway.connections
    assert connection.path == GATEWAY_PATH
    assert connection.identify is not None and connection.identify["shard"] == [0, 1]
    bot.stop.set()
    assert await bot.exit_code() == 0


async def test_sharded_mode_without_a_gateway_endpoint_is_one_clear_line(
    fake: FakeDiscord, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.fail_next("GET /gateway/bot", status=404)
    bot = Running(fake, tmp_path, discord_sharded=True)
    assert await bot.exit_code() == 3
    line = _stderr_line(capsys)
    assert line.startswith("cannot start: no gateway address from") and "/gateway/bot" in line
    assert fake.gateway.connections == []


async def test_privileged_intents_not_enabled_is_one_clear_line(
    fake: FakeDiscord, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.gateway.close_code = 4014  # what Discord does when the portal switch is off
    bot = Running(fake, tmp_path, discord_members_intent=True)
    assert await bot.exit_code() == 2
    line = _stderr_line(capsys)
    assert "Server Members (DISCORD_MEMBERS_INTENT=true)" in line
    assert "Message Content" not in line


async def test_a_rejected_token_is_one_clear_line(
    fake: FakeDiscord, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.fail_next("GET /users/@me", status=401)
    bot = Running(fake, tmp_path)
    assert await bot.exit_code() == 2
    assert _stderr_line(capsys) == "configuration error: DISCORD_TOKEN was rejected by Discord"
    assert fake.gateway.connections == []


async def test_an_unreachable_api_is_one_clear_line(
    fake: FakeDiscord, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    core_settings = Settings(data_dir=tmp_path, _env_file=None)  # type: ignore[call-arg]
    settings = discord_settings(
        discord_api_base=f"http://127.0.0.1:{closed_port}/api/v10",
        discord_gateway_url=fake.gateway_url,
    )
    code = await asyncio.wait_for(
        serve(core_settings=core_settings, settings=settings, stop=asyncio.Event()),
        timeout=PATIENCE,
    )
    assert code == 3
    assert _stderr_line(capsys).startswith(
        f"cannot start: cannot reach Discord at http://127.0.0.1:{closed_port}/api/v10"
    )


# -- command sync ---------------------------------------------------------------------


async def _login(core: BotCore, fake: FakeDiscord, **overrides: Any) -> None:
    discord.http.Route.BASE = fake.api_base
    client = build_client(core=core, settings=discord_settings(**overrides))
    try:
        await client.login("test-token")
    finally:
        await client.close()


async def test_without_servers_configured_commands_sync_globally(
    core: BotCore, fake: FakeDiscord
) -> None:
    await _login(core, fake, discord_guild_ids="")
    (sync,) = fake.calls("PUT", "/commands")
    assert sync.path == f"/applications/{APPLICATION_ID}/commands"
    assert {c["name"] for c in sync.json} >= {"ask", "broadcast", "reminders"}


@pytest.mark.parametrize("guild_ids", ["", str(GUILD_ID)])
async def test_a_refused_sync_is_reported_clearly_and_the_bot_carries_on(
    core: BotCore, fake: FakeDiscord, caplog: pytest.LogCaptureFixture, guild_ids: str
) -> None:
    fake.fail_next("PUT /applications/", status=403)
    with caplog.at_level(logging.ERROR, logger="adapters.discord.app"):
        await _login(core, fake, discord_guild_ids=guild_ids)
    (record,) = [r for r in caplog.records if r.name == "adapters.discord.app"]
    assert "cannot register slash commands" in record.getMessage()
    assert "applications.commands scope" in record.getMessage()
    assert len(fake.calls("PUT", "/commands", status=403)) == 1


# -- background services under the runner ----------------------------------------------


class PostsWhenStopped:
    """A background service that, like a dispatcher, finishes a send while it stops."""

    name = "posts when stopped"

    def __init__(self, core: BotCore, started: list[str]) -> None:
        self.core = core
        self.started = started

    async def run(self) -> None:
        self.started.append("running")
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            assert self.core.outbound is not None
            await self.core.outbound.post(
                target=ChannelTarget(channel_id=str(CHANNEL_ID)),
                message=text_message("in flight when the bot stopped"),
            )
            raise


def runner_for(fake: FakeDiscord, tmp_path: Path, started: list[str], **overrides: Any) -> Runner:
    """The runner with the Discord adapter and one recording background service."""
    settings = discord_settings(
        discord_api_base=fake.api_base, discord_gateway_url=fake.gateway_url, **overrides
    )
    return Runner(
        settings=Settings(data_dir=tmp_path, _env_file=None),  # type: ignore[call-arg]
        adapter=DiscordAdapter(settings),
        services=lambda core: [PostsWhenStopped(core, started)],
        handle_signals=False,
    )


async def test_background_services_start_once_connected_and_still_send_while_stopping(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    started: list[str] = []
    stop = asyncio.Event()
    runner = runner_for(fake, tmp_path, started)
    task = asyncio.create_task(runner.run(stop))
    async with asyncio.timeout(PATIENCE):  # on_ready comes from the client, not the fake
        while started != ["running"]:
            await asyncio.sleep(0.01)
    assert fake.gateway.ready_connections == 1  # connected before they started
    stop.set()
    assert await asyncio.wait_for(task, PATIENCE) == 0
    # The client stayed connected until the background services had stopped.
    [post] = fake.messages_in(CHANNEL_ID)
    assert post.json["content"] == "in flight when the bot stopped"
    await fake.wait_for(lambda f: f.gateway.ready_connections == 0)  # then it hung up


async def test_no_background_service_starts_when_connecting_fails(
    fake: FakeDiscord, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    started: list[str] = []
    fake.gateway.close_code = 4014  # logged in and synced, then refused at the gateway
    runner = runner_for(fake, tmp_path, started, discord_members_intent=True)
    assert await asyncio.wait_for(runner.run(asyncio.Event()), PATIENCE) == 2
    assert "DISCORD_MEMBERS_INTENT" in _stderr_line(capsys)
    assert fake.calls("PUT", "/commands")  # login went through
    assert started == []  # nothing half-way through a database write
