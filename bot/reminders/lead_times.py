"""How long before a deadline a member's reminder comes: a week, a day, or that morning.

The choice is stored as days before the deadline's last day (7, 1 or 0); the DM
comes at the hour staff reminders use (``REMINDER_TIME``), in the
organisation's time zone, so "that morning" is the morning of the last day.
"""

from __future__ import annotations

from bot.errors import UserError

#: The typed choices, as Discord offers them and buttons send them: choice -> days before.
LEAD_TIMES: dict[str, int] = {"1w": 7, "1d": 1, "morning": 0}
WHEN_CHOICES: tuple[str, ...] = tuple(LEAD_TIMES)
#: What a member gets when they do not say (the most asked-for reminder).
DEFAULT_WHEN = "1d"

#: Other ways members type the same choices on text platforms.
_SYNONYMS: dict[str, str] = {
    "week": "1w",
    "a week": "1w",
    "1 week": "1w",
    "7d": "1w",
    "7 days": "1w",
    "day": "1d",
    "a day": "1d",
    "1 day": "1d",
    "the day before": "1d",
    "same morning": "morning",
    "that morning": "morning",
    "same day": "morning",
    "0d": "morning",
}
_DESCRIPTIONS = {7: "a week before", 1: "the day before", 0: "that morning"}


def match_when(text: str) -> str | None:
    """``1w``, ``1d`` or ``morning`` if ``text`` is one way of typing it, else None."""
    cleaned = " ".join(text.strip().lower().split())
    cleaned = cleaned.removeprefix("when").strip(" :=")
    choice = _SYNONYMS.get(cleaned, cleaned)
    return choice if choice in LEAD_TIMES else None


def read_when(text: str) -> str:
    """``1w``, ``1d`` or ``morning`` from what a member typed (``when:1d``, ``a week``...).

    Raises:
        UserError: Nothing it can read as one of the three, with the choices.
    """
    choice = match_when(text)
    if choice is None:
        raise UserError(
            f"I did not understand when '{text.strip()[:40]}' is. Choose 1w (a week before), "
            "1d (the day before) or morning (the morning of the deadline)."
        )
    return choice


def offset_days(when: str) -> int:
    """Days before the deadline's last day for a choice read by :func:`read_when`."""
    return LEAD_TIMES[when]


def when_choice(days: int) -> str:
    """The choice (``1w``, ``1d``, ``morning``) for a stored number of days."""
    return next(choice for choice, value in LEAD_TIMES.items() if value == days)


def describe(days: int) -> str:
    """``a week before``, ``the day before`` or ``that morning``."""
    return _DESCRIPTIONS.get(days, f"{days} days before")
