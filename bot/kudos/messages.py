"""Message builders for kudos and thank-you notes.

Member-written text only ever enters a message through :func:`reason_spans` or
:func:`~bot.kudos.safety.safe_text`, so it is neutralised; only the intended
recipients (and the giver, in the public post) are :class:`MentionSpan` spans.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from bot.kudos.parsing import MentionedUser, ReasonPart
from bot.kudos.safety import safe_text
from bot.replies import (
    Bold,
    DateSpan,
    Inline,
    MentionSpan,
    Message,
    MessageBuilder,
    NameSpan,
    Text,
)
from bot.requests import UserRef


def reason_spans(reason: Sequence[ReasonPart]) -> list[Inline]:
    """Member text as spans: users named inside it by name (no ping), the rest neutralised."""
    return [
        NameSpan(part.user) if isinstance(part, MentionedUser) else safe_text(part)
        for part in reason
    ]


def joined(spans: Sequence[Inline]) -> list[Inline]:
    """``[a, b, c]`` -> ``a, b and c``."""
    out: list[Inline] = []
    for index, span in enumerate(spans):
        if index:
            out.append(Text(" and " if index == len(spans) - 1 else ", "))
        out.append(span)
    return out


def kudos_post(
    *, giver: UserRef, recipients: Sequence[UserRef], reason: Sequence[ReasonPart]
) -> Message:
    """The public post: 🎉 @bob got kudos from @alice: for running storytime."""
    people = joined([MentionSpan(user) for user in recipients])
    return (
        MessageBuilder()
        .paragraph(
            Text("🎉 "),
            *people,
            Text(" got kudos from "),
            MentionSpan(giver),
            Text(": "),
            *reason_spans(reason),
        )
        .build()
    )


def kudos_confirmation(recipients: Sequence[UserRef]) -> Message:
    names = joined([NameSpan(user) for user in recipients])
    return (
        MessageBuilder()
        .paragraph(
            Text("Done! Your kudos to "),
            *names,
            Text(" is posted. "),
            Text("Changed your mind? /kudos undo takes it back within a few minutes."),
        )
        .build()
    )


def kudos_saved_not_posted(recipients: Sequence[UserRef]) -> Message:
    names = joined([NameSpan(user) for user in recipients])
    return (
        MessageBuilder()
        .paragraph(
            Text("Your kudos to "),
            *names,
            Text(
                " is saved and counts on the leaderboard, but I could not post it in "
                "the kudos channel just now. They can see it with /kudos mine."
            ),
        )
        .build()
    )


def undo_done(recipients: Sequence[UserRef], *, post_deleted: bool, failure: str | None) -> Message:
    names = joined([NameSpan(user) for user in recipients])
    if post_deleted:
        tail = " is removed, and its post deleted."
    elif failure:
        tail = (
            " is removed from the records, but I could not delete its post; "
            "please delete it yourself or ask a staff member."
        )
    else:
        tail = " is removed (it had not been posted)."
    return MessageBuilder().paragraph(Text("Done: your kudos to "), *names, Text(tail)).build()


def undo_too_late(recipients: Sequence[UserRef], *, age: timedelta, window: timedelta) -> str:
    names = ", ".join(f"@{user.name}" for user in recipients)
    minutes = int(age.total_seconds() // 60)
    limit = int(window.total_seconds() // 60)
    return (
        f"Your last kudos (to {names}, {minutes} minutes ago) can only be undone within "
        f"{limit} minutes of giving it. If it needs to come down, please ask a staff member."
    )


def thanks_dm(*, giver: UserRef, note: Sequence[ReasonPart]) -> Message:
    return (
        MessageBuilder()
        .paragraph(Text("💌 "), NameSpan(giver), Text(" sent you a thank-you note:"))
        .paragraph(*reason_spans(note))
        .build()
    )


def thanks_outcome(recipient: UserRef, *, status: str) -> Message:
    builder = MessageBuilder()
    if status == "delivered":
        return builder.paragraph(
            Text("Your thank-you note was delivered privately to "), NameSpan(recipient), Text(".")
        ).build()
    if status == "failed":
        reason = "they may not accept direct messages"
    else:
        reason = "the platform did not answer in time"
    return builder.paragraph(
        Text("I could not deliver your note to "),
        NameSpan(recipient),
        Text(
            f" ({reason}). Your note is saved, so nothing is lost; you could also tell them "
            "in person or try /thanks again later."
        ),
    ).build()


def kudos_line(when: date, person: UserRef, reason: str, *, direction: str) -> list[Inline]:
    """One history row: ``Monday, November 23, 2026 — from @bob: for the storytime``."""
    return [
        DateSpan(when),
        Text(f" — {direction} "),
        NameSpan(person),
        Text(": "),
        safe_text(reason),
    ]


HELP_TEXT = (
    (
        "/kudos @someone for WHY",
        "thank a colleague in public: posted in the kudos channel "
        "for everyone to see. Several people at once: /kudos @ana and @ben for ...",
    ),
    ("/thanks @someone NOTE", "send a private thank-you note; only they see it."),
    ("/kudos top [week|month|year|all]", "who received the most kudos (this month by default)."),
    ("/kudos mine", "the kudos you received and gave."),
    ("/kudos @someone", "someone's recent kudos."),
    ("/kudos undo", "take back your last kudos within {undo} minutes (its post is deleted)."),
)


def help_message(*, quota: int, max_length: int, undo_minutes: int, is_staff: bool) -> Message:
    builder = MessageBuilder()
    builder.paragraph(Bold("Kudos and thank-you notes"))
    builder.paragraph(
        "Recognise the work of fellow members: kudos are public, thank-you notes are private."
    )
    rows = [
        [Bold(usage), Text(" — " + what.format(undo=undo_minutes))] for usage, what in HELP_TEXT
    ]
    if is_staff:
        rows.append(
            [
                Bold("/kudos digest [month]"),
                Text(" — staff: a summary of a month's recognition, ready to post."),
            ]
        )
    builder.bullets(rows)
    builder.paragraph("Examples:")
    builder.bullets(
        [
            ["/kudos @maria for running the sensory storytime"],
            ["/kudos @ana, @ben and @chris for the Día booth"],
            ["/thanks @sam thank you for covering my desk shift!"],
            ["/kudos top week"],
        ]
    )
    builder.paragraph(
        f"Rules: not to yourself or to bots; up to {quota} kudos and {quota} notes a day "
        f"(each person you recognise counts as one; the count resets at midnight); "
        f"reasons and notes up to {max_length} characters."
    )
    return builder.build()
