"""The messages a pair's year is made of (who an application is in chat:
``work.mentoring.chat_user``).

Texts here name people and shared interests only: never a private answer (gender,
race/ethnicity, the "same ..." preferences, interest in BIPOC funding).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.actions import ActionRef, Button, ButtonStyle
from bot.replies import MentionSpan, Message, MessageBuilder
from bot.requests import UserRef

#: Check-in answers: the button's value -> its label.
CHECKIN_ANSWERS = {"met": "Met", "not_yet": "Not yet", "need_help": "Need help"}
FEEDBACK_RATINGS = ("great", "good", "okay", "poor")
AGENDA = (
    "Introduce yourselves: your libraries, your roles, how you came to the work.",
    "Talk over what each of you hopes to get from the year (the goals you wrote down).",
    "Pick one thing to work on first, from the interests you share.",
    "Agree how and when you will meet each month (a standing date helps).",
)


def shared_interests(first: Sequence[str], second: Sequence[str]) -> list[str]:
    """Interests both named, in the first one's order."""
    other = set(second)
    return [interest for interest in first if interest in other]


def introduction(
    *,
    cohort: str,
    own_role: str,
    other_name: str,
    other_user: UserRef | None,
    shared: Sequence[str],
) -> Message:
    """The introduction one person of a new pair gets, naming the other."""
    other_role = "mentee" if own_role == "mentor" else "mentor"
    builder = MessageBuilder()
    who: list[MentionSpan | str] = [MentionSpan(other_user)] if other_user else [other_name]
    builder.paragraph(
        f"Welcome to the {cohort} mentoring cohort! Your {other_role} is ",
        *who,
        f" ({other_name}).",
    )
    if shared:
        builder.paragraph(f"You share an interest in {', '.join(shared)}.")
    builder.paragraph("A suggested agenda for your first meeting:")
    builder.bullets([item] for item in AGENDA)
    builder.paragraph(
        "Please get in touch with each other this week. Once a month I will ask whether "
        "you met; if anything gets in the way, the staff are here to help."
    )
    return builder.build()


def group_introduction(
    *,
    cohort: str,
    mentor: tuple[str, UserRef | None],
    mentee: tuple[str, UserRef | None],
    shared: Sequence[str],
) -> Message:
    """The one introduction a new pair gets together (name and chat user of each)."""
    builder = MessageBuilder()
    who = [_named(*mentor), " (mentor) and ", _named(*mentee), " (mentee)"]
    builder.paragraph(f"Welcome to the {cohort} mentoring cohort, ", *who, "!")
    if shared:
        builder.paragraph(f"You share an interest in {', '.join(shared)}.")
    builder.paragraph("A suggested agenda for your first meeting:")
    builder.bullets([item] for item in AGENDA)
    builder.paragraph(
        "This conversation is yours: agree here when you will first meet. Once a month I "
        "will ask each of you whether you met; if anything gets in the way, the staff are "
        "here to help."
    )
    return builder.build()


def _named(name: str, user: UserRef | None) -> MentionSpan | str:
    return MentionSpan(user) if user else name


def checkin_message(month_label: str, other_name: str) -> Message:
    return (
        MessageBuilder()
        .paragraph(
            f"Mentoring check-in for {month_label}: did you and {other_name} meet this month?"
        )
        .build()
    )


def checkin_buttons(message_id: int) -> tuple[Button, ...]:
    styles = {"met": ButtonStyle.PRIMARY, "need_help": ButtonStyle.DANGER}
    return tuple(
        Button(
            label,
            ActionRef("mentoring", "checkin", (str(message_id), answer)),
            styles.get(answer, ButtonStyle.DEFAULT),
        )
        for answer, label in CHECKIN_ANSWERS.items()
    )


def feedback_message(cohort: str, other_name: str) -> Message:
    return (
        MessageBuilder()
        .paragraph(
            f"Your mentoring year in the {cohort} cohort with {other_name} is complete. "
            "Thank you! Would you tell us how it went? It takes a minute, and only staff read it."
        )
        .build()
    )


def feedback_buttons(message_id: int) -> tuple[Button, ...]:
    return (
        Button(
            "Give feedback",
            ActionRef("mentoring", "feedback", (str(message_id),)),
            ButtonStyle.PRIMARY,
        ),
    )
