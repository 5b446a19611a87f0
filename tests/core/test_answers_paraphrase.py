"""Finding the right entry when a member describes a thing instead of naming it.

Questions written from the seed posts, worded unlike any question set: a thing
described by what it does (the award that honours a colleague's impact, help
paying the dues, the journal to read), a year or round that picks one of two
sibling entries, and a name of another organisation made of familiar words.
Each goes through the engine on the shipped knowledge file.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from bot.answers import Answer, AnswerEngine
from bot.answers.index import CoverageIndex
from bot.answers.index_documents import Document
from bot.answers.siblings import named_years, stated_years
from bot.answers.synonyms import SynonymRewriter
from bot.answers.text import content_stems, fold
from bot.markup import parse_markup

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2021, 10, 1)
DSA_2020 = dt.date(2020, 12, 2)
CONTACT = "eserrano@ala.org"


def ask(engine: AnswerEngine, question: str, today: dt.date = TODAY) -> tuple[Answer, str]:
    answer = engine.answer(question, today=today)
    return answer, parse_markup(answer.text).plain_text()


# ------------------------------------------------------ described, not named
@pytest.mark.parametrize(
    ("question", "today", "fact"),
    [
        (
            "is there an award for a member who has had a big impact on children's library "
            "service?",
            TODAY,
            r"Distinguished Service Award",
        ),
        (
            "do people of color in the mentor program get their ALA membership paid for?",
            TODAY,
            r"up to 50 one-year ALSC and ALA memberships",
        ),
        (
            "are membership dues paid for people of color who sign up as mentees?",
            TODAY,
            r"up to 50 one-year ALSC and ALA memberships",
        ),
        (
            "which scholarly publication should I be reading to keep current?",
            TODAY,
            r"Children and Libraries",
        ),
        (
            "what's the support group in rhode island they mention called",
            TODAY,
            r"Sensory Story Time",
        ),
        (
            "can I sit and watch when a committee gets together, even though I'm not one of its "
            "members?",
            TODAY,
            r"open to any member",
        ),
        (
            "as a spectator, am I allowed to be present at a board meeting?",
            TODAY,
            r"audience member",
        ),
        ("unsure what committee suits me, is there someone who can advise?", TODAY, r"Serrano"),
        (
            "I ran a bilingual celebration of children and families, where do I list it?",
            TODAY,
            r"registry",
        ),
        (
            "which team first proposed that ALSC run a mentoring program?",
            TODAY,
            r"Emerging Leaders",
        ),
    ],
)
def test_a_thing_described_by_what_it_does_is_found(
    engine: AnswerEngine, question: str, today: dt.date, fact: str
) -> None:
    answer, text = ask(engine, question, today)

    assert answer.answered, text
    assert re.search(fact, text), text


@pytest.mark.parametrize(
    ("question", "entry", "fact"),
    [
        (
            "is there anyone who can tell me which committee I'd be suited to?",
            "committee-volunteer",
            r"Serrano",
        ),
        (
            "I'd like to thank the folks who contributed to an ALSC resource I used, how?",
            "thank-someone",
            r"member directory",
        ),
        (
            "is there an honor for members whose work had a big impact on children's services?",
            "dsa-about",
            r"Distinguished Service Award",
        ),
        (
            "what publications does the professional connections post say to read?",
            "best-practices",
            r"Children and Libraries",
        ),
        (
            "am I allowed to come to a committee meeting as an observer?",
            "committee-meetings-open",
            r"open to any member",
        ),
        ("can non-members go to committee meetings?", "committee-meetings-open", r"any member"),
    ],
)
def test_the_entry_that_does_what_is_described_answers(
    engine: AnswerEngine, question: str, entry: str, fact: str
) -> None:
    answer, text = ask(engine, question)

    assert answer.answered, text
    assert answer.sources == (entry,)
    assert re.search(fact, text), text


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        (
            "what's the prize ALSC gives to someone who did a lot for kids' library service?",
            r"Distinguished Service Award",
        ),
        ("I can't afford to renew. any relief for BIPOC members?", r"Relief Renewals"),
        ("is the board's meeting calendar posted anywhere?", r"schedule is updated"),
        ("what's that sensory storytime network in rhode island?", r"Support Group"),
        ("what's the periodical ALSC puts out?", r"Children and Libraries"),
        ("can an onlooker come to the board's meetings?", r"audience member"),
        ("who puts together the dia book lists?", r"Quicklists Consulting Committee"),
    ],
)
def test_everyday_wording_for_what_an_entry_does(
    engine: AnswerEngine, question: str, fact: str
) -> None:
    answer, text = ask(engine, question)

    assert answer.answered, text
    assert re.search(fact, text), text


def test_a_mentee_word_does_not_pull_a_funding_question_to_mentee_rules(
    engine: AnswerEngine,
) -> None:
    answer, text = ask(engine, "does the Friends of ALSC fund memberships for BIPOC mentees?")

    assert answer.sources == ("bipoc-mentoring-funding",)
    assert "up to 50" in text


def test_the_journal_a_member_describes_is_named(engine: AnswerEngine) -> None:
    answer, text = ask(engine, "which periodical do they say to read?")

    assert answer.answered
    assert "Children and Libraries" in text


def test_watching_a_meeting_is_attending_it(engine: AnswerEngine) -> None:
    answer, text = ask(engine, "could I listen in on a committee meeting I'm not part of?")

    assert answer.answered
    assert "open to any member" in text


# ------------------------------------------------------ a year picks the sibling
@pytest.mark.parametrize(
    ("question", "facts"),
    [
        ("in 2017 what fields did ALSC add to the mentee application?", ["Gender", "Region"]),
        ("how many mentee applications arrived in the first days of fall 2017?", ["over 25"]),
        ("when did the spring 2016 mentor application window shut?", ["February 26, 2016"]),
        (
            "in fall 2017 how many people applied to be mentees in the first few days?",
            ["over 25"],
        ),
        ("what did ALSC change about matching in fall 2017?", ["Gender", "Race/Ethnicity"]),
    ],
)
def test_the_year_named_picks_the_entry_that_states_it(
    engine: AnswerEngine, question: str, facts: list[str]
) -> None:
    answer, text = ask(engine, question)

    assert answer.answered, text
    assert answer.sources == ("mentoring-history",)
    for fact in facts:
        assert fact in text


def test_without_a_year_the_mentee_question_keeps_its_entry(engine: AnswerEngine) -> None:
    answer, text = ask(engine, "do mentees have to be ALSC members?")

    assert answer.sources == ("mentoring-mentee-eligibility",)
    assert "do not need" in text


def test_a_year_is_read_with_its_round() -> None:
    assert named_years("what changed for the fall 2017 round?") == {"fall 2017"}
    assert named_years("what sections got added back in 2017") == {"2017"}
    assert named_years("how do i apply") == frozenset()


def test_a_year_in_a_source_note_is_not_what_an_entry_is_about() -> None:
    stated = stated_years(
        ["Mentees do not need to be members (as the 2016 call for applications said)."]
    )
    history = stated_years(["Spring 2016 applications closed; the Fall 2017 round added ..."])

    assert stated == frozenset()
    assert {"2016", "spring 2016", "2017", "fall 2017"} <= history


def test_a_linked_date_states_its_year() -> None:
    assert stated_years(["Applications close soon."], ["2021-10-11"]) == {"2021"}


# ------------------------------------------------------ another organisation
@pytest.mark.parametrize(
    "question",
    [
        "how do I join the Public Library Association",
        "how do I become a member of the Texas Library Association?",
        "how can I join the Association of College and Research Libraries",
        "how do I sign up for the Urban Libraries Council",
        "what does the Reading Round Table committee do",
        "can I attend the board meetings of the Public Library Association",
        "how can I join the Florida Library Association",
        "what does the Children's Book Council do?",
        "when does the Newbery committee meet?",
    ],
)
def test_a_name_of_familiar_words_the_knowledge_never_holds_gets_the_contact(
    engine: AnswerEngine, question: str
) -> None:
    answer, text = ask(engine, question)

    assert not answer.answered, text
    assert CONTACT in text


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("is there a state library association I can join?", r"state library associations"),
        ("what does the underserved children committee do?", r"toolkits"),
        ("what does the recognition committee do?", r"Distinguished Service Award"),
        ("can anyone sit in on ALSC committee meetings?", r"open to any member"),
    ],
)
def test_a_name_the_knowledge_holds_is_still_answered(
    engine: AnswerEngine, question: str, fact: str
) -> None:
    answer, text = ask(engine, question)

    assert answer.answered, text
    assert re.search(fact, text), text


def _index(*bodies: str) -> CoverageIndex:
    def analyze(text: str) -> list[str]:
        return content_stems(SynonymRewriter([]).rewrite(fold(text)))

    documents = [
        Document(key=str(number), phrasings=(), body=body) for number, body in enumerate(bodies)
    ]
    return CoverageIndex(documents, analyze)


def test_a_name_is_known_only_when_one_sentence_holds_all_its_words() -> None:
    index = _index(
        "Many states have professional library associations. Visit the Plano Public Library.",
        "The Membership Committee hosts the mixer.",
    )

    assert index.unknown_names("how do i join the public library association") == [
        "public library association"
    ]
    assert index.unknown_names("is there a state library association") == []
    assert index.unknown_names("what does the membership committee do") == []
    assert index.unknown_names("which is the right committee for me") == []


def test_a_verb_before_the_name_is_not_part_of_it() -> None:
    index = _index("Members may join in: most ALSC committee meetings are open to any member.")

    assert index.unknown_names("may one nonetheless join alsc committee meetings") == []


# ------------------------------------------------------ thesaurus for the knowledge's terms
@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("recognition", "honor"),
        ("honoured", "honor"),
        ("dues", "membership"),
        ("afford", "pay for"),
        ("journal", "journal"),
        ("publications", "journal"),
        ("magazine", "journal"),
        ("observe", "attend"),
        ("sit in on", "attend"),
        ("suits", "fit"),
        ("advise", "help"),
        ("pick", "choose"),
        ("go to", "attend"),
        ("puts out", "create"),
        ("calendar", "schedule"),
    ],
)
def test_everyday_words_meet_the_knowledge_s_terms(variant: str, canonical: str) -> None:
    rewriter = SynonymRewriter([])

    assert rewriter.rewrite(f"x {variant} y").split() == ["x", *canonical.split(), "y"]


def test_a_hashtag_is_a_name_of_its_own_as_well_as_its_meaning() -> None:
    rewriter = SynonymRewriter([["mentoring", "mentoralsc"], ["youth media awards", "alayma"]])

    assert rewriter.rewrite("the #mentoralsc newsletter").split() == [
        "the",
        "#mentoralsc",
        "mentoring",
        "newsletter",
    ]
    assert rewriter.rewrite("mentoralsc").split() == ["mentoring"]


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("what is #mentorALSC?", "mentoring-newsletter"),
        ("what is #alayma", "youth-media-awards"),
    ],
)
def test_a_hashtag_question_finds_the_entry_it_names(
    engine: AnswerEngine, question: str, entry: str
) -> None:
    answer, _ = ask(engine, question)

    assert answer.answered
    assert answer.sources == (entry,)


def test_a_mentoring_question_is_not_taken_for_the_hashtag_s_newsletter(
    engine: AnswerEngine,
) -> None:
    answer, text = ask(engine, "when will I hear which mentor I was paired with?")

    assert "mentoring-newsletter" not in answer.sources
    assert not answer.answered
    assert CONTACT in text
