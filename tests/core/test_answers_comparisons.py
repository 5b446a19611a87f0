"""Questions comparing two things the posts mention: both facts, and the verdict they give.

Written from the seed posts: DSA nominations close December 7 and gift memberships
must arrive by December 14 (2020); mentoring and BIPOC membership funding applications
both close October 11, 2021; the membership mixer is January 27, 2022, the ballot needs
membership before January 31, and the underserved-children committee chat is February 22;
spring rounds closed February 26, 2016 and February 24, 2017; the Fall 2017 round had over
25 mentee applications in its first few days, the 2021 round over 30.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from bot.answers import Answer, AnswerEngine
from bot.answers.comparisons import recognise

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2021, 10, 1)

DSA = r"Distinguished Service Award nominations close: Monday, December 7, 2020"
GIFT = r"Gift memberships .*: Monday, December 14, 2020"
MENTORING = r"ALSC Mentoring Program applications close .*: Monday, October 11, 2021"
FUNDING = r"BIPOC Mentoring Membership Funding applications close: Monday, October 11, 2021"
MIXER = r"membership mixer .*: Thursday, January 27, 2022"
CHAT = r"Underserved Children .*: Tuesday, February 22, 2022"
BALLOT = r"ballot .*: before Monday, January 31, 2022"
SPRING_2016 = r"Spring 2016 .*: Friday, February 26, 2016"
SPRING_2017 = r"Spring 2017 .*: Friday, February 24, 2017"
FALL_2017 = r"Fall 2017: over 25 mentee applications"
Y2021 = r"2021: over 30 mentee applications"


def ask(engine: AnswerEngine, question: str) -> Answer:
    return engine.answer(question, today=TODAY)


def said(answer: Answer, *patterns: str) -> None:
    for pattern in patterns:
        assert re.search(pattern, answer.text), (pattern, answer.text)


# ---------------------------------------------------------------- same or different day
@pytest.mark.parametrize(
    ("question", "verdict"),
    [
        ("Does the BIPOC funding application close on a different day than mentoring apps?", "No"),
        ("are the mentoring application deadline and the BIPOC funding deadline different?", "No"),
        ("Do mentoring applications and the BIPOC membership funding close the same day?", "Yes"),
        ("Are the BIPOC funding and mentoring application deadlines the same?", "Yes"),
        ("is the BIPOC membership funding due the same date as the mentoring application", "Yes"),
    ],
)
def test_two_deadlines_on_one_day(engine: AnswerEngine, question: str, verdict: str) -> None:
    answer = ask(engine, question)
    assert answer.answered
    said(answer, rf"^{verdict}: both close on the same day, Monday, October 11, 2021")
    said(answer, MENTORING, FUNDING)


@pytest.mark.parametrize(
    ("question", "verdict", "first", "second"),
    [
        ("Do gift memberships and DSA nominations close on the same day?", "No", DSA, GIFT),
        (
            "Is the mixer on the same day as the chat with the underserved committee?",
            "No",
            MIXER,
            CHAT,
        ),
        (
            "is the gift membership deadline different from the DSA nomination deadline?",
            "Yes",
            DSA,
            GIFT,
        ),
        ("Is the mixer on a different day than the ballot deadline?", "Yes", MIXER, BALLOT),
    ],
)
def test_two_deadlines_on_different_days(
    engine: AnswerEngine, question: str, verdict: str, first: str, second: str
) -> None:
    answer = ask(engine, question)
    assert answer.answered
    said(answer, rf"^{verdict}, they are on different days", first, second)
    assert answer.text.index(re.search(first, answer.text).group(0)) < answer.text.index(  # type: ignore[union-attr]
        re.search(second, answer.text).group(0)  # type: ignore[union-attr]
    )


# ---------------------------------------------------------------- which comes first / later
@pytest.mark.parametrize(
    ("question", "named", "first", "second"),
    [
        (
            "which comes first, the DSA nomination deadline or the gift membership deadline?",
            "Distinguished Service Award",
            DSA,
            GIFT,
        ),
        (
            "what's earlier: gift memberships or the distinguished service award nominations",
            "Distinguished Service Award",
            DSA,
            GIFT,
        ),
        (
            "which happens first: the ballot cutoff or the underserved children chat?",
            "Join or renew",
            BALLOT,
            CHAT,
        ),
        (
            "which is sooner, the mentoring application deadline or the membership mixer?",
            "ALSC Mentoring Program",
            MENTORING,
            MIXER,
        ),
        (
            "which closed earlier, the spring 2016 mentoring applications or the spring 2017 ones?",
            "Spring 2016",
            SPRING_2016,
            SPRING_2017,
        ),
        ("which is later, the mixer or the ballot deadline?", "Join or renew", MIXER, BALLOT),
        (
            "the underserved kids committee chat or the mixer, which is first? when is each",
            "ALSC membership mixer",
            MIXER,
            CHAT,
        ),
        ("is the mixer before or after the chat?", "ALSC membership mixer", MIXER, CHAT),
    ],
)
def test_which_comes_first_names_it_and_gives_both_dates(
    engine: AnswerEngine, question: str, named: str, first: str, second: str
) -> None:
    answer = ask(engine, question)
    assert answer.answered
    said(answer, rf"^(First|Later): {named}.*\.\n", first, second)


# ---------------------------------------------------------------- a stated order, true or false
@pytest.mark.parametrize(
    ("question", "verdict", "first", "second"),
    [
        ("so DSA nominations close before gift memberships are due, right?", "Yes", DSA, GIFT),
        (
            "the gift membership cutoff is before the DSA nomination deadline, correct?",
            "Not quite",
            DSA,
            GIFT,
        ),
        (
            "Does the DSA nomination deadline fall after the gift membership cutoff?",
            "Not quite",
            DSA,
            GIFT,
        ),
        ("is the mixer earlier than the ballot deadline?", "Yes", MIXER, BALLOT),
        (
            "the underserved committee chat comes before the membership mixer, right?",
            "Not quite",
            MIXER,
            CHAT,
        ),
        (
            "The spring 2017 mentoring applications closed after the spring 2016 ones, right?",
            "Yes",
            SPRING_2016,
            SPRING_2017,
        ),
        ("so the mentoring deadline is after the membership mixer?", "Not quite", MENTORING, MIXER),
    ],
)
def test_a_stated_order_is_confirmed_or_corrected(
    engine: AnswerEngine, question: str, verdict: str, first: str, second: str
) -> None:
    answer = ask(engine, question)
    assert answer.answered
    said(answer, rf"^{verdict}[:,] ", first, second)


def test_a_stated_order_of_one_day_is_corrected(engine: AnswerEngine) -> None:
    answer = ask(engine, "the BIPOC funding deadline comes before the mentoring deadline, right?")
    said(answer, r"^Not quite: both close on the same day", MENTORING, FUNDING)


# ---------------------------------------------------------------- counts
@pytest.mark.parametrize(
    ("question", "opening"),
    [
        ("which had more mentee applications, fall 2017 or 2021?", r"^More in 2021, "),
        ("were there more mentee applications in 2021 or in fall 2017?", r"^More in 2021, "),
        (
            "which round got fewer mentee applications, the 2021 round or fall 2017?",
            r"^Fewer in Fall 2017, ",
        ),
        ("Were there fewer mentee applications in fall 2017 than in 2021?", r"^Yes, "),
        ("were there more mentee applications in fall 2017 than in 2021?", r"^No, "),
    ],
)
def test_two_counts_are_both_given(engine: AnswerEngine, question: str, opening: str) -> None:
    answer = ask(engine, question)
    assert answer.answered
    said(answer, opening, FALL_2017, Y2021, r"in its first few days")


# ---------------------------------------------------------------- a side we do not know
def test_an_unknown_date_is_named_and_no_verdict_given(engine: AnswerEngine) -> None:
    answer = ask(engine, "which comes first, the Printz award deadline or the mixer?")
    assert not answer.answered
    said(answer, r"I don't know the date of printz award", MIXER.split(" .*")[0])
    assert not re.search(r"First:|Yes|Not quite", answer.text)


def test_an_unknown_count_is_named_and_no_verdict_given(engine: AnswerEngine) -> None:
    answer = ask(engine, "Did more mentees apply in 2019 or in 2021?")
    assert not answer.answered
    said(answer, r"I don't know the number for 2019", r"2021: over 30 mentee applications")


# ---------------------------------------------------------------- not comparisons
@pytest.mark.parametrize(
    "question",
    [
        "which do I fill out first, the BIPOC funding form or the mentoring application?",
        "I should do the funding application before the mentoring application, correct?",
        "anything due before february?",
        "is there time to send a gift membership so it is processed before the end of the year?",
        "how many more days until the mentoring deadline?",
        "what's due first?",
    ],
)
def test_other_questions_are_not_comparisons(engine: AnswerEngine, question: str) -> None:
    reply = engine._comparisons.answer(question.lower(), TODAY)
    assert reply is None, reply


def test_a_step_order_question_gets_the_steps(engine: AnswerEngine) -> None:
    answer = ask(engine, "which one do I send in first, the funding or the mentoring application?")
    said(answer, r"mentoring program application first")


def test_recognise_reads_the_two_sides() -> None:
    found = recognise(
        "so the gift membership deadline comes before the dsa nomination deadline, right?"
    )
    assert found is not None
    assert (found.kind, found.stated) == ("order", "before")
    assert "gift membership" in found.first and "dsa nomination" in found.second
