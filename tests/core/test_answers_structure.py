"""The shape of a member's message: context around a question, several questions, choices.

Written from the seed posts in words no question set uses. A statement about the member
("I'm new to ALSC.", "I'm trying to plan my month.") is context: never answered on its
own, never stored as unanswered; the question beside it is answered.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.answers import Answer, AnswerEngine
from bot.answers.compound import split_message
from bot.answers.context import Part, is_context
from bot.core import BotCore
from bot.markup import parse_markup
from bot.requests import Request, UserRef
from bot.storage.models import UnansweredQuestion

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2021, 10, 1)
NO_ANSWER = "I don't have an answer to that"
CONTACT = "eserrano@ala.org"


def ask(engine: AnswerEngine, question: str, today: dt.date = TODAY) -> Answer:
    return engine.answer(question, today=today)


def headings(answer: Answer) -> list[str]:
    """The part-questions shown back as headings ("**When is the mixer?**")."""
    return re.findall(r"^\*\*(.+?\?)\*\*$", answer.text, re.M)


def plain(answer: Answer) -> str:
    return parse_markup(answer.text).plain_text()


# ------------------------------------------------------- context before a question
@pytest.mark.parametrize(
    ("question", "source", "fact"),
    [
        (
            "I'm a youth services librarian in a small town and I've never been to one of "
            "your events. When is the membership mixer?",
            "membership-mixer",
            "January 27, 2022",
        ),
        (
            "I just started my MLIS last month. Can a library school student apply to be a mentee?",
            "mentoring-mentee-eligibility",
            "students",
        ),
        (
            "My director says she won't pay my dues next year. How do I get my ballot for "
            "the ALA elections?",
            "membership-renew-ballot",
            "January 31, 2022",
        ),
        (
            "I was reading the blog about kindness this morning. Who reviews the "
            "nominations for the Distinguished Service Award?",
            "dsa-nominate",
            "Professional Recognition and Scholarships Committee",
        ),
        (
            "I've been a children's librarian for twenty years now. What does it take to "
            "become a mentor?",
            "mentoring-become-mentor",
            "must be ALSC members",
        ),
        (
            "I keep hearing about the Friends of ALSC at conferences. What kinds of "
            "projects do they pay for?",
            "friends-funded",
            "Relief Renewals",
        ),
        (
            "Trying to sort out my calendar for the fall. When do the mentoring "
            "applications close?",
            "mentoring-apply",
            "October 11, 2021",
        ),
        (
            "We're a tiny rural library. Do mentors need to be ALSC members?",
            "mentoring-become-mentor",
            "must be ALSC members",
        ),
        (
            "Hi! So, I'm new to all this and my branch has no budget for conferences. "
            "Are ALSC webinars free?",
            "webinars",
            "free for members",
        ),
    ],
)
def test_a_statement_before_the_question_is_context(
    engine: AnswerEngine, question: str, source: str, fact: str
) -> None:
    answer = ask(engine, question)

    assert answer.answered
    assert answer.sources == (source,)
    assert fact in answer.text
    assert NO_ANSWER not in answer.text
    assert answer.unanswered_parts == ()
    assert headings(answer) == []  # one question, answered without a heading


# ------------------------------------------------------- context after a question
@pytest.mark.parametrize(
    ("question", "today", "source", "fact"),
    [
        (
            "How long does the mentoring program last? My supervisor wants to know "
            "before I sign up.",
            TODAY,
            "mentoring-length",
            "one year",
        ),
        (
            "When is the chat with the underserved children committee? I'd like to bring "
            "a couple of coworkers.",
            TODAY,
            "underserved-chat",
            "February 22, 2022",
        ),
        (
            "What time does the mixer start? I work a late shift on Thursdays.",
            dt.date(2022, 1, 10),
            "membership-mixer",
            "5 pm CST",
        ),
        (
            "Where do I find the gift membership form? I'd like to surprise my aunt, she "
            "runs a bookmobile.",
            dt.date(2020, 12, 1),
            "membership-gift",
            "ALA website",
        ),
        (
            "Is there an email address for Elly? I have a question about my renewal.",
            TODAY,
            "contact-elly",
            CONTACT,
        ),
        (
            "Which core competency was the professional connections post about? I'm "
            "putting together a training for our staff.",
            TODAY,
            "core-competencies",
            "Core Competency VII",
        ),
    ],
)
def test_a_statement_after_the_question_is_context(
    engine: AnswerEngine, question: str, today: dt.date, source: str, fact: str
) -> None:
    answer = ask(engine, question, today)

    assert answer.answered
    assert answer.sources == (source,)
    assert fact in answer.text
    assert NO_ANSWER not in answer.text
    assert headings(answer) == []


def test_a_calendar_question_with_a_reason_after_it(engine: AnswerEngine) -> None:
    answer = ask(
        engine,
        "Anything happening in February for ALSC members? Just trying to plan ahead.",
        dt.date(2022, 1, 5),
    )

    assert answer.answered and answer.kind == "calendar"
    assert "February 22, 2022" in answer.text
    assert NO_ANSWER not in answer.text


def test_a_question_about_the_statement_borrows_its_topic(engine: AnswerEngine) -> None:
    mixer = ask(engine, "My question is about the mixer. When is it?")
    form = ask(engine, "I need the gift membership form. Where is it?", dt.date(2020, 12, 1))
    deadline = ask(
        engine,
        "I want to nominate my old supervisor for the Distinguished Service Award. "
        "What's the deadline?",
        dt.date(2020, 12, 1),
    )

    assert mixer.sources == ("membership-mixer",) and "January 27, 2022" in mixer.text
    assert form.sources == ("membership-gift",) and "ALA website" in form.text
    assert deadline.answered and "December 7, 2020" in deadline.text


def test_a_statement_about_the_member_need_not_open_with_i(engine: AnswerEngine) -> None:
    webinars = ask(engine, "The budget at my branch got cut this year. Are ALSC webinars free?")
    mentor = ask(
        engine,
        "Twelve years ago I started as a page. Now I manage a branch. Can I mentor someone?",
    )

    assert webinars.sources == ("webinars",) and "free for members" in webinars.text
    assert mentor.sources == ("mentoring-become-mentor",)
    assert NO_ANSWER not in webinars.text + mentor.text


def test_context_unknown_to_the_bot_does_not_stop_the_answer(engine: AnswerEngine) -> None:
    answer = ask(
        engine,
        "Our county just merged two library systems and everything is chaotic. I only "
        "recently became the children's coordinator. Do mentees have to be ALSC members?",
    )

    assert answer.answered
    assert answer.sources == ("mentoring-mentee-eligibility",)


def test_a_question_the_bot_cannot_answer_is_not_answered_from_the_context(
    engine: AnswerEngine,
) -> None:
    answer = ask(
        engine,
        "Who won the Distinguished Service Award last year? I'm curious what kind of "
        "person usually gets it.",
    )

    assert not answer.answered
    assert CONTACT in answer.text
    assert "curious" not in answer.text.lower()
    assert answer.unanswered_parts == ()


# ------------------------------------------------------- what is context, what asks
@pytest.mark.parametrize(
    "sentence",
    [
        "I'm a branch manager and I only recently joined ALSC",
        "I keep mixing those two up",
        "I'm trying to plan my month",
        "Thinking of suggesting it to a part-timer at my branch",
        "Just curious how long it has been going",
        "My colleague's library stopped paying for her dues this year",
        "We're a small branch with no budget",
        "Someone told me you can only nominate a person once",
        "So I saw a number like 25 somewhere",
        "Trying to get my calendar sorted",
        "Quick one",
        "Sorry if this is a dumb question",
        "A couple of questions",
        "Question about the mixer",
        "The budget at my branch got cut this year",
        "Last month I joined ALSC",
        "Twelve years ago I started as a page",
    ],
)
def test_statements_about_the_member_are_context(sentence: str) -> None:
    assert is_context(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "When is the mixer?",
        "I was wondering when the mixer is",
        "I'd like to know who reviews the nominations",
        "I'm not sure which committee would suit me",
        "My question is whether mentors need to be members",
        "I wanted to ask if the mixer is free",
        "Could you tell me the deadline",
        "Tell me about the mentoring program",
        "Please send me the gift membership link",
        "I keep mixing those two up?",
        "Mentees have to be members",
        "How do I volunteer for a committee",
        "Send me the gift membership link",
        "Let me know when the mixer is",
        "Also, how do I apply",
    ],
)
def test_questions_and_requests_are_not_context(sentence: str) -> None:
    assert not is_context(sentence)


@pytest.mark.parametrize(
    "message",
    [
        "When is the mixer? Thanks so much in advance.",
        "When is the mixer? Have a great day!",
        "When is the mixer? Much appreciated.",
    ],
)
def test_thanks_after_a_question_is_not_a_question(engine: AnswerEngine, message: str) -> None:
    answer = ask(engine, message)

    assert answer.sources == ("membership-mixer",)
    assert headings(answer) == []


@pytest.mark.parametrize("message", ["when is the mixer? thanks", "when is the mixer\nthx"])
def test_a_one_word_thanks_after_a_question_is_not_part_of_it(
    engine: AnswerEngine, message: str
) -> None:
    answer = ask(engine, message)

    assert answer.answered and answer.sources == ("membership-mixer",)


def test_a_list_of_questions_on_separate_lines(engine: AnswerEngine) -> None:
    numbered = ask(engine, "1. when do mentoring apps close\n2. do mentors need to be members")
    bulleted = ask(engine, "- when is the mixer\n- what's the hashtag for the YMAs")

    assert headings(numbered) == [
        "When do mentoring apps close?",
        "Do mentors need to be members?",
    ]
    assert "October 11, 2021" in numbered.text and "must be ALSC members" in plain(numbered)
    assert set(bulleted.sources) == {"membership-mixer", "youth-media-awards"}


def test_a_line_wrapped_in_mid_sentence_is_one_sentence() -> None:
    parts = split_message("I was wondering when the\nmixer is this year")

    assert len(parts) == 1


def test_a_statement_on_its_own_line_is_context(engine: AnswerEngine) -> None:
    answer = ask(engine, "Hi!\nI'm new to ALSC.\nHow do I volunteer for a committee?")

    assert answer.sources == ("committee-volunteer",)
    assert headings(answer) == []


def test_thanks_after_an_unknown_question_does_not_find_an_answer(engine: AnswerEngine) -> None:
    answer = ask(engine, "What's the capital of Australia? Thanks so much in advance.")

    assert not answer.answered and answer.kind == "abstained"
    assert CONTACT in answer.text


@pytest.mark.parametrize(
    "sentence",
    [
        "I need the deadline for gift memberships",
        "I'm looking for the gift membership form",
        "We'd like more information about the mixer",
        "I want to know the mixer date",
        "I need to check the gift deadline",
    ],
)
def test_asking_for_a_thing_in_the_first_person_is_not_context(sentence: str) -> None:
    assert not is_context(sentence)


def test_and_going_on_with_a_statement_stays_in_it() -> None:
    parts = split_message(
        "I'm on staff at a library foundation and was curious. What will the Friends of "
        "ALSC report show?"
    )

    assert [(part.shown, part.context) for part in parts] == [
        ("I'm on staff at a library foundation and was curious", True),
        ("What will the Friends of ALSC report show?", False),
    ]


def test_a_message_of_statements_only_is_read_whole() -> None:
    parts = split_message("I just joined ALSC. And I want to volunteer for a committee")

    assert [(part.text, part.context) for part in parts] == [
        ("i just joined alsc. and i want to volunteer for a committee", False)
    ]


def test_an_indirect_question_in_the_first_person_is_answered(engine: AnswerEngine) -> None:
    answer = ask(engine, "I'd like to know when the mixer is. And who is hosting it?")

    assert answer.answered
    assert "January 27, 2022" in answer.text and "Membership Committee" in answer.text


# ------------------------------------------------------- headings in the member's words
def test_headings_keep_the_members_own_capitals(engine: AnswerEngine) -> None:
    answer = ask(
        engine,
        "When is the ALSC membership mixer in January? And what hashtag do we use for "
        "the Youth Media Awards?",
    )

    assert headings(answer) == [
        "When is the ALSC membership mixer in January?",
        "What hashtag do we use for the Youth Media Awards?",
    ]
    assert "January 27, 2022" in answer.text and "#alayma" in answer.text


def test_a_heading_has_no_markup_or_accents_of_its_own(engine: AnswerEngine) -> None:
    answer = ask(engine, "Where do I send my *Día* program? And what's the YMA hashtag?")

    assert headings(answer) == ["Where do I send my Dia program?", "What's the YMA hashtag?"]
    assert "#alayma" in answer.text


def test_a_request_is_shown_as_the_member_put_it(engine: AnswerEngine) -> None:
    answer = ask(engine, "tell me about the Dia booklists. also who makes them?")

    assert headings(answer) == ["Who makes them?"]
    assert answer.text.startswith("**Tell me about the Dia booklists**\n")


def test_context_never_becomes_a_heading(engine: AnswerEngine) -> None:
    answer = ask(
        engine,
        "What's coming up in January for ALSC members? I'm trying to plan my month.",
        dt.date(2022, 1, 3),
    )

    assert answer.answered
    assert "January 27, 2022" in answer.text
    assert "plan my month" not in answer.text
    assert NO_ANSWER not in answer.text


# ------------------------------------------------------- a part with no topic of its own
@pytest.mark.parametrize(
    ("question", "facts"),
    [
        (
            "can non members join the mentoring program? also how long does it last",
            ["open to members and non-members", "one year"],
        ),
        ("who can apply to be a mentee? and how long does it last?", ["students", "one year"]),
        ("what's Elly's email? and what's her job title?", [CONTACT, "Marketing Specialist"]),
        (
            "tell me about the Dia booklists. also who makes them?",
            ["all year", "Quicklists Consulting Committee"],
        ),
    ],
)
def test_a_second_part_borrows_the_first_parts_topic(
    engine: AnswerEngine, question: str, facts: list[str]
) -> None:
    answer = ask(engine, question)

    assert answer.answered
    for fact in facts:
        assert fact in plain(answer)
    assert answer.unanswered_parts == ()


def test_a_topicless_part_is_never_answered_about_another_topic(engine: AnswerEngine) -> None:
    answer = ask(engine, "I have two questions. Who hosts the mixer? And is there a cost?")

    assert "Membership Committee" in answer.text
    assert "webinars" not in answer.text  # what webinars cost is not what the mixer costs
    assert answer.unanswered_parts == ("is there a cost?",)
    assert "don't know what" in answer.text


def test_the_statement_s_topic_says_which_fact_is_missing(engine: AnswerEngine) -> None:
    answer = ask(engine, "I tried emailing Elly but got no reply. Is there a phone number?")

    assert not answer.answered and answer.kind == "missing_fact"
    assert answer.sources == ("contact-elly",)
    assert "phone number" in answer.text and CONTACT in answer.text


def test_one_standing_for_the_statement_s_topic(engine: AnswerEngine) -> None:
    answer = ask(
        engine, "I missed the mixer last year. Is there one this month?", dt.date(2022, 1, 10)
    )

    assert answer.sources == ("membership-mixer-2022",)
    assert "January 27, 2022" in answer.text


def test_a_pronoun_the_statement_does_not_explain_is_not_guessed(engine: AnswerEngine) -> None:
    answer = ask(engine, "I saw the post. Is it free?")

    assert not answer.answered
    assert "webinars" not in answer.text
    assert CONTACT in answer.text


def test_an_acknowledgement_before_the_question_is_dropped(engine: AnswerEngine) -> None:
    answer = ask(engine, "ok. so is the mixer free or do i need to register?")

    assert headings(answer)[0] == "So is the mixer free?"
    assert set(answer.sources) == {"membership-mixer"}  # the second part keeps its topic


def test_a_statement_unrelated_to_an_unknown_question_does_not_answer_it(
    engine: AnswerEngine,
) -> None:
    answer = ask(engine, "I love my job. What's the capital of Australia?")

    assert not answer.answered and answer.kind == "abstained"


def test_a_remark_about_the_message_is_context(engine: AnswerEngine) -> None:
    quick = ask(engine, "Hey! Quick one. When do mentoring applications close?")
    sorry = ask(
        engine,
        "Sorry if this is a dumb question. How do I find someone in the ALA member directory?",
    )
    about = ask(engine, "Question about the mixer. Is it online?")

    assert quick.sources == ("mentoring-apply",) and NO_ANSWER not in quick.text
    assert sorry.sources == ("thank-someone",) and "ALA Connect" in sorry.text
    assert about.sources == ("membership-mixer",)


def test_a_second_question_with_its_own_topic_does_not_borrow(engine: AnswerEngine) -> None:
    answer = ask(engine, "when is the mixer? and what's the best pizza place in Chicago?")

    assert answer.answered and "January 27, 2022" in answer.text
    assert answer.unanswered_parts == ("what's the best pizza place in chicago?",)
    assert NO_ANSWER in answer.text


def test_and_before_a_verb_going_on_does_not_split() -> None:
    parts = split_message("can I still gift a membership and have it processed this year")

    assert len(parts) == 1


# ------------------------------------------------------- a choice between two things
def test_a_choice_between_two_deadlines_names_which_is_which(engine: AnswerEngine) -> None:
    answer = ask(
        engine,
        "Is December 14 the deadline for the service award nominations or for gift memberships?",
        dt.date(2020, 12, 1),
    )

    assert answer.answered
    assert set(answer.sources) == {"dsa-nominations-2020", "gift-memberships-2020"}
    assert "December 7, 2020" in answer.text and "December 14, 2020" in answer.text
    assert headings(answer) == [
        "Is December 14 the deadline for the service award nominations?",
        "Is December 14 the deadline for gift memberships?",
    ]


def test_a_choice_between_two_events(engine: AnswerEngine) -> None:
    answer = ask(engine, "Is Feb 22 the membership mixer or the underserved committee chat?")

    assert set(answer.sources) == {"membership-mixer-2022", "underserved-committee-chat-2022"}
    assert "January 27, 2022" in answer.text and "February 22, 2022" in answer.text
    assert NO_ANSWER not in answer.text


def test_a_choice_with_context_after_it(engine: AnswerEngine) -> None:
    answer = ask(
        engine,
        "Is Oct 11 the closing date for mentoring applications or for the BIPOC membership "
        "funding? I always get these confused.",
    )

    assert answer.answered
    assert set(answer.sources) == {
        "mentoring-applications-2021",
        "bipoc-membership-funding-2021",
    }
    assert "confused" not in answer.text and NO_ANSWER not in answer.text


def test_a_choice_between_two_dates(engine: AnswerEngine) -> None:
    answer = ask(engine, "is the deadline for the ballot jan 31 or feb 1?")

    assert answer.answered
    assert answer.sources == ("election-ballot-membership-2022",)
    assert headings(answer) == [
        "Is the deadline for the ballot jan 31?",
        "Is the deadline for the ballot feb 1?",
    ]
    assert "Not on that day" in answer.text.split("feb 1?**")[1]


@pytest.mark.parametrize(
    "question",
    [
        "can members or non-members apply to be mentees?",
        "is the mixer online or in person?",
        "do I need to be an ALA or ALSC member to mentor?",
        "is the mentoring program free or not?",
        "who can be a mentor or a mentee?",
        "is the mentoring program one year or two?",
        "is it free or 50 dollars?",
    ],
)
def test_an_or_that_offers_no_two_things_stays_one_question(question: str) -> None:
    assert len(split_message(question)) == 1


# ------------------------------------------------------- small talk still works
@pytest.mark.parametrize(
    ("message", "reply"),
    [
        ("thanks!", "You're welcome"),
        ("ok cool", "anything else"),
        ("Good morning! I'm new here.", "welcome"),
        ("Thank you so much", "You're welcome"),
    ],
)
def test_small_talk_still_gets_a_friendly_reply(
    engine: AnswerEngine, message: str, reply: str
) -> None:
    answer = ask(engine, message)

    assert answer.kind == "small_talk"
    assert reply in answer.text


@pytest.mark.parametrize(
    ("message", "source"),
    [
        ("Good morning. Quick question: how long is the mentoring program?", "mentoring-length"),
        ("I'm new, when is the mixer?", "membership-mixer"),
        ("hello?? anyone there? when is the mixer", "membership-mixer"),
        ("I'm not a member, can I still be a mentor?", "mentoring-become-mentor"),
    ],
)
def test_a_lead_in_before_a_colon_or_comma_is_context(
    engine: AnswerEngine, message: str, source: str
) -> None:
    answer = ask(engine, message)

    assert answer.answered and answer.sources == (source,)
    assert headings(answer) == []


def test_a_lead_in_that_names_the_topic_gives_it(engine: AnswerEngine) -> None:
    answer = ask(engine, "question about the mixer: is it online?")

    assert answer.sources == ("membership-mixer",)


@pytest.mark.parametrize("message", ["anyone there?", "hello?", "are you there?"])
def test_checking_the_bot_is_there_is_a_greeting(engine: AnswerEngine, message: str) -> None:
    assert ask(engine, message).kind == "small_talk"


def test_a_greeting_in_front_of_a_question_is_dropped(engine: AnswerEngine) -> None:
    answer = ask(engine, "Hello there! Who writes the ALSC blog posts?")

    assert answer.answered and answer.sources == ("blog-authors",)
    assert headings(answer) == []


# ------------------------------------------------------- a greeting never hides a question
@pytest.mark.parametrize(
    ("message", "source", "fact"),
    [
        (
            "Good morning all. Could a person who isn't on a committee still sit in on ALSC "
            "committee meetings?",
            "committee-meetings-open",
            "open to any member",
        ),
        (
            "Good evening. I would like to learn who reviews Distinguished Service Award "
            "nominations.",
            "dsa-nominate",
            "Professional Recognition and Scholarships Committee",
        ),
        (
            "Greetings! I'd be grateful to know how long the mentoring program lasts.",
            "mentoring-length",
            "one year",
        ),
        (
            "Good afternoon, I was wondering whether mentees must be ALSC members.",
            "mentoring-mentee-eligibility",
            "do not need to be ALSC or ALA members",
        ),
        (
            "hey so i would like to serve on a committee, not sure which one though. "
            "who can help me pick",
            "committee-volunteer",
            "eserrano@ala.org",
        ),
        ("hi bot, when does the membership mixer happen?", "membership-mixer", "January 27, 2022"),
        ("Hello ALSC team! who can be a mentee?", "mentoring-mentee-eligibility", "students"),
        ("Hi Elly, how long does the mentoring program last?", "mentoring-length", "one year"),
        (
            "Good day. Kindly advise how one nominates a colleague for the Distinguished "
            "Service Award.",
            "dsa-nominate",
            "Professional Recognition and Scholarships Committee",
        ),
        (
            "Howdy folks. Looking for who makes the Dia booklists.",
            "committee-quicklists",
            "Quicklists Consulting Committee",
        ),
        ("hi. need the date of the mixer", "membership-mixer", "January 27, 2022"),
        (
            "Dear team, I would like to know who reviews the Distinguished Service Award "
            "nominations.",
            "dsa-nominate",
            "Professional Recognition and Scholarships Committee",
        ),
        (
            "Good morning everyone! I'd appreciate knowing who the Membership Committee is "
            "hosting in January.",
            "membership-mixer",
            "January 27, 2022",
        ),
        ("Hi! Thanks for the help earlier. Who writes the ALSC blog?", "blog-authors", "Meg Smith"),
        (
            "Hello hello. We were wondering whether non-members can be mentees.",
            "mentoring-mentee-eligibility",
            "non-members",
        ),
    ],
)
def test_a_greeting_before_a_question_never_hides_it(
    engine: AnswerEngine, message: str, source: str, fact: str
) -> None:
    answer = ask(engine, message)

    assert answer.kind != "small_talk"
    assert answer.answered and answer.sources == (source,)
    assert fact in plain(answer)
    assert headings(answer) == []  # the greeting is no part of its own


@pytest.mark.parametrize(
    "message",
    [
        "hello! I just joined ALSC",
        "hi all, happy friday",
        "good morning! hope you're having a great day",
        "thanks so much, I really appreciate your help",
        "hey there, how are you?",
        "Hello ALSC team!",
        "Good morning all.",
        "Hi Elly",
        "Dear team,",
    ],
)
def test_a_message_of_nothing_but_small_talk_gets_the_small_talk_reply(
    engine: AnswerEngine, message: str
) -> None:
    assert ask(engine, message).kind == "small_talk"


# ------------------------------------------------------- a subjectless purpose is context
@pytest.mark.parametrize(
    "sentence",
    [
        "want to activate a gift membership over the phone",
        "need it for my application",
        "going to apply next week",
        "hoping to join it",
        "trying to get mine in on time",
    ],
)
def test_a_purpose_without_its_subject_is_context(sentence: str) -> None:
    assert is_context(sentence)


@pytest.mark.parametrize(
    "sentence",
    ["want to know when the mixer is", "need the date of the mixer", "looking for the form"],
)
def test_asking_without_a_subject_is_not_context(sentence: str) -> None:
    assert not is_context(sentence)


def test_a_purpose_after_a_question_is_not_a_second_question(engine: AnswerEngine) -> None:
    message = "phone number for Elly? want to call her about my renewal"
    parts = split_message(message)

    assert [part.context for part in parts] == [False, True]
    answer = ask(engine, message)
    assert not answer.answered and CONTACT in answer.text
    assert headings(answer) == []


@pytest.mark.parametrize(
    ("message", "source", "fact"),
    [
        (
            "going to apply next week. when do mentor applications close?",
            "mentoring-apply",
            "October 11, 2021",
        ),
        (
            "when is the underserved committee chat? need it for my calendar",
            "underserved-chat",
            "February 22, 2022",
        ),
    ],
)
def test_the_question_beside_a_purpose_is_answered_alone(
    engine: AnswerEngine, message: str, source: str, fact: str
) -> None:
    answer = ask(engine, message)

    assert answer.answered and answer.sources == (source,)
    assert fact in plain(answer)
    assert headings(answer) == []


# ------------------------------------------------------- headings stand apart
def test_a_heading_asking_after_a_preposition_gets_its_question_mark(
    engine: AnswerEngine,
) -> None:
    answer = ask(
        engine,
        "In what year did the mentoring program begin, and who runs the #mentorALSC newsletter?",
    )

    assert answer.kind == "compound"
    assert "In what year did the mentoring program begin?" in headings(answer)
    # its own paragraph: never run into the answer under it
    assert "In what year did the mentoring program begin?\n\n" in plain(answer)


def test_every_heading_is_a_paragraph_of_its_own(engine: AnswerEngine) -> None:
    answer = ask(engine, "For how long does a mentoring match last and what do matches do together")

    assert headings(answer) == [
        "For how long does a mentoring match last?",
        "What do matches do together?",
    ]
    for heading in headings(answer):
        assert f"{heading}\n\n" in plain(answer)
    assert "one year" in plain(answer)


# ------------------------------------------------------- a wrapper round the question
def test_a_polite_wrapper_round_a_question_is_not_read_as_its_topic(
    engine: AnswerEngine,
) -> None:
    answer = ask(engine, "I'd like to know how long the mentoring program lasts.")

    assert answer.answered and answer.sources == ("mentoring-length",)
    assert "one year" in plain(answer)


# ------------------------------------------------------- a tag question is one premise
@pytest.mark.parametrize(
    "message",
    [
        "The mentoring program lasts a year, doesn't it?",
        "Mentors need to be ALSC members, right?",
        "The mixer is hosted by the Membership Committee, isn't it?",
        "Distinguished Service nominations are reviewed by the Membership Committee, aren't they?",
        "The mentoring program started in 2015, didn't it?",
        "the mixer is on january 27 yeah?",
    ],
)
def test_a_tag_question_stays_one_part(message: str) -> None:
    assert len(split_message(message)) == 1


@pytest.mark.parametrize(
    ("message", "fact"),
    [
        ("The mentoring program lasts a year, doesn't it?", "Yes"),
        ("Mentors need to be ALSC members, right?", "Yes"),
        ("The mixer is hosted by the Membership Committee, isn't it?", "Yes"),
        ("The mentoring program started in 2015, didn't it?", "2013"),
        (
            "Distinguished Service nominations are reviewed by the Membership Committee, "
            "aren't they?",
            "Professional Recognition and Scholarships Committee",
        ),
    ],
)
def test_the_statement_before_a_tag_is_checked(
    engine: AnswerEngine, message: str, fact: str
) -> None:
    answer = ask(engine, message)

    assert answer.answered and answer.kind != "compound"
    assert fact in plain(answer)


@pytest.mark.parametrize(
    ("message", "source", "fact"),
    [
        (
            "good morning, thank you for your time. Could you let me know who can be a mentee?",
            "mentoring-mentee-eligibility",
            "students",
        ),
        (
            "Hiya! Hope your week is going well! Quick one - is the mentoring program a year long?",
            "mentoring-length",
            "one year",
        ),
        (
            "ok thanks. and who runs the mentoring newsletter?",
            "mentoring-newsletter",
            "#mentorALSC Newsletter",
        ),
        (
            "thanks for the info! one more thing, when do mentoring applications close?",
            "mentoring-apply",
            "October 11, 2021",
        ),
    ],
)
def test_thanks_and_remarks_before_a_question_never_hide_it(
    engine: AnswerEngine, message: str, source: str, fact: str
) -> None:
    answer = ask(engine, message)

    assert answer.kind != "small_talk"
    assert answer.answered and answer.sources == (source,)
    assert fact in plain(answer)


@pytest.mark.parametrize(
    "message", ["ok thanks", "great, thanks!", "ok cool thanks, that helps", "thanks! that is all"]
)
def test_thanks_alone_is_still_small_talk(engine: AnswerEngine, message: str) -> None:
    assert ask(engine, message).kind == "small_talk"


@pytest.mark.parametrize(
    "message",
    [
        "Good morning! Two quick questions. 1) who can be a mentee 2) how long does the "
        "program last",
        "Two quick questions: 1. who can be a mentee 2. how long does the program last",
    ],
)
def test_a_numbered_list_inside_one_line_is_two_questions(
    engine: AnswerEngine, message: str
) -> None:
    answer = ask(engine, message)

    assert answer.kind == "compound"
    assert answer.sources == ("mentoring-mentee-eligibility", "mentoring-length")
    assert headings(answer) == ["Who can be a mentee?", "How long does the program last?"]
    assert "students" in plain(answer) and "one year" in plain(answer)


def test_a_date_before_a_full_stop_is_no_list_number() -> None:
    parts = split_message("is the deadline Feb 1. who reviews them?")

    assert [part.shown for part in parts] == ["is the deadline Feb 1", "who reviews them?"]


def test_a_wish_after_a_question_is_context(engine: AnswerEngine) -> None:
    answer = ask(engine, "is the BIPOC funding for mentors too? would love to apply as a mentor")

    assert answer.answered and answer.sources == ("bipoc-mentoring-funding",)
    assert headings(answer) == []


def test_a_tag_without_its_question_mark_still_asks(engine: AnswerEngine) -> None:
    answer = ask(
        engine,
        "hey so quick question, the mixer is hosted by the Membership Committee isn't it",
    )

    assert answer.kind != "small_talk"
    assert answer.answered and answer.sources == ("membership-mixer",)
    assert "Membership Committee" in plain(answer)


@pytest.mark.parametrize(
    "sentence",
    [
        "I can be a mentee even as a student, right",
        "the chat is on feb 22, is it not",
        "we have to be members to mentor, don't we",
    ],
)
def test_a_statement_with_a_tag_is_no_context(sentence: str) -> None:
    assert not is_context(sentence)


def test_a_topic_heading_over_several_questions_is_cut_off() -> None:
    parts = split_message("Dia booklists - who puts them together, and are they out all year long?")

    assert [(part.shown, part.context) for part in parts] == [
        ("Dia booklists:", True),
        ("who puts them together", False),
        ("are they out all year long?", False),
    ]


def test_a_topic_heading_over_one_question_stays_with_it() -> None:
    parts = split_message("the BIPOC funding - is that ALA membership as well? thanks")

    assert parts[0] == Part("the BIPOC funding - is that ALA membership as well?")


# ------------------------------------------------------- asides and symbols
@pytest.mark.parametrize(
    ("message", "source", "fact"),
    [
        # the question alone names no topic: the aside says which chat
        (
            "when is the chat (the one with the underserved children committee)",
            "underserved-chat",
            "February 22, 2022",
        ),
        ("when is the mixer (the january one)?", "membership-mixer", "January 27, 2022"),
        (
            "who reviews DSA (distinguished service award) nominations?",
            "dsa-nominate",
            "Professional Recognition and Scholarships Committee",
        ),
    ],
)
def test_an_aside_in_brackets_helps_only_where_needed(
    engine: AnswerEngine, message: str, source: str, fact: str
) -> None:
    answer = ask(engine, message)

    assert answer.answered and answer.sources == (source,)
    assert fact in plain(answer)


def test_an_aside_is_taken_out_of_the_question() -> None:
    parts = split_message("how long does mentoring last (roughly)? and who can be a mentee")

    assert [part.shown for part in parts] == [
        "how long does mentoring last?",
        "who can be a mentee",
    ]
    assert parts[0].aside == "roughly"


@pytest.mark.parametrize("joiner", ["+", "&"])
def test_a_plus_or_ampersand_joins_two_questions(engine: AnswerEngine, joiner: str) -> None:
    answer = ask(
        engine,
        f"how long does a mentoring match last {joiner} what do matches do together",
    )

    assert answer.kind == "compound"
    assert answer.sources == ("mentoring-length", "mentoring-activities")
    assert "one year" in plain(answer) and "resume reviews" in plain(answer)


# ------------------------------------------------------- stored for staff
@pytest.mark.shipped_knowledge
async def test_context_is_never_stored_as_unanswered(core: BotCore) -> None:
    alice = UserRef("console", "local", "alice", "Alice")

    def request(text: str) -> Request:
        return Request(
            platform="console",
            workspace_id="local",
            channel_id="console",
            sender=alice,
            command="ask",
            text=text,
        )

    await core.handle(request("When is the mixer? I'm trying to plan my month."))
    await core.handle(request("I keep mixing things up. Who reviews the DSA nominations?"))
    await core.handle(
        request("I'm new here. When is the mixer? And what is the capital of Australia?")
    )

    async with core.database.session() as session:
        stored = (await session.scalars(select(UnansweredQuestion.question))).all()
    assert stored == ["what is the capital of australia?"]


# ------------------------------------------- a worry after "or" is not a second question
@pytest.mark.parametrize(
    ("question", "source", "fact"),
    [
        ("is it ok to email Elly directly, or is that too forward?", "contact-elly", CONTACT),
        (
            "could I nominate my old boss for the distinguished service award or would that "
            "be strange?",
            "dsa-nominate",
            "Professional Recognition and Scholarships Committee",
        ),
        (
            "can I go to a board meeting as a regular member or is that awkward?",
            "board-meetings",
            "open meetings",
        ),
        (
            "can I still submit a mentee application or am I too late?",
            "mentoring-applications-2021",
            "October 11, 2021",
        ),
        (
            "can I sign up to be a mentor even though I'm new or would that be silly?",
            "mentoring-become-mentor",
            "must be ALSC members",
        ),
        (
            "should I reach out to the underserved committee or is that weird",
            "committee-underserved",
            "Underserved Children",
        ),
    ],
)
def test_a_worry_after_or_is_not_asked(
    engine: AnswerEngine, question: str, source: str, fact: str
) -> None:
    answer = ask(engine, question)

    assert answer.answered and answer.sources == (source,)
    assert fact in plain(answer)
    assert answer.kind != "compound" and headings(answer) == []


def test_a_worry_after_or_is_left_out_of_the_parts() -> None:
    from bot.answers.compound import as_typed

    parts = split_message(as_typed("could I sign up as a mentor or would that be weird?"))

    assert parts[0].shown == "could I sign up as a mentor"
    assert parts[-1].shown == "or would that be weird?"  # its "or" kept: judged when answered


def test_a_second_question_after_or_naming_a_thing_is_still_asked(engine: AnswerEngine) -> None:
    answer = ask(engine, "who hosts the mixer, or is there a Dia booklist for it?")

    assert headings(answer)[1] == "Is there a Dia booklist for it?"  # shown without its "or"
    assert {"dia-booklists"} <= set(answer.sources)


# ------------------------- a topicless part borrows the topic asked about, not the contact
@pytest.mark.parametrize(
    ("question", "today", "facts"),
    [
        (
            "who do I contact about the mixer? also when is it",
            TODAY,
            ["Membership Committee", "January 27, 2022"],
        ),
        (
            "who runs the mixer? and what's the date",
            TODAY,
            ["Membership Committee", "January 27, 2022"],
        ),
        (
            "who should I email about the mentoring program? also when do apps close",
            TODAY,
            [CONTACT, "October 11, 2021"],
        ),
        (
            "who do I talk to about gift memberships? and what's the deadline",
            dt.date(2020, 12, 1),
            [CONTACT, "December 14, 2020"],
        ),
        (
            "who can I write to with questions about the DSA? and when's the deadline",
            dt.date(2020, 12, 1),
            ["Distinguished Service Award", "December 7, 2020"],
        ),
        (
            "who do I write to with questions about mentoring? and when's the deadline",
            TODAY,
            [CONTACT, "October 11, 2021"],
        ),
    ],
)
def test_a_topicless_part_borrows_the_topic_asked_about(
    engine: AnswerEngine, question: str, today: dt.date, facts: list[str]
) -> None:
    answer = ask(engine, question, today)

    assert answer.answered and len(headings(answer)) == 2
    second = plain(answer).split(headings(answer)[1])[1]
    assert facts[1] in second and "I don't know" not in second
    assert facts[0] in plain(answer)


# ----------------------------------------- laughter and emoji never change the message
@pytest.mark.parametrize(
    ("question", "facts", "shown"),
    [
        (
            "who hosts the mixer and when is it lol",
            ["Membership Committee", "January 27, 2022"],
            ["Who hosts the mixer?", "When is it?"],
        ),
        (
            "how long does mentoring last and who can be a mentee \U0001f605",
            ["one year", "18"],
            ["How long does mentoring last?", "Who can be a mentee?"],
        ),
        ("when do mentor apps close lol", ["October 11, 2021"], []),
        ("what is Dia haha", ["celebrates children"], []),
        ("hahaha ok what does the membership committee do", ["mixer"], []),
        ("what's the deadline for mentee apps lmao", ["October 11, 2021"], []),
        ("who is elly and what is her job \U0001f642", ["Membership and Marketing"], []),
    ],
)
def test_laughter_and_emoji_change_nothing(
    engine: AnswerEngine, question: str, facts: list[str], shown: list[str]
) -> None:
    answer = ask(engine, question)

    assert answer.answered
    assert all(fact in plain(answer) for fact in facts)
    assert headings(answer) == shown
    assert not re.search(r"\blol\b|haha|lmao|\U0001f605|\U0001f642", answer.text)


@pytest.mark.parametrize(
    "question",
    [
        "what's elly's job title and what tv shows is she into",
        "who hosts the mixer? and when is it",
        "could I sign up as a mentor or would that be weird?",
        "when is the mixer\nand who runs it",
    ],
)
@pytest.mark.parametrize("laugh", [" lol", " haha", " \U0001f605", " :)", " lmao!!"])
def test_a_laugh_does_not_change_how_a_message_is_split(question: str, laugh: str) -> None:
    from bot.answers.compound import as_typed

    assert split_message(as_typed(question + laugh)) == split_message(as_typed(question))
    assert split_message(as_typed(laugh.strip() + " " + question)) == split_message(
        as_typed(question)
    )


def test_a_message_of_only_laughter_is_kept() -> None:
    from bot.answers.compound import as_typed

    assert as_typed("lol") == "lol"
    assert as_typed("haha thanks! \U0001f44d") == "thanks!"


@pytest.mark.parametrize(
    "question",
    ["can I apply as a mentee, or is it too late?", "can I be a mentee or is it too late now"],
)
def test_a_worry_about_time_after_or_asks_the_calendar(engine: AnswerEngine, question: str) -> None:
    answer = ask(engine, question)

    assert answer.answered and "mentoring-applications-2021" in answer.sources
    assert "October 11, 2021" in plain(answer) and "must be **18" in answer.text
