"""Injectable clocks, so tests control "now"."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    """Source of the current time; always returns an aware UTC datetime."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real wall clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that only moves when told to (tests)."""

    def __init__(self, now: datetime) -> None:
        if now.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._now = now.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def set(self, now: datetime) -> None:
        self._now = now.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        self._now += delta


class PretendToday:
    """A real clock with a different "today" for answers and listings (``--today``).

    Only what the bot *says* about dates follows the pretended day: which deadlines
    are upcoming, which period a leaderboard covers. Everything it *stores or
    schedules* (members, questions, kudos, reminders, broadcasts) uses :meth:`now`,
    the real time, so a demo run leaves no fake-dated data behind.
    """

    def __init__(self, today: date, *, real: Clock | None = None) -> None:
        self.pretend_today = today
        self._real = real or SystemClock()

    def now(self) -> datetime:
        return self._real.now()


def local_today(clock: Clock, zone: ZoneInfo) -> date:
    """The date answers and listings treat as today: a pretended day when the clock
    has one, else the clock's date in ``zone``."""
    pretended = getattr(clock, "pretend_today", None)
    if isinstance(pretended, date):
        return pretended
    return clock.now().astimezone(zone).date()
