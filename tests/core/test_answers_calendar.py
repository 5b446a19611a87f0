"""Calendar and time-relative questions, worded as members word them, on the shipped file.

Each question says *when* relative to the day it is asked (``today``): a range in
everyday words ("over the next couple of weeks", "before the holidays"), whether a
named item is still ahead ("is the mixer still on?"), how many days are left, with
misspelt calendar words, or naming a clock time whose real time and zone must be given.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from bot.answers import Answer, AnswerEngine
from bot.answers.date_questions import parse_date_question
from bot.markup import parse_markup

ROOT = Path(__file__).resolve().parents[2]
CONTACT = "eserrano@ala.org"
TODAY = dt.date(2022, 1, 30)


def ask(engine: AnswerEngine, question: str, today: str) -> tuple[Answer, str]:
    answer = engine.answer(question, today=dt.date.fromisoformat(today))
    return answer, parse_markup(answer.text).plain_text()


# (question, today, what the member must be told: every pattern, case-insensitive)
CASES = [
    # ranges in everyday words
    ("any deadlines in the next 10 days?", "2020-12-04", ["December 7", "December 14"]),
    ("what's due over the next few weeks", "2021-10-01", ["October 11"]),
    (
        "anything I need to know about in the next couple weeks?",
        "2022-01-20",
        ["January 27", "January 31"],
    ),
    ("whats on my radar for the coming weeks", "2022-01-20", ["January 27"]),
    ("what's happening this coming week", "2022-01-24", ["January 27"]),
    ("any events or deadlines before the holidays?", "2020-12-01", ["December 7", "December 14"]),
    ("what do I have going on next wk", "2022-01-19", ["January 27"]),
    ("Whats happening with alsc in the next month", "2022-01-10", ["January 27", "January 31"]),
    ("anything coming up between now and the end of the month?", "2021-10-01", ["October 11"]),
    ("what's still ahead for me this month?", "2022-01-25", ["January 27"]),
    ("upcoming alsc stuff?", "2022-01-03", ["January 27"]),
    ("what's the next event on the calendar?", "2022-01-28", ["February 22"]),
    ("what's coming up in january for alsc members?", "2022-01-03", ["January 27", "January 31"]),
    ("was anything on the 27th?", "2022-01-20", ["January 27", "mixer"]),
    # misspelt calendar words
    ("which deadlines are upcomming", "2021-10-01", ["October 11"]),
    ("when's the next deadine", "2022-01-28", ["January 31"]),
    ("anything happenign soon?", "2022-02-15", ["February 22"]),
    ("whats comming up for alsc", "2021-10-05", ["October 11"]),
    ("is the mixer still comming up?", "2022-01-20", ["January 27", r"in 7 days"]),
    # is a named item still ahead, or has it passed?
    ("is the gift membership deadline still coming up?", "2020-12-20", ["December 14", "closed"]),
    ("can I still get a gift membership processed this year?", "2020-12-10", ["December 14"]),
    ("is the underserved committee chat still on?", "2022-02-25", ["February 22", "took place"]),
    ("are mentoring applications still being accepted?", "2021-10-12", ["October 11", "closed"]),
    ("is it still possible to apply for bipoc membership funding?", "2021-10-08", ["in 3 days"]),
    ("did the mixer happen already?", "2022-01-28", ["^Yes", "took place", "yesterday"]),
    (
        "i want to nominate my coworker for the dsa, is that still open?",
        "2020-12-09",
        ["December 7", "closed"],
    ),
    # how many days are left
    ("how many days are left to nominate someone for the DSA?", "2020-12-01", [r"\b6 days\b"]),
    ("how many days do i have to get my gift membership in", "2020-12-10", [r"\b4 days\b"]),
    (
        "how much time have I got to renew before the election ballot cutoff",
        "2022-01-20",
        [r"\b11 days\b", "January 31"],
    ),
    # weekdays, weekends, parts of a month, a year by number
    ("anything happening this weekend?", "2022-01-27", ["January 31"]),
    ("anything on thursday?", "2022-01-25", ["January 27", "mixer"]),
    ("anything within a week?", "2021-10-05", ["October 11"]),
    ("what's coming up in a couple days", "2021-10-09", ["October 11"]),
    ("any deadlines in two weeks", "2021-10-01", ["October 11"]),
    ("anything the week after next?", "2022-01-12", ["January 27"]),
    ("anything due by the end of february", "2022-01-25", ["January 27", "February 22"]),
    ("whats left on the calendar for 2021", "2021-10-01", ["October 11"]),
    ("what do i need to do by friday", "2021-10-05", ["Nothing", "October 11"]),
    (
        "I'm on vacation the last week of January, will I miss anything?",
        "2022-01-03",
        ["January 27", "January 31"],
    ),
    ("what's due before thanksgiving", "2020-11-01", ["Nothing", "November 25", "December 7"]),
    ("any ALSC things happening this winter?", "2022-01-20", ["January 27", "February 22"]),
    ("what's been happening recently?", "2022-01-30", ["January 27"]),
    ("what did i miss last month", "2022-02-04", ["January 27", "January 31"]),
    ("Remind me what's on the schedule for the rest of the week", "2022-01-26", ["January 27"]),
    # the next one, however it is called
    ("What's on the ALSC calendar?", "2021-10-01", ["October 11"]),
    ("When's the last day I can nominate someone?", "2020-12-01", ["December 7", "in 6 days"]),
    ("what's the last day to renew for the ballot?", "2022-02-02", ["closed", "January 31"]),
    ("what's the soonest deadline", "2021-10-01", ["October 11"]),
    ("anything i should be getting ready for?", "2021-10-01", ["October 11"]),
    ("what dates should i put in my planner", "2022-01-05", ["January 27"]),
    # a named item on a day, or whether it has happened
    ("is the mixer happening tonight?", "2022-01-27", ["today", "5:00 PM CST"]),
    ("is the mixer happening tomorrow?", "2022-01-20", ["^Not tomorrow", "January 27"]),
    ("has the underserved chat happened yet", "2022-02-10", ["^Not yet", "in 12 days"]),
    ("is the underserved committee chat over?", "2022-02-23", ["^Yes", "took place"]),
    ("has the mixer happened yet", "2022-01-28", ["^Yes, it has passed", "January 27"]),
    ("is the mixer still on", "2022-01-27", ["^Yes", "today"]),
    ("how long ago was the mixer", "2022-02-03", ["January 27", "passed"]),
    ("are we past the mentoring deadline", "2021-10-15", ["October 11", "closed"]),
    ("am i too late for the bipoc funding", "2021-10-12", ["October 11", "closed"]),
    # a clock time or zone in the question: the real time, with its zone
    ("the mixer is at 6pm eastern right?", "2022-01-10", ["5:00 PM CST"]),
    ("what time is the mixer and what time zone is that?", "2021-10-01", ["5:00 PM CST"]),
]


@pytest.mark.parametrize(("question", "today", "told"), CASES)
def test_a_calendar_question_is_answered_for_the_day_asked(
    engine: AnswerEngine, question: str, today: str, told: list[str]
) -> None:
    answer, text = ask(engine, question, today)

    assert answer.answered, text
    for pattern in told:
        assert re.search(pattern, text, re.IGNORECASE), (pattern, text)


def test_this_week_is_monday_to_sunday_and_a_before_deadline_counts_on_its_last_day(
    engine: AnswerEngine,
) -> None:
    # Tuesday January 25, 2022: the week ends Sunday the 30th. "Renew before Monday,
    # January 31" can only be done until that Sunday, so it is due this week.
    answer, text = ask(engine, "anything left this week i can still make?", "2022-01-25")

    assert answer.answered
    assert "until Sunday, January 30, 2022" in text
    assert "January 27" in text and "January 31" in text
    assert "February 22" not in text


def test_next_week_starts_on_monday(engine: AnswerEngine) -> None:
    answer, text = ask(engine, "whats happening next week", "2022-01-20")

    assert answer.answered
    assert "January 27" in text  # Monday 24 to Sunday 30
    assert "February 22" not in text


def test_a_passed_item_asked_as_still_ahead_says_when_it_was_and_what_is_next(
    engine: AnswerEngine,
) -> None:
    answer, text = ask(engine, "is the membership mixer still coming up", "2022-01-28")

    assert answer.answered
    assert text.startswith("No, it has passed")
    assert "took place" in text and "January 27" in text
    assert "Nothing is coming up" not in text
    assert "January 31" in text  # the next date on the calendar


def test_can_i_still_after_the_deadline_says_no(engine: AnswerEngine) -> None:
    answer, text = ask(
        engine,
        "I wanted to nominate my former supervisor for the DSA. Am I still able to send that in?",
        "2020-12-09",
    )

    assert answer.answered
    assert "I'm afraid not" in text and "December 7" in text
    assert CONTACT in text


def test_nothing_upcoming_never_calls_a_future_date_the_most_recent(engine: AnswerEngine) -> None:
    _, text = ask(engine, "is the gift membership deadline still coming up?", "2020-12-20")

    assert "most recent" not in text


def test_a_day_of_the_month_alone_is_this_month_or_the_next(engine: AnswerEngine) -> None:
    answer, text = ask(engine, "anything on the 22nd?", "2022-02-15")

    assert answer.answered and "February 22, 2022" in text
    later = parse_date_question("anything on the 10th", today=dt.date(2022, 2, 15))
    assert later is not None and later.month_day == (3, 10) and later.year == 2022


@pytest.mark.parametrize(
    ("phrase", "days"),
    [
        ("over the next couple of weeks", 14),
        ("in the next 10 days", 10),
        ("the next few days", 3),
        ("within the next month", 30),
        ("the coming weeks", 21),
    ],
)
def test_a_span_counts_from_today(phrase: str, days: int) -> None:
    today = dt.date(2022, 1, 20)
    parsed = parse_date_question(f"what deadlines are due {phrase}", today=today)

    assert parsed is not None and parsed.kind == "window"
    assert parsed.first == today and parsed.last == today + dt.timedelta(days=days)


def test_still_time_names_the_deadline_once(engine: AnswerEngine) -> None:
    _, text = ask(engine, "can I still nominate someone for the DSA?", "2020-12-01")

    assert text.startswith("There's still time: it closes on Monday, December 7, 2020")
    assert text.count("close") == 2  # "it closes on ...: ... nominations close"


def test_a_passed_topic_in_a_list_question_gives_what_is_next(engine: AnswerEngine) -> None:
    answer, text = ask(engine, "anything coming up about mentoring applications?", "2022-01-05")

    assert answer.answered
    assert "Nothing on that is coming up" in text and "October 11, 2021" in text
    assert "January 27" in text


def test_an_item_asked_on_the_wrong_day_gets_its_day_and_what_that_day_holds(
    engine: AnswerEngine,
) -> None:
    answer, text = ask(engine, "is the underserved committee chat on january 27?", "2021-12-01")

    assert answer.answered
    assert text.startswith("Not on that day") and "February 22, 2022" in text
    assert "membership mixer" in text.split("On that day:")[1]


def test_recently_in_a_question_about_what_is_ahead_is_no_period() -> None:
    parsed = parse_date_question("i recently joined, what events are coming up", today=TODAY)

    assert parsed is not None and parsed.kind == "upcoming"


def test_next_month_alone_is_the_calendar_month() -> None:
    parsed = parse_date_question("what's happening next month", today=dt.date(2022, 1, 20))

    assert parsed is not None
    assert (parsed.first, parsed.last) == (dt.date(2022, 2, 1), dt.date(2022, 2, 28))


@pytest.mark.parametrize(
    "question",
    [
        "is it too late to register for the aasl conference",
        "is it too late to nominate someone for the printz award",
        "when did the fall 2017 mentoring apps close",
        "what time does the pool close tonight",
        "how many of the funded BIPOC memberships are still available?",
    ],
)
def test_an_unknown_topic_or_a_count_is_not_a_calendar_answer(
    engine: AnswerEngine, question: str
) -> None:
    answer, text = ask(engine, question, "2021-10-05")

    assert answer.kind != "calendar", text


def test_a_clock_time_is_left_to_the_entry_when_the_entry_answers() -> None:
    from bot.answers import calendar_answers, engine

    assert calendar_answers.ENTRY_THRESHOLD == engine.DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("question", "today", "told"),
    [
        ("whats hapening tommorow", "2022-01-26", "January 27"),
        ("anything upcomming in the nxt few wks?", "2022-01-20", "January 27"),
        ("any deadlnes comming up", "2021-10-01", "October 11"),
    ],
)
def test_doubled_or_missing_letters_in_calendar_words(
    engine: AnswerEngine, question: str, today: str, told: str
) -> None:
    answer, text = ask(engine, question, today)

    assert answer.answered and told in text, text


# ------------------------------------------------ round 5: still time, a named season, a kind
@pytest.mark.parametrize(
    ("question", "today"),
    [
        ("can I still nominate my colleague for the DSA?", "2020-12-02"),
        ("is it too late to nominate someone for the Distinguished Service Award?", "2020-12-02"),
        ("am I still able to apply for the mentoring program?", "2021-10-04"),
        ("did I miss the mentoring application deadline?", "2021-10-04"),
    ],
)
def test_still_time_never_opens_with_a_no_that_denies_the_question(
    engine: AnswerEngine, question: str, today: str
) -> None:
    _, text = ask(engine, question, today)

    assert text.startswith("There's still time"), text
    assert not re.match(r"\W*(no|yes)\b", text, re.I)


@pytest.mark.parametrize(
    ("question", "today", "closed", "next_day"),
    [
        (
            "can I still apply for the spring mentoring program?",
            "2016-02-29",
            "February 26, 2016",
            "February 24, 2017",
        ),
        (
            "is the spring mentoring round still open?",
            "2016-03-10",
            "February 26, 2016",
            "February 24, 2017",
        ),
        ("too late for spring mentee applications?", "2017-03-01", "February 24, 2017", ""),
    ],
)
def test_a_season_named_alone_is_the_round_of_the_members_year(
    engine: AnswerEngine, question: str, today: str, closed: str, next_day: str
) -> None:
    _, text = ask(engine, question, today)

    assert closed in text, text
    assert re.search(r"\b(closed|passed)\b", text)
    assert "still time" not in text
    assert next_day in text


def test_a_season_named_alone_is_the_next_one_long_after_it_closed(engine: AnswerEngine) -> None:
    _, text = ask(engine, "can I still apply for the spring mentoring program?", "2016-12-01")

    assert "February 24, 2017" in text and "February 26, 2016" not in text


@pytest.mark.parametrize(
    ("question", "today", "expected", "absent"),
    [
        (
            "anything mentoring-related I need to do before next week?",
            "2021-10-08",
            "October 11",
            "BIPOC",
        ),
        ("any mentoring related deadlines coming up?", "2021-10-01", "October 11", "mixer"),
        ("anything award-related due in december?", "2020-11-20", "December 7", "December 14"),
    ],
)
def test_a_kind_of_topic_narrows_a_calendar_question(
    engine: AnswerEngine, question: str, today: str, expected: str, absent: str
) -> None:
    answer, text = ask(engine, question, today)

    assert answer.answered, text
    assert expected in text and absent not in text


@pytest.mark.parametrize(
    ("question", "today", "expected", "verdict"),
    [
        (
            "my membership lapsed, can I rejoin in time to vote in the ALA election?",
            "2022-02-01",
            "January 31, 2022",
            r"\bclosed\b",
        ),
        (
            "can I still reapply in time to get a ballot?",
            "2022-01-10",
            "January 31, 2022",
            r"^There's still time",
        ),
        (
            "can I get my application in in time for the mentoring program?",
            "2021-10-05",
            "October 11, 2021",
            r"^There's still time",
        ),
    ],
)
def test_in_time_to_asks_whether_the_day_has_passed(
    engine: AnswerEngine, question: str, today: str, expected: str, verdict: str
) -> None:
    _, text = ask(engine, question, today)

    assert expected in text, text
    assert re.search(verdict, text)
