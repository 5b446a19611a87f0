"""``/broadcast`` declared: staff announcements to a channel or every member's DMs,
its sub-commands and what its form and preview buttons send.
"""

from __future__ import annotations

from bot.broadcasts.parsing import MAX_BROADCAST_ID, MAX_LIST_COUNT
from bot.commands import broadcast, broadcast_forms
from bot.commands.spec import ArgKind, CommandSpec, Option, SubCommand
from bot.replies import CommandSpan

#: Discord's own limit for a text option; the core refuses longer broadcasts itself.
MESSAGE_LIMIT = 6000

_ID_OPTION = Option(
    "id", ArgKind.NUMBER, "The broadcast's number", min_value=1, max_value=MAX_BROADCAST_ID
)
_MESSAGE_OPTION = Option(
    "message",
    ArgKind.TEXT,
    "What to send (members see it exactly as written)",
    min_value=1,
    max_value=MESSAGE_LIMIT,
)
_AT_OPTION = Option(
    "at",
    ArgKind.SEND_TIME,
    "Send later, organisation time: YYYY-MM-DD HH:MM, e.g. 2026-12-07 09:00",
    required=False,
    min_value=1,
    max_value=40,
    read_text=broadcast.read_send_time,
)

BROADCAST = CommandSpec(
    name="broadcast",
    summary="Staff: send a message to a channel or DM every member, now or later.",
    usage=CommandSpan("broadcast", "help", action="help"),
    examples=(
        CommandSpan(
            "broadcast",
            "announcements Mentoring applications close Monday!",
            action="announcements",
        ),
        CommandSpan(
            "broadcast",
            "dm at 2026-12-01 09:00 Gift memberships close December 14.",
            action="dm",
        ),
    ),
    description="Staff: post or DM an announcement, now or later",
    usage_hint="#channel|announcements|dm [at YYYY-MM-DD HH:MM] message",
    parse_text=broadcast.parse_broadcast_text,
    staff_only=True,
    server_only=True,
    handler=broadcast_forms.open_form,
    actions=(
        SubCommand(
            "edit",
            "Staff: reopen a draft's form, filled in (Edit under a preview).",
            broadcast_forms.edit,
            options=(_ID_OPTION,),
        ),
        SubCommand(
            "compose",
            "Staff: the broadcast form submitted.",
            broadcast_forms.compose,
            options=(
                Option(
                    "replaces",
                    ArgKind.NUMBER,
                    "The draft this edits",
                    required=False,
                    min_value=1,
                    max_value=MAX_BROADCAST_ID,
                ),
                Option(
                    "audience",
                    ArgKind.CHOICE,
                    "Who gets it",
                    choices=broadcast_forms.AUDIENCES,
                ),
                Option("channel", ArgKind.CHANNEL, "Where to post", required=False),
                _MESSAGE_OPTION,
                _AT_OPTION,
            ),
        ),
    ),
    subcommands=(
        SubCommand(
            "post",
            "Staff: post in a channel (a preview first).",
            broadcast.draft,
            options=(
                _MESSAGE_OPTION,
                Option(
                    "channel",
                    ArgKind.CHANNEL,
                    "Where to post (the announcements channel if not given)",
                    required=False,
                ),
                _AT_OPTION,
            ),
            typed_as=("announcements",),
        ),
        SubCommand(
            "dm",
            "Staff: DM every member who has not turned reminders off.",
            broadcast.draft,
            options=(_MESSAGE_OPTION, _AT_OPTION),
        ),
        SubCommand(
            "confirm",
            "Staff: schedule a previewed broadcast.",
            broadcast.confirm,
            options=(
                Option(
                    "id",
                    ArgKind.NUMBER,
                    "The number shown in the preview",
                    min_value=1,
                    max_value=MAX_BROADCAST_ID,
                ),
            ),
        ),
        SubCommand(
            "cancel",
            "Staff: stop the unsent part of a broadcast.",
            broadcast.cancel,
            options=(
                Option(
                    "id",
                    ArgKind.NUMBER,
                    "The broadcast's number (see /broadcast list)",
                    min_value=1,
                    max_value=MAX_BROADCAST_ID,
                ),
            ),
        ),
        SubCommand(
            "list",
            "Staff: scheduled and sent broadcasts.",
            broadcast.list_broadcasts,
            options=(
                Option(
                    "count",
                    ArgKind.NUMBER,
                    f"How many of each kind to show (1 to {MAX_LIST_COUNT})",
                    required=False,
                    min_value=1,
                    max_value=MAX_LIST_COUNT,
                ),
            ),
        ),
        SubCommand("help", "Staff: how broadcasts work.", broadcast.show_help),
    ),
)
