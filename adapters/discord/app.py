"""Wiring for ``memberbot run discord``: the client, its command tree and the core."""

from __future__ import annotations

import asyncio
import logging
import sys

import discord
import yarl
from discord import app_commands

from adapters.discord.commands import register_commands
from adapters.discord.interactions import InteractionHandler, send_chunks
from adapters.discord.render import render_chunks
from adapters.discord.sender import DiscordSender
from adapters.discord.settings import DiscordSettings, load_discord_settings
from adapters.discord.translate import translate_message
from bot.cli.common import EXIT_USAGE, build_core, load_cli_settings, run_async
from bot.config import Settings
from bot.core import BotCore
from bot.errors import ConfigError

log = logging.getLogger(__name__)

#: How long shutdown waits for background services to finish in-flight sends.
BACKGROUND_STOP_SECONDS = 10.0


def configure_endpoints(settings: DiscordSettings) -> None:
    """Point discord.py's REST client and gateway at the configured hosts.

    Both are class-level defaults in discord.py, read whenever a request or a
    gateway connection is made, so this affects the whole process.
    """
    discord.http.Route.BASE = settings.discord_api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord_gateway_url)


def intents_for(settings: DiscordSettings) -> discord.Intents:
    """Default intents, plus the privileged ones the settings ask for."""
    intents = discord.Intents.default()
    intents.message_content = settings.discord_message_content
    intents.members = settings.discord_members_intent
    return intents


class MemberBotMixin:
    """Behaviour shared by the plain and the auto-sharded client."""

    core: BotCore
    settings: DiscordSettings
    tree: app_commands.CommandTree
    handler: InteractionHandler
    _background: asyncio.Task[None] | None

    def _init_memberbot(
        self, *, core: BotCore, settings: DiscordSettings, start_background: bool
    ) -> None:
        self.core = core
        self.settings = settings
        self.start_background = start_background
        self.handler = InteractionHandler(core=core, staff_role_ids=settings.staff_role_ids)
        self.tree = app_commands.CommandTree(self)  # type: ignore[arg-type]
        self.tree.on_error = self._on_tree_error  # type: ignore[method-assign]
        register_commands(self.tree, self.handler)
        self._background = None

    async def setup_hook(self) -> None:
        """After login: sync the commands and start the core's background services."""
        await self.sync_commands()
        if not self.start_background:
            return
        self._background = asyncio.create_task(
            self.core.run_background(), name="memberbot-background"
        )
        self._background.add_done_callback(_report_background_end)

    async def sync_commands(self) -> None:
        """Sync to each configured guild (instant), or globally when none is set."""
        guild_ids = self.settings.guild_ids
        if not guild_ids:
            commands = await self.tree.sync()
            log.info("commands synced globally", extra={"count": len(commands)})
            return
        for guild_id in guild_ids:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            try:
                commands = await self.tree.sync(guild=guild)
            except discord.Forbidden:
                log.error(
                    "cannot register commands in this server: invite the bot with the "
                    "applications.commands scope (see README)",
                    extra={"guild": guild_id},
                )
                continue
            log.info("commands synced", extra={"guild": guild_id, "count": len(commands)})

    async def on_message(self, message: discord.Message) -> None:
        """Answer DMs and mentions of the bot as questions (needs message content)."""
        if not self.settings.discord_message_content or self.user is None:  # type: ignore[attr-defined]
            return
        request = translate_message(
            message,
            bot_user=self.user,  # type: ignore[attr-defined]
            staff_role_ids=self.settings.staff_role_ids,
        )
        if request is None:
            return
        reply = await self.core.handle(request)
        if reply is None:
            return
        try:
            await send_chunks(
                message.channel, render_chunks(reply.message), reply.attachments, reference=message
            )
        except (discord.HTTPException, discord.RateLimited) as error:
            log.error("could not answer message: %s", error, extra={"message": message.id})

    async def close(self) -> None:
        """Stop background services (letting in-flight sends finish), then disconnect."""
        if self._background is not None and not self._background.done():
            self._background.cancel()
            await asyncio.wait([self._background], timeout=BACKGROUND_STOP_SECONDS)
        await super().close()  # type: ignore[misc]

    async def _on_tree_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        log.error(
            "application command failed",
            exc_info=error,
            extra={"interaction": interaction.id, "user": interaction.user.id},
        )
        await self.handler.apologise(interaction)


def _report_background_end(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("background services stopped", exc_info=task.exception())


class MemberBotClient(MemberBotMixin, discord.Client):
    """One gateway connection: right for most associations."""

    def __init__(
        self, *, core: BotCore, settings: DiscordSettings, start_background: bool = True
    ) -> None:
        # Default to pinging nobody: every send names its intended users explicitly.
        discord.Client.__init__(
            self, intents=intents_for(settings), allowed_mentions=discord.AllowedMentions.none()
        )
        self._init_memberbot(core=core, settings=settings, start_background=start_background)


class ShardedMemberBotClient(MemberBotMixin, discord.AutoShardedClient):
    """Several gateway shards, as Discord requires for bots in very many servers."""

    def __init__(
        self, *, core: BotCore, settings: DiscordSettings, start_background: bool = True
    ) -> None:
        discord.AutoShardedClient.__init__(
            self, intents=intents_for(settings), allowed_mentions=discord.AllowedMentions.none()
        )
        self._init_memberbot(core=core, settings=settings, start_background=start_background)


def build_client(
    *, core: BotCore, settings: DiscordSettings, start_background: bool = True
) -> MemberBotClient | ShardedMemberBotClient:
    """The client for the settings, with the core's outbound sender wired to it."""
    client_class = ShardedMemberBotClient if settings.discord_sharded else MemberBotClient
    client = client_class(core=core, settings=settings, start_background=start_background)
    core.outbound = DiscordSender(client=client, settings=settings, database=core.database)
    return client


def run() -> int:
    """Entry point of ``memberbot run discord``; returns the process exit code."""
    try:
        core_settings = load_cli_settings()
        settings = load_discord_settings()
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return EXIT_USAGE
    return run_async(lambda: serve(core_settings=core_settings, settings=settings))


async def serve(*, core_settings: Settings, settings: DiscordSettings) -> int:
    """Run the bot until the connection closes."""
    configure_endpoints(settings)
    core = build_core(core_settings)
    await core.start()
    client = build_client(core=core, settings=settings)
    try:
        async with client:
            await client.start(settings.discord_token)
    except discord.LoginFailure:
        print("configuration error: DISCORD_TOKEN was rejected by Discord", file=sys.stderr)
        return EXIT_USAGE
    except discord.PrivilegedIntentsRequired:
        print(
            "configuration error: enable the Message Content / Server Members intents in the "
            "Developer Portal, or set DISCORD_MESSAGE_CONTENT / DISCORD_MEMBERS_INTENT to false",
            file=sys.stderr,
        )
        return EXIT_USAGE
    finally:
        await core.database.dispose()
    return 0
