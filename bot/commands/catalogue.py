"""Every command the bot offers, declared once, listed here in ``/help`` order.

Each declaration gives the command's name, sub-commands, typed options, who may
use it, its help and its handler. From it come the router, ``/help``, the Slack
app manifest (``memberbot-manifest``) and the Discord command tree. The
declarations live one module per command family (:mod:`bot.commands.ask_spec`,
:mod:`~bot.commands.reminders_spec`, :mod:`~bot.commands.kudos_spec`,
:mod:`~bot.commands.broadcast_spec`, :mod:`~bot.commands.mentoring_spec`);
:func:`default_catalogue` lists them all, in order. To add a command: write its
handler module, declare it in its family's ``*_spec`` module (or a new one), then
add it to :func:`default_catalogue`.
"""

from __future__ import annotations

from bot.commands import help
from bot.commands.ask_spec import ASK, ASK_STAFF, UNANSWERED
from bot.commands.broadcast_spec import BROADCAST, MESSAGE_LIMIT
from bot.commands.kudos_spec import KUDOS, REASON_LIMIT, THANKS
from bot.commands.mentoring_spec import MENTORING
from bot.commands.reminders_spec import DEADLINES, REMINDERS
from bot.commands.spec import Catalogue, CommandSpec
from bot.replies import CommandSpan

__all__ = [
    "ASK",
    "ASK_STAFF",
    "BROADCAST",
    "DEADLINES",
    "HELP",
    "KUDOS",
    "MENTORING",
    "MESSAGE_LIMIT",
    "REASON_LIMIT",
    "REMINDERS",
    "THANKS",
    "UNANSWERED",
    "default_catalogue",
]

HELP = CommandSpec(
    name="help",
    summary="Show this help.",
    usage=CommandSpan("help"),
    description="What memberbot can do",
    handler=help.handle_help,
    needs_database=False,
    # Slack reserves /help, and many bots on a Discord server already take it.
    platform_name="bothelp",
)


def default_catalogue() -> Catalogue:
    """Every command, in the order ``/help`` lists them."""
    return Catalogue(
        (
            ASK,
            ASK_STAFF,
            DEADLINES,
            KUDOS,
            THANKS,
            BROADCAST,
            REMINDERS,
            UNANSWERED,
            MENTORING,
            HELP,
        )
    )
