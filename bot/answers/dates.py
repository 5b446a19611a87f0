"""Deadlines relative to "today": selection and wording.

``today`` is always a date already in the organisation's time zone (the
caller converts its clock once), so everything here is plain calendar
arithmetic: "in 10 days" counts calendar days, and an item dated today has
not passed yet. How a date or time is written is :mod:`bot.date_wording`'s.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

from bot import date_wording
from bot.knowledge.schema import UNTIMED_START, Deadline, Knowledge


def sort_key(deadline: Deadline) -> tuple[dt.date, dt.time, str]:
    """Chronological order; untimed items sort as if at 09:00, ties by id."""
    return (deadline.date, deadline.time or UNTIMED_START, deadline.id)


def upcoming_deadlines(knowledge: Knowledge, *, today: dt.date, limit: int = 10) -> list[Deadline]:
    """Deadlines and events dated today or later, soonest first.

    Args:
        knowledge: The loaded knowledge file.
        today: Today's date in the organisation's time zone.
        limit: At most this many items.
    """
    upcoming = [item for item in knowledge.deadlines if item.date >= today]
    return sorted(upcoming, key=sort_key)[: max(limit, 0)]


def deadlines_between(
    knowledge: Knowledge, first: dt.date, last: dt.date, *, last_day: bool = False
) -> list[Deadline]:
    """Items dated from ``first`` to ``last`` inclusive, soonest first.

    With ``last_day``, a deadline to meet *before* a date counts on the day before it
    (the last day it can be done): "renew before Monday, January 31" is due that Sunday.
    """
    return sorted(
        (
            item
            for item in knowledge.deadlines
            if first <= (item.last_day if last_day else item.date) <= last
        ),
        key=sort_key,
    )


def days_until(date: dt.date, today: dt.date) -> int:
    """Calendar days from today to ``date`` (negative when it has passed)."""
    return (date - today).days


def format_date(date: dt.date) -> str:
    """``Monday, October 11, 2021`` (see :func:`bot.date_wording.long_date`)."""
    return date_wording.long_date(date)


def format_time(deadline: Deadline, default_tz: ZoneInfo) -> str | None:
    """``5:00 PM CST`` for a timed item (zone abbreviation of that date), else None."""
    return date_wording.deadline_time(deadline, default_tz)


def format_when(deadline: Deadline, default_tz: ZoneInfo) -> str:
    """Date, plus time when the item has one: ``Thursday, January 27, 2022 at 5:00 PM CST``."""
    return date_wording.deadline_when(deadline, default_tz)


def relative_day(date: dt.date, today: dt.date) -> str:
    """``today``, ``tomorrow``, ``in 10 days``, ``yesterday`` or ``3 days ago``."""
    return date_wording.relative_day(date, today)


def status_sentence(deadline: Deadline, *, today: dt.date, default_tz: ZoneInfo) -> str:
    """One sentence saying whether an item is ahead, today, or has passed."""
    when = format_when(deadline, default_tz)
    name = deadline.title.rstrip(".")
    if deadline.has_passed(today):
        verb = "closed" if deadline.kind == "deadline" else "took place"
        return f"{name}: this {verb} on **{when}**, so it has passed."
    return f"{name}: **{when}** ({relative_day(deadline.date, today)})."


def format_deadlines(
    knowledge: Knowledge, *, today: dt.date, items: Sequence[Deadline] | Iterable[Deadline]
) -> str:
    """A bullet list (neutral markup) of deadlines with relative days.

    Args:
        knowledge: For the organisation's time zone.
        today: Today's date in the organisation's time zone.
        items: The deadlines to show, in the order given.

    Returns:
        One ``- **date** (in N days): title`` line per item, or a sentence
        saying nothing is scheduled.
    """
    zone = knowledge.organisation.zone
    lines = [_bullet(item, today=today, default_tz=zone) for item in items]
    if not lines:
        return "Nothing is scheduled in my calendar for that period."
    return "\n".join(lines)


def _bullet(item: Deadline, *, today: dt.date, default_tz: ZoneInfo) -> str:
    when = format_when(item, default_tz)
    return f"- **{when}** ({relative_day(item.date, today)}): {item.title.rstrip('.')}"
