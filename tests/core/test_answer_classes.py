"""Each class of question that used to get a confident wrong answer, on the shipped file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.answers import Answer, AnswerEngine
from bot.answers.compound import split_question
from bot.answers.fact_kinds import fact_kind
from bot.answers.passages import split_passages
from bot.core import BotCore
from bot.knowledge import load_knowledge
from bot.requests import Request, UserRef
from bot.storage.models import UnansweredQuestion

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2021, 10, 1)
ALICE = UserRef("console", "local", "alice", "Alice")


def ask(engine: AnswerEngine, question: str, today: dt.date = TODAY) -> Answer:
    return engine.answer(question, today=today)


# ---------------------------------------------------------------- siblings
@pytest.mark.parametrize(
    "question",
    ["mentor requirements", "requirements to be a mentor", "can a non member be a mentor"],
)
def test_a_mentor_question_never_gets_the_mentee_rule(engine: AnswerEngine, question: str) -> None:
    answer = ask(engine, question)

    assert answer.answered
    assert "must be ALSC members" in answer.text
    assert "Mentee applicants do **not** need" not in answer.text


def test_a_question_naming_both_siblings_gets_both(engine: AnswerEngine) -> None:
    answer = ask(engine, "mentor vs mentee, who has to be a member?")

    assert set(answer.sources) == {"mentoring-become-mentor", "mentoring-mentee-eligibility"}
    assert "must be ALSC members" in answer.text and "do **not** need" in answer.text


def test_the_distinguishing_word_picks_the_deadline(engine: AnswerEngine) -> None:
    gift = ask(engine, "gift membership deadline?", today=dt.date(2020, 12, 1))
    nomination = ask(engine, "dsa nomination deadline", today=dt.date(2020, 12, 1))

    assert "December 14" in gift.text and "December 7" not in gift.text
    assert "December 7" in nomination.text


# ------------------------------------------------------------ missing facts
@pytest.mark.parametrize(
    ("question", "kind", "phrase"),
    [
        ("how much does an ALSC membership cost?", "cost", "what alsc membership costs"),
        ("is the mixer free?", "paying", "who pays for the mixer, or what it costs"),
        ("how long does the membership mixer run?", "duration", "how long the membership mixer"),
        ("what's the zoom link for the membership mixer?", "link", "a link for the membership"),
        ("who won the Distinguished Service Award last year?", "winner", "who won the"),
        ("how do i sign up for the mixer", "how_to", "the steps for the mixer"),
    ],
)
def test_a_fact_the_entry_does_not_hold_is_not_answered(
    engine: AnswerEngine, question: str, kind: str, phrase: str
) -> None:
    answer = ask(engine, question)

    assert fact_kind(question.lower()) is not None
    assert fact_kind(question.lower()).kind == kind  # type: ignore[union-attr]
    assert not answer.answered
    assert answer.kind == "missing_fact"
    assert f"I don't know {phrase}" in answer.text
    assert "eserrano@ala.org" in answer.text


def test_a_number_that_changes_every_day_is_not_answered(engine: AnswerEngine) -> None:
    answer = ask(engine, "how many of the funded BIPOC memberships are still available?")

    assert fact_kind("how many are still available") is not None
    assert not answer.answered
    assert "50" not in answer.text.split("Here's what I do know")[0]


def test_next_years_dates_are_not_guessed(engine: AnswerEngine) -> None:
    answer = ask(engine, "when do mentoring applications open next year?", dt.date(2021, 10, 20))

    assert not answer.answered
    assert "the dates for 2022" in answer.text


def test_time_of_day_missing_from_a_calendar_date(engine: AnswerEngine) -> None:
    answer = ask(engine, "what time is the feb 22 chat with the underserved children committee?")

    assert not answer.answered
    assert "time of day" in answer.text
    assert "February 22, 2022" in answer.text  # what is known is still offered


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("are ALSC webinars free?", "free for members"),
        ("mixer time?", "5 pm CST"),
        ("how long does the mentoring program last?", "one year"),
        ("how many BIPOC memberships are funded?", "50"),
    ],
)
def test_a_fact_the_entry_holds_is_answered(
    engine: AnswerEngine, question: str, expected: str
) -> None:
    answer = ask(engine, question)

    assert answer.answered
    assert expected in answer.text


# ------------------------------------------------------- two questions
def test_two_questions_in_one_message_are_both_answered(engine: AnswerEngine) -> None:
    answer = ask(
        engine,
        "when's the membership mixer? also what hashtag do we use for the youth media awards",
    )

    assert answer.kind == "compound"
    assert set(answer.sources) == {"membership-mixer", "youth-media-awards"}
    assert "January 27, 2022" in answer.text and "#alayma" in answer.text


def test_a_part_using_a_pronoun_borrows_the_first_parts_topic(engine: AnswerEngine) -> None:
    answer = ask(engine, "what's Elly's email and what's her job title?")

    assert "eserrano@ala.org" in answer.text
    assert "Membership and Marketing Specialist" in answer.text


def test_one_question_with_a_comma_is_not_split() -> None:
    assert split_question("mentor vs mentee, who has to be a member?") == [
        "mentor vs mentee, who has to be a member?"
    ]


# --------------------------------------------------------- wrong premises
@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("so mentoring is a two-year commitment, right?", "one year"),
        ("Friends of ALSC is paying for 100 BIPOC memberships for mentoring, right?", "50"),
        ("mentees have to be ALSC members, right?", "do **not** need"),
    ],
)
def test_a_wrong_premise_is_corrected(engine: AnswerEngine, question: str, fact: str) -> None:
    answer = ask(engine, question)

    assert answer.answered
    assert answer.text.startswith("Not quite")
    assert fact in answer.text


def test_a_right_premise_is_confirmed(engine: AnswerEngine) -> None:
    answer = ask(engine, "the mentoring program lasts one year, right?")

    assert answer.text.startswith("Yes, that's right")


# ------------------------------------------------------------- small talk
@pytest.mark.parametrize(
    ("message", "reply"),
    [
        ("hi", "Hello"),
        ("thanks!", "You're welcome"),
        ("ok cool", "Great"),
        ("what can you do?", "kudos"),
        ("help", "kudos"),
        ("are you a bot?", "I'm a bot"),
    ],
)
def test_small_talk_gets_a_friendly_reply_not_an_entry(
    engine: AnswerEngine, message: str, reply: str
) -> None:
    answer = ask(engine, message)

    assert answer.kind == "small_talk"
    assert answer.sources == ()
    assert reply in answer.text


def test_a_greeting_before_a_question_still_gets_the_answer(engine: AnswerEngine) -> None:
    answer = ask(engine, "hi! when is the membership mixer?")

    assert answer.sources == ("membership-mixer",)


def test_thanks_in_a_question_about_thanking_is_not_small_talk(engine: AnswerEngine) -> None:
    assert ask(engine, "how do I thank someone who ran a webinar?").kind != "small_talk"


# ------------------------------------------------------- calendar ranges
@pytest.mark.parametrize(
    ("question", "today", "expected", "absent"),
    [
        ("anything due in october?", "2021-09-20", ["October 11, 2021", "BIPOC"], []),
        ("was anything due last month?", "2021-01-10", ["December 7", "December 14"], []),
        ("was there anything due last week", "2021-10-18", ["October 11"], []),
        ("next event?", "2022-01-28", ["February 22"], ["January 31"]),
        ("what deadlines are left this year", "2020-12-01", ["December 7", "December 14"], []),
    ],
)
def test_calendar_by_month_range_or_kind(
    engine: AnswerEngine, question: str, today: str, expected: list[str], absent: list[str]
) -> None:
    answer = ask(engine, question, dt.date.fromisoformat(today))

    assert answer.kind == "calendar"
    for text in expected:
        assert text in answer.text
    for text in absent:
        assert text not in answer.text


def test_two_deadlines_on_one_day_are_both_listed(engine: AnswerEngine) -> None:
    answer = ask(engine, "what's the next deadline?", dt.date(2021, 10, 1))

    assert set(answer.sources) == {"mentoring-applications-2021", "bipoc-membership-funding-2021"}


# ------------------------------------------------------ the answer asked
def test_a_specific_question_gets_the_paragraph_that_answers_it(engine: AnswerEngine) -> None:
    whole = engine.entry_text("mentoring-history")
    answer = ask(engine, "when did the mentoring program start?")

    assert answer.answered and answer.sources == ("mentoring-history",)
    assert "since Fall 2013" in answer.text
    assert len(answer.text) < len(whole)
    assert 'ask me "tell me about history of the mentoring program"' in answer.text
    full = ask(engine, "tell me about the history of the mentoring program")
    assert "National Mentoring Month" in full.text


def test_a_lead_in_line_stays_with_its_list() -> None:
    passages = split_passages("Some examples:\n\n- one\n- two\n\nAnother paragraph.")

    assert len(passages) == 2
    assert passages[0].sentences == ("Some examples:", "one", "two")


# ------------------------------------------------------ stored for staff
async def test_small_talk_is_never_stored_but_a_missing_fact_is(core: BotCore) -> None:
    def request(text: str) -> Request:
        return Request(
            platform="console",
            workspace_id="local",
            channel_id="console",
            sender=ALICE,
            command="ask",
            text=text,
        )

    for text in ("thanks!", "hi", "are you a bot?", "how much does an ALSC membership cost?"):
        await core.handle(request(text))
    await core.handle(request("when is the mixer? and what is the capital of australia?"))

    async with core.database.session() as session:
        stored = (await session.scalars(select(UnansweredQuestion.question))).all()
    assert sorted(stored) == [
        "how much does an ALSC membership cost?",
        "what is the capital of australia?",
    ]


# ------------------------------------------------------ details of the rules
def test_a_close_entry_on_the_same_subject_answers_a_count_the_best_lacks(
    engine: AnswerEngine,
) -> None:
    answer = ask(engine, "how many ppl applied to be mentees this year")

    assert answer.answered
    assert "over 30 mentee applications" in answer.text


def test_a_year_is_not_a_count(engine: AnswerEngine) -> None:
    answer = ask(engine, "how many members does alsc have")

    assert not answer.answered


def test_what_date_needs_a_day_not_a_month(engine: AnswerEngine) -> None:
    answer = ask(engine, "What date does ALA's Library Learning Experience start?")

    assert not answer.answered
    assert "the exact date" in answer.text


@pytest.mark.parametrize(
    ("question", "today", "expected", "absent"),
    [
        ("anything still due before the end of the year?", "2020-12-08", "December 14", "2021"),
        ("anything due before february?", "2022-01-28", "January 31", "February 22"),
    ],
)
def test_calendar_until_a_point(
    engine: AnswerEngine, question: str, today: str, expected: str, absent: str
) -> None:
    answer = ask(engine, question, dt.date.fromisoformat(today))

    assert expected in answer.text and absent not in answer.text


def test_a_premise_with_a_wrong_date_and_time_is_corrected(engine: AnswerEngine) -> None:
    answer = ask(engine, "the membership mixer is jan 31 at 5pm eastern?")

    assert answer.sources == ("membership-mixer-2022",)
    assert "January 27, 2022 at 5:00 PM CST" in answer.text


def test_small_talk_after_a_greeting_is_still_small_talk(engine: AnswerEngine) -> None:
    assert ask(engine, "hey, how do I use this thing?").kind == "small_talk"


def test_a_part_that_borrows_context_keeps_its_own_question(engine: AnswerEngine) -> None:
    answer = ask(
        engine,
        "How do I send in a gift membership; also what's the deadline?",
        dt.date(2020, 12, 2),
    )

    assert "by email" in answer.text and "December 14" in answer.text


def test_a_terse_question_naming_one_sibling(engine: AnswerEngine) -> None:
    answer = ask(engine, "mentee membership?")

    assert answer.sources == ("mentoring-mentee-eligibility",)


def test_an_origin_question_needs_a_beginning(engine: AnswerEngine) -> None:
    answer = ask(engine, "When did ALSC start matching mentors with mentees?")

    assert answer.sources == ("mentoring-history",)
    assert "since Fall 2013" in answer.text


def test_a_deadline_reference_to_no_deadline_is_a_problem() -> None:
    from bot.knowledge.checks import find_problems

    knowledge = load_knowledge(ROOT / "data" / "knowledge.yaml")
    entry = knowledge.entries[0].model_copy(update={"answer": "Closes {deadline:mentoring-2021}."})
    broken = knowledge.model_copy(update={"entries": [entry, *knowledge.entries[1:]]})

    problems = [problem.message for problem in find_problems(broken)]
    assert any(
        "{deadline:mentoring-2021} is not a deadline id" in message
        and "did you mean 'mentoring-applications-2021'" in message
        for message in problems
    ), problems
    assert not find_problems(knowledge)


def test_reminders_for_a_deadline_that_closes_before_a_date_count_from_the_day_before() -> None:
    import datetime as _dt

    from bot.broadcasts.reminders import plan_reminders

    knowledge = load_knowledge(ROOT / "data" / "knowledge.yaml")
    planned = {
        item.offset_days: item
        for item in plan_reminders(knowledge, offsets=(0, 1), at=_dt.time(9, 0))
        if item.deadline_id == "election-ballot-membership-2022"
    }

    zone = knowledge.organisation.zone
    assert planned[0].due_at.astimezone(zone).date() == _dt.date(2022, 1, 30)
    assert planned[1].due_at.astimezone(zone).date() == _dt.date(2022, 1, 29)
    assert "last day Sunday, January 30, 2022, before Monday, January 31, 2022" in planned[0].body


@pytest.mark.parametrize("message", ["yo whats up", "how are you", "good night", "take care"])
def test_more_small_talk(engine: AnswerEngine, message: str) -> None:
    assert ask(engine, message).kind == "small_talk"


def test_where_an_event_takes_place_is_not_guessed(engine: AnswerEngine) -> None:
    answer = ask(engine, "where is the mixer", dt.date(2022, 1, 20))

    assert not answer.answered
    assert "where the mixer takes place" in answer.text


def test_a_premise_introduced_by_i_heard_is_searched_as_a_statement(engine: AnswerEngine) -> None:
    corrected = ask(engine, "i heard mentors dont need to be members, true?")
    confirmed = ask(engine, "the mixer is at 5pm cst right?", dt.date(2022, 1, 20))

    assert corrected.text.startswith("Not quite") and "must be ALSC members" in corrected.text
    assert confirmed.text.startswith("Yes, that's right") and "5 pm CST" in confirmed.text
