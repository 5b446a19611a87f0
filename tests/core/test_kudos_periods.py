"""Kudos periods: the leaderboard's week is the calendar week /ask means, labels read one way."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.answers.date_questions import parse_date_question
from bot.date_wording import WEEK_IN_WORDS
from bot.errors import UserError
from bot.kudos.messages import help_message
from bot.kudos.periods import Month, digest_month, leaderboard_period

CHICAGO = ZoneInfo("America/Chicago")
WEDNESDAY = date(2020, 12, 2)


def test_top_week_is_the_calendar_week_ask_means() -> None:
    period = leaderboard_period("week", today=WEDNESDAY, tz=CHICAGO)
    asked = parse_date_question("did I miss anything this week?", today=WEDNESDAY)

    assert period.start == datetime(2020, 11, 30, 6, 0, tzinfo=UTC)  # Monday, midnight CST
    assert asked is not None and asked.first == date(2020, 11, 30)
    assert period.label == "this week (since Monday, November 30, 2020)"


def test_month_and_year_labels() -> None:
    assert leaderboard_period("", today=WEDNESDAY, tz=CHICAGO).label == "December 2020"
    assert leaderboard_period("year", today=WEDNESDAY, tz=CHICAGO).label == "2020"
    assert Month(date(2026, 9, 1)).label == "September 2026"


@pytest.mark.parametrize("typed", ["september", "sept", "sep", "SEPT"])
def test_digest_month_names_come_from_the_shared_table(typed: str) -> None:
    assert digest_month(typed, today=WEDNESDAY) == Month(date(2020, 9, 1))


def test_a_future_month_is_refused_with_its_label() -> None:
    with pytest.raises(UserError, match="January 2021 hasn't started yet"):
        digest_month("2021-01", today=WEDNESDAY)


def test_kudos_help_says_what_a_week_is() -> None:
    shown = help_message(quota=5, max_length=500, undo_minutes=5, is_staff=False).plain_text()

    assert f"a week runs {WEEK_IN_WORDS}" in shown
