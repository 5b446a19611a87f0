"""What staff and members read in the staff answer loop: the staff channel post, the
staff answer a member receives, the buttons under them, and the follow-ups that say
who has a question.

A staff channel post carries **Answer**, **Not for us** and **Assign to ...**
(:func:`question_buttons`, the same references ``/unanswered`` lists), and still
names the commands that do the same (``/unanswered answer 12``) for whoever cannot
press buttons. A staff answer carries **👍 Thanks** (:func:`thanks_button`): the
member's 👍 on that answer. The outbound sender cannot edit a post, so a question
being taken is said in a short follow-up post.
"""

from __future__ import annotations

from bot.actions import ActionRef, Button, ButtonStyle
from bot.markup import parse_markup
from bot.replies import Bold, CommandSpan, Message, MessageBuilder, NameSpan, Text
from bot.requests import UserRef

#: The longest part of the bot's answer quoted to staff (the rest is on the list).
QUOTE_LIMIT = 500
#: The button under a staff answer: the member's 👍 on it.
THANKS_LABEL = "👍 Thanks"


def where_asked(channel_id: str | None, *, is_direct: bool) -> str:
    """``in a direct message`` / ``in channel C123``: where a member asked."""
    if is_direct or channel_id is None:
        return "in a direct message"
    return f"in channel {channel_id}"


def staff_post(
    *,
    question_id: int,
    headline: str,
    asker: UserRef | None,
    where: str | None,
    question: str,
    bot_answer: str | None,
    comment: str | None = None,
) -> Message:
    """The staff channel post for a question: who asked, where, what the bot said, and the
    commands that answer it, set it aside or hand it to a colleague."""
    builder = MessageBuilder().paragraph(Bold(f"{headline} (question {question_id})"))
    if asker is not None:
        builder.paragraph(Text("From: "), NameSpan(asker), Text(f" {where}" if where else ""))
    builder.paragraph(Text("Question: "), Text(question))
    if bot_answer:
        builder.paragraph(Text("The bot said: "), Text(_quoted(bot_answer)))
    if comment:
        builder.paragraph(Text("What was wrong: "), Text(comment))
    number = str(question_id)
    builder.paragraph(
        Text("Answer it: "),
        CommandSpan("unanswered", f"answer {number}", action="answer"),
        Text(" · not for us: "),
        CommandSpan("unanswered", f"dismiss {number}", action="dismiss"),
        Text(" · hand it to someone: "),
        CommandSpan("unanswered", f"assign {number}", action="assign"),
    )
    return builder.build()


def question_buttons(question_id: int) -> tuple[Button, Button, Button]:
    """**Answer**, **Not for us** and **Assign to ...** for one question on the staff list
    (under its staff channel post, and in ``/unanswered``)."""
    value = (str(question_id),)
    return (
        Button(
            f"Answer {question_id}", ActionRef("unanswered", "answer", value), ButtonStyle.PRIMARY
        ),
        Button(f"Not for us {question_id}", ActionRef("unanswered", "dismiss", value)),
        Button(f"Assign {question_id} to ...", ActionRef("unanswered", "assign", value)),
    )


def thanks_button(asked_id: int) -> Button:
    """**👍 Thanks** under a staff answer: a 👍 on the answer stored as ``asked_id``, which
    only the member it was sent to can give, once (``ask:helpful``)."""
    return Button(THANKS_LABEL, ActionRef("ask", "helpful", (str(asked_id),)))


def taken_note(question_id: int, question: str, *, who: str, by: str | None = None) -> Message:
    """The follow-up post when a question is taken (or handed to someone)."""
    handed = f" (handed over by {by})" if by and by != who else ""
    return (
        MessageBuilder()
        .paragraph(
            Text(f"Question {question_id} is taken by {who}{handed}: "),
            Text(question),
        )
        .build()
    )


def closed_note(question_id: int, question: str, *, who: str, answered: bool) -> Message:
    """The follow-up post when a question is answered or set aside."""
    done = "answered" if answered else "marked not for us"
    return (
        MessageBuilder()
        .paragraph(Text(f"Question {question_id} was {done} by {who}: "), Text(question))
        .build()
    )


def staff_answer_message(*, who: str, question: str, answer_markup: str) -> Message:
    """What the member receives: the staff answer, marked as coming from staff by name."""
    header = (
        MessageBuilder()
        .paragraph(Bold(f"An answer from {who} (staff)"))
        .paragraph(Text("You asked: "), Text(question))
        .build()
    )
    return header + parse_markup(answer_markup)


def _quoted(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 1].rstrip() + "…"
