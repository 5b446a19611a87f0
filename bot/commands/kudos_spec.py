"""``/kudos`` and ``/thanks`` declared: public recognition and private thank-you notes."""

from __future__ import annotations

from bot.commands import kudos, kudos_actions, thanks
from bot.commands.spec import ArgKind, CommandSpec, Option, SubCommand
from bot.kudos.messages import KUDOS_EXAMPLE
from bot.kudos.periods import PERIODS
from bot.kudos.removal import parse_kudos_id
from bot.replies import CommandSpan

#: The longest text an option takes; the handlers refuse longer kudos or notes themselves.
REASON_LIMIT = 3000

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
