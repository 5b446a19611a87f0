"""Date logic: windows, relative days, year boundaries, leap days, time zones."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.answers import AnswerEngine, format_deadlines, upcoming_deadlines
from bot.answers.date_questions import parse_date_question
from bot.answers.dates import days_until, format_date, format_time, relative_day
from bot.answers.text import expand_shorthand, fold
from bot.knowledge import Knowledge, parse_knowledge

SHIPPED = Path(__file__).resolve().parents[2] / "data" / "knowledge.yaml"
CHICAGO = ZoneInfo("America/Chicago")

CALENDAR = """
organisation: {name: Test, timezone: America/Chicago, default_contact: pat}
contacts:
  - {id: pat, name: Pat, email: pat@example.org}
entries:
  - id: renewals
    title: Membership renewals
    questions: ["When do I renew?"]
    answer: Renew every year.
deadlines:
  - {id: new-year-party, title: New year party, date: 2021-12-31, time: "20:00", kind: event}
  - {id: renewal-2022, title: Renewal deadline, date: 2022-01-05, entry: renewals}
  - {id: leap-day, title: Leap day submissions close, date: 2024-02-29}
  - {id: summer-social, title: Summer social, date: 2024-07-10, time: "17:00", kind: event}
"""


@pytest.fixture(scope="module")
def calendar() -> Knowledge:
    return parse_knowledge(CALENDAR)


def test_upcoming_includes_today_sorted_and_limited(calendar: Knowledge) -> None:
    items = upcoming_deadlines(calendar, today=dt.date(2021, 12, 31), limit=2)

    assert [item.id for item in items] == ["new-year-party", "renewal-2022"]
    assert upcoming_deadlines(calendar, today=dt.date(2025, 1, 1)) == []


def test_format_deadlines_uses_relative_days_and_local_time(calendar: Knowledge) -> None:
    items = upcoming_deadlines(calendar, today=dt.date(2021, 12, 30), limit=2)

    text = format_deadlines(calendar, today=dt.date(2021, 12, 30), items=items)

    assert text.splitlines() == [
        "- **Friday, December 31, 2021 at 8:00 PM CST** (tomorrow): New year party",
        "- **Wednesday, January 5, 2022** (in 6 days): Renewal deadline",
    ]
    assert "today" in format_deadlines(calendar, today=dt.date(2022, 1, 5), items=items[1:])
    assert "Nothing is scheduled" in format_deadlines(calendar, today=dt.date(2022, 1, 5), items=[])


def test_summer_times_show_daylight_saving_abbreviation(calendar: Knowledge) -> None:
    social = calendar.deadline("summer-social")

    assert format_time(social, CHICAGO) == "5:00 PM CDT"
    assert format_time(calendar.deadline("leap-day"), CHICAGO) is None


def test_leap_day_arithmetic() -> None:
    leap = dt.date(2024, 2, 29)

    assert days_until(leap, dt.date(2024, 2, 28)) == 1
    assert relative_day(leap, dt.date(2024, 2, 28)) == "tomorrow"
    assert days_until(dt.date(2024, 3, 1), dt.date(2024, 2, 28)) == 2
    assert days_until(dt.date(2025, 2, 28), leap) == 365
    assert format_date(leap) == "Thursday, February 29, 2024"
    assert relative_day(dt.date(2024, 2, 26), leap) == "3 days ago"


def test_this_week_is_the_rest_of_the_calendar_week() -> None:
    # Wednesday, December 2, 2020: this week ends on Sunday, as /kudos top week's starts on Monday.
    question = parse_date_question("is anything due this week?", today=dt.date(2020, 12, 2))

    assert question is not None and question.kind == "window"
    assert (question.first, question.last) == (dt.date(2020, 12, 2), dt.date(2020, 12, 6))
    assert question.period == "this week (until Sunday, December 6, 2020)"


def test_this_week_in_the_past_starts_on_monday() -> None:
    question = parse_date_question("did I miss anything this week?", today=dt.date(2020, 12, 2))

    assert question is not None
    assert (question.first, question.last) == (dt.date(2020, 11, 30), dt.date(2020, 12, 2))


def test_this_coming_week_is_the_next_seven_days() -> None:
    question = parse_date_question("anything due this coming week?", today=dt.date(2020, 12, 5))

    assert question is not None
    assert (question.first, question.last) == (dt.date(2020, 12, 5), dt.date(2020, 12, 12))


def test_next_week_and_next_month_cross_the_year() -> None:
    week = parse_date_question("what's due next week", today=dt.date(2021, 12, 29))
    month = parse_date_question("any deadlines next month", today=dt.date(2021, 12, 29))

    assert (week.first, week.last) == (dt.date(2022, 1, 3), dt.date(2022, 1, 9))
    assert (month.first, month.last) == (dt.date(2022, 1, 1), dt.date(2022, 1, 31))


@pytest.mark.parametrize(
    "phrase", ["February 22", "Feb 22", "feb. 22nd", "2/22", "the 22nd of February", "22 feb"]
)
def test_date_phrases(phrase: str) -> None:
    question = parse_date_question(fold(f"what happens on {phrase}?"), today=dt.date(2021, 1, 1))

    assert question is not None and question.kind == "on_date"
    assert question.month_day == (2, 22)


def test_non_calendar_questions_are_not_parsed_as_dates() -> None:
    today = dt.date(2021, 1, 1)
    assert parse_date_question("what is dia?", today=today) is None
    assert parse_date_question("what's the weather tomorrow", today=today) is None
    assert parse_date_question("is there a 24/7 helpline", today=today) is None


def test_this_month_at_year_end_points_to_january(engine: AnswerEngine) -> None:
    answer = engine.answer("What's due this month?", today=dt.date(2021, 12, 28))

    assert answer.answered
    assert "Nothing is due in the rest of December 2021" in answer.text
    assert "January 27, 2022" in answer.text
    assert "in 30 days" in answer.text


def test_next_deadline_crosses_into_january(engine: AnswerEngine) -> None:
    answer = engine.answer("next deadline?", today=dt.date(2021, 12, 28))

    assert answer.sources == ("election-ballot-membership-2022",)
    # the ballot deadline closes *before* January 31: the 30th is the last day
    assert "before Monday, January 31, 2022** (last day in 33 days)" in answer.text


def test_deadline_dated_today_is_today_not_passed(engine: AnswerEngine) -> None:
    answer = engine.answer("what is due today", today=dt.date(2021, 10, 11))

    assert set(answer.sources) == {"mentoring-applications-2021", "bipoc-membership-funding-2021"}
    assert "(today)" in answer.text
    assert "passed" not in answer.text


def test_how_many_days_until_counts_calendar_days(engine: AnswerEngine) -> None:
    answer = engine.answer(
        "How many days until the ballot membership deadline?", today=dt.date(2022, 1, 21)
    )

    assert answer.answered
    assert "**10 days** to go" in answer.text
    assert "January 31, 2022" in answer.text


def test_too_late_after_the_date_says_it_closed(engine: AnswerEngine) -> None:
    answer = engine.answer(
        "is it too late to apply for the mentoring program?", today=dt.date(2021, 10, 12)
    )

    assert "closed on **Monday, October 11, 2021**" in answer.text
    assert "eserrano@ala.org" in answer.text


def test_too_late_before_the_date_says_there_is_time(engine: AnswerEngine) -> None:
    answer = engine.answer("can I still nominate someone for the DSA?", today=dt.date(2020, 12, 1))

    assert answer.text.startswith("There's still time")
    assert "December 7, 2020** (in 6 days)" in answer.text


def test_on_date_picks_the_event_of_that_day(engine: AnswerEngine) -> None:
    answer = engine.answer("what happens on the 22nd of February?", today=dt.date(2021, 12, 1))

    assert answer.sources == ("underserved-committee-chat-2022",)
    assert "Tuesday, February 22, 2022" in answer.text


def test_topic_on_the_wrong_date_is_corrected(engine: AnswerEngine) -> None:
    answer = engine.answer("is the mixer on feb 22?", today=dt.date(2021, 12, 1))

    assert answer.text.startswith("Not on that day")
    assert "January 27, 2022 at 5:00 PM CST" in answer.text


def test_regular_answer_marks_passed_dates(engine: AnswerEngine) -> None:
    answer = engine.answer(
        "When do applications for the mentoring program close?", today=dt.date(2023, 5, 1)
    )

    assert "closed on **Monday, October 11, 2021**" in answer.text
    assert "(in " not in answer.text


def test_answer_text_tense_follows_today(engine: AnswerEngine) -> None:
    """An entry's {deadline:ID} is worded for the day asked: never "closed" above "(in 10 days)"."""
    before = engine.answer("When do mentoring applications close?", today=dt.date(2021, 10, 1))
    after = engine.answer("When do mentoring applications close?", today=dt.date(2021, 10, 20))

    assert "closes on **Monday, October 11, 2021** (in 10 days)" in before.text
    assert "closed on" not in before.text
    assert "closed on **Monday, October 11, 2021**" in after.text
    assert "in 10 days" not in after.text


def test_deadline_closing_before_a_date_ends_the_day_before(engine: AnswerEngine) -> None:
    on_the_day = engine.answer("is it too late to renew for a ballot?", today=dt.date(2022, 1, 31))
    day_before = engine.answer("is it too late to renew for a ballot?", today=dt.date(2022, 1, 30))

    assert on_the_day.text.startswith("I'm afraid so")
    assert day_before.text.startswith("Not yet, but **today** is the last day")


def test_regular_answer_counts_down_to_upcoming_dates(engine: AnswerEngine) -> None:
    answer = engine.answer("When is the membership mixer?", today=dt.date(2022, 1, 20))

    assert "**Thursday, January 27, 2022 at 5:00 PM CST** (in 7 days)" in answer.text


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("whats next?", "upcoming"),
        ("how many wks til the mixer", "days_until"),
        ("r there any events this wk", "window"),
        ("is the mtg tmrw", None),  # a period but nothing about the calendar
        ("anything due tmrw?", "window"),
    ],
)
def test_texting_shorthand_reaches_the_date_parser(question: str, kind: str | None) -> None:
    parsed = parse_date_question(expand_shorthand(fold(question)), today=dt.date(2022, 1, 3))

    assert (parsed.kind if parsed else None) == kind


def test_shorthand_next_crosses_the_year(engine: AnswerEngine) -> None:
    text = engine.answer("whats next?", today=dt.date(2021, 12, 20)).text

    assert "January 27, 2022" in text and "mixer" in text
    assert "October" not in text


def test_days_until_with_shorthand_counts_over_new_year(engine: AnswerEngine) -> None:
    answer = engine.answer("how many days til the membership mixer??", today=dt.date(2021, 12, 30))

    assert answer.answered
    assert "**28 days** to go" in answer.text


def test_nothing_due_long_after_every_date(engine: AnswerEngine) -> None:
    answer = engine.answer("is anything due this week", today=dt.date(2023, 3, 1))

    assert answer.answered
    assert answer.text.startswith("Nothing is due this week (until Sunday, March 5, 2023)")
    assert "2022" not in answer.text  # no later date exists, so none is offered
