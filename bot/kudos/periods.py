"""Calendar periods in the organisation's time zone: leaderboard windows, digest months."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.date_wording import MONTHS, long_date, month_and_year, week_of
from bot.errors import UserError
from bot.kudos.rules import day_start_utc

PERIODS = ("week", "month", "year", "all")
_PERIOD_ALIASES = {
    "": "month",
    "weekly": "week",
    "this week": "week",
    "monthly": "month",
    "this month": "month",
    "yearly": "year",
    "this year": "year",
    "all time": "all",
    "alltime": "all",
    "ever": "all",
}


@dataclass(frozen=True, slots=True)
class Period:
    """A leaderboard window; ``start`` is None for all time."""

    name: str
    start: datetime | None
    label: str


def leaderboard_period(text: str, *, today: date, tz: ZoneInfo) -> Period:
    """``week`` (the calendar week, since Monday), ``month`` (default), ``year`` or ``all``."""
    key = " ".join(text.lower().split())
    name = _PERIOD_ALIASES.get(key, key)
    if name == "week":
        monday, _ = week_of(today)
        return Period(name, day_start_utc(monday, tz), f"this week (since {long_date(monday)})")
    if name == "month":
        first = today.replace(day=1)
        return Period(name, day_start_utc(first, tz), month_and_year(first))
    if name == "year":
        return Period(name, day_start_utc(date(today.year, 1, 1), tz), f"{today.year}")
    if name == "all":
        return Period(name, None, "all time")
    raise UserError(
        f"I don't know the period '{text[:40]}'. Try /kudos top week, /kudos top month, "
        f"/kudos top year or /kudos top all."
    )


@dataclass(frozen=True, slots=True)
class Month:
    first_day: date

    @property
    def next_first_day(self) -> date:
        year, month = divmod(self.first_day.month, 12)
        return date(self.first_day.year + year, month + 1, 1)

    @property
    def label(self) -> str:
        return month_and_year(self.first_day)

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        return day_start_utc(self.first_day, tz), day_start_utc(self.next_first_day, tz)


def digest_month(text: str, *, today: date) -> Month:
    """``""``/``this`` = this month, ``last``, a month name (latest one not in the
    future), or ``YYYY-MM``; a month that has not started yet is refused."""
    key = " ".join(text.lower().split())
    this_month = today.replace(day=1)
    if key in {"", "this", "this month", "current"}:
        return Month(this_month)
    if key in {"last", "last month", "previous"}:
        return Month((this_month - timedelta(days=1)).replace(day=1))
    if key in MONTHS:
        number = MONTHS[key]
        year = today.year if number <= today.month else today.year - 1
        return Month(date(year, number, 1))
    try:
        parsed = datetime.strptime(key, "%Y-%m").date()
    except ValueError:
        raise UserError(
            f"I don't understand the month '{text[:40]}'. Try /kudos digest, "
            f"/kudos digest last, /kudos digest october or /kudos digest 2026-10."
        ) from None
    month = Month(parsed)
    if parsed > this_month:
        raise UserError(
            f"{month.label} hasn't started yet, so there is nothing to sum up. "
            f"Try /kudos digest ({Month(this_month).label} so far) or an earlier month."
        )
    return month
