"""The one way dates, times and "in 3 days" are written, and the names members type."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot import date_wording
from bot.knowledge.schema import Deadline

CHICAGO = ZoneInfo("America/Chicago")
PARIS = ZoneInfo("Europe/Paris")


def test_a_day_is_written_in_full() -> None:
    assert date_wording.long_date(dt.date(2021, 10, 11)) == "Monday, October 11, 2021"
    assert date_wording.short_date(dt.date(2022, 1, 27)) == "Thu, Jan 27, 2022"
    assert date_wording.month_and_day(dt.date(2024, 2, 29)) == "February 29"
    assert date_wording.month_and_year(dt.date(2026, 12, 31)) == "December 2026"


@pytest.mark.parametrize(
    ("hour", "minute", "written"),
    [
        (17, 0, "5:00 PM CST"),
        (0, 5, "12:05 AM CST"),
        (12, 0, "12:00 PM CST"),
        (9, 30, "9:30 AM CST"),
    ],
)
def test_a_time_is_twelve_hour_with_the_zone(hour: int, minute: int, written: str) -> None:
    moment = dt.datetime(2022, 1, 27, hour, minute, tzinfo=CHICAGO)

    # A plain space before AM/PM (CLDR's own short time has a narrow no-break space).
    assert date_wording.clock_time(moment) == written


def test_the_zone_abbreviation_follows_the_date_and_the_zone() -> None:
    assert date_wording.clock_time(dt.datetime(2022, 7, 1, 17, tzinfo=CHICAGO)) == "5:00 PM CDT"
    assert date_wording.clock_time(dt.datetime(2022, 1, 3, 9, tzinfo=PARIS)) == "9:00 AM CET"


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        date_wording.clock_time(dt.datetime(2022, 1, 27, 17))


def test_a_stored_instant_reads_in_the_organisation_zone() -> None:
    stored = dt.datetime(2026, 12, 4, 15, 0, tzinfo=dt.UTC)

    assert date_wording.local_moment(stored, CHICAGO) == "Friday, December 4, 2026 at 9:00 AM CST"


def test_a_timed_deadline_reads_the_same_as_an_instant() -> None:
    mixer = Deadline(id="mixer", title="Mixer", date=dt.date(2022, 1, 27), time=dt.time(17))
    untimed = Deadline(id="ballot", title="Ballot", date=dt.date(2022, 1, 31))

    assert date_wording.deadline_when(mixer, CHICAGO) == "Thursday, January 27, 2022 at 5:00 PM CST"
    assert date_wording.deadline_when(mixer, CHICAGO) == date_wording.local_moment(
        mixer.starts_at(CHICAGO), CHICAGO
    )
    assert date_wording.deadline_when(untimed, CHICAGO) == "Monday, January 31, 2022"
    assert date_wording.deadline_time(untimed, CHICAGO) is None


@pytest.mark.parametrize(
    ("days", "written"),
    [
        (0, "today"),
        (1, "tomorrow"),
        (-1, "yesterday"),
        (2, "in 2 days"),
        (10, "in 10 days"),  # never rounded to "in 1 week"
        (45, "in 45 days"),
        (-3, "3 days ago"),
        (-400, "400 days ago"),
    ],
)
def test_relative_days_count_calendar_days(days: int, written: str) -> None:
    today = dt.date(2024, 2, 28)

    assert date_wording.relative_day(today + dt.timedelta(days=days), today) == written


@pytest.mark.parametrize(
    ("today", "monday", "sunday"),
    [
        (dt.date(2020, 12, 2), dt.date(2020, 11, 30), dt.date(2020, 12, 6)),  # a Wednesday
        (dt.date(2020, 11, 30), dt.date(2020, 11, 30), dt.date(2020, 12, 6)),  # the Monday
        (dt.date(2020, 12, 6), dt.date(2020, 11, 30), dt.date(2020, 12, 6)),  # the Sunday
        (dt.date(2021, 1, 1), dt.date(2020, 12, 28), dt.date(2021, 1, 3)),  # across the year
    ],
)
def test_this_week_is_monday_to_sunday(today: dt.date, monday: dt.date, sunday: dt.date) -> None:
    assert date_wording.week_of(today) == (monday, sunday)


def test_month_and_day_names_come_from_one_table() -> None:
    assert date_wording.MONTHS["january"] == date_wording.MONTHS["jan"] == 1
    assert date_wording.MONTHS["sept"] == date_wording.MONTHS["sep"] == 9
    assert date_wording.MONTHS["may"] == 5
    assert len(set(date_wording.MONTHS.values())) == 12
    assert date_wording.WEEKDAYS["monday"] == date_wording.WEEKDAYS["mon"] == 0
    assert date_wording.WEEKDAYS["thurs"] == date_wording.WEEKDAYS["thu"] == 3
    assert date_wording.MONTH_NAMES[0] == "january"
    assert date_wording.DAY_NAMES == (
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    )


@pytest.mark.parametrize(
    ("minutes", "written"),
    [
        (0, "in 1 minute"),  # never "in 0 minutes"
        (42, "in 42 minutes"),
        (60, "in 1 hour"),
        (80, "in 1 hour and 20 minutes"),
        (300, "in 5 hours"),
        (661, "in about 11 hours"),
    ],
)
def test_time_until_a_moment_today(minutes: int, written: str) -> None:
    assert date_wording.time_until(dt.timedelta(minutes=minutes)) == written


def test_one_instant_reads_in_each_zone_it_is_given_in() -> None:
    # Equal instants in two zones are equal (and hash alike): each must keep its own zone.
    chicago = dt.datetime(2022, 1, 27, 17, tzinfo=CHICAGO)
    paris = chicago.astimezone(PARIS)

    assert date_wording.clock_time(chicago) == "5:00 PM CST"
    assert date_wording.clock_time(paris) == "12:00 AM CET"


def test_an_instant_is_written_as_its_own_wall_clock_day() -> None:
    late_in_chicago = dt.datetime(2022, 1, 27, 20, tzinfo=CHICAGO)
    early_in_paris = late_in_chicago.astimezone(PARIS)  # the same instant, the next day

    assert date_wording.long_date(late_in_chicago) == "Thursday, January 27, 2022"
    assert date_wording.long_date(early_in_paris) == "Friday, January 28, 2022"
