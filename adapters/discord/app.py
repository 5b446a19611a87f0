"""The Discord adapter: the client, its command tree, and :class:`DiscordAdapter` for the runner.

The client is built first, with its outbound sender (:class:`DiscordSender`);
the runner builds the core with that sender, and :meth:`MemberBotMixin.attach`
gives the client the core before it logs in.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

import aiohttp
import discord
import yarl
from discord import app_commands

from adapters.discord.clicks import ComponentDispatcher
from adapters.discord.commands import register_commands
from adapters.discord.components import actions_view
from adapters.discord.context_menus import build_context_menus
from adapters.discord.form_entries import add_form_entries
from adapters.discord.interactions import InteractionHandler, send_chunks
from adapters.discord.render import render_chunks
from adapters.discord.sender import DiscordSender
from adapters.discord.settings import DiscordSettings
from adapters.discord.translate import translate_message
from bot.core import BotCore
from bot.exits import EXIT_UNAVAILABLE, EXIT_USAGE, StartupFailure

log = logging.getLogger(__name__)

# The bot never joins a voice channel, so discord.py's warnings at start that the
# voice libraries (PyNaCl, davey) are missing only worry admins: turn them off with
# the switches discord.py itself uses to warn once.
discord.VoiceClient.warn_nacl = False
discord.VoiceClient.warn_dave = False


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


if TYPE_CHECKING:
    _Client = discord.Client  # what the mixin is always mixed into
else:
    _Client = object


class MemberBotMixin(_Client):
    """Behaviour shared by the plain and the auto-sharded client."""

    settings: DiscordSettings
    sender: DiscordSender
    tree: app_commands.CommandTree
    core: BotCore | None
    handler: InteractionHandler | None
    dispatcher: ComponentDispatcher | None
    _when_ready: Callable[[], None] | None

    def _init_memberbot(self, *, settings: DiscordSettings) -> None:
        self.settings = settings
        self.sender = DiscordSender(client=self, settings=settings)
        self.tree = app_commands.CommandTree(self)
        self.tree.on_error = self._on_tree_error  # type: ignore[method-assign]
        self.core = None
        self.handler = None
        self.dispatcher = None
        self._when_ready = None

    def attach(self, core: BotCore, *, on_ready: Callable[[], None] | None = None) -> None:
        """Answer commands, mentions and DMs with ``core`` (built with :attr:`sender`).

        Args:
            on_ready: Called once, when connected (every shard, when sharded).
        """
        self.core = core
        self.handler = InteractionHandler(core=core, community=self.settings.community)
        self.dispatcher = ComponentDispatcher(self.handler)
        register_commands(self.tree, self.handler)
        add_form_entries(self.tree, self.dispatcher)
        for menu in build_context_menus(core.commands, self.dispatcher):
            self.tree.add_command(menu)
        self._when_ready = on_ready

    async def setup_hook(self) -> None:
        """After login, before connecting: sync the application commands."""
        await self.sync_commands()

    async def on_ready(self) -> None:
        """Connected: the runner starts the background services now.

        Not at login: a start-up that fails (intents, gateway) then leaves no
        reminder or broadcast half-way through a database write.
        """
        when_ready, self._when_ready = self._when_ready, None
        if when_ready is not None:
            when_ready()

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
        if self.user is None or self.core is None:
            return
        request = translate_message(
            message,
            bot_user=self.user,
            community=self.settings.community,
        )
        if request is None:
            return
        reply = await self.core.handle(request)
        if reply is None:
            return
        try:
            await send_chunks(
                message.channel,
                render_chunks(reply.message),
                reply.attachments,
                reference=message,
                view=actions_view(reply.actions),
            )
        except (discord.HTTPException, discord.RateLimited) as error:
            log.error("could not answer message: %s", error, extra={"message": message.id})

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Every button, select and form the bot sent, before or after a restart."""
        if self.dispatcher is not None:
            await self.dispatcher.on_interaction(interaction)

    async def _on_tree_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        log.error(
            "application command failed",
            exc_info=error,
            extra={"interaction": interaction.id, "user": interaction.user.id},
        )
        if self.handler is not None:
            await self.handler.apologise(interaction)


class MemberBotClient(MemberBotMixin, discord.Client):
    """One gateway connection: right for most associations."""

    def __init__(self, *, settings: DiscordSettings) -> None:
        # Default to pinging nobody: every send names its intended users explicitly.
        discord.Client.__init__(
            self, intents=intents_for(settings), allowed_mentions=discord.AllowedMentions.none()
        )
        self._init_memberbot(settings=settings)


class ShardedMemberBotClient(MemberBotMixin, discord.AutoShardedClient):
    """Several gateway shards, as Discord requires for bots in very many servers."""

    def __init__(self, *, settings: DiscordSettings) -> None:
        discord.AutoShardedClient.__init__(
            self, intents=intents_for(settings), allowed_mentions=discord.AllowedMentions.none()
        )
        self._init_memberbot(settings=settings)

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
    *, settings: DiscordSettings, core: BotCore | None = None
) -> MemberBotClient | ShardedMemberBotClient:
    """The client for the settings (its :attr:`~MemberBotMixin.sender` ready), given
    ``core`` when there is one already (built with that sender or another)."""
    client_class = ShardedMemberBotClient if settings.discord_sharded else MemberBotClient
    client = client_class(settings=settings)
    if core is not None:
        client.attach(core)
    return client


class DiscordAdapter:
    """Discord for the runner: one gateway connection (or shards) until stopped."""

    def __init__(self, settings: DiscordSettings) -> None:
        self.settings = settings
        self._client: MemberBotClient | ShardedMemberBotClient | None = None
        self._connection: asyncio.Task[None] | None = None

    async def open(self) -> DiscordSender:
        """The client and its sender; the token is checked when serving logs in."""
        configure_endpoints(self.settings)
        self._client = build_client(settings=self.settings)
        return self._client.sender

    async def serve(
        self, core: BotCore, *, stop: asyncio.Event, started: Callable[[], None]
    ) -> None:
        """Log in, sync the commands, connect; serve until ``stop`` or Discord ends it.

        On ``stop`` the client stays connected until :meth:`close`, so background
        services still send while they stop.
        """
        client = self._client
        assert client is not None, "open() first"
        client.attach(core, on_ready=started)
        connection = asyncio.create_task(
            client.start(self.settings.discord_token), name="memberbot-discord"
        )
        self._connection = connection
        stopping = asyncio.create_task(stop.wait(), name="memberbot-stop")
        try:
            await asyncio.wait({connection, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopping.cancel()
        if not connection.done():
            log.info("stopping: closing the Discord connection")
            return
        self._connection = None  # ended here: its outcome is reported here
        error = connection.exception()
        if isinstance(error, _STARTUP_FAILURES):
            raise startup_failure(error, self.settings) from error
        if error is not None:
            raise error

    async def close(self) -> None:
        """Disconnect (after the background services stopped)."""
        if self._client is not None and not self._client.is_closed():
            await self._client.close()
        connection = self._connection
        if connection is not None:
            await asyncio.wait([connection])
            if not connection.cancelled() and connection.exception() is not None:
                # Already stopping: how the connection ended changes nothing now.
                log.info("Discord connection ended: %s", connection.exception())


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


def startup_failure(error: BaseException, settings: DiscordSettings) -> StartupFailure:
    """One line for stderr and the exit code, for a failure to log in or connect."""
    if isinstance(error, discord.LoginFailure):
        return _fix("DISCORD_TOKEN was rejected by Discord")
    if isinstance(error, discord.PrivilegedIntentsRequired):
        asked = [
            f"{intent} ({variable}=true)"
            for intent, variable, on in (
                ("Message Content", "DISCORD_MESSAGE_CONTENT", settings.discord_message_content),
                ("Server Members", "DISCORD_MEMBERS_INTENT", settings.discord_members_intent),
            )
            if on
        ]
        return _fix(
            f"Discord refused the privileged intents {', '.join(asked)}: switch them on under "
            "Bot -> Privileged Gateway Intents in the Developer Portal, or set those variables "
            "to false"
        )
    if isinstance(error, discord.GatewayNotFound):
        return _unavailable(
            f"no gateway address from {settings.discord_api_base}/gateway/bot "
            "(Discord outage, or DISCORD_API_BASE points at a host without it)"
        )
    if isinstance(error, discord.ConnectionClosed):
        hint = _CLOSE_CODE_HINTS.get(error.code or 0)
        if hint is not None:
            return _fix(hint)
        return _unavailable(f"the Discord gateway closed the connection (code {error.code})")
    if isinstance(error, discord.HTTPException):
        return _unavailable(f"Discord answered {error.status} while logging in ({error.text})")
    return _unavailable(f"cannot reach Discord at {settings.discord_api_base} ({error})")


def _fix(problem: str) -> StartupFailure:
    """A setting to fix: exit 2."""
    return StartupFailure(f"configuration error: {problem}", exit_code=EXIT_USAGE)


def _unavailable(problem: str) -> StartupFailure:
    """Discord cannot be reached or refused for now: exit 3, try again later."""
    return StartupFailure(f"cannot start: {problem}", exit_code=EXIT_UNAVAILABLE)
