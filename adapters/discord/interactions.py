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
from collections.abc import Awaitable, Callable, Mapping, Sequence

import discord

from adapters.discord.components import actions_view, form_button_view
from adapters.discord.modals import OpenForms
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

#: What sending an answer can raise; logged, never shown to the member.
SEND_FAILURES = (discord.HTTPException, discord.RateLimited, OSError)

#: Discord takes the first answer to an interaction this long after sending it.
ACK_WINDOW_SECONDS = 3.0
#: A retry must start this long before the window closes to arrive within it.
ACK_RETRY_MARGIN_SECONDS = 0.25


def as_files(attachments: Sequence[Attachment]) -> list[discord.File]:
    """Reply attachments (such as a calendar .ics) as uploads."""
    return [discord.File(io.BytesIO(item.data), filename=item.filename) for item in attachments]


#: Shown on the button that opens a form Discord could not open at once.
OPEN_FORM_LABEL = "Open the form"


class InteractionHandler:
    """Runs one application command through the core and delivers the reply."""

    def __init__(self, *, core: BotCore, community: Community) -> None:
        self._core = core
        self._community = community
        #: Forms behind "Open the form" and "Fix the form" buttons (see modals.py).
        self.open_forms = OpenForms()
        # Replies name commands as the servers' menus show them (/kudos give user:...).
        self._command_form = structured_form(core.commands, community.command_names)

    @property
    def catalogue(self) -> Catalogue:
        return self._core.commands

    @property
    def names(self) -> CommandNames:
        return self._community.command_names

    @property
    def core(self) -> BotCore:
        return self._core

    @property
    def community(self) -> Community:
        return self._community

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
        await self.deliver(interaction, reply, context=context)

    async def deliver(
        self, interaction: discord.Interaction, reply: Reply | None, *, context: dict[str, object]
    ) -> None:
        """Answer an acknowledged (deferred) interaction with the core's reply.

        Actions ride on the reply's last message as components. A form cannot be
        opened once deferred (Discord opens one only as the first answer), so it is
        offered as a button that opens it. ``None`` (a repeat) removes the placeholder.
        """
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
        except SEND_FAILURES as error:
            log.error(
                "could not deliver reply: %s", delivery_error(error, what="reply"), extra=context
            )

    def components_for(
        self, interaction: discord.Interaction, reply: Reply
    ) -> discord.ui.View | None:
        """The reply's actions; for a form that could not be opened, its open button."""
        if reply.form is not None and not reply.actions:
            token = str(interaction.id)
            self.open_forms.keep(token, reply.form, user_id=interaction.user.id)
            return form_button_view(token, OPEN_FORM_LABEL)
        return actions_view(reply.actions)

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
        except SEND_FAILURES as error:
            log.warning("could not send apology: %s", error, extra={"interaction": interaction.id})

    async def _answer_privately(self, interaction: discord.Interaction, reply: Reply) -> None:
        await self._send_private(
            interaction,
            render_chunks(reply.message),
            reply.attachments,
            self.components_for(interaction, reply),
        )

    async def _send_private(
        self,
        interaction: discord.Interaction,
        chunks: Sequence[RenderedChunk],
        attachments: Sequence[Attachment],
        view: discord.ui.View | None = None,
    ) -> None:
        """Ephemeral follow-ups, one per chunk; files and components ride on the last."""
        for index, chunk in enumerate(chunks):
            last = index == len(chunks) - 1
            await interaction.followup.send(
                chunk.content,
                ephemeral=True,
                allowed_mentions=chunk.allowed_mentions,
                files=as_files(attachments) if last and attachments else discord.utils.MISSING,
                view=view if last and view is not None else discord.utils.MISSING,
            )

    async def _answer_in_channel(self, interaction: discord.Interaction, reply: Reply) -> None:
        chunks = render_chunks(reply.message)
        if interaction.channel_id is None:
            await self._answer_privately(interaction, reply)
            return
        channel = interaction.client.get_partial_messageable(interaction.channel_id)
        view = self.components_for(interaction, reply)
        posted = 0
        try:
            for index, chunk in enumerate(chunks):
                last = index == len(chunks) - 1
                await send_chunks(
                    channel,
                    [chunk],
                    reply.attachments if last else (),
                    view=view if last else None,
                )
                posted += 1
        except (discord.Forbidden, discord.NotFound) as error:
            # The bot may not write here: the member privately gets what did not
            # reach the channel (only that, so nothing is shown twice).
            log.warning(
                "cannot post in channel, answering privately: %s",
                error,
                extra={"interaction": interaction.id, "channel": interaction.channel_id},
            )
            await self._send_private(interaction, chunks[posted:], reply.attachments, view)
            return
        await interaction.delete_original_response()


async def acknowledge(
    interaction: discord.Interaction,
    *,
    context: dict[str, object],
    respond: Callable[[], Awaitable[object]] | None = None,
    closes: float | None = None,
) -> bool:
    """Defer privately within Discord's 3-second window, waiting out rate limits in it.

    ``respond`` gives another first answer instead (a modal, a prompt), retried the
    same way; ``closes`` is when the window closes (loop time), when part of it was
    already spent.

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
    if closes is None:
        closes = loop.time() + ACK_WINDOW_SECONDS
    if respond is None:

        def respond() -> Awaitable[object]:
            return interaction.response.defer(ephemeral=True, thinking=True)

    last_start = closes - ACK_RETRY_MARGIN_SECONDS
    attempts = 0
    while True:
        attempts += 1
        try:
            async with asyncio.timeout_at(closes):
                await respond()
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
    # A group's sub-command inherits the group's registration; a context menu has no group.
    root = command.root_parent if isinstance(command, discord.app_commands.Command) else None
    return bool(getattr(root or command, "guild_only", False))


def _typed_name(interaction: discord.Interaction) -> str:
    command = interaction.command
    return command.qualified_name if command is not None else "this command"


async def send_chunks(
    channel: discord.abc.Messageable,
    chunks: Sequence[RenderedChunk],
    attachments: Sequence[Attachment] = (),
    *,
    reference: discord.Message | None = None,
    view: discord.ui.View | None = None,
) -> None:
    """Send rendered chunks in order; files and components ride on the last, the
    reference on the first."""
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        await channel.send(
            chunk.content,
            allowed_mentions=chunk.allowed_mentions,
            # send() takes None for these (its default); its overloads do not say so.
            files=as_files(attachments) if last and attachments else None,  # type: ignore[arg-type]
            reference=reference if index == 0 else None,  # type: ignore[arg-type]
            mention_author=False,
            view=view if last else None,  # type: ignore[arg-type]
        )
