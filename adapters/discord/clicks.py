"""The one dispatcher for every button, select and modal the bot ever sent.

discord.py hands every interaction to ``on_interaction``; components (type 3) and
modal submissions (type 5) are answered here, from their ``custom_id`` alone, so a
click on a message sent before a restart works like any other. The core parses
and checks the reference (is this their broadcast, their latest kudos?) against
whoever clicked; the interaction id is the delivery id, so a click delivered twice
acts once. A modal's submission is one delivery per opening of the modal (its token,
see :mod:`adapters.discord.modals`), so the same opened form submitted twice acts once.

Discord opens a modal only as the first answer to an interaction, so a click is
given to the core first: a reply with a form that arrives within
:data:`FORM_BUDGET_SECONDS` opens as a modal; anything else (or a slower answer)
is deferred privately and followed up, with a button for a form it carries.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any, cast

import discord

from adapters.discord.components import (
    CONFIRM_PREFIX,
    DISMISS_ID,
    FORM_PREFIX,
    SELECT_PREFIX,
    confirm_prompt_view,
    form_button_view,
)
from adapters.discord.interactions import (
    ACK_WINDOW_SECONDS,
    SEND_FAILURES,
    InteractionHandler,
    acknowledge,
)
from adapters.discord.modals import (
    Submitted,
    form_modal,
    prefilled,
    read_custom_id,
    submitted_values,
)
from adapters.discord.render import render_chunks
from adapters.discord.sender import delivery_error
from adapters.discord.translate import interaction_sender
from bot.actions import Form, click_request, form_request
from bot.core import GENERIC_APOLOGY
from bot.replies import Bold, Inline, Message, MessageBuilder, Reply, text_message
from bot.requests import ArgumentValue, Request

log = logging.getLogger(__name__)

#: How long a click waits for the core before deferring: a form that comes within
#: it opens at once; the rest of Discord's 3 seconds is for the answer itself.
FORM_BUDGET_SECONDS = 1.5
NOTHING_DONE = "Nothing was done."
FORM_EXPIRED = (
    "That form is no longer open (it was opened over 15 minutes ago, or the bot has "
    "restarted since). Nothing was lost: please start it again from its command or button."
)
FIX_FORM_LABEL = "Fix the form"


def confirm_text(label: str) -> Message:
    """The question asked before a button with a confirm prompt acts."""
    return (
        MessageBuilder()
        .paragraph(Bold(label), ": are you sure? Nothing is done until you press it again here.")
        .build()
    )


def field_errors_text(errors: Mapping[str, str], form: Form | None) -> Message:
    """What to fix, field by field, named as the form labels them."""
    labels = {field.name: field.label for field in form.fields} if form is not None else {}
    builder = MessageBuilder().paragraph("Nothing was saved yet. Please fix the form:")
    rows: list[list[Inline | str]] = [
        [Bold(labels.get(name, name)), f": {message}"] for name, message in errors.items()
    ]
    return builder.bullets(rows).build()


class ComponentDispatcher:
    """Answers component and modal-submit interactions with the core; never raises."""

    def __init__(self, handler: InteractionHandler) -> None:
        self._handler = handler

    @property
    def handler(self) -> InteractionHandler:
        return self._handler

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """discord.py's ``interaction`` event: clicks and forms (commands go to the tree)."""
        if interaction.type not in (
            discord.InteractionType.component,
            discord.InteractionType.modal_submit,
        ):
            return
        context: dict[str, object] = {
            "interaction": interaction.id,
            "custom_id": _data(interaction).get("custom_id"),
            "guild": interaction.guild_id,
            "user": interaction.user.id,
        }
        try:
            if interaction.type is discord.InteractionType.component:
                await self._click(interaction, context)
            else:
                await self._submit(interaction, context)
        except Exception:  # never a traceback to the member, never an unretrieved task error
            log.exception("interaction failed", extra=context)
            await self._handler.apologise(interaction)

    # -- clicks -----------------------------------------------------------------------

    async def _click(self, interaction: discord.Interaction, context: dict[str, object]) -> None:
        data = _data(interaction)
        custom_id = str(data.get("custom_id", ""))
        if custom_id == DISMISS_ID:
            await acknowledge(
                interaction,
                context=context,
                respond=lambda: interaction.response.edit_message(content=NOTHING_DONE, view=None),
            )
        elif custom_id.startswith(FORM_PREFIX):
            await self._reopen(interaction, custom_id.removeprefix(FORM_PREFIX), context)
        elif custom_id.startswith(CONFIRM_PREFIX):
            await self._ask_first(interaction, custom_id.removeprefix(CONFIRM_PREFIX), context)
        elif custom_id.startswith(SELECT_PREFIX):
            values = data.get("values") or [""]
            await self._act(interaction, str(values[0]), context)
        else:
            await self._act(interaction, custom_id, context)

    async def _act(
        self, interaction: discord.Interaction, value: str, context: dict[str, object]
    ) -> None:
        """A click on an action."""
        sender = interaction_sender(interaction, self._handler.community)
        await self.answer(interaction, click_request(value, **sender.request_fields()), context)

    async def answer(
        self,
        interaction: discord.Interaction,
        request: Request,
        context: dict[str, object],
        *,
        fill: Callable[[Form], Form] | None = None,
    ) -> None:
        """The core first, then a modal (its form, passed through ``fill``) or a
        private answer, within Discord's 3 seconds."""
        loop = asyncio.get_running_loop()
        closes = loop.time() + ACK_WINDOW_SECONDS
        answer = asyncio.create_task(self._handler.core.handle(request))
        await asyncio.wait({answer}, timeout=FORM_BUDGET_SECONDS)
        if answer.done():
            reply = answer.result()
            if reply is not None and reply.form is not None:
                form = fill(reply.form) if fill is not None else reply.form
                await self._open(interaction, form, context, closes=closes)
                return
        if not await acknowledge(interaction, context=context, closes=closes):
            await answer  # acted on all the same; the member can look again
            return
        await self._handler.deliver(interaction, await answer, context=context)

    async def _open(
        self,
        interaction: discord.Interaction,
        form: Form,
        context: dict[str, object],
        *,
        closes: float | None = None,
    ) -> None:
        """Open ``form`` as this interaction's first answer (kept for a Fix button).

        Each opening is new: its token is this interaction's id, under which the form
        is kept too."""
        try:
            modal = form_modal(form, opening=interaction.id)
        except ValueError as error:
            log.error("form cannot be a modal: %s", error, extra=context)
            if await acknowledge(interaction, context=context, closes=closes):
                reply = Reply(text_message(GENERIC_APOLOGY))
                await self._handler.deliver(interaction, reply, context=context)
            return
        self._handler.open_forms.keep(str(interaction.id), form, user_id=interaction.user.id)
        await acknowledge(
            interaction,
            context=context,
            respond=lambda: interaction.response.send_modal(modal),
            closes=closes,
        )

    async def _ask_first(
        self, interaction: discord.Interaction, custom_id: str, context: dict[str, object]
    ) -> None:
        """A button with a confirm prompt: ask privately, with the button that acts."""
        label, style = _clicked_button(interaction, CONFIRM_PREFIX + custom_id)
        chunk = render_chunks(confirm_text(label))[0]
        view = confirm_prompt_view(custom_id, label, style)
        await acknowledge(
            interaction,
            context=context,
            respond=lambda: interaction.response.send_message(
                chunk.content, ephemeral=True, view=view, allowed_mentions=chunk.allowed_mentions
            ),
        )

    async def _reopen(
        self, interaction: discord.Interaction, token: str, context: dict[str, object]
    ) -> None:
        form = self._handler.open_forms.get(token, user_id=interaction.user.id)
        if form is not None:
            await self._open(interaction, form, context)
            return
        chunk = render_chunks(text_message(FORM_EXPIRED))[0]
        await acknowledge(
            interaction,
            context=context,
            respond=lambda: interaction.response.send_message(
                chunk.content, ephemeral=True, allowed_mentions=chunk.allowed_mentions
            ),
        )

    # -- forms ------------------------------------------------------------------------

    async def _submit(self, interaction: discord.Interaction, context: dict[str, object]) -> None:
        """A submitted modal: deferred privately, given to the core, answered."""
        if not await acknowledge(interaction, context=context):
            return
        data = _data(interaction)
        submitted = read_custom_id(str(data.get("custom_id", "")))
        sender = interaction_sender(interaction, self._handler.community)
        # Two submissions of one opened modal are one delivery: the core acts once.
        delivery_id = submitted.delivery_id(
            interaction_id=interaction.id, user_id=interaction.user.id
        )
        sender = replace(sender, delivery_id=delivery_id)
        fields = submitted_values(
            data,
            state=interaction._state,  # discord.py builds users from it
            workspace_id=sender.workspace_id,
        )
        reply = await self._handler.core.handle(
            form_request(submitted.ref, fields, **sender.request_fields())
        )
        if reply is not None and reply.field_errors:
            await self._refused(interaction, submitted, reply, fields, context)
            return
        await self._handler.deliver(interaction, reply, context=context)

    async def _refused(
        self,
        interaction: discord.Interaction,
        submitted: Submitted,
        reply: Reply,
        fields: Mapping[str, ArgumentValue],
        context: dict[str, object],
    ) -> None:
        """Field errors: a modal cannot stay open, so say what to fix, with a button
        that reopens the form filled with what was typed (while it is kept); the
        reopened form is a new opening, with its own token."""
        opened = self._handler.open_forms
        user_id = interaction.user.id
        form = None
        if submitted.opening is not None:  # the form kept when this modal was opened
            form = opened.get(str(submitted.opening), user_id=user_id)
        if form is None or form.ref.encode() != submitted.ref:
            form = opened.find(submitted.ref, user_id=user_id)
        view = None
        if form is not None:
            token = str(interaction.id)
            opened.keep(token, prefilled(form, fields), user_id=user_id)
            view = form_button_view(token, FIX_FORM_LABEL)
        chunks = render_chunks(field_errors_text(reply.field_errors, form))
        try:
            for index, chunk in enumerate(chunks):
                last = index == len(chunks) - 1
                await interaction.followup.send(
                    chunk.content,
                    ephemeral=True,
                    allowed_mentions=chunk.allowed_mentions,
                    view=view if last and view is not None else discord.utils.MISSING,
                )
        except SEND_FAILURES as error:
            log.error(
                "could not deliver reply: %s", delivery_error(error, what="reply"), extra=context
            )


def _data(interaction: discord.Interaction) -> Mapping[str, Any]:
    """The interaction's ``data`` as read here: by key, whatever its kind."""
    return cast(Mapping[str, Any], interaction.data or {})


def _clicked_button(
    interaction: discord.Interaction, custom_id: str
) -> tuple[str, discord.ButtonStyle]:
    """The label and style of the clicked button, from the message it is on."""
    message = interaction.message
    for row in message.components if message is not None else []:
        for item in getattr(row, "children", []):
            if isinstance(item, discord.Button) and item.custom_id == custom_id and item.label:
                return item.label, item.style
    return "Confirm", discord.ButtonStyle.primary
