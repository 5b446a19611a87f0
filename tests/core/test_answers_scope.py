"""Questions about something else, and questions about who wrote a post.

Written from the seed posts, worded unlike any question set, through the
engine on the shipped knowledge file:

- a request for a recommendation of a thing the association's posts never
  recommend (a school, a laptop, a book for toddlers) or for studying elsewhere
  gets the contact, while what the posts do recommend (webinars, listservs, the
  journal to read) is still answered;
- a question asking who wrote a post, describing the post by its title or its
  content, is answered by the entry that says who wrote what.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from bot.answers import Answer, AnswerEngine
from bot.markup import parse_markup

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2021, 10, 1)
CONTACT = "eserrano@ala.org"


def ask(engine: AnswerEngine, question: str) -> tuple[Answer, str]:
    answer = engine.answer(question, today=TODAY)
    return answer, parse_markup(answer.text).plain_text()


# ----------------------------------------------------------- recommendations
@pytest.mark.parametrize(
    "question",
    [
        "what's a good library school to go to for youth services?",
        "can you recommend a good online MLIS program?",
        "which MLIS program should I pick?",
        "what's a good laptop for running storytime slides?",
        "recommend a good picture book for toddlers?",
        "which state library conference should I pick this year?",
        "how do I apply to library school?",
        "how do i get into grad school",
        "where can I earn an MLIS degree online?",
    ],
)
def test_a_recommendation_the_posts_never_make_gets_the_contact(
    engine: AnswerEngine, question: str
) -> None:
    answer, text = ask(engine, question)
    assert not answer.answered, text
    assert CONTACT in text
    assert "Mentee" not in text  # never the rules for who may be a mentee


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("what's a good journal to read for children's librarians?", r"Children and Libraries"),
        ("can you recommend a good webinar?", r"webinars"),
        ("what's a good listserv to join?", r"listservs?"),
        ("what's the best way to get involved in ALSC?", r"committee"),
    ],
)
def test_what_the_posts_recommend_is_still_answered(
    engine: AnswerEngine, question: str, fact: str
) -> None:
    answer, text = ask(engine, question)
    assert answer.answered, text
    assert re.search(fact, text), text


def test_a_member_saying_what_they_study_is_no_question_about_schools(
    engine: AnswerEngine,
) -> None:
    answer, text = ask(engine, "I'm pursuing a degree in library science, can I be a mentee?")
    assert answer.answered, text
    assert "non-members" in text


# ------------------------------------------------------------- who wrote it
@pytest.mark.parametrize(
    ("question", "author"),
    [
        ("Who wrote the Winning Traits post?", r"Meg Smith"),
        ("who wrote teh winning traits blog post", r"Meg Smith"),
        ("who authored the post on the traits youth services staff need?", r"Meg Smith"),
        ("who wrote the post about the Fall 2017 mentoring program?", r"Serrano"),
        (
            "who wrote the blog post on the fall 2017 round, where the applications started "
            "asking about gender and region?",
            r"Serrano",
        ),
        ("who is the author of the Overwhelmed By post?", r"Jaime Eastman"),
        ("who wrote the Big Acts of Kindness post?", r"Serrano"),
    ],
)
def test_who_wrote_a_post_described_by_its_title_or_content(
    engine: AnswerEngine, question: str, author: str
) -> None:
    answer, text = ask(engine, question)
    assert answer.answered, text
    assert answer.sources == ("blog-authors",), answer.sources
    assert re.search(author, text), text


def test_a_post_s_content_asked_without_its_author_keeps_its_entry(engine: AnswerEngine) -> None:
    answer, text = ask(engine, "what sections were added to the applications in fall 2017?")
    assert answer.answered, text
    assert "Gender" in text
    assert answer.sources != ("blog-authors",)


def test_who_puts_out_a_booklist_is_no_question_about_a_post(engine: AnswerEngine) -> None:
    answer, text = ask(engine, "who puts out the Día booklists?")
    assert answer.answered, text
    assert "Quicklists" in text


# ------------------------------------------------------ other libraries
def test_contacting_other_libraries_is_found_by_what_it_describes(engine: AnswerEngine) -> None:
    answer, text = ask(
        engine, "can I contact other library systems to learn from their work with kids?"
    )
    assert answer.answered, text
    assert re.search(r"willing to share|glad to share", text), text


# ------------------------------------------------------ everyday words
@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("what's elly's job title?", r"Membership and Marketing Specialist"),
        ("which tv shows does elly like to talk about?", r"Ozark"),
        ("what's Elly's role at ALSC, and what television shows is she into?", r"Money Heist"),
    ],
)
def test_a_job_title_is_a_role_and_tv_shows_are_shows(
    engine: AnswerEngine, question: str, fact: str
) -> None:
    answer, text = ask(engine, question)
    assert answer.answered, text
    assert answer.sources[0] == "contact-elly", answer.sources
    assert re.search(fact, text), text
