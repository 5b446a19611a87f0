"""Lengths of time in member messages: counted right, from the shared wording module."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot import date_wording
from bot.broadcasts.notices import describe_duration
from bot.kudos.messages import undo_too_late
from bot.requests import UserRef

BEN = UserRef(platform="console", workspace_id="w", user_id="ben", display_name="Ben")


def test_a_one_minute_undo_window_is_one_minute() -> None:
    # KUDOS_UNDO_MINUTES=1 once gave "1 minutes ago ... within 1 minutes of giving it".
    text = undo_too_late([BEN], age=timedelta(minutes=1), window=timedelta(minutes=1), kudos_id=4)

    assert "(to @Ben, 1 minute ago)" in text
    assert "within 1 minute of giving it" in text


def test_a_long_undo_window_reads_in_hours() -> None:
    text = undo_too_late(
        [BEN], age=timedelta(hours=30, minutes=10), window=timedelta(hours=24), kudos_id=4
    )

    assert "(to @Ben, about 30 hours ago)" in text
    assert "within 24 hours of giving it" in text


@pytest.mark.parametrize(
    ("span", "written"),
    [
        (timedelta(hours=6), "6 hours"),
        (timedelta(hours=1), "1 hour"),
        (timedelta(minutes=90), "90 minutes"),
        (timedelta(0), "0 minutes"),  # once "0 hours"
    ],
)
def test_a_grace_period_is_written_exactly(span: timedelta, written: str) -> None:
    assert describe_duration(span) == written == date_wording.duration(span)


@pytest.mark.parametrize(
    ("minutes", "written"),
    [(0, "1 minute ago"), (1, "1 minute ago"), (42, "42 minutes ago"), (661, "about 11 hours ago")],
)
def test_time_ago(minutes: int, written: str) -> None:
    assert date_wording.time_ago(timedelta(minutes=minutes)) == written
