"""Stated premises, facts the knowledge does not hold, and questions about something else.

Written from the seed posts in wordings no question set uses, on the shipped file:
a premise inside a longer sentence ("since X, ...", "someone told me X. Is that
true?") is corrected; a fact of the kind asked for must be about the thing asked
(the thing counted, the round whose date is asked, a length in hours); a question
about another organisation, or asking for advice, gets the contact.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from bot.answers import Answer, AnswerEngine

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2021, 10, 1)
CONTACT = "eserrano@ala.org"


def ask(engine: AnswerEngine, question: str, today: dt.date = TODAY) -> Answer:
    return engine.answer(question, today=today)


# ------------------------------------------------------- wrong premises, framed
@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("I heard the mentoring program only runs for six months, is that true?", "one year"),
        ("My understanding is that a mentoring match lasts two years", "one year"),
        (
            "Since mentees must be ALSC members, I guess my library school student can't apply?",
            "do **not** need",
        ),
        ("I was told the membership mixer starts at 6pm central time", "5 pm"),
        ("Since the mixer is at 5 Pacific, I'll just log on at 5 my time?", "CST"),
        ("Someone said the mixer starts at 6pm. Is that true?", "5:00 PM"),
        (
            "So the Friends of ALSC fund up to 100 memberships for BIPOC mentoring participants?",
            "50",
        ),
        ("I'm pretty sure ALSC Board meetings are closed to regular members, yeah?", "open"),
        ("heard the DSA deadline got pushed to Dec 14", "December 7"),
        ("As far as I know, the mentoring program started in 2015.", "2013"),
        ("The mixer's at 4pm CST isn't it?", "5 pm"),
        ("Correct me if I'm wrong but mentees need to be 21?", "18"),
        ("mentees gotta be members right", "do **not** need"),
        ("ok so the BIPOC funding covers up to 25 memberships?", "50"),
        (
            "My coworker says once a DSA nominee loses you can't nominate them again. true?",
            "new set",
        ),
    ],
)
def test_a_premise_in_an_assumption_or_hearsay_frame_is_corrected(
    engine: AnswerEngine, question: str, fact: str
) -> None:
    answer = ask(engine, question)

    assert answer.answered
    assert answer.text.startswith("Not quite"), answer.text
    assert fact in answer.text


def test_a_true_assumption_is_not_contradicted(engine: AnswerEngine) -> None:
    answer = ask(engine, "I assume mentors have to be ALSC members?")

    assert answer.answered
    assert "must be ALSC members" in answer.text
    assert "Not quite" not in answer.text


def test_a_since_clause_about_the_member_is_context_not_a_premise(engine: AnswerEngine) -> None:
    answer = ask(engine, "since I'm not a member, can I still be a mentee?")

    assert answer.answered
    assert "do **not** need" in answer.text
    assert "Not quite" not in answer.text


# ------------------------------------------------- the fact must be about the thing asked
@pytest.mark.parametrize(
    ("question", "unknown"),
    [
        ("how many mentees does each mentor usually get paired with?", "that number"),
        ("how many mentors applied in 2021?", "that number"),
        ("how many hours a week does being a mentor take", "how long"),
        ("how many minutes a day should I spend with my mentee?", ""),
        ("what do non-members pay for the online courses?", ""),
        ("how much are ALSC dues?", ""),
        ("how many people came to last year's membership mixer?", ""),
        ("how many people sit on the Professional Recognition and Scholarships Committee?", ""),
        ("when did the fall 2016 round of mentoring applications close?", "date"),
        ("when is the library learning experience happening?", "date"),
        ("how much was the REFORMA donation in 2019?", ""),
        ("how many members does the Membership Committee have?", ""),
        ("what's the zoom link for the mixer?", ""),
        ("What's the deadline for next year's DSA nominations?", ""),
        ("Is there a fee to attend the mixer?", ""),
        ("Where is the mixer being held?", ""),
        ("What time does the underserved committee chat start?", ""),
        ("how much does a gift membership cost?", ""),
        ("How long are the ALSC webinars usually?", ""),
    ],
)
def test_a_fact_about_something_else_in_the_entry_does_not_answer(
    engine: AnswerEngine, question: str, unknown: str
) -> None:
    answer = ask(engine, question)

    assert not answer.answered, answer.text
    assert "I'm sorry, I don't" in answer.text
    assert unknown in answer.text
    assert CONTACT in answer.text


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("how many mentee applications came in?", "30"),
        ("how many people applied to be mentees?", "30"),
        ("how many memberships do the Friends of ALSC fund for BIPOC mentees?", "50"),
        ("when did the spring 2017 mentoring applications close?", "February 24"),
        ("how long is the mentoring program?", "one year"),
        ("what time is the mixer?", "5 pm"),
    ],
)
def test_a_fact_about_the_thing_asked_still_answers(
    engine: AnswerEngine, question: str, fact: str
) -> None:
    answer = ask(engine, question)

    assert answer.answered, answer.text
    assert fact in answer.text


# ------------------------------------------- about something else, sharing our words
@pytest.mark.parametrize(
    "question",
    [
        "Does YALSA run a mentoring program as well?",
        "Is the PLA membership mixer open to everyone?",
        "Does the Public Library Association offer gift memberships?",
        "does the Texas Library Association have a mentoring program?",
        "what is YALSA's deadline for award nominations?",
        "Which MLIS programs are best for children's librarianship?",
        "What is the best storytime book for toddlers?",
        "Do you think I should quit my job to become a children's librarian?",
        "would you recommend I become a school librarian or a public librarian?",
        "Does the New York Public Library have a mentoring program?",
        "Can you recommend a good picture book about grief?",
        "How do I join YALSA?",
        "What are the best apps for running a virtual storytime?",
    ],
)
def test_a_question_about_something_else_gets_the_contact(
    engine: AnswerEngine, question: str
) -> None:
    answer = ask(engine, question)

    assert not answer.answered, answer.text
    assert answer.sources == ()
    assert CONTACT in answer.text


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("does ALSC have a mentoring program?", "pairs mentors and mentees"),
        ("does ALA have elections?", "ballot"),
        ("does the membership committee host the mixer?", "Membership Committee"),
        ("does the friends of alsc fund memberships?", "50"),
        ("do state library associations offer webinars?", "state library associations"),
        ("what's the best way to thank someone who ran a webinar?", "directory"),
        ("why should I become a mentor?", "must be ALSC members"),
        ("does the board hold open meetings?", "open"),
        ("how do I join a committee?", "olunteer"),
        ("how much did the Friends give to REFORMA?", "5,000"),
        ("should I host a Día program?", "registry"),
    ],
)
def test_a_question_about_our_own_programs_is_still_answered(
    engine: AnswerEngine, question: str, fact: str
) -> None:
    answer = ask(engine, question)

    assert answer.answered, answer.text
    assert fact in answer.text


# ------------------------------------------------------ the kind of fact asked for
@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("which competency does the professional development post cover?", "VII"),
        ("is it possible for me to pay for a coworker's membership as a gift?", "gift"),
        ("who is the mentoring program for?", "members and non-members"),
        ("how long does the mentoring program go for?", "one year"),
        ("when do mentoring applications close?", "October 11"),
        ("when is the ballot deadline?", "January 31"),
        ("deadline for the bipoc membership funding application?", "October 11"),
        ("In what year did the Emerging Leaders team recommend the program?", "2012"),
    ],
)
def test_a_word_that_looks_like_a_fact_kind_does_not_ask_for_one(
    engine: AnswerEngine, question: str, fact: str
) -> None:
    answer = ask(engine, question)

    assert answer.answered, answer.text
    assert fact in answer.text


@pytest.mark.parametrize(
    "question",
    [
        "what are the exact dates of the Youth Media Awards?",
        "when are mentees told which mentor they got?",
        "how many mentor applications came in this round?",
        "when do mentees hear back about their application?",
        "when will matches be announced?",
        "how soon after applying do you find out if you got a mentor?",
    ],
)
def test_a_source_note_or_a_sibling_count_is_not_the_fact(
    engine: AnswerEngine, question: str
) -> None:
    answer = ask(engine, question)

    assert not answer.answered, answer.text
    assert CONTACT in answer.text


# ------------------------------------------------------------ true premises
@pytest.mark.parametrize(
    "question",
    [
        "non-members can be mentees, right?",
        "mentees don't have to be members, right?",
        "Since mentors have to be members, I should renew first?",
        "someone told me you can nominate someone again if they didn't win. is that true?",
        "Día booklists are available all year, right?",
        "I assume mentees don't need to be ALA members either?",
        "the friends fund up to 50 memberships right?",
    ],
)
def test_a_true_premise_is_never_called_wrong(engine: AnswerEngine, question: str) -> None:
    answer = ask(engine, question)

    assert answer.answered, answer.text
    assert not answer.text.startswith("Not quite"), answer.text


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("I assume mentors have to be ALSC members?", "must be ALSC members"),
        ("so the program lasts a year?", "one year"),
        ("I heard the mixer is at 5pm central, correct?", "5:00 PM CST"),
    ],
)
def test_a_true_premise_is_confirmed(engine: AnswerEngine, question: str, fact: str) -> None:
    answer = ask(engine, question)

    assert answer.text.startswith("Yes, that's right"), answer.text
    assert fact in answer.text


def test_a_double_negative_premise_is_corrected(engine: AnswerEngine) -> None:
    answer = ask(
        engine, "Given that non-members can't be mentees, should my friend join ALSC first?"
    )

    assert answer.text.startswith("Not quite"), answer.text
    assert "do **not** need" in answer.text


@pytest.mark.parametrize(
    "question",
    [
        "The chat on February 22 is hosted by the Membership Committee, right?",
        "the gift membership cutoff was December 7, right?",
        "nominations for the DSA were due the 14th of December, correct?",
    ],
)
def test_a_premise_with_a_right_date_and_a_wrong_detail_is_not_confirmed(
    engine: AnswerEngine, question: str
) -> None:
    answer = ask(engine, question, dt.date(2020, 11, 1))

    assert "Yes, that's right" not in answer.text, answer.text


@pytest.mark.parametrize(
    "question",
    ["dsa due date 2020?", "the feb 22 chat is with which committee?", "mixer start time?"],
)
def test_a_question_without_a_question_word_is_no_premise(
    engine: AnswerEngine, question: str
) -> None:
    answer = ask(engine, question, dt.date(2020, 11, 1))

    assert not answer.text.startswith(("Yes, that's right", "Not quite")), answer.text


# ------------------------------------------- one verdict, the right one, in every frame
#: Statements from the seed posts, each true one beside a false one in the same frame:
#: "right?", "isn't it?", "yeah", "correct?", "I heard ...", "since ...", "as far as I know".
TRUE_PREMISES = [
    ("the mentorship lasts one year, right?", "one year"),
    ("the mentoring program is a year long, isn't that right?", "one year"),
    ("mentoring runs for twelve months, correct?", "one year"),
    ("mentees don't have to be ALSC members, isn't that so?", "do **not** need"),
    ("I heard mentors have to be ALSC members", "must be ALSC members"),
    ("mentors need to be members of ALSC, yeah?", "must be ALSC members"),
    ("Mentees have to be at least 18, correct?", "18"),
    ("the Friends of ALSC fund up to 50 memberships for BIPOC participants, right?", "50"),
    ("I heard the BIPOC membership funding is new in 2021", "New in 2021"),
    ("the mixer is at 5pm central, isn't it?", "5"),
    ("the membership mixer is on January 27th yeah", "January 27"),
    ("the mixer is on the 27th, right?", "January 27"),
    ("I was told the Membership Committee hosts the mixer", "Membership Committee"),
    ("the lightning sessions at the mixer are 5 minutes each, right?", "5-minute"),
    ("mentoring applications close on October 11, right?", "October 11"),
    ("I heard the DSA nomination deadline was extended to December 7", "December 7"),
    ("ALSC committee meetings are open to any member, correct?", "open"),
    ("the underserved committee chat is on Feb 22, isn't it?", "February 22"),
    ("As far as I know the mentoring program started in 2013", "2013"),
    ("gift memberships had to be received by December 14 in 2020, right?", "December 14"),
    ("just to confirm, the mixer starts at 5 pm CST?", "5"),
    ("so mentoring is a one-year commitment?", "one year"),
    ("the mentoring program has been going since 2013, right?", "2013"),
    ("the 2022 mixer is hosted by the Membership Committee, correct?", "Membership Committee"),
    ("Someone told me the ballot deadline is January 31, is that true?", "January 31"),
    ("the chat with the underserved committee is February 22nd, yep?", "February 22"),
    ("if I remember right, over 30 mentee applications came in this year", "30"),
    ("the Friends fund 50 memberships, yes?", "50"),
    ("ALSC board meetings are open to members, aren't they?", "open"),
]
FALSE_PREMISES = [
    ("the mentorship lasts two years, right?", "one year"),
    ("mentoring runs for six months, correct?", "one year"),
    ("mentees have to be ALSC members, isn't that so?", "do **not** need"),
    ("I heard mentors don't have to be ALSC members", "must be ALSC members"),
    ("Mentees have to be at least 21, correct?", "18"),
    ("The BIPOC funding covers 25 memberships, doesn't it?", "50"),
    ("the Friends of ALSC fund up to 100 memberships for BIPOC participants, right?", "50"),
    ("the mixer is at 7pm central, isn't it?", "5"),
    ("the membership mixer is on January 20th yeah", "January 27"),
    ("the mixer is on the 25th, correct?", "January 27"),
    ("the lightning sessions at the mixer are 10 minutes each, right?", "5-minute"),
    ("mentoring applications close on October 15, right?", "October 11"),
    ("I heard the DSA nomination deadline was extended to December 14", "December 7"),
    ("Since board meetings are closed to regular members, how can I follow them?", "open"),
    ("the underserved committee chat is on Feb 15, isn't it?", "February 22"),
    ("As far as I know the mentoring program started in 2016", "2013"),
    ("I was told the Awards Committee hosts the mixer", "Membership Committee"),
    ("just to confirm, the mixer starts at 6 pm CST?", "5"),
    ("so mentoring is a two-year commitment?", "one year"),
    ("my understanding is that mentees must be members", "do **not** need"),
    ("mentors can be non-members, right?", "must be ALSC members"),
    ("the mentoring program has been going since 2010, right?", "2013"),
    ("Someone told me the ballot deadline is January 15, is that true?", "January 31"),
    ("the chat with the underserved committee is February 20th, yep?", "February 22"),
    ("the Friends fund 75 memberships, yes?", "50"),
    ("ALSC board meetings are closed to members, aren't they?", "open"),
    ("mentorships last 3 months, don't they?", "one year"),
    ("the mixer is at 5 pm eastern, right?", "CST"),
]
BOTH = re.compile(r"Not quite.*(Yes, that's right|Yes\.)|Yes, that's right.*Not quite", re.S)


@pytest.mark.parametrize(("question", "fact"), TRUE_PREMISES)
def test_a_true_statement_is_confirmed_in_every_frame(
    engine: AnswerEngine, question: str, fact: str
) -> None:
    answer = ask(engine, question, dt.date(2020, 11, 1) if "2020" in question else TODAY)

    assert answer.answered, answer.text
    assert answer.text.startswith("Yes"), answer.text
    assert "Not quite" not in answer.text and "Not on that day" not in answer.text
    assert fact in answer.text


@pytest.mark.parametrize(("question", "fact"), FALSE_PREMISES)
def test_a_false_statement_is_corrected_in_every_frame(
    engine: AnswerEngine, question: str, fact: str
) -> None:
    answer = ask(engine, question)

    assert answer.answered, answer.text
    assert answer.text.startswith("Not quite, that's not what I have."), answer.text
    assert not BOTH.search(answer.text), answer.text
    assert fact in answer.text


@pytest.mark.parametrize(
    "question",
    [
        "I heard the Board meets monthly",
        "the mixer is on Zoom, right?",
        "the mentoring program is run by the Membership Committee, right?",
    ],
)
def test_a_premise_that_cannot_be_checked_gets_no_verdict(
    engine: AnswerEngine, question: str
) -> None:
    answer = ask(engine, question)

    assert not answer.text.startswith(("Yes", "Not quite", "Not on that day")), answer.text


@pytest.mark.parametrize(
    "question",
    [
        "my understanding is that mentees can be non-members",
        "you can nominate someone again for the DSA if they didn't win, right?",
        "someone who wasn't selected for the DSA can be nominated again, right?",
        "a DSA nominee who lost can be renominated next year, correct?",
    ],
)
def test_a_not_describing_someone_negates_no_rule(engine: AnswerEngine, question: str) -> None:
    answer = ask(engine, question)

    assert answer.answered, answer.text
    assert "Not quite" not in answer.text


def test_after_since_the_entrys_own_yes_answers_the_question_asked(engine: AnswerEngine) -> None:
    answer = ask(engine, "Since board meetings are open to members, can I just show up?")

    assert answer.text.startswith("Yes"), answer.text
    assert "open meetings" in answer.text


SETS = [
    ROOT.parent / "shared" / "qa" / "dev.yaml",
    ROOT.parent / "shared" / "qa" / "dev2.yaml",
    ROOT / "tests" / "core" / "heldout.yaml",
    *sorted((ROOT / "tests" / "core").glob("blind*.yaml")),
]


def test_no_reply_in_any_set_both_corrects_and_confirms(engine: AnswerEngine) -> None:
    items = [item for path in SETS if path.exists() for item in yaml.safe_load(path.read_text())]
    assert len(items) > 700  # dev, dev2, heldout and every blind set
    contradictions = []
    for item in items:
        today = dt.date.fromisoformat(str(item["today"])) if item.get("today") else TODAY
        text = ask(engine, item["q"], today).text
        if BOTH.search(text) or re.search(r"Yes, that's right\.\s*Not on that day", text):
            contradictions.append(f"{item['q']!r} -> {text[:160]!r}")
    assert not contradictions, "\n".join(contradictions)


# ------------------------------------------- a fixed timetable against "its own time"
@pytest.mark.parametrize(
    "question",
    [
        "Mentors are required to meet their mentee every week on a set schedule, right? "
        "I'm not sure I have time for that",
        "Mentors are required to meet their mentee every week on a set schedule, right?",
        "so mentees meet their mentors daily, is that right?",
    ],
)
def test_a_fixed_schedule_is_corrected_by_meeting_on_its_own_time(
    engine: AnswerEngine, question: str
) -> None:
    answer = ask(engine, question)

    assert answer.answered, answer.text
    assert answer.text.startswith("Not quite"), answer.text
    assert "own time" in answer.text


def test_meeting_on_their_own_time_is_not_corrected(engine: AnswerEngine) -> None:
    answer = ask(engine, "mentors and mentees set their own meeting times, right?")

    assert answer.answered, answer.text
    assert "Not quite" not in answer.text
    assert "own time" in answer.text


def test_a_remark_about_the_member_after_the_tag_is_no_part_of_the_statement() -> None:
    from bot.answers.premise_frames import recognise

    stated = recognise(
        "i'm not sure i have time for that, mentors are required to meet their mentee "
        "every week on a set schedule, right?"
    )
    assert stated is not None
    assert stated.statement.startswith("mentors are required")
    again = recognise("mentors must be alsc members, right? i'm asking for a friend")
    assert again is not None
    assert again.statement == "mentors must be alsc members"


# ------------------------------------------------ round 5: a role stated with its qualifier
@pytest.mark.parametrize(
    "question",
    [
        "Lucia Gonzalez is ALSC President, right?",
        "Lucia Gonzalez is the president of ALSC, isn't she?",
        "Jamie Naidoo is the ALSC president, correct?",
    ],
)
def test_a_bare_role_is_not_a_vice_or_past_holders(engine: AnswerEngine, question: str) -> None:
    answer = ask(engine, question)

    assert answer.text.startswith("Not quite"), answer.text
    assert re.search(r"Vice-President|Past President", answer.text)


@pytest.mark.parametrize(
    "question",
    [
        "Lucia Gonzalez was ALSC Vice-President, right?",
        "Jamie Naidoo was a past president of ALSC, correct?",
    ],
)
def test_a_role_stated_with_its_qualifier_is_confirmed(engine: AnswerEngine, question: str) -> None:
    answer = ask(engine, question)

    assert answer.text.startswith("Yes, that's right"), answer.text


def test_past_that_qualifies_no_role_is_no_role() -> None:
    from bot.answers.fact_checks import holds_the_role

    sentence = "someone who was not selected in the past can be nominated again."
    assert holds_the_role(sentence, "someone can be nominated again if they didn't win")
    assert not holds_the_role("X was ALSC Vice-President.", "X is ALSC President")
