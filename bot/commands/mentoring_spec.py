"""``/mentoring`` declared: member and staff sub-commands, and what its buttons and forms send.

Kept beside the catalogue (which imports :data:`MENTORING`) because the application
forms' submissions, the check-in buttons and the staff review buttons are many
action-only sub-commands.
"""

from __future__ import annotations

from dataclasses import replace

from bot.commands import mentoring, mentoring_forms, mentoring_reports
from bot.commands.spec import ArgKind, CommandSpec, Handler, Option, SubCommand
from bot.mentoring.people import CHECKIN_ANSWERS, FEEDBACK_RATINGS
from bot.replies import CommandSpan

_COHORT_NAME = Option(
    "name", ArgKind.TEXT, "The cohort's name, e.g. Spring 2027", min_value=1, max_value=120
)
_MY_COHORT = Option(
    "cohort",
    ArgKind.TEXT,
    "Which cohort (your newest application if not given)",
    required=False,
    max_value=120,
)
_COHORT_ID = Option("cohort_id", ArgKind.NUMBER, "The cohort's number", min_value=1)
_MESSAGE_ID = Option("id", ArgKind.NUMBER, "The message's number", min_value=1)
_PAIR = (
    Option("mentor", ArgKind.NUMBER, "The mentor's application", min_value=1),
    Option("mentee", ArgKind.NUMBER, "The mentee's application", min_value=1),
)
_MENTORING_STAFF = "Sorry, only association staff can run mentoring cohorts."


def _staff(name: str, description: str, handler: Handler, *options: Option) -> SubCommand:
    return SubCommand(
        name,
        f"Staff: {description}",
        handler,
        options=options,
        staff_only=True,
        staff_refusal=_MENTORING_STAFF,
    )


MENTORING = CommandSpec(
    name="mentoring",
    summary="Apply to the mentoring program, see your match, pause or leave (/mentoring).",
    usage=CommandSpan("mentoring", "apply", action="apply"),
    examples=(
        CommandSpan("mentoring", "apply", action="apply"),
        CommandSpan("mentoring", "status", action="status"),
    ),
    description="The mentoring program: apply, status, pause or leave",
    usage_hint="apply | status | my-answers | withdraw | forget | pause | resume | leave",
    handler=mentoring.overview,
    actions=(
        SubCommand(
            "apply-form",
            "Open one step of the application form.",
            mentoring_forms.open_step,
            options=(
                _COHORT_ID,
                Option("step", ArgKind.CHOICE, "Which form", choices=mentoring_forms.STEPS),
            ),
        ),
        SubCommand(
            "apply-about",
            "The first application form submitted.",
            mentoring_forms.submit_about,
            options=(
                _COHORT_ID,
                Option(
                    "role", ArgKind.CHOICE, "Mentor, mentee or both", choices=mentoring_forms.ROLES
                ),
                Option("email", ArgKind.TEXT, "Your e-mail", max_value=254),
                Option("region", ArgKind.TEXT, "Your region", required=False, max_value=100),
                Option("interests", ArgKind.TEXT, "Areas", required=False, max_value=500),
                Option("goals", ArgKind.TEXT, "Goals", required=False, max_value=4000),
            ),
        ),
        SubCommand(
            "apply-eligibility",
            "The eligibility form submitted.",
            mentoring_forms.submit_eligibility,
            options=(
                _COHORT_ID,
                Option(
                    "capacity",
                    ArgKind.CHOICE,
                    "Mentees",
                    required=False,
                    choices=mentoring_forms.CAPACITIES,
                ),
                Option(
                    "member",
                    ArgKind.CHOICE,
                    "Member",
                    required=False,
                    choices=mentoring_forms.YES_NO,
                ),
                Option(
                    "adult",
                    ArgKind.CHOICE,
                    "18 or over",
                    required=False,
                    choices=mentoring_forms.ADULT_CHOICES,
                ),
            ),
        ),
        SubCommand(
            "apply-private",
            "The private answers form submitted.",
            mentoring_forms.submit_private,
            options=(
                _COHORT_ID,
                Option("gender", ArgKind.TEXT, "Gender", required=False, max_value=100),
                Option("race_ethnicity", ArgKind.TEXT, "Race", required=False, max_value=200),
                Option("prefer_same", ArgKind.TEXT, "Prefer same", required=False, max_value=80),
                Option(
                    "bipoc_funding",
                    ArgKind.CHOICE,
                    "BIPOC funding",
                    required=False,
                    choices=mentoring_forms.YES_NO,
                ),
            ),
        ),
        SubCommand(
            "checkin",
            "Met / Not yet / Need help under a monthly check-in.",
            mentoring.checkin,
            options=(
                _MESSAGE_ID,
                Option("answer", ArgKind.CHOICE, "The answer", choices=tuple(CHECKIN_ANSWERS)),
            ),
        ),
        SubCommand(
            "feedback",
            "Give feedback: open the end-of-year form.",
            mentoring.feedback,
            options=(_MESSAGE_ID,),
        ),
        SubCommand(
            "feedback-send",
            "The feedback form submitted.",
            mentoring.feedback_send,
            options=(
                _MESSAGE_ID,
                Option("rating", ArgKind.CHOICE, "Rating", choices=FEEDBACK_RATINGS),
                Option("comment", ArgKind.TEXT, "Comment", required=False, max_value=2000),
            ),
        ),
        _staff("pin-pair", "pin a proposed pair.", mentoring.pin_pair, *_PAIR),
        _staff("forbid-pair", "never match a proposed pair.", mentoring.forbid_pair, *_PAIR),
        _staff("match-id", "match a cohort again.", mentoring.match_id, _COHORT_ID),
        _staff("confirm-id", "confirm a cohort's matches.", mentoring.confirm_id, _COHORT_ID),
    ),
    subcommands=(
        SubCommand(
            "apply",
            "Apply to the open cohort, or edit your application (a form).",
            mentoring_forms.apply,
            options=(replace(_MY_COHORT, description="Which cohort (the open one if not given)"),),
        ),
        SubCommand(
            "status", "Your application and your match.", mentoring_reports.status, (_MY_COHORT,)
        ),
        SubCommand(
            "my-answers",
            "Everything you told the program, private answers included (shown only to you).",
            mentoring_reports.my_answers,
            (_MY_COHORT,),
        ),
        SubCommand(
            "withdraw",
            "Withdraw your application while applications are open.",
            mentoring.withdraw,
            (_MY_COHORT,),
        ),
        SubCommand(
            "forget",
            "Delete your private answers (your application stays).",
            mentoring.forget,
            (_MY_COHORT,),
        ),
        SubCommand("pause", "Pause your monthly check-ins.", mentoring.pause),
        SubCommand("resume", "Get your monthly check-ins again.", mentoring.resume),
        SubCommand("leave", "Leave the mentoring program (staff are told).", mentoring.leave),
        _staff("open", "open a cohort for applications.", mentoring.open_cohort, _COHORT_NAME),
        _staff("close", "stop taking applications.", mentoring.close_cohort, _COHORT_NAME),
        _staff(
            "show",
            "a cohort's numbers (every cohort if not named).",
            mentoring.show,
            replace(_COHORT_NAME, required=False, min_value=None),
        ),
        _staff(
            "match", "propose matches to review (nothing is sent).", mentoring.match, _COHORT_NAME
        ),
        _staff(
            "confirm",
            "confirm the matches and introduce each pair.",
            mentoring.confirm,
            _COHORT_NAME,
        ),
        _staff(
            "report",
            "a cohort's check-ins, meeting rates and feedback.",
            mentoring_reports.report,
            _COHORT_NAME,
        ),
        _staff(
            "rematch",
            "end one person's match and match them again.",
            mentoring.rematch,
            Option("who", ArgKind.TEXT, "Their e-mail (or @mention)", min_value=1, max_value=254),
        ),
    ),
)
