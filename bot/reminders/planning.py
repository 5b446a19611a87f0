"""When a member's reminder is due, what its DM says, and which deadline a member meant."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.broadcasts.messages import MAX_MESSAGE_LENGTH, length_as_sent, shorten_to_fit
from bot.broadcasts.scheduling import local_to_utc
from bot.date_wording import deadline_when, long_date, relative_day
from bot.errors import UserError
from bot.knowledge import Deadline, Knowledge

#: How many upcoming deadlines a refusal names, so the member can pick one.
SUGGESTIONS = 6
#: How long before an early event a "that morning" reminder comes.
EARLY_START_LEAD = timedelta(hours=1)
FOOTER = "You asked me for this reminder. Type /reminders list to see or change yours."


def reminder_due_at(deadline: Deadline, offset_days: int, *, at: time, zone: ZoneInfo) -> datetime:
    """The UTC moment of the DM: ``at`` local time, ``offset_days`` before the last day.

    Counted from the last day it can be done, like staff reminders ("before
    January 31" is done by the 30th, so "that morning" is the 30th's). An event
    that starts before ``at`` on its day ("that morning" of a 7:30 AM breakfast)
    is reminded of :data:`EARLY_START_LEAD` before it starts instead, never after.
    """
    due = local_to_utc(deadline.last_day - timedelta(days=offset_days), at, zone)
    if deadline.time is not None:
        due = min(due, deadline.starts_at(zone).astimezone(UTC) - EARLY_START_LEAD)
    return due


def reminder_text(deadline: Deadline, offset_days: int, *, zone: ZoneInfo) -> str:
    """Knowledge-markup text of the DM, one platform message long at most."""
    when = deadline_when(deadline, zone)
    if deadline.closes == "before":
        when = f"last day {long_date(deadline.last_day)}, before {when}"
    sent_on = deadline.last_day - timedelta(days=offset_days)
    soon = relative_day(deadline.last_day, sent_on)
    headline = f"**Your reminder:** {deadline.title}, {soon} ({when})."
    room = MAX_MESSAGE_LENGTH - length_as_sent(headline) - length_as_sent(FOOTER) - 4
    description = shorten_to_fit(deadline.description.strip(), room)
    return "\n\n".join(part for part in (headline, description, FOOTER) if part)


def upcoming(knowledge: Knowledge, today: date) -> list[Deadline]:
    """Deadlines and events not yet passed, soonest first."""
    return sorted(
        (d for d in knowledge.deadlines if not d.has_passed(today)), key=lambda d: d.last_day
    )


def find_deadline(knowledge: Knowledge, wanted: str, *, today: date) -> Deadline:
    """The deadline a member named: its id, or words of its title that fit only one.

    A past deadline is found too (the caller refuses it kindly, naming its date).

    Raises:
        UserError: No deadline, or several, fit; the upcoming ones are named with their ids.
    """
    text = " ".join(wanted.strip().split())
    if not text:
        raise UserError(f"Which deadline? {_suggest(knowledge, today)}")
    exact = knowledge.deadline(text.lower())
    if exact is not None:
        return exact
    words = text.lower().split()
    fits = [
        d
        for d in upcoming(knowledge, today)
        if all(word in f"{d.id} {d.title}".lower() for word in words)
    ]
    if len(fits) == 1:
        return fits[0]
    if fits:
        listed = ", ".join(f"{d.id} ({d.title})" for d in fits[:SUGGESTIONS])
        raise UserError(f"Several deadlines fit '{text[:60]}': {listed}. Which one? Use its id.")
    raise UserError(f"I know no deadline '{text[:60]}'. {_suggest(knowledge, today)}")


def _suggest(knowledge: Knowledge, today: date) -> str:
    coming = upcoming(knowledge, today)[:SUGGESTIONS]
    if not coming:
        return "There are no upcoming deadlines right now; /deadlines lists them when there are."
    listed = "; ".join(f"{d.id} ({d.title}, {long_date(d.last_day)})" for d in coming)
    return f"Upcoming deadlines, by id: {listed}."
