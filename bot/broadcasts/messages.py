"""What broadcasts and reminders look like to members, and how long they may be."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.date_wording import deadline_when, long_date, relative_day
from bot.knowledge.schema import Deadline
from bot.markup import parse_markup
from bot.replies import Message, Paragraph, Text
from bot.storage.models.broadcasts import BodyFormat, Broadcast

#: The longest broadcast, as members see it: Discord's message limit, the smallest
#: of the platforms, so every broadcast is one platform message everywhere (a
#: message split in two could be half-delivered, and retrying it would repeat the
#: first half).
MAX_MESSAGE_LENGTH = 2000

#: Characters a platform may have to escape (Discord puts a backslash before each
#: markdown character and after an @ of a mention), so each counts twice.
_ESCAPED_CHARACTERS = frozenset("\\*_~`|[@")
#: Markdown at the start of a line (quotes, headings, list dashes) is escaped too.
_LINE_START_MARKUP = re.compile(r"^\s*[>#-]", re.MULTILINE)


def length_as_sent(text: str) -> int:
    """The most characters ``text`` can take once a platform has escaped it.

    An upper bound, so a text within :data:`MAX_MESSAGE_LENGTH` by this measure
    always fits in one platform message.
    """
    escapes = sum(1 for char in text if char in _ESCAPED_CHARACTERS)
    return len(text) + escapes + len(_LINE_START_MARKUP.findall(text))


def snippet(text: str, length: int) -> str:
    """``text`` on one line, cut to ``length`` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"


def shorten_to_fit(text: str, room: int) -> str:
    """The longest start of ``text`` (plus "…") whose :func:`length_as_sent` is within ``room``."""
    if length_as_sent(text) <= room:
        return text
    low, high = 0, len(text)  # the longest fitting cut lies in [low, high)
    while low < high - 1:
        middle = (low + high) // 2
        if length_as_sent(text[:middle].rstrip() + "…") <= room:
            low = middle
        else:
            high = middle
    return text[:low].rstrip() + "…" if low else ""


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


def reminder_body(deadline: Deadline, *, offset_days: int, zone: ZoneInfo) -> str:
    """Knowledge-markup text of the reminder for ``deadline`` sent ``offset_days`` before it.

    Args:
        deadline: The deadline or event.
        offset_days: Days from the reminder's day to the deadline's (last) day.
        zone: The organisation's time zone (for a timed deadline without its own).
    """
    when = deadline_when(deadline, zone)
    if deadline.closes == "before":
        when = f"last day {long_date(deadline.last_day)}, before {when}"
    sent_on = deadline.last_day - timedelta(days=offset_days)
    soon = relative_day(deadline.last_day, sent_on)
    label = "Reminder" if deadline.kind == "deadline" else "Coming up"
    headline = f"**{label}:** {deadline.title}, {soon} ({when})."
    footer = "Type /deadlines to see everything coming up."
    # A long description is shortened so the reminder stays one platform message.
    room = MAX_MESSAGE_LENGTH - length_as_sent(headline) - length_as_sent(footer) - 4
    description = shorten_to_fit(deadline.description.strip(), room)
    return "\n\n".join(part for part in (headline, description, footer) if part)
