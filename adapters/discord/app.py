"""Wiring for ``memberbot run discord``: the client, its command tree and the core."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Iterator

import aiohttp
import discord
import yarl
from discord import app_commands

from adapters.discord.commands import register_commands
from adapters.discord.interactions import InteractionHandler, send_chunks
from adapters.discord.render import render_chunks
from adapters.discord.sender import DiscordSender
from adapters.discord.settings import DiscordSettings, load_discord_settings
from adapters.discord.translate import translate_message
from bot.cli.common import EXIT_UNAVAILABLE, EXIT_USAGE, build_core, load_cli_settings, run_async
from bot.config import Settings
from bot.core import BotCore
from bot.errors import ConfigError

log = logging.getLogger(__name__)

# The bot never joins a voice channel, so discord.py's warnings at start that the
# voice libraries (PyNaCl, davey) are missing only worry admins: turn them off with
# the switches discord.py itself uses to warn once.
discord.VoiceClient.warn_nacl = False
discord.VoiceClient.warn_dave = False

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
    """Default intents, plus the privileged ones the settings ask for.

    Message Content is not needed to answer DMs and @mentions: Discord delivers
    the content of those to every bot. It is requested only when asked for.
    """
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
        self.handler = InteractionHandler(core=core, community=settings.community)
        self.tree = app_commands.CommandTree(self)  # type: ignore[arg-type]
        self.tree.on_error = self._on_tree_error  # type: ignore[method-assign]
        register_commands(self.tree, self.handler)
        self._background = None

    async def setup_hook(self) -> None:
        """After login, before connecting: sync the application commands."""
        await self.sync_commands()

    async def on_ready(self) -> None:
        """Connected (every shard, when sharded): start the background services once.

        Not at login: a start-up that fails (intents, gateway) then leaves no
        reminder or broadcast half-way through a database write.
        """
        if not self.start_background or self._background is not None:
            return
        self._background = asyncio.create_task(
            self.core.run_background(), name="memberbot-background"
        )

    async def sync_commands(self) -> None:
        """Sync to each configured guild (instant), or globally when none is set.

        A refusal is logged in words an operator can act on; the bot keeps running
        (mentions and DMs still work, and earlier registrations stay in place).
        """
        guild_ids = self.settings.guild_ids
        if not guild_ids:
            await self._sync(None)
            return
        for guild_id in guild_ids:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            await self._sync(guild)

    async def _sync(self, guild: discord.Object | None) -> None:
        where = {"guild": guild.id if guild is not None else "global"}
        try:
            commands = await self.tree.sync(guild=guild)
        except discord.Forbidden as error:
            log.error(
                "cannot register slash commands %s: invite the bot with the "
                "applications.commands scope (see README) (Discord said: %s)",
                "in this server" if guild is not None else "globally",
                error.text or error.status,
                extra=where,
            )
            return
        except discord.HTTPException as error:
            log.error(
                "could not register slash commands (Discord answered %s: %s)",
                error.status,
                error.text,
                extra=where,
            )
            return
        log.info("commands synced", extra={**where, "count": len(commands)})

    async def on_message(self, message: discord.Message) -> None:
        """Answer DMs and mentions of the bot as questions."""
        if self.user is None:  # type: ignore[attr-defined]
            return
        request = translate_message(
            message,
            bot_user=self.user,  # type: ignore[attr-defined]
            community=self.settings.community,
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

    async def connect(self, *, reconnect: bool = True) -> None:
        """Connect every shard, to DISCORD_GATEWAY_URL when it is set.

        ``GET /gateway/bot`` answers both the recommended shard count and
        Discord's own gateway URL, which discord.py would connect to. With a
        custom gateway only the count is taken; with a known count, discord.py
        uses the default gateway, which :func:`configure_endpoints` points at ours.
        """
        if self.shard_count is None and self.settings.gateway_overridden:
            self.shard_count, _, _ = await self.http.get_bot_gateway()
        await super().connect(reconnect=reconnect)


def build_client(
    *, core: BotCore, settings: DiscordSettings, start_background: bool = True
) -> MemberBotClient | ShardedMemberBotClient:
    """The client for the settings, with the core's outbound sender wired to it."""
    client_class = ShardedMemberBotClient if settings.discord_sharded else MemberBotClient
    client = client_class(core=core, settings=settings, start_background=start_background)
    core.outbound = DiscordSender(client=client, settings=settings)
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


async def serve(
    *,
    core_settings: Settings,
    settings: DiscordSettings,
    stop: asyncio.Event | None = None,
) -> int:
    """Run the bot until ``stop`` is set (SIGINT/SIGTERM when not given) or Discord closes.

    Returns the exit code: 0 after a clean stop; a start-up problem (token
    rejected, intents not enabled, gateway unreachable) is one line on stderr
    and a non-zero code, never a traceback.
    """
    configure_endpoints(settings)
    core = build_core(core_settings)
    await core.start()
    client = build_client(core=core, settings=settings)
    with _stop_on_signals(stop) as stop_event:
        try:
            async with client:
                await _run_until_stopped(client, settings.discord_token, stop_event)
        except _STARTUP_FAILURES as error:
            line, code = describe_startup_failure(error, settings)
            print(line, file=sys.stderr)
            return code
        finally:
            await core.database.dispose()
    return 0


async def _run_until_stopped(client: discord.Client, token: str, stop: asyncio.Event) -> None:
    runner = asyncio.create_task(client.start(token), name="memberbot-discord")
    stopper = asyncio.create_task(stop.wait(), name="memberbot-stop")
    try:
        await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopper.cancel()
    if not runner.done():
        log.info("stopping: closing the Discord connection")
        await client.close()
    await runner  # re-raises a start-up failure


_STARTUP_FAILURES = (
    discord.LoginFailure,
    discord.PrivilegedIntentsRequired,
    discord.GatewayNotFound,
    discord.ConnectionClosed,
    discord.HTTPException,
    aiohttp.ClientError,
    OSError,
)

#: Gateway close codes that mean the settings are wrong (Discord's documented codes).
_CLOSE_CODE_HINTS = {
    4004: "DISCORD_TOKEN was rejected by Discord (reset it on the Bot page)",
    4011: "this bot is in too many servers for one connection: set DISCORD_SHARDED=true",
    4013: "invalid intents requested",
}


def describe_startup_failure(error: BaseException, settings: DiscordSettings) -> tuple[str, int]:
    """One line for stderr and the exit code, for a failure to log in or connect."""
    if isinstance(error, discord.LoginFailure):
        return "configuration error: DISCORD_TOKEN was rejected by Discord", EXIT_USAGE
    if isinstance(error, discord.PrivilegedIntentsRequired):
        asked = [
            f"{intent} ({variable}=true)"
            for intent, variable, on in (
                ("Message Content", "DISCORD_MESSAGE_CONTENT", settings.discord_message_content),
                ("Server Members", "DISCORD_MEMBERS_INTENT", settings.discord_members_intent),
            )
            if on
        ]
        return (
            f"configuration error: Discord refused the privileged intents {', '.join(asked)}: "
            "switch them on under Bot -> Privileged Gateway Intents in the Developer Portal, "
            "or set those variables to false",
            EXIT_USAGE,
        )
    if isinstance(error, discord.GatewayNotFound):
        return (
            f"cannot start: no gateway address from {settings.discord_api_base}/gateway/bot "
            "(Discord outage, or DISCORD_API_BASE points at a host without it)",
            EXIT_UNAVAILABLE,
        )
    if isinstance(error, discord.ConnectionClosed):
        hint = _CLOSE_CODE_HINTS.get(error.code or 0)
        if hint is not None:
            return f"configuration error: {hint}", EXIT_USAGE
        return (
            f"cannot start: the Discord gateway closed the connection (code {error.code})",
            EXIT_UNAVAILABLE,
        )
    if isinstance(error, discord.HTTPException):
        return (
            f"cannot start: Discord answered {error.status} while logging in ({error.text})",
            EXIT_UNAVAILABLE,
        )
    return (
        f"cannot start: cannot reach Discord at {settings.discord_api_base} ({error})",
        EXIT_UNAVAILABLE,
    )


@contextlib.contextmanager
def _stop_on_signals(stop: asyncio.Event | None) -> Iterator[asyncio.Event]:
    """``stop`` as given, or an event set by SIGINT/SIGTERM while the bot runs."""
    if stop is not None:
        yield stop
        return
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    installed = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
            installed.append(sig)
    try:
        yield stop
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)
