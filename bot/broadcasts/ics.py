"""The deadlines and events of the knowledge file as an RFC 5545 iCalendar file."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import icalendar

from bot.knowledge import Deadline, Knowledge

PRODUCT_ID = "-//memberbot//Deadlines//EN"
#: How long a timed deadline or event lasts in the calendar file: the knowledge file
#: gives a start time only, and a zero-length event (DTEND = DTSTART) shows up as a
#: sliver or not at all in calendar apps.
TIMED_DURATION = timedelta(hours=1)
CONTENT_TYPE = "text/calendar"
FILENAME = "deadlines.ics"


def uid_domain(knowledge: Knowledge) -> str:
    """The right-hand side of every UID: the organisation's name as a slug, plus ``memberbot``.

    It depends only on the organisation name, so re-importing the file updates
    events in a calendar app instead of duplicating them.
    """
    slug = re.sub(r"[^a-z0-9]+", "-", knowledge.organisation.name.lower()).strip("-")
    return f"{slug}.memberbot" if slug else "memberbot"


def build_calendar(knowledge: Knowledge, *, now: datetime) -> icalendar.Calendar:
    """A VCALENDAR with one VEVENT per deadline or event, oldest first."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"{knowledge.organisation.name} deadlines")
    calendar.add("x-wr-timezone", knowledge.organisation.timezone)
    domain = uid_domain(knowledge)
    items = sorted(knowledge.deadlines, key=lambda d: (d.date, d.time is not None, d.time, d.id))
    for item in items:
        calendar.add_component(_event(item, knowledge=knowledge, domain=domain, now=now))
    # VTIMEZONE for every zone a timed DTSTART uses, so importers need not guess;
    # limited to the years the calendar spans to keep the file small.
    if items:
        calendar.add_missing_timezones(
            first_date=date(items[0].date.year - 1, 1, 1),
            last_date=date(items[-1].date.year + 2, 1, 1),
        )
    return calendar


def calendar_bytes(knowledge: Knowledge, *, now: datetime) -> bytes:
    """The calendar serialised with CRLF line endings and folded lines, as RFC 5545 asks."""
    return build_calendar(knowledge, now=now).to_ical()


def _event(item: Deadline, *, knowledge: Knowledge, domain: str, now: datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{item.id}@{domain}")
    event.add("dtstamp", now)
    event.add("summary", item.title)
    if item.time is None:
        # All-day: DTSTART;VALUE=DATE with an exclusive DTEND the next day.
        event.add("dtstart", item.date)
        event.add("dtend", item.date + timedelta(days=1))
    else:
        start = item.starts_at(knowledge.organisation.zone)
        event.add("dtstart", start)
        event.add("dtend", start + TIMED_DURATION)
    event.add("description", _description(item, knowledge))
    event.add("categories", [item.kind.capitalize()])
    event.add("transp", "TRANSPARENT")
    return event


def _description(item: Deadline, knowledge: Knowledge) -> str:
    parts = [item.description.strip()] if item.description.strip() else []
    entry = knowledge.entry(item.entry) if item.entry else None
    if entry is not None:
        parts.append(f"More: ask {knowledge.organisation.name}'s memberbot about “{entry.title}”.")
    return "\n\n".join(parts) or item.title
