"""Message builders for kudos and thank-you notes.

Member-written text only ever enters a message through :func:`reason_spans` or
:func:`~bot.kudos.safety.safe_text`, so it is neutralised; only the intended
recipients (and the giver, in the public post) are :class:`MentionSpan` spans.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from bot.date_wording import duration, time_ago
from bot.errors import DeliveryReason
from bot.kudos.parsing import MentionedUser, ReasonPart
from bot.kudos.safety import safe_text
from bot.replies import (
    Bold,
    CommandSpan,
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


def kudos_saved_not_posted(recipients: Sequence[UserRef], *, will_retry: bool) -> Message:
    """The giver's reply when the post failed; ``will_retry``: it is retried, and the
    giver gets a DM once it is up (:mod:`bot.kudos.post_retries`)."""
    names = joined([NameSpan(user) for user in recipients])
    if will_retry:
        tail = (
            " is saved and counts on the leaderboard. I couldn't post it in the kudos "
            "channel just now; I'll keep trying and DM you when it's up. Meanwhile they "
            "can see it with /kudos mine."
        )
    else:
        tail = (
            " is saved and counts on the leaderboard, but I could not post it in "
            "the kudos channel. They can see it with /kudos mine."
        )
    return MessageBuilder().paragraph(Text("Your kudos to "), *names, Text(tail)).build()


def undo_not_latest() -> str:
    """Refusal for an Undo of a kudos that is no longer the giver's latest."""
    return (
        "You have given kudos since that one, and Undo only takes back your latest "
        "kudos. Nothing changed; if it must come down, please ask a staff member."
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


def undo_too_late(
    recipients: Sequence[UserRef], *, age: timedelta, window: timedelta, kudos_id: int
) -> str:
    names = ", ".join(f"@{user.name}" for user in recipients)
    return (
        f"Your last kudos (to {names}, {time_ago(age)}) can only be undone within "
        f"{duration(window)} of giving it. If it needs to come down, please ask a staff member "
        f"to remove kudos #{kudos_id}."
    )


def removed(
    kudos_id: int,
    giver: UserRef,
    recipients: Sequence[UserRef],
    *,
    post_deleted: bool,
    was_posted: bool,
) -> Message:
    """What staff are told after ``/kudos remove``; names only, nobody is notified."""
    names = joined([NameSpan(user) for user in recipients])
    if post_deleted:
        tail = " It no longer counts anywhere, and its post is deleted."
    elif was_posted:
        tail = (
            " It no longer counts anywhere, but I could not delete its post; "
            "please delete it in the kudos channel yourself."
        )
    else:
        tail = " It no longer counts anywhere (it had not been posted)."
    return (
        MessageBuilder()
        .paragraph(
            Text(f"Removed kudos #{kudos_id} from "),
            NameSpan(giver),
            Text(" to "),
            *names,
            Text("."),
            Text(tail),
            Text(" The removal is recorded in the audit log."),
        )
        .build()
    )


def thanks_dm(
    *, giver: UserRef, note: Sequence[ReasonPart], written_on: date | None = None
) -> Message:
    """The DM; ``written_on`` dates a note delivered later than it was written."""
    builder = MessageBuilder()
    if written_on is None:
        builder.paragraph(Text("💌 "), NameSpan(giver), Text(" sent you a thank-you note:"))
    else:
        builder.paragraph(
            Text("💌 "),
            NameSpan(giver),
            Text(" sent you a thank-you note on "),
            DateSpan(written_on),
            Text(":"),
        )
    return builder.paragraph(*reason_spans(note)).build()


_GONE = "I couldn't find their account (they may have left)"
_NO_DMS = "they don't accept direct messages from me"
#: Why a note was not delivered, in words a member understands. Adapters map their
#: platform's codes to a DeliveryReason once; the core never sees those codes.
_WHY_NOT_DELIVERED = {
    DeliveryReason.DMS_CLOSED: _NO_DMS,
    DeliveryReason.FORBIDDEN: _NO_DMS,
    DeliveryReason.NOT_FOUND: _GONE,
    DeliveryReason.RECIPIENT_GONE: _GONE,
    DeliveryReason.RECIPIENT_INACTIVE: "their account is no longer active",
    DeliveryReason.BOT_RECIPIENT: "their account is a bot, which takes no direct messages",
}
_REFUSED = "the chat platform refused the direct message"


def thanks_outcome(
    recipient: UserRef, *, status: str, reason: str | None = None, quota: int = 0
) -> Message:
    """What the sender is told, exactly as it happened.

    Args:
        status: The note's :class:`~bot.kudos.notes.NoteStatus` after the first attempt.
        reason: The :class:`~bot.errors.DeliveryReason` value stored with the note
            when the DM did not go through (``gave up after N attempts: ...`` when
            retries ran out).
        quota: The daily number of notes, mentioned when a failed note gives one back.
    """
    builder = MessageBuilder()
    if status == "delivered":
        return builder.paragraph(
            Text("Your thank-you note was delivered privately to "), NameSpan(recipient), Text(".")
        ).build()
    if status == "retry_later":
        return builder.paragraph(
            Text("I couldn't reach "),
            NameSpan(recipient),
            Text(
                " just now (a temporary problem on the chat platform). Your note is saved and "
                "I'll keep trying to deliver it privately over the next few hours; meanwhile "
            ),
            NameSpan(recipient),
            Text(" can already read it with /kudos mine."),
        ).build()
    why = _why_not_delivered(reason)
    limit = f" of {quota}" if quota else ""
    return builder.paragraph(
        Text("I could not deliver your note to "),
        NameSpan(recipient),
        Text(f" by direct message: {why}. Your note is saved and "),
        NameSpan(recipient),
        Text(
            " can read it with /kudos mine, but they won't get a notification, so you may "
            f"want to tell them yourself. It does not count toward your daily limit{limit} "
            "thank-you notes."
        ),
    ).build()


def undelivered_notes_section(
    builder: MessageBuilder, *, total: int, notes: Sequence[tuple[date, UserRef, str]]
) -> None:
    """The ``/kudos mine`` paragraph with notes that did not reach the member by DM."""
    if not total:
        return
    if total == 1:
        builder.paragraph(Bold("A thank-you note that couldn't reach you by direct message:"))
    else:
        builder.paragraph(
            Bold(f"{total} thank-you notes couldn't reach you by direct message, so here they are:")
        )
    builder.bullets(
        [
            DateSpan(when),
            Text(" — from "),
            NameSpan(giver),
            Text(": "),
            safe_text(note),
        ]
        for when, giver, note in notes
    )
    if total > len(notes):
        builder.paragraph(f"(the latest {len(notes)} of {total})")


def kudos_line(
    when: date, person: UserRef, reason: str, *, direction: str, number: int | None = None
) -> list[Inline]:
    """One history row: ``Monday, November 23, 2026 — from @bob: for the storytime``.

    Args:
        number: The kudos' number, shown to staff (``#12 Monday, ...``) for
            ``/kudos remove``.
    """
    return [
        *([Text(f"#{number} ")] if number is not None else []),
        DateSpan(when),
        Text(f" — {direction} "),
        NameSpan(person),
        Text(": "),
        safe_text(reason),
    ]


KUDOS_EXAMPLE = CommandSpan("kudos", "@maria for running the sensory storytime", action="give")

HELP_ROWS: tuple[tuple[CommandSpan, str], ...] = (
    (
        CommandSpan("kudos", "@someone for WHY", action="give"),
        "thank a colleague in public: posted in the kudos channel for everyone to see.",
    ),
    (CommandSpan("thanks", "@someone NOTE"), "send a private thank-you note; only they see it."),
    (
        CommandSpan("kudos", "top [week|month|year|all]", action="top"),
        "who received the most kudos (this month by default; a week runs Monday to Sunday).",
    ),
    (CommandSpan("kudos", "mine", action="mine"), "the kudos you received and gave."),
    (CommandSpan("kudos", "@someone", action="show"), "someone's recent kudos."),
    (
        CommandSpan("kudos", "undo", action="undo"),
        "take back your last kudos within {undo} minutes (its post is deleted).",
    ),
)


def help_message(*, quota: int, max_length: int, undo_minutes: int, is_staff: bool) -> Message:
    builder = MessageBuilder()
    builder.paragraph(Bold("Kudos and thank-you notes"))
    builder.paragraph(
        "Recognise the work of fellow members: kudos are public, thank-you notes are private."
    )
    rows: list[list[Inline]] = [
        [usage, Text(" — " + what.format(undo=undo_minutes))] for usage, what in HELP_ROWS
    ]
    if is_staff:
        rows.append(
            [
                CommandSpan("kudos", "digest [month]", action="digest"),
                Text(" — staff: a summary of a month's recognition, ready to post."),
            ]
        )
        rows.append(
            [
                CommandSpan("kudos", "remove ID", action="remove"),
                Text(
                    " — staff: take down a kudos (its post is deleted, the removal audited); "
                    "each kudos' number is shown to staff in /kudos @someone."
                ),
            ]
        )
    builder.bullets(rows)
    builder.paragraph("Examples:")
    builder.bullets(
        [
            [KUDOS_EXAMPLE],
            [CommandSpan("kudos", "@ana, @ben and @chris for the Día booth", action="give")],
            [CommandSpan("thanks", "@sam thank you for covering my desk shift!")],
            [CommandSpan("kudos", "top week", action="top")],
        ]
    )
    builder.paragraph(
        f"Rules: not to yourself or to bots; up to {quota} kudos and {quota} notes a day "
        f"(each person you recognise counts as one; the count resets at midnight); "
        f"reasons and notes up to {max_length} characters."
    )
    return builder.build()


def _why_not_delivered(reason: str | None) -> str:
    if reason and reason.startswith("gave up after"):
        return "the chat platform kept failing"
    try:
        return _WHY_NOT_DELIVERED.get(DeliveryReason(reason or ""), _REFUSED)
    except ValueError:
        return _REFUSED
