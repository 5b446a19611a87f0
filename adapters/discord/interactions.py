"""Answering Discord application commands: defer at once, ask the core, follow up.

Discord wants an answer within 3 seconds, and the visibility of a deferred answer
is fixed when deferring. So every command is deferred privately (ephemeral) at
once; a reply the core marks for the channel is then posted in the channel as a
normal message and the private "thinking" placeholder is removed.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence

import discord

from adapters.discord.render import RenderedChunk, render_chunks
from adapters.discord.sender import delivery_error
from adapters.discord.translate import Part, build_request, interaction_lookup, interaction_origin
from bot.core import GENERIC_APOLOGY, BotCore
from bot.replies import Attachment, Reply, Visibility, text_message

log = logging.getLogger(__name__)

_SEND_FAILURES = (discord.HTTPException, discord.RateLimited, OSError)


def as_files(attachments: Sequence[Attachment]) -> list[discord.File]:
    """Reply attachments (such as a calendar .ics) as uploads."""
    return [discord.File(io.BytesIO(item.data), filename=item.filename) for item in attachments]


class InteractionHandler:
    """Runs one application command through the core and delivers the reply."""

    def __init__(self, *, core: BotCore, staff_role_ids: frozenset[str]) -> None:
        self._core = core
        self._staff_role_ids = staff_role_ids

    async def handle(
        self, interaction: discord.Interaction, *, command: str, parts: Sequence[Part]
    ) -> None:
        """Defer, translate, ask the core, and answer; never raises to discord.py."""
        context = {
            "interaction": interaction.id,
            "command": command,
            "guild": interaction.guild_id,
            "user": interaction.user.id,
        }
        try:
            await interaction.response.defer(ephemeral=True, thinking=True)
        except _SEND_FAILURES as error:
            # Too late (over 3 s) or already answered: nothing can be shown to the member.
            log.warning("could not acknowledge interaction: %s", error, extra=context)
            return
        request = build_request(
            origin=interaction_origin(interaction),
            command=command,
            parts=parts,
            staff_role_ids=self._staff_role_ids,
            lookup=interaction_lookup(interaction),
            is_direct=interaction.guild_id is None,
        )
        reply = await self._core.handle(request)
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
        chunks = render_chunks(reply.message)
        for index, chunk in enumerate(chunks):
            last = index == len(chunks) - 1
            await interaction.followup.send(
                chunk.content,
                ephemeral=True,
                allowed_mentions=chunk.allowed_mentions,
                files=as_files(reply.attachments) if last else discord.utils.MISSING,
            )

    async def _answer_in_channel(self, interaction: discord.Interaction, reply: Reply) -> None:
        if interaction.channel_id is None:
            await self._answer_privately(interaction, reply)
            return
        channel = interaction.client.get_partial_messageable(interaction.channel_id)
        try:
            await send_chunks(channel, render_chunks(reply.message), reply.attachments)
        except (discord.Forbidden, discord.NotFound) as error:
            # The bot may not write in this channel: the member still gets the answer.
            log.warning(
                "cannot post in channel, answering privately: %s",
                error,
                extra={"interaction": interaction.id, "channel": interaction.channel_id},
            )
            await self._answer_privately(interaction, reply)
            return
        await interaction.delete_original_response()


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
