"""Every command the bot offers, declared once.

Each declaration gives the command's name, sub-commands, typed options, who may
use it, its help and its handler. From it come the router, ``/help``, the Slack
app manifest (``memberbot-manifest``) and the Discord command tree. To add a
command: write its handler module, then add one declaration here.
"""

from __future__ import annotations

from dataclasses import replace

from bot.broadcasts.parsing import MAX_BROADCAST_ID, MAX_LIST_COUNT
from bot.commands import (
    ask,
    broadcast,
    broadcast_forms,
    deadline_actions,
    deadlines,
    feedback,
    help,
    kudos,
    kudos_actions,
    reminders,
    staff_answers,
    thanks,
)
from bot.commands.mentoring_spec import MENTORING
from bot.commands.spec import ArgKind, Catalogue, CommandSpec, Option, SubCommand
from bot.kudos.messages import KUDOS_EXAMPLE
from bot.kudos.periods import PERIODS
from bot.kudos.removal import parse_kudos_id
from bot.reminders.lead_times import WHEN_CHOICES, read_when
from bot.replies import CommandSpan

#: The longest text an option takes; the handlers refuse longer kudos or notes themselves.
REASON_LIMIT = 3000
#: Discord's own limit for a text option; the core refuses longer broadcasts itself.
MESSAGE_LIMIT = 6000

#: The stored answer a 👍/👎 button rates (its id only; the rest is read back).
_ASKED = Option("asked", ArgKind.NUMBER, "The answer's number", min_value=1)

ASK = CommandSpec(
    name="ask",
    summary="Ask about committees, mentoring, awards, membership and deadlines.",
    usage=CommandSpan("ask", "QUESTION"),
    examples=(
        CommandSpan("ask", "When do mentoring applications close?"),
        CommandSpan("ask", "What is Día?"),
    ),
    usage_hint="When do mentoring applications close?",
    options=(
        Option(
            "question",
            ArgKind.TEXT,
            "Your question, e.g. When do mentoring applications close?",
            min_value=1,
            max_value=1500,
        ),
    ),
    handler=ask.handle_ask,
    needs_database=False,
    actions=(
        SubCommand(
            "forward",
            "Pass a question the bot could not answer on to staff (Ask someone).",
            ask.forward,
            options=(
                Option("question", ArgKind.NUMBER, "The stored question's number", min_value=1),
            ),
        ),
        SubCommand("helpful", "👍 under an answer.", feedback.helpful, options=(_ASKED,)),
        SubCommand("unhelpful", "👎 under an answer.", feedback.unhelpful, options=(_ASKED,)),
        SubCommand(
            "wrong",
            "The 👎 form: what was wrong.",
            feedback.wrong,
            options=(
                _ASKED,
                Option(
                    "comment",
                    ArgKind.TEXT,
                    "What was wrong",
                    required=False,
                    max_value=feedback.COMMENT_LIMIT,
                ),
            ),
        ),
    ),
)

ASK_STAFF = CommandSpec(
    name="ask-staff",
    summary="Ask the staff directly; their answer comes to you as a direct message.",
    usage=CommandSpan("ask-staff", "QUESTION"),
    examples=(CommandSpan("ask-staff", "Can I pay my dues in two parts?"),),
    description="Ask the staff; their answer comes as a direct message",
    usage_hint="Can I pay my dues in two parts?",
    options=(
        Option(
            "question",
            ArgKind.TEXT,
            "Your question for the staff",
            min_value=1,
            max_value=1000,
        ),
    ),
    handler=staff_answers.ask_staff,
)

_QUESTION_ID = Option(
    "id",
    ArgKind.NUMBER,
    "The question's number, as /unanswered shows it",
    min_value=1,
    read_text=staff_answers.read_question_id,
)

UNANSWERED = CommandSpec(
    name="unanswered",
    summary="Staff: questions waiting for an answer; answer, assign or set them aside.",
    usage=CommandSpan("unanswered"),
    examples=(CommandSpan("unanswered", "answer 12", action="answer"),),
    description="Staff: questions waiting for an answer",
    usage_hint="[answer|dismiss|assign NUMBER]",
    staff_only=True,
    handler=staff_answers.show_list,
    actions=(
        SubCommand(
            "reply",
            "Staff: the Answer form submitted.",
            staff_answers.reply,
            options=(
                _QUESTION_ID,
                Option("text", ArgKind.TEXT, "The answer", min_value=1, max_value=4000),
                Option("link", ArgKind.TEXT, "A link", required=False, max_value=500),
                Option("teach", ArgKind.TEXT, "Add to the knowledge", required=False, max_value=80),
                Option("title", ArgKind.TEXT, "New entry's title", required=False, max_value=120),
                Option(
                    "questions",
                    ArgKind.TEXT,
                    "New entry's wordings",
                    required=False,
                    max_value=2000,
                ),
            ),
        ),
        SubCommand(
            "assign-to",
            "Staff: the Assign form submitted.",
            staff_answers.assign_to,
            options=(_QUESTION_ID, Option("who", ArgKind.MEMBER, "Who should answer it")),
        ),
    ),
    subcommands=(
        SubCommand(
            "list", "Staff: the questions waiting, most asked first.", staff_answers.show_list
        ),
        SubCommand(
            "answer",
            "Staff: take a question and answer the member (opens a form).",
            staff_answers.answer,
            options=(_QUESTION_ID,),
        ),
        SubCommand(
            "dismiss",
            "Staff: not for us; the question leaves the list.",
            staff_answers.dismiss,
            options=(_QUESTION_ID,),
        ),
        SubCommand(
            "assign",
            "Staff: hand a question to a colleague.",
            staff_answers.assign,
            options=(_QUESTION_ID,),
        ),
    ),
)

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

KUDOS = CommandSpec(
    name="kudos",
    summary="Thank a colleague in public; see the leaderboard (/kudos help).",
    usage=CommandSpan("kudos", "@someone for WHY", action="give"),
    examples=(KUDOS_EXAMPLE,),
    description="Thank someone in public (also /{name} top, mine, undo, help)",
    usage_hint="@someone for running the sensory storytime",
    parse_text=kudos.parse_kudos_text,
    server_only=True,
    handler=kudos_actions.open_give_form,
    actions=(
        SubCommand(
            "undo-one",
            "Take back this kudos (Undo under a confirmation).",
            kudos_actions.undo_one,
            options=(Option("id", ArgKind.NUMBER, "The kudos' number", min_value=1),),
        ),
        SubCommand(
            "post-digest",
            "Staff: post a month's digest in the kudos channel.",
            kudos_actions.post_digest,
            options=(Option("month", ArgKind.TEXT, "Which month, YYYY-MM", max_value=7),),
            staff_only=True,
            staff_refusal="Sorry, only association staff can post the kudos digest.",
        ),
    ),
    subcommands=(
        SubCommand(
            "give",
            "Give kudos to up to three colleagues.",
            kudos.give,
            options=(
                Option("user", ArgKind.MEMBERS, "Who gets the kudos", limit=3),
                Option(
                    "reason",
                    ArgKind.TEXT,
                    "What they did, e.g. for running storytime",
                    min_value=1,
                    max_value=REASON_LIMIT,
                ),
            ),
        ),
        SubCommand(
            "show",
            "See the kudos one colleague has received.",
            kudos.show_someone,
            options=(Option("user", ArgKind.MEMBER, "Whose kudos to show"),),
        ),
        SubCommand(
            "top",
            "Who received the most kudos.",
            kudos.show_leaderboard,
            options=(
                Option(
                    "period",
                    ArgKind.CHOICE,
                    "Time window (this month if not given)",
                    required=False,
                    choices=PERIODS,
                ),
            ),
        ),
        SubCommand("mine", "Kudos you have received and given.", kudos.show_mine),
        SubCommand("undo", "Take back the kudos you just gave.", kudos.undo),
        SubCommand("help", "How kudos work.", kudos.show_help),
        SubCommand(
            "digest",
            "Staff: a summary of a month's recognition.",
            kudos.show_digest,
            options=(
                Option(
                    "month",
                    ArgKind.TEXT,
                    "Which month, e.g. 2026-10 (last month if not given)",
                    required=False,
                    min_value=1,
                    max_value=40,
                ),
            ),
            staff_only=True,
            staff_refusal="Sorry, /kudos digest is for association staff only.",
        ),
        SubCommand(
            "remove",
            "Staff: take down a kudos (its post is deleted).",
            kudos.remove,
            options=(
                Option(
                    "id",
                    ArgKind.NUMBER,
                    "The kudos number staff see in /kudos show",
                    min_value=1,
                    read_text=parse_kudos_id,
                ),
            ),
            staff_only=True,
            staff_refusal=(
                "Sorry, /kudos remove is for association staff only, so nothing was removed. "
                "If a kudos needs to come down, please ask a staff member."
            ),
        ),
    ),
)

THANKS = CommandSpec(
    name="thanks",
    summary="Send a colleague a private thank-you note.",
    usage=CommandSpan("thanks", "@someone NOTE"),
    examples=(thanks.THANKS_EXAMPLE,),
    description="Send someone a private thank-you note",
    usage_hint="@someone thank you for covering my desk shift!",
    options=(
        Option("user", ArgKind.MEMBER, "Who to thank"),
        Option(
            "note",
            ArgKind.TEXT,
            "Your note (they get it as a direct message)",
            min_value=1,
            max_value=REASON_LIMIT,
        ),
    ),
    parse_text=thanks.parse_thanks_text,
    server_only=True,
    handler=thanks.handle_thanks,
)

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
