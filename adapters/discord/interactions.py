"""Answering Discord application commands: defer at once, ask the core, follow up.

Discord wants an answer within 3 seconds, and the visibility of a deferred answer
is fixed when deferring. So every command is deferred privately (ephemeral) at
once; a reply the core marks for the channel is then posted in the channel as a
normal message and the private "thinking" placeholder is removed.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Mapping, Sequence

import discord

from adapters.discord.render import RenderedChunk, render_chunks
from adapters.discord.sender import delivery_error
from adapters.discord.translate import (
    Community,
    OptionValue,
    build_request,
    interaction_lookup,
    interaction_origin,
    interaction_role_names,
)
from bot.commands.naming import structured_form, with_command_forms
from bot.commands.spec import Catalogue, CommandNames
from bot.core import GENERIC_APOLOGY, BotCore
from bot.replies import Attachment, Reply, Visibility, text_message

log = logging.getLogger(__name__)

SERVER_ONLY = "/{command} works in the server, not in direct messages. Nothing was done."

_SEND_FAILURES = (discord.HTTPException, discord.RateLimited, OSError)

#: Discord takes the first answer to an interaction this long after sending it.
ACK_WINDOW_SECONDS = 3.0
#: A retry must start this long before the window closes to arrive within it.
ACK_RETRY_MARGIN_SECONDS = 0.25


def as_files(attachments: Sequence[Attachment]) -> list[discord.File]:
    """Reply attachments (such as a calendar .ics) as uploads."""
    return [discord.File(io.BytesIO(item.data), filename=item.filename) for item in attachments]


class InteractionHandler:
    """Runs one application command through the core and delivers the reply."""

    def __init__(self, *, core: BotCore, community: Community) -> None:
        self._core = core
        self._community = community
        # Replies name commands as the servers' menus show them (/kudos give user:...).
        self._command_form = structured_form(core.commands, community.command_names)

    @property
    def catalogue(self) -> Catalogue:
        return self._core.commands

    @property
    def names(self) -> CommandNames:
        return self._community.command_names

    async def handle(
        self,
        interaction: discord.Interaction,
        *,
        command: str,
        subcommand: str | None = None,
        options: Mapping[str, OptionValue] | None = None,
    ) -> None:
        """Defer, translate, ask the core, and answer; never raises to discord.py.

        An application command, a button or a form submission all arrive here:
        the core command, its sub-command and the typed values.
        """
        context = {
            "interaction": interaction.id,
            "command": command,
            "guild": interaction.guild_id,
            "user": interaction.user.id,
        }
        if not await acknowledge(interaction, context=context):
            return
        reply = await self._ask_core(
            interaction, command=command, subcommand=subcommand, options=options or {}
        )
        if reply is not None:
            reply = with_command_forms(reply, self._command_form)
        try:
            if reply is None:
                log.info("duplicate interaction: already answered", extra=context)
                await interaction.delete_original_response()
            elif reply.visibility is Visibility.CHANNEL:
                await self._answer_in_channel(interaction, reply)
            else:
                await self._answer_privately(interaction, reply)
        except _SEND_FAILURES as error:
            log.error(
                "could not deliver reply: %s", delivery_error(error, what="reply"), extra=context
            )

    async def _ask_core(
        self,
        interaction: discord.Interaction,
        *,
        command: str,
        subcommand: str | None,
        options: Mapping[str, OptionValue],
    ) -> Reply | None:
        if interaction.guild_id is None and _needs_server(interaction):
            # Discord hides server-only commands in DMs once synced, but an older
            # registration can still deliver one; they act on a server's members.
            return Reply(text_message(SERVER_ONLY.format(command=_typed_name(interaction))))
        request = build_request(
            origin=interaction_origin(interaction),
            command=command,
            subcommand=subcommand,
            options=options,
            community=self._community,
            lookup=interaction_lookup(interaction),
            role_names=interaction_role_names(interaction),
        )
        return await self._core.handle(request)

    async def apologise(self, interaction: discord.Interaction) -> None:
        """Tell the member something went wrong (used by the command tree's error hook)."""
        chunk = render_chunks(text_message(GENERIC_APOLOGY))[0]
        try:
            if interaction.response.is_done():
                await interaction.followup.send(
                    chunk.content, ephemeral=True, allowed_mentions=chunk.allowed_mentions
                )
            else:
                await interaction.response.send_message(
                    chunk.content, ephemeral=True, allowed_mentions=chunk.allowed_mentions
                )
        except _SEND_FAILURES as error:
            log.warning("could not send apology: %s", error, extra={"interaction": interaction.id})

    async def _answer_privately(self, interaction: discord.Interaction, reply: Reply) -> None:
        await self._send_private(interaction, render_chunks(reply.message), reply.attachments)

    async def _send_private(
        self,
        interaction: discord.Interaction,
        chunks: Sequence[RenderedChunk],
        attachments: Sequence[Attachment],
    ) -> None:
        """Ephemeral follow-ups, one per chunk; files ride on the last."""
        for index, chunk in enumerate(chunks):
            last = index == len(chunks) - 1
            await interaction.followup.send(
                chunk.content,
                ephemeral=True,
                allowed_mentions=chunk.allowed_mentions,
                files=as_files(attachments) if last and attachments else discord.utils.MISSING,
            )

    async def _answer_in_channel(self, interaction: discord.Interaction, reply: Reply) -> None:
        chunks = render_chunks(reply.message)
        if interaction.channel_id is None:
            await self._answer_privately(interaction, reply)
            return
        channel = interaction.client.get_partial_messageable(interaction.channel_id)
        posted = 0
        try:
            for index, chunk in enumerate(chunks):
                last = index == len(chunks) - 1
                await send_chunks(channel, [chunk], reply.attachments if last else ())
                posted += 1
        except (discord.Forbidden, discord.NotFound) as error:
            # The bot may not write here: the member privately gets what did not
            # reach the channel (only that, so nothing is shown twice).
            log.warning(
                "cannot post in channel, answering privately: %s",
                error,
                extra={"interaction": interaction.id, "channel": interaction.channel_id},
            )
            await self._send_private(interaction, chunks[posted:], reply.attachments)
            return
        await interaction.delete_original_response()


async def acknowledge(interaction: discord.Interaction, *, context: dict[str, object]) -> bool:
    """Defer privately within Discord's 3-second window, waiting out rate limits in it.

    discord.py retries a rate-limited callback a few times and then gives up; a
    member whose command is dropped then sees "The application did not respond".
    Here a refused attempt is tried again after the ``Retry-After`` Discord asked
    for, as long as the retry can still start within the window (counted from
    when the interaction reached us). No attempt outlives the window: past it,
    Discord takes no first answer anyway.

    Returns:
        Whether the interaction is acknowledged; when not, one line is logged.
    """
    loop = asyncio.get_running_loop()
    closes = loop.time() + ACK_WINDOW_SECONDS
    last_start = closes - ACK_RETRY_MARGIN_SECONDS
    attempts = 0
    while True:
        attempts += 1
        try:
            async with asyncio.timeout_at(closes):
                await interaction.response.defer(ephemeral=True, thinking=True)
            return True
        except TimeoutError:
            problem = "still rate limited when Discord's 3-second window closed"
        except discord.HTTPException as error:
            wait = retry_after(error)
            if wait is not None and loop.time() + wait <= last_start:
                await asyncio.sleep(wait)
                continue
            problem = f"{error.status} {error.text or error.__class__.__name__}".strip()
            if wait is not None:
                problem = f"rate limited for {wait:.2f} s, past Discord's 3-second window"
        except (discord.RateLimited, OSError) as error:
            problem = repr(error)
        # Nothing can be shown to the member now.
        log.warning(
            "could not acknowledge interaction: %s",
            problem,
            extra={**context, "attempts": attempts},
        )
        return False


def retry_after(error: discord.HTTPException) -> float | None:
    """Seconds Discord asked us to wait, for a 429; ``None`` for other errors."""
    if error.status != 429:
        return None
    headers = getattr(error.response, "headers", None) or {}
    for name in ("X-RateLimit-Reset-After", "Retry-After"):
        try:
            return max(0.0, float(headers[name]))
        except (KeyError, ValueError):
            continue
    return 1.0  # Discord always sends Retry-After; a second is its usual answer


def _needs_server(interaction: discord.Interaction) -> bool:
    """Whether the command (or its group) was registered as server-only."""
    command = interaction.command
    if command is None:
        return False
    root = command.root_parent or command
    return bool(getattr(root, "guild_only", False))


def _typed_name(interaction: discord.Interaction) -> str:
    command = interaction.command
    return command.qualified_name if command is not None else "this command"


async def send_chunks(
    channel: discord.abc.Messageable,
    chunks: Sequence[RenderedChunk],
    attachments: Sequence[Attachment] = (),
    *,
    reference: discord.Message | None = None,
) -> None:
    """Send rendered chunks in order; files ride on the last, the reference on the first."""
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        await channel.send(
            chunk.content,
            allowed_mentions=chunk.allowed_mentions,
            files=as_files(attachments) if last and attachments else None,
            reference=reference if index == 0 else None,
            mention_author=False,
        )
