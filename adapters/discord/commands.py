"""The application commands members see, each mapped onto a core command.

Options are typed (a user picker for people, choices for periods), and the
values are passed, in order, to the core as the same text a member would type
on Slack or in the console (``/kudos @a @b reason``, ``/kudos top week``).
"""

from __future__ import annotations

from typing import Literal

import discord
from discord import app_commands

from adapters.discord.interactions import InteractionHandler

Period = Literal["week", "month", "year", "all"]


def register_commands(tree: app_commands.CommandTree, handler: InteractionHandler) -> None:
    """Add /ask, /deadlines, /bothelp, /thanks and the /kudos group to ``tree``."""
    _register_questions(tree, handler)
    _register_thanks(tree, handler)
    tree.add_command(_kudos_group(handler))


def _register_questions(tree: app_commands.CommandTree, handler: InteractionHandler) -> None:
    @tree.command(
        name="ask", description="Ask about committees, mentoring, awards, membership and deadlines."
    )
    @app_commands.describe(question="Your question, e.g. When do mentoring applications close?")
    async def ask(
        interaction: discord.Interaction, question: app_commands.Range[str, 1, 1500]
    ) -> None:
        await handler.handle(interaction, command="ask", parts=[question])

    @tree.command(name="deadlines", description="See upcoming deadlines and events.")
    @app_commands.describe(calendar="Also get every deadline as a calendar file (.ics)")
    async def deadlines(interaction: discord.Interaction, calendar: bool = False) -> None:
        await handler.handle(interaction, command="deadlines", parts=["ics" if calendar else None])

    # /help is taken by many bots on a server, so ours is /bothelp.
    @tree.command(name="bothelp", description="What this bot can do.")
    async def bothelp(interaction: discord.Interaction) -> None:
        await handler.handle(interaction, command="help", parts=[])


def _register_thanks(tree: app_commands.CommandTree, handler: InteractionHandler) -> None:
    @tree.command(name="thanks", description="Send a colleague a private thank-you note.")
    @app_commands.describe(user="Who to thank", note="Your note (they get it as a direct message)")
    async def thanks(
        interaction: discord.Interaction,
        user: discord.User,
        note: app_commands.Range[str, 1, 3000],
    ) -> None:
        await handler.handle(interaction, command="thanks", parts=[user, note])


def _kudos_group(handler: InteractionHandler) -> app_commands.Group:
    kudos = app_commands.Group(name="kudos", description="Recognise colleagues publicly.")

    # Discord lists required options before optional ones, so the extra
    # recipients come after the reason; the core receives them in reading order.
    @kudos.command(name="give", description="Give kudos to up to three colleagues.")
    @app_commands.describe(
        user="Who gets the kudos",
        reason="What they did, e.g. for running storytime",
        user2="Another colleague (optional)",
        user3="Another colleague (optional)",
    )
    async def give(
        interaction: discord.Interaction,
        user: discord.User,
        reason: app_commands.Range[str, 1, 3000],
        user2: discord.User | None = None,
        user3: discord.User | None = None,
    ) -> None:
        await handler.handle(interaction, command="kudos", parts=[user, user2, user3, reason])

    @kudos.command(name="show", description="See the kudos one colleague has received.")
    @app_commands.describe(user="Whose kudos to show")
    async def show(interaction: discord.Interaction, user: discord.User) -> None:
        await handler.handle(interaction, command="kudos", parts=[user])

    @kudos.command(name="top", description="Who received the most kudos.")
    @app_commands.describe(period="Time window (this month if not given)")
    async def top(interaction: discord.Interaction, period: Period | None = None) -> None:
        await handler.handle(interaction, command="kudos", parts=["top", period])

    @kudos.command(name="mine", description="Kudos you have received and given.")
    async def mine(interaction: discord.Interaction) -> None:
        await handler.handle(interaction, command="kudos", parts=["mine"])

    @kudos.command(name="undo", description="Take back the kudos you just gave.")
    async def undo(interaction: discord.Interaction) -> None:
        await handler.handle(interaction, command="kudos", parts=["undo"])

    @kudos.command(name="help", description="How kudos work.")
    async def kudos_help(interaction: discord.Interaction) -> None:
        await handler.handle(interaction, command="kudos", parts=["help"])

    @kudos.command(name="digest", description="Staff: a summary of a month's recognition.")
    @app_commands.describe(month="Which month, e.g. 2026-10 (last month if not given)")
    async def digest(
        interaction: discord.Interaction, month: app_commands.Range[str, 1, 40] | None = None
    ) -> None:
        await handler.handle(interaction, command="kudos", parts=["digest", month])

    return kudos
