"""Every date and time a member reads, written one way, and the names members type.

One module says how the bot writes a day (``Thursday, January 27, 2022``), a
time of day (``5:00 PM CST``), a month (``January 2022``), how far a day is
from today (``in 3 days``, ``tomorrow``, ``3 days ago``) and a length of time
(``in 15 hours``, ``1 minute ago``, ``6 hours``); answers, /deadlines,
reminders, broadcast previews and listings, kudos periods and the CLI all call
it, so a deadline reads the same wherever it appears. Names and plural rules
come from Babel (CLDR locale data), so the words are the locale's own rather
than tables typed by hand; the same data gives the month and day names the
parsers recognise (:data:`MONTHS`, :data:`WEEKDAYS`).

"This week" means one thing everywhere: the calendar week from Monday to
Sunday that contains today (:func:`week_of`), as "next week" and "last week"
already did. Asked about what is ahead, it is today until Sunday; about what
happened (a leaderboard, "did I miss anything this week?"), Monday until today.

The organisation's time zone is the knowledge file's ``organisation.timezone``
(see :func:`bot.config.Settings.timezone`); times here are written in the zone
of the datetime given to them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from functools import lru_cache, wraps
from types import MappingProxyType
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime, format_timedelta
from babel.units import format_unit

if TYPE_CHECKING:
    from bot.knowledge.schema import Deadline

DayWriter = Callable[[dt.date], str]


def _remembered(write: DayWriter) -> DayWriter:
    """Remember what ``write`` gave for each day: members see the same few days often.

    A datetime is written as its own wall-clock day and remembered as that plain
    date: two equal instants in different zones are equal keys but different days.
    """
    remembered = lru_cache(maxsize=4096)(write)

    @wraps(write)
    def by_day(day: dt.date) -> str:
        return remembered(day.date() if isinstance(day, dt.datetime) else day)

    return by_day


#: The locale dates are written in (month and day names, plural rules).
LOCALE = Locale.parse("en_US")
#: Explicit patterns rather than CLDR's named formats: the named short time puts a
#: narrow no-break space before AM/PM, which members could not type or search for.
_LONG_DATE = "EEEE, MMMM d, y"
_MONTH_DAY = "MMMM d"
_MONTH_YEAR = "MMMM y"
_SHORT_DATE = "EEE, MMM d, y"
_CLOCK = "h:mm a"
#: The week starts on Monday (ISO 8601) for "this week", "next week" and "last week".
WEEK_STARTS_ON = 0
#: How help text names the week, so members know what "this week" covers.
WEEK_IN_WORDS = "Monday to Sunday"


def _names(width: str, kind: str) -> dict[int, str]:
    data = LOCALE.months if kind == "months" else LOCALE.days
    return dict(data["format"][width])


def _name_table(kind: str, extra: Mapping[str, int]) -> Mapping[str, int]:
    table = {
        name.lower(): number
        for width in ("wide", "abbreviated")
        for number, name in _names(width, kind).items()
    }
    return MappingProxyType(table | dict(extra))


#: Lower-case month names and abbreviations members type -> month number (1-12).
MONTHS: Mapping[str, int] = _name_table("months", {"sept": 9})
#: Lower-case day names and abbreviations -> weekday number (Monday is 0).
WEEKDAYS: Mapping[str, int] = _name_table("days", {"tues": 1, "weds": 2, "thur": 3, "thurs": 3})
#: Full month names, lower case, January first.
MONTH_NAMES: tuple[str, ...] = tuple(
    name.lower() for _, name in sorted(_names("wide", "months").items())
)
#: Full day names, lower case, Monday first.
DAY_NAMES: tuple[str, ...] = tuple(
    name.lower() for _, name in sorted(_names("wide", "days").items())
)


@_remembered
def long_date(day: dt.date) -> str:
    """``Thursday, January 27, 2022``: how a member reads a day."""
    return format_date(day, _LONG_DATE, locale=LOCALE)


@_remembered
def short_date(day: dt.date) -> str:
    """``Thu, Jan 27, 2022``: a day in a listing's column."""
    return format_date(day, _SHORT_DATE, locale=LOCALE)


@_remembered
def month_and_day(day: dt.date) -> str:
    """``January 27``: a day of no particular year ("what happens on January 27?")."""
    return format_date(day, _MONTH_DAY, locale=LOCALE)


@_remembered
def month_and_year(day: dt.date) -> str:
    """``January 2022``: the month ``day`` falls in."""
    return format_date(day, _MONTH_YEAR, locale=LOCALE)


def clock_time(moment: dt.datetime) -> str:
    """``5:00 PM CST``: the time of an aware datetime in its own zone.

    The zone is the time zone database's abbreviation for that date (CST in
    winter, CDT in summer): CLDR's English data has short names for few zones
    outside North America and would write ``+0100`` where members expect CET.
    """
    if moment.tzinfo is None:
        raise ValueError("clock_time needs an aware datetime")
    clock = format_datetime(moment, _CLOCK, tzinfo=moment.tzinfo, locale=LOCALE)
    return f"{clock} {moment.tzname()}"


def date_and_time(moment: dt.datetime) -> str:
    """``Thursday, January 27, 2022 at 5:00 PM CST`` for an aware datetime."""
    return f"{long_date(moment.date())} at {clock_time(moment)}"


def local_moment(moment: dt.datetime, zone: ZoneInfo) -> str:
    """A stored (UTC) instant as members read it in the organisation's zone."""
    return date_and_time(moment.astimezone(zone))


def deadline_time(deadline: Deadline, zone: ZoneInfo) -> str | None:
    """``5:00 PM CST`` for a timed deadline (in its own zone, else ``zone``), else None."""
    if deadline.time is None:
        return None
    return clock_time(deadline.starts_at(zone))


def deadline_when(deadline: Deadline, zone: ZoneInfo) -> str:
    """The deadline's day, and its time when it has one.

    ``Thursday, January 27, 2022 at 5:00 PM CST`` or ``Monday, October 11, 2021``.
    """
    when = long_date(deadline.date)
    clock = deadline_time(deadline, zone)
    return f"{when} at {clock}" if clock else when


@lru_cache(maxsize=4096)
def relative_day(day: dt.date, today: dt.date) -> str:
    """``today``, ``tomorrow``, ``in 10 days``, ``yesterday`` or ``3 days ago``.

    Counts calendar days, never rounding to weeks or months: "in 10 days" is
    what a member can check on a calendar.
    """
    days = (day - today).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    return format_timedelta(
        dt.timedelta(days=days),
        granularity="day",
        threshold=float("inf"),  # always in days: never "in 2 weeks"
        add_direction=True,
        locale=LOCALE,
    )


def time_until(delta: dt.timedelta) -> str:
    """``in 42 minutes``, ``in 1 hour and 20 minutes``, ``in 5 hours``, ``in about 11 hours``."""
    return f"in {_about(delta)}"


def time_ago(delta: dt.timedelta) -> str:
    """``1 minute ago``, ``42 minutes ago``, ``about 11 hours ago``."""
    return f"{_about(delta)} ago"


def duration(span: dt.timedelta) -> str:
    """``6 hours``, ``90 minutes``, ``1 minute``: a set length of time, exactly."""
    minutes = round(span.total_seconds() / 60)
    if minutes and minutes % 60 == 0:
        return _count(minutes // 60, "hour")
    return _count(minutes, "minute")


def _about(delta: dt.timedelta) -> str:
    """How long ``delta`` is, as a member would say it.

    Under three hours the minutes matter; beyond that a rounded hour reads better,
    said as "about" unless it is (to the minute) exact. Never "0 minutes".
    """
    minutes = max(1, round(delta.total_seconds() / 60))
    hours, rest = divmod(minutes, 60)
    if hours == 0:
        return _count(minutes, "minute")
    if rest == 0:
        return _count(hours, "hour")
    if hours < 3:
        return f"{_count(hours, 'hour')} and {_count(rest, 'minute')}"
    return f"about {_count(round(minutes / 60), 'hour')}"


def _count(number: int, unit: str) -> str:
    return format_unit(number, f"duration-{unit}", length="long", locale=LOCALE)


def week_of(today: dt.date) -> tuple[dt.date, dt.date]:
    """The Monday and the Sunday of the calendar week that contains ``today``."""
    monday = today - dt.timedelta(days=(today.weekday() - WEEK_STARTS_ON) % 7)
    return monday, monday + dt.timedelta(days=6)
