"""``/broadcast form`` and ``/kudos form``: the bare command, which answers with a form.

Where members type whole commands (Slack, the console), ``/broadcast`` alone opens
the broadcast form. A Discord command with sub-commands cannot be run alone, so
each command listed here gains a ``form`` sub-command that asks the core for the
bare command and opens the form it answers with as a modal (or shows its answer,
such as a staff-only refusal, when it has no form).
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from adapters.discord.clicks import ComponentDispatcher
from adapters.discord.translate import (
    build_request,
    interaction_lookup,
    interaction_origin,
    interaction_role_names,
)

log = logging.getLogger(__name__)

FORM_SUBCOMMAND = "form"
#: Commands whose bare form (no sub-command) answers with a form, and the menu line.
FORM_ENTRIES = {
    "broadcast": "Write a broadcast in a form: who gets it, the message, when",
    "kudos": "Give kudos with a form: pick up to three people and say why",
}


def add_form_entries(tree: app_commands.CommandTree, dispatcher: ComponentDispatcher) -> None:
    """Add ``form`` to each listed command's group, as this installation names it."""
    handler = dispatcher.handler
    for command, description in FORM_ENTRIES.items():
        spec = handler.catalogue.get(command)
        if spec is None or not spec.subcommands or spec.subcommand(FORM_SUBCOMMAND) is not None:
            continue
        group = tree.get_command(handler.names.name_for(spec))
        if not isinstance(group, app_commands.Group):
            continue
        group.add_command(_form_command(command, description, dispatcher))


def _form_command(
    command: str, description: str, dispatcher: ComponentDispatcher
) -> app_commands.Command[app_commands.Group, ..., None]:
    async def callback(interaction: discord.Interaction) -> None:
        handler = dispatcher.handler
        request = build_request(
            origin=interaction_origin(interaction),
            command=command,
            options={},
            community=handler.community,
            lookup=interaction_lookup(interaction),
            role_names=interaction_role_names(interaction),
        )
        context: dict[str, object] = {
            "interaction": interaction.id,
            "command": command,
            "guild": interaction.guild_id,
            "user": interaction.user.id,
        }
        await dispatcher.answer(interaction, request, context)

    return app_commands.Command(name=FORM_SUBCOMMAND, description=description, callback=callback)
