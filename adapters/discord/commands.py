"""The application commands members see, each mapped onto a core command.

Options are typed (a user picker for people, choices for periods), and the
values are passed, in order, to the core as the same text a member would type
on Slack or in the console (``/kudos @a @b reason``, ``/kudos top week``).

Commands that act on a server's members or channels (kudos, thanks, broadcast,
reminders) are server-only: Discord does not offer them in direct messages.
"""

from __future__ import annotations

from typing import Literal

import discord
from discord import app_commands

from adapters.discord.interactions import InteractionHandler
from adapters.discord.translate import ChannelOption, SendTime
from bot.commands.reminders import SUMMARY as REMINDERS_SUMMARY

Period = Literal["week", "month", "year", "all"]
ReminderChoice = Literal["off", "on", "status"]
#: Discord's own limit for a string option; the core refuses longer broadcasts itself.
OPTION_TEXT_LIMIT = 6000
#: Channels a broadcast can be posted in: text and announcement channels.
POSTABLE_CHANNELS = [discord.ChannelType.text, discord.ChannelType.news]
#: For groups: ``guild_only`` alone leaves Discord's ``contexts`` unset (= everywhere).
SERVERS_ONLY = app_commands.AppCommandContext(guild=True)


def register_commands(tree: app_commands.CommandTree, handler: InteractionHandler) -> None:
    """Add /ask, /deadlines, /bothelp, /thanks, /reminders and the /kudos and /broadcast groups."""
    _register_questions(tree, handler)
    _register_thanks(tree, handler)
    _register_reminders(tree, handler)
    tree.add_command(_kudos_group(handler))
    tree.add_command(_broadcast_group(handler))


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
    @app_commands.guild_only()
    @app_commands.describe(user="Who to thank", note="Your note (they get it as a direct message)")
    async def thanks(
        interaction: discord.Interaction,
        user: discord.User,
        note: app_commands.Range[str, 1, 3000],
    ) -> None:
        await handler.handle(interaction, command="thanks", parts=[user, note])


def _kudos_group(handler: InteractionHandler) -> app_commands.Group:
    kudos = app_commands.Group(
        name="kudos",
        description="Recognise colleagues publicly.",
        guild_only=True,
        allowed_contexts=SERVERS_ONLY,
    )

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

    @kudos.command(name="remove", description="Staff: take down a kudos (its post is deleted).")
    @app_commands.rename(kudos_id="id")
    @app_commands.describe(kudos_id="The kudos number staff see in /kudos show")
    async def remove(
        interaction: discord.Interaction, kudos_id: app_commands.Range[int, 1, None]
    ) -> None:
        await handler.handle(interaction, command="kudos", parts=["remove", str(kudos_id)])

    return kudos


def _register_reminders(tree: app_commands.CommandTree, handler: InteractionHandler) -> None:
    @tree.command(name="reminders", description=f"{REMINDERS_SUMMARY}.")
    @app_commands.guild_only()
    @app_commands.describe(choice="off: no more DMs; on: get them again; status: see your choice")
    async def reminders(
        interaction: discord.Interaction, choice: ReminderChoice = "status"
    ) -> None:
        await handler.handle(interaction, command="reminders", parts=[choice])


class PostableChannel(app_commands.Transformer):
    """A channel option limited to text and announcement channels, passed on as given.

    The channel comes from the interaction's resolved data, so it works for
    channels the client has not cached (no members or guild cache needed).
    """

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.channel

    @property
    def channel_types(self) -> list[discord.ChannelType]:
        return POSTABLE_CHANNELS

    async def transform(self, interaction: discord.Interaction, value: object) -> ChannelOption:
        if not isinstance(value, ChannelOption):
            raise app_commands.TransformerError(value, discord.AppCommandOptionType.channel, self)
        return value


def _broadcast_group(handler: InteractionHandler) -> app_commands.Group:
    """/broadcast for staff (the core refuses everyone else): post, dm, confirm, list, cancel."""
    broadcast = app_commands.Group(
        name="broadcast",
        description="Staff: announce in a channel or DM every member, now or later.",
        guild_only=True,
        allowed_contexts=SERVERS_ONLY,
    )
    message_help = "What to send (members see it exactly as written)"
    at_help = "Send later, organisation time: YYYY-MM-DD HH:MM, e.g. 2026-12-07 09:00"

    @broadcast.command(name="post", description="Staff: post in a channel (a preview first).")
    @app_commands.describe(
        message=message_help,
        channel="Where to post (the announcements channel if not given)",
        at=at_help,
    )
    async def post(
        interaction: discord.Interaction,
        message: app_commands.Range[str, 1, OPTION_TEXT_LIMIT],
        channel: app_commands.Transform[ChannelOption, PostableChannel] | None = None,
        at: app_commands.Range[str, 1, 40] | None = None,
    ) -> None:
        target = channel if channel is not None else "announcements"
        await handler.handle(
            interaction, command="broadcast", parts=[target, SendTime(at), message]
        )

    @broadcast.command(
        name="dm", description="Staff: DM every member who has not turned reminders off."
    )
    @app_commands.describe(message=message_help, at=at_help)
    async def dm(
        interaction: discord.Interaction,
        message: app_commands.Range[str, 1, OPTION_TEXT_LIMIT],
        at: app_commands.Range[str, 1, 40] | None = None,
    ) -> None:
        await handler.handle(interaction, command="broadcast", parts=["dm", SendTime(at), message])

    @broadcast.command(name="confirm", description="Staff: schedule a previewed broadcast.")
    @app_commands.rename(broadcast_id="id")
    @app_commands.describe(broadcast_id="The number shown in the preview")
    async def confirm(
        interaction: discord.Interaction, broadcast_id: app_commands.Range[int, 1, None]
    ) -> None:
        await handler.handle(interaction, command="broadcast", parts=["confirm", str(broadcast_id)])

    @broadcast.command(name="cancel", description="Staff: stop the unsent part of a broadcast.")
    @app_commands.rename(broadcast_id="id")
    @app_commands.describe(broadcast_id="The broadcast's number (see /broadcast list)")
    async def cancel(
        interaction: discord.Interaction, broadcast_id: app_commands.Range[int, 1, None]
    ) -> None:
        await handler.handle(interaction, command="broadcast", parts=["cancel", str(broadcast_id)])

    @broadcast.command(name="list", description="Staff: scheduled and sent broadcasts.")
    async def list_broadcasts(interaction: discord.Interaction) -> None:
        await handler.handle(interaction, command="broadcast", parts=["list"])

    @broadcast.command(name="help", description="Staff: how broadcasts work.")
    async def broadcast_help(interaction: discord.Interaction) -> None:
        await handler.handle(interaction, command="broadcast", parts=["help"])

    return broadcast
