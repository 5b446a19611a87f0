"""Right-click menus: "Give kudos" on a member, "Give kudos for this message" on a message.

Each opens the form the core answers its command with (``/kudos`` alone answers
with the give form), filled in: the member picker with the member (or the
message's author), and for a message the first text field with a link to it.
The submission is an ordinary form submission, checked by the core like any other
(no kudos to yourself or to a bot, the daily quota). Where the core answers without
a form (a member outside a server, say), its answer is shown instead.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from enum import StrEnum

import discord
from discord import app_commands

from adapters.discord.clicks import ComponentDispatcher
from adapters.discord.translate import (
    build_request,
    interaction_lookup,
    interaction_origin,
    interaction_role_names,
    user_ref,
)
from bot.actions import FieldKind, Form
from bot.commands.spec import Catalogue
from bot.requests import Mention, MentionKind

log = logging.getLogger(__name__)


class Target(StrEnum):
    USER = "user"
    MESSAGE = "message"


@dataclass(frozen=True, slots=True)
class ContextMenuEntry:
    """One right-click menu entry: its name and the command whose form it opens."""

    name: str
    target: Target
    command: str


#: The entries, in menu order. Discord allows 5 user and 5 message menus per app.
CONTEXT_MENUS = (
    ContextMenuEntry("Give kudos", Target.USER, "kudos"),
    ContextMenuEntry("Give kudos for this message", Target.MESSAGE, "kudos"),
)


def filled(form: Form, person: Mention, link: str | None) -> Form:
    """The form with its first member picker set to ``person`` and, for a message,
    its first (empty) text field starting with a link to it."""
    fields = list(form.fields)
    picker = next((i for i, f in enumerate(fields) if f.kind in _PEOPLE), None)
    if picker is not None:
        field = fields[picker]
        fields[picker] = replace(
            field, initial=person if field.kind is FieldKind.MEMBER else (person,)
        )
    text = next((i for i, f in enumerate(fields) if f.kind in _TEXTS and not f.initial), None)
    if link is not None and text is not None:
        fields[text] = replace(fields[text], initial=f"for this message: {link}")
    return replace(form, fields=tuple(fields))


_PEOPLE = (FieldKind.MEMBER, FieldKind.MEMBERS)
_TEXTS = (FieldKind.LONG_TEXT, FieldKind.TEXT)


def build_context_menus(
    catalogue: Catalogue, dispatcher: ComponentDispatcher
) -> list[app_commands.ContextMenu]:
    """The menus for the commands this installation has (server-only where they are)."""
    menus: list[app_commands.ContextMenu] = []
    for entry in CONTEXT_MENUS:
        spec = catalogue.get(entry.command)
        if spec is None:
            continue
        menu = _menu(entry, dispatcher)
        menus.append(app_commands.guild_only()(menu) if spec.server_only else menu)
    return menus


def _menu(entry: ContextMenuEntry, dispatcher: ComponentDispatcher) -> app_commands.ContextMenu:
    if entry.target is Target.USER:

        async def on_user(interaction: discord.Interaction, user: discord.User) -> None:
            await _open(dispatcher, entry, interaction, user, None)

        return app_commands.ContextMenu(name=entry.name, callback=on_user)

    async def on_message(interaction: discord.Interaction, message: discord.Message) -> None:
        await _open(dispatcher, entry, interaction, message.author, message.jump_url)

    return app_commands.ContextMenu(name=entry.name, callback=on_message)


async def _open(
    dispatcher: ComponentDispatcher,
    entry: ContextMenuEntry,
    interaction: discord.Interaction,
    person: discord.abc.User,
    link: str | None,
) -> None:
    handler = dispatcher.handler
    context: dict[str, object] = {
        "interaction": interaction.id,
        "menu": entry.name,
        "guild": interaction.guild_id,
        "user": interaction.user.id,
    }
    request = build_request(
        origin=interaction_origin(interaction),
        command=entry.command,
        options={},
        community=handler.community,
        lookup=interaction_lookup(interaction),
        role_names=interaction_role_names(interaction),
    )
    target = user_ref(person, workspace_id=request.workspace_id)
    mention = Mention(MentionKind.USER, f"@{target.name}", user=target)
    await dispatcher.answer(
        interaction, request, context, fill=lambda form: filled(form, mention, link)
    )
