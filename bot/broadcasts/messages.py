"""What broadcasts and reminders look like to members."""

from __future__ import annotations

from datetime import date

from bot.knowledge.schema import Deadline
from bot.markup import parse_markup
from bot.replies import Message, Paragraph, Text
from bot.storage.models.broadcasts import BodyFormat, Broadcast


def broadcast_message(broadcast: Broadcast) -> Message:
    """The message every recipient of ``broadcast`` gets.

    Staff-written text stays :class:`Text` spans (renderers escape them, so a
    typed ``@everyone`` or ``<!channel>`` never notifies anyone); reminders use
    the knowledge file's markup.
    """
    if broadcast.body_format == BodyFormat.MARKUP:
        return parse_markup(broadcast.body)
    return plain_text_message(broadcast.body)


def plain_text_message(text: str) -> Message:
    """Member text as paragraphs of literal text (blank lines separate paragraphs)."""
    paragraphs = [chunk.strip() for chunk in text.split("\n\n") if chunk.strip()]
    return Message(tuple(Paragraph((Text(chunk),)) for chunk in paragraphs))


def _how_soon(offset_days: int) -> str:
    if offset_days == 0:
        return "today"
    if offset_days == 1:
        return "tomorrow"
    return f"in {offset_days} days"


def _long_date(day: date) -> str:
    return f"{day:%A, %B} {day.day}, {day.year}"


def reminder_body(deadline: Deadline, *, offset_days: int) -> str:
    """Knowledge-markup text of the reminder for ``deadline`` sent ``offset_days`` before it."""
    when = _long_date(deadline.date)
    if deadline.time is not None:
        when += f" at {deadline.time:%H:%M}"
        if deadline.timezone:
            when += f" ({deadline.timezone})"
    label = "Reminder" if deadline.kind == "deadline" else "Coming up"
    lines = [f"**{label}:** {deadline.title}, {_how_soon(offset_days)} ({when})."]
    if deadline.description.strip():
        lines.append(deadline.description.strip())
    lines.append("Type /deadlines to see everything coming up.")
    return "\n\n".join(lines)
