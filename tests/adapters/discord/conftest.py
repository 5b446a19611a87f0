"""Fixtures: the fake Discord API, and a logged-in memberbot client pointed at it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import discord
import pytest

from adapters.discord.app import MemberBotClient, build_client
from adapters.discord.sender import DiscordSender
from adapters.discord.settings import DiscordSettings
from bot.core import BotCore
from tests.adapters.discord.payloads import GUILD_ID, KUDOS_CHANNEL_ID, STAFF_ROLE_ID
from tests.fakes.fake_discord import FakeDiscord, FakeUser

ANA = FakeUser(100000000000000001, "ana", global_name="Ana Reyes")
BEN = FakeUser(100000000000000002, "ben", global_name="Ben Okafor")
CARA = FakeUser(100000000000000003, "cara", global_name="Cara Lin")
#: discord.py names the tasks that run commands and event handlers like this.
BOT_TASK_PREFIXES = ("CommandTree-invoker", "discord.py:")
HELPER_BOT = FakeUser(100000000000000009, "helperbot", bot=True)


def discord_settings(**overrides: Any) -> DiscordSettings:
    values: dict[str, Any] = {
        "discord_token": "test-token",
        "discord_guild_ids": str(GUILD_ID),
        "discord_kudos_channel_id": str(KUDOS_CHANNEL_ID),
        "discord_staff_role_ids": str(STAFF_ROLE_ID),
    }
    values.update(overrides)
    return DiscordSettings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    """The fake API, with discord.py's REST base pointed at it for the test."""
    original = discord.http.Route.BASE
    async with FakeDiscord(users=[ANA, BEN, CARA, HELPER_BOT]) as fake:
        discord.http.Route.BASE = fake.api_base
        try:
            yield fake
        finally:
            discord.http.Route.BASE = original


@pytest.fixture
def unattached_client() -> MemberBotClient:
    """The client before it has a core: the core is built with its sender, as the runner does."""
    return build_client(settings=discord_settings())  # type: ignore[return-value]


@pytest.fixture
def outbound(unattached_client: MemberBotClient) -> DiscordSender:
    """The core of these tests delivers through the client's sender, to the fake."""
    return unattached_client.sender


@pytest.fixture
async def client(
    core: BotCore, unattached_client: MemberBotClient, fake_discord: FakeDiscord
) -> AsyncIterator[MemberBotClient]:
    """A logged-in client (commands synced to the fake) whose core delivers via the fake."""
    # No background services (reminders, broadcasts) run: they have their own tests, and
    # here they would post reminders into the fake and muddy what the commands sent.
    bot = unattached_client
    bot.attach(core)
    await bot.login("test-token")
    try:
        yield bot  # type: ignore[misc]
    finally:
        await bot.close()


async def run_interaction(client: discord.Client, payload: dict[str, Any]) -> None:
    """Feed a gateway INTERACTION_CREATE through discord.py and wait for the bot to finish."""
    client._connection.parse_interaction_create(payload)
    await settle()


async def settle() -> None:
    """Wait for the command tree's and event dispatch's tasks to finish."""
    while True:
        pending = [
            task
            for task in asyncio.all_tasks()
            if not task.done()
            and task is not asyncio.current_task()
            and task.get_name().startswith(BOT_TASK_PREFIXES)
        ]
        if not pending:
            return
        await asyncio.wait(pending, timeout=10)
