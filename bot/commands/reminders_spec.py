"""``/deadlines`` and ``/reminders`` declared: upcoming deadlines, and the DMs members
ask for before them (plus broadcast DMs off and on).
"""

from __future__ import annotations

from dataclasses import replace

from bot.commands import deadline_actions, deadlines, reminders
from bot.commands.spec import ArgKind, CommandSpec, Option, SubCommand
from bot.reminders.lead_times import WHEN_CHOICES, read_when
from bot.replies import CommandSpan

DEADLINES = CommandSpec(
    name="deadlines",
    summary="See upcoming deadlines and events, or get them all as a calendar file.",
    usage=CommandSpan("deadlines"),
    examples=(CommandSpan("deadlines", "ics", action="ics"),),
    description='Upcoming deadlines (add "ics" for a calendar file)',
    usage_hint="[ics]",
    options=(
        Option(
            "calendar",
            ArgKind.FLAG,
            "Also get every deadline as a calendar file (.ics)",
            required=False,
            words=deadlines.ICS_WORDS,
            read_text=deadlines.read_calendar_word,
        ),
    ),
    handler=deadlines.handle_deadlines,
    needs_database=False,
    actions=(
        SubCommand(
            "remind-when",
            "Remind me: pick when, for one deadline (the select under /deadlines).",
            deadline_actions.ask_when,
            options=(
                Option("deadline", ArgKind.TEXT, "The deadline's id", min_value=1, max_value=80),
            ),
        ),
    ),
)

_REMINDER_WHEN = Option(
    "when",
    ArgKind.CHOICE,
    "1w: a week before; 1d: the day before; morning: that morning",
    required=False,
    choices=WHEN_CHOICES,
    read_text=read_when,
)
_REMINDER_ID = Option(
    "id",
    ArgKind.NUMBER,
    "The reminder's number (see /reminders list)",
    min_value=1,
    read_text=reminders.read_reminder_id,
)

REMINDERS = CommandSpec(
    name="reminders",
    summary=f"{reminders.SUMMARY}.",
    usage=CommandSpan("reminders", "remind DEADLINE-ID 1w|1d|morning", action="remind"),
    examples=(
        CommandSpan("reminders", "remind mentoring-applications-2021 1w", action="remind"),
        CommandSpan("reminders", "off", action="off"),
    ),
    description=reminders.SUMMARY,
    usage_hint="remind DEADLINE-ID 1w|1d|morning | list | cancel NUMBER | off|on|status",
    parse_text=reminders.parse_reminders_text,
    server_only=True,
    handler=reminders.overview,
    # "remind" and its options are what the Remind me buttons send: keep them stable.
    subcommands=(
        SubCommand(
            "remind",
            "Get a DM before a deadline: a week, a day or that morning.",
            reminders.remind,
            options=(
                Option(
                    "deadline",
                    ArgKind.TEXT,
                    "The deadline's id, as /deadlines shows it",
                    min_value=1,
                    max_value=120,
                ),
                _REMINDER_WHEN,
            ),
        ),
        SubCommand("list", "Your deadline reminders still to come.", reminders.show_list),
        SubCommand(
            "cancel",
            "Cancel one of your deadline reminders.",
            reminders.cancel,
            options=(_REMINDER_ID,),
        ),
        SubCommand(
            "change",
            "Change when one of your deadline reminders comes.",
            reminders.change,
            options=(_REMINDER_ID, replace(_REMINDER_WHEN, required=True)),
        ),
        SubCommand("off", "Stop broadcast DMs (staff announcements).", reminders.broadcast_dms_off),
        SubCommand("on", "Get broadcast DMs again.", reminders.broadcast_dms_on),
        SubCommand("status", "Whether you get broadcast DMs.", reminders.broadcast_dms_status),
    ),
)
