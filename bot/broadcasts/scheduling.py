"""Local wall-clock times in the organisation's zone <-> stored UTC instants, DST-safe."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from bot.date_wording import local_moment
from bot.errors import UserError


def _round_trips(local: datetime) -> bool:
    """True when ``local`` exists on the wall clock (is not skipped by a DST jump)."""
    back = local.astimezone(UTC).astimezone(local.tzinfo)
    return back.replace(tzinfo=None) == local.replace(tzinfo=None)


def is_nonexistent(day: date, at: time, zone: ZoneInfo) -> bool:
    """True for wall times skipped when clocks spring forward (02:30 on that day)."""
    return not _round_trips(datetime.combine(day, at, tzinfo=zone))


def is_ambiguous(day: date, at: time, zone: ZoneInfo) -> bool:
    """True for wall times that happen twice when clocks fall back (01:30 on that day)."""
    first = datetime.combine(day, at, tzinfo=zone).replace(fold=0)
    second = first.replace(fold=1)
    return first.utcoffset() != second.utcoffset() and _round_trips(first)


def local_to_utc_strict(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of a wall time a member typed; refuses skipped and doubled times.

    Raises:
        UserError: The time does not exist or happens twice that day; the member is
            told why and what to type instead.
    """
    shown = f"{day.isoformat()} {at:%H:%M}"
    if is_nonexistent(day, at, zone):
        raise UserError(
            f"{shown} does not exist in {zone.key}: the clocks jump forward that night. "
            "Pick a time at least an hour later (for example 04:00)."
        )
    if is_ambiguous(day, at, zone):
        raise UserError(
            f"{shown} happens twice in {zone.key}: the clocks go back that night. "
            "Pick a time outside 01:00-02:00 (for example 03:00)."
        )
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def local_to_utc(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of an automatic wall time (reminders): never fails.

    A skipped time resolves to the same number of minutes after the jump (02:30
    becomes 03:30) and a doubled time to its first occurrence, so a reminder is
    neither lost nor sent twice on a DST night.
    """
    return datetime.combine(day, at, tzinfo=zone).replace(fold=0).astimezone(UTC)


def format_local(moment: datetime, zone: ZoneInfo) -> str:
    """``Friday, December 4, 2026 at 9:00 AM CST``: how members read a stored time."""
    return local_moment(moment, zone)
