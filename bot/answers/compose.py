"""Turn a chosen entry into the reply to one question.

The entry's answer (dates written for today) is cut down to the paragraph
that answers a specific question, checked for the kind of fact the question
asks for, and opened with "Not quite" or "Yes" when the member stated a fact
to confirm. When the entry does not hold the fact asked for, the reply says
so plainly, offers what is known about the topic and names the contact.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.answers import (
    fact_asked,
    fact_checks,
    fact_kinds,
    premise,
    premise_frames,
    premise_verdict,
)
from bot.answers.passages import Passage, best_passage, split_passages
from bot.answers.wording import DEADLINE_REFERENCE, contact_phrase, key_dates, with_deadlines
from bot.knowledge.schema import Deadline, Entry, Knowledge

#: An answer this long or shorter is shown whole even to a question asking one fact.
SHORT_ANSWER = 400
#: Kinds of fact that must be stated about the thing asked, not just in the same entry.
_PRECISE_KINDS = frozenset({"date", "day", "count", "cost", "duration", "origin", "prize"})
#: Kinds of fact that are an address for one purpose: an email, a phone number.
_ADDRESS_KINDS = frozenset({"email", "phone"})
#: Kinds of fact whose answer the "Key dates" block helps with.
_DATED_KINDS = frozenset({"date", "day", "time", "how_to"})
_NEXT_YEAR = re.compile(r"\bnext year\b|\bnext (spring|summer|fall|autumn|winter)\b")
_YEAR = re.compile(r"\b(20\d\d)\b")
_NON_MEMBER = re.compile(
    r"\bnon[- ]?mem\w*|\bnot (a |an alsc |an ala )?mem\w*|\bwho (is|are)n'?t (a )?mem\w*"
)
#: What the bot says it does not know, by kind of fact; {topic} is the question's own words.
_UNKNOWN = {
    "live": "current numbers: they change from day to day, so they are not in what I know",
    "phone": "a phone number for {topic}",
    "email": "an email address for {topic}",
    "link": "a link for {topic}",
    "time": "the time of day for {topic}",
    "duration": "how long {topic} lasts",
    "winner": "who won {topic}",
    "cost": "what {topic} costs",
    "prize": "whether {topic} comes with money, such as a cash prize, stipend or honorarium",
    "paying": "who pays for {topic}, or what it costs",
    "count": "that number for {topic}",
    "date": "the date for {topic}",
    "day": "the exact date for {topic}",
    "origin": "when {topic} began",
    "place": "where {topic} takes place",
    "how_to": "the steps for {topic}",
    "person": "who that is",
}
_MAX_TOPIC_WORDS = 6
#: "which books won ...", "what titles received ...": the things asked for, named again.
_WHICH_WON = re.compile(
    r"\b(which|what) ((?:[a-z]+ ){0,2}[a-z]+) (?:won|win|wins|took home|received|got)\b"
)
#: A piece of writing named in a question: "who wrote the *post* about ...".
_WRITING = re.compile(r"\b(post|article|column|piece|blog|newsletter|booklist|toolkit)s?\b")
#: "who is the president", "who's the vice-president": a role held, named back as asked.
_WHO_IS = re.compile(r"^\W*(who is|who's|whos|who are|who was)\b(?! \w+ing\b)")
_TRAILING_TEXT = "last next this year month week run runs lasts take takes"
_TRAILING_WORDS = frozenset(_TRAILING_TEXT.split())
#: Question and function words never name the topic ("when *what* began", "*since* what").
_NOT_A_TOPIC_TEXT = (
    "what whats which when where who whom whose why how since is are was were do does did has "
    "have had been be can could will would should may might must a an the of for to in on at "
    "and or but it its they them this that these those there"
)
_NOT_A_TOPIC = frozenset(_NOT_A_TOPIC_TEXT.split())
#: "the mentoring program's": the topic is the program, not its possessive.
_POSSESSIVE = re.compile(r"'s$|s'$|'$")


@dataclass(frozen=True)
class Question:
    """What the composer needs to know about a question."""

    folded: str
    asked: str
    fact: fact_kinds.FactQuestion | None
    premise: premise_frames.Premise | None
    topic: frozenset[str]
    counted: tuple[str, ...]
    relevance: Callable[[str], float]
    stem: Callable[[str], str]
    stems_of: Callable[[str], set[str]]
    wants_detail: bool
    #: Asked of an entry further down the results, which the question did not find by its
    #: own words: its fact counts only in a sentence that names the question's topic.
    further_down: bool = False


@dataclass(frozen=True)
class Composed:
    """A reply built from one entry; ``answered`` False when the fact asked for is missing."""

    answered: bool
    text: str


def compose(
    entry: Entry,
    full_text: str,
    question: Question,
    knowledge: Knowledge,
    dates: list[Deadline],
    today: dt.date,
    about: frozenset[str] = frozenset(),
) -> Composed:
    """The reply to ``question`` from ``entry``.

    Args:
        entry: The chosen entry.
        full_text: The entry's whole answer (with links and contact).
        question: The analysed question.
        knowledge: For dates, contacts and the time zone.
        dates: The entry's deadlines.
        today: Today in the organisation's time zone.
        about: Stems of the entry's title, questions and keywords: what it is about.
    """
    text = with_deadlines(full_text, knowledge, today=today)
    passages = split_passages(text)
    wanted_year = _wanted_year(question.folded, today)
    asks_date = question.fact is not None and question.fact.kind in ("date", "day")
    if (
        asks_date
        and wanted_year is not None
        and all(item.date.year != wanted_year for item in dates)
    ):
        return _missing(entry, passages, knowledge, f"the dates for {wanted_year} yet")

    kind = question.fact.kind if question.fact else None
    chosen = _answering_sentence(
        passages,
        question,
        dates,
        about,
        _asked_about(entry, question),
        today.year,
        _title_stems(entry, question) if kind in _ADDRESS_KINDS else frozenset(),
    )
    if chosen is None and question.premise is not None and not _states_the_fact(question):
        # a stated fact to confirm: the closest sentence shows what is known
        chosen = best_passage(passages, question.relevance, None) or (0, "")
    if chosen is None:
        assert kind is not None
        named = question.stems_of(entry.title) | question.topic
        topic = _topic_words(question, named, entry.title) or "that"
        what = _UNKNOWN[kind].format(topic=topic)
        things = _WHICH_WON.search(question.asked.lower())
        if kind == "winner" and things is not None:
            # "which books won the Caldecott?": "which books won the Caldecott", not "who won"
            rest = question.asked.lower()[things.end() :].strip(" ?.!").split()
            if len(rest) <= _MAX_TOPIC_WORDS * 2:
                what = " ".join([things.group(0), *rest])
        elif kind == "person" and fact_kinds.asks_author(question.asked.lower()):
            # "who wrote the Fall 2017 post?": its writer, not who the program is
            piece = _WRITING.search(question.asked.lower())
            what = f"who wrote that {piece.group(1)}" if piece else "who wrote that"
        elif kind == "person" and topic != "that" and _WHO_IS.search(question.asked.lower()):
            # "who is ALSC's president?": "who the ALSC president is"
            what = f"who {topic if topic.startswith('the ') else 'the ' + topic} is"
        if kind in ("date", "day") and fact_asked.asks_outcome(question.asked):
            # "when do mentors hear who their mentee is?": the news, not "the date for mentee"
            what = "when that news comes out"
        related = bool(question.topic & about) or not question.topic
        return _missing(entry, passages if related else [], knowledge, what)
    number, sentence = chosen
    trim = question.wants_detail and len(passages) > 1 and len(text) > SHORT_ANSWER
    reply = passages[number].text if trim else text
    if reply != text:
        reply += f'\n\nThere\'s more on this: ask me "tell me about {_in_sentence(entry.title)}".'
    if question.premise is not None:
        result = premise_verdict.verdict(
            question.premise, sentence, about=entry.title, stems_of=question.stems_of
        )
        if result == "unclear" and premise_verdict.opposed_elsewhere(
            question.premise, [unit for passage in passages for unit in passage.sentences]
        ):
            result = "corrected"  # "meets on its own time" further on: no set schedule
        if result == "unclear":
            reply = premise.unchecked(question.premise, reply)
        reply = premise.opened(result, reply)
    shown = set(DEADLINE_REFERENCE.findall(full_text))
    listed = [item for item in _relevant_dates(dates, today) if item.id not in shown]
    if listed and (kind is None or kind in _DATED_KINDS):
        reply += "\n\n" + key_dates(listed, today=today, zone=knowledge.organisation.zone)
    return Composed(True, reply)


def _states_the_fact(question: Question) -> bool:
    """True when the kind of fact looked for is the one the premise states ("6 months")."""
    if question.premise is None or question.fact is None:
        return False
    stated = fact_kinds.stated_kind(question.premise.statement)
    return stated is not None and stated.kind == question.fact.kind


_ASKED_ABOUT: dict[tuple[str, str, tuple[str, ...]], frozenset[str]] = {}


def _asked_about(entry: Entry, question: Question) -> frozenset[str]:
    """Stems of an entry's title and questions: what it answers, without its search keywords."""
    key = (entry.id, entry.title, tuple(entry.questions))
    if key not in _ASKED_ABOUT:
        _ASKED_ABOUT[key] = frozenset(question.stems_of(" ".join([entry.title, *entry.questions])))
    return _ASKED_ABOUT[key]


_TITLE_STEMS: dict[str, frozenset[str]] = {}


def _title_stems(entry: Entry, question: Question) -> frozenset[str]:
    """Stems of an entry's title alone."""
    if entry.title not in _TITLE_STEMS:
        _TITLE_STEMS[entry.title] = frozenset(question.stems_of(entry.title))
    return _TITLE_STEMS[entry.title]


def _answering_sentence(
    passages: list[Passage],
    question: Question,
    dates: list[Deadline],
    about: frozenset[str],
    titled: frozenset[str] = frozenset(),
    year: int = 0,
    title: frozenset[str] = frozenset(),
) -> tuple[int, str] | None:
    """Paragraph number and sentence that answer; None when the fact asked for is missing."""
    if question.fact is None:
        return best_passage(passages, question.relevance, None) or (0, "")
    kind = question.fact.kind
    if kind in _PRECISE_KINDS:
        # a number or date must be about the thing asked: in its sentence, or in what the
        # entry answers ("the Emerging Leaders deadline" is not in the mentoring dates)
        about = frozenset() if question.further_down else titled
    elif kind in _ADDRESS_KINDS:
        # "the email to send toolkit recommendations to": an address for a purpose comes
        # from a sentence about that purpose (or an entry whose title names it), never
        # from a list of contacts for other things
        about = frozenset() if question.further_down else title

    author = kind == "person" and fact_kinds.asks_author(question.folded)
    writers = author and bool(question.stems_of("wrote writes written author") & titled)

    def holds(sentence: str) -> bool:
        if not fact_checks.holds(
            kind, sentence, counted=question.counted, stem=question.stem, given=question.folded
        ):
            return False
        if fact_checks.of_an_earlier_round(kind, question.folded, sentence, year):
            return False  # "how many so far?": the count of the Fall 2017 round is not it
        if author and not (fact_kinds.names_author(sentence) or writers):
            return False  # "who wrote the Fall 2017 post?": a name in it is not its writer
        return _about_topic(sentence, question, about)

    def holds_a_day(sentence: str) -> bool:
        return holds(sentence) and fact_checks.more_than_a_year(sentence)

    def holds_a_year(sentence: str) -> bool:
        return holds(sentence) and fact_checks.names_a_year(sentence)

    found = None
    # "the funding is new in 2021, right?": a year stated alone is the value to check
    stated_year = question.premise is not None and bool(
        _YEAR_ALONE.fullmatch(question.fact.trigger)
    )
    if kind == "date" and stated_year:
        # the stated year is the value compared, so it is no "year asked about" here

        def states_a_year(sentence: str) -> bool:
            return fact_checks.names_a_year(sentence) and _about_topic(sentence, question, about)

        found = best_passage(passages, question.relevance, states_a_year)
    elif kind == "date" and not fact_asked.asks_year(question.folded):
        # "the deadline for ...": a sentence with the day or month beats one with a year
        found = best_passage(passages, question.relevance, holds_a_day)
    if kind == "origin":
        # "what year was it launched?": "since Fall 2013" beats "in its third year"
        found = best_passage(passages, question.relevance, holds_a_year)
    found = found or best_passage(passages, question.relevance, holds)
    if found is None and _dated_evidence(
        kind, _of_the_topic(dates, question, " ".join(item.text for item in passages))
    ):
        return best_passage(passages, question.relevance, None) or (0, "")
    return found


_YEAR_ALONE = re.compile(r"(?:19|20)\d\d")


def _about_topic(sentence: str, question: Question, about: frozenset[str]) -> bool:
    """A fact counts only in a sentence (or an entry) about what the question names."""
    if _NON_MEMBER.search(question.folded) and not _NON_MEMBER.search(sentence.lower()):
        return False  # "free for members" says nothing about what non-members pay
    if not question.topic:
        return True
    return bool(question.topic & (question.stems_of(sentence) | about))


def _of_the_topic(dates: list[Deadline], question: Question, text: str) -> list[Deadline]:
    """The entry's dates about what the question names in the entry's ``text``.

    "deadline for the Emerging Leaders program": the mentoring rounds' dates, listed
    under the entry that mentions Emerging Leaders, are not its deadline.
    """
    dates = _of_the_edition(dates, question.folded)
    named = question.topic & question.stems_of(text)
    if not named:
        return dates  # "are we past the mentoring deadline": 'past' names nothing here
    return [item for item in dates if named & question.stems_of(item.title)]


def _of_the_edition(dates: list[Deadline], folded: str) -> list[Deadline]:
    """Only the deadlines of the round a question names ("when did fall 2017 apps close")."""
    named = fact_asked.edition(folded)
    if fact_asked.asks_outcome(folded):
        # "when do we hear back?": only a date for the news itself, not the closing date
        dates = [item for item in dates if fact_asked.asks_outcome(f"when {item.title.lower()}")]
    if named is None:
        return dates
    return [item for item in dates if named in item.title.lower().replace("autumn", "fall")]


def _dated_evidence(kind: str, dates: list[Deadline]) -> bool:
    if kind in ("date", "day"):
        return bool(dates)
    if kind == "time":
        return any(item.time is not None for item in dates)
    return False


def _wanted_year(folded: str, today: dt.date) -> int | None:
    if _NEXT_YEAR.search(folded):
        return today.year + 1
    years = [int(year) for year in _YEAR.findall(folded)]
    return years[0] if years and years[0] > today.year else None


def _topic_words(question: Question, named: set[str] | frozenset[str], title: str = "") -> str:
    """The question's own words for its topic: "the membership mixer" in "how long does ...".

    The first run of words naming the entry's title or the question's topic, with its "the".
    """
    words = [_POSSESSIVE.sub("", word) for word in re.findall(r"[\w'-]+", question.asked)]
    asking = question.stems_of(question.fact.trigger) if question.fact else set()
    runs: list[list[int]] = [[]]
    for number, word in enumerate(words):
        stems = question.stems_of(word)
        if word.lower() not in _NOT_A_TOPIC and stems & named and not stems <= asking:
            runs[-1].append(number)
        elif runs[-1]:
            runs.append([])
    titled = question.stems_of(title)
    best: list[int] = []
    rank = (0, 0)
    for run in runs:
        while run and words[run[-1]].lower() in _TRAILING_WORDS:
            run.pop()  # "the award last (year)", "the mixer run"
        # the run naming most of the entry's title, then the longest, names it best
        # ("send toolkit suggestions to the underserved children committee": the committee)
        here = (sum(bool(question.stems_of(words[number]) & titled) for number in run), len(run))
        if here > rank:
            best, rank = run, here
    if not best or len(best) > _MAX_TOPIC_WORDS:
        return ""
    first = best[0] - (1 if best[0] > 0 and words[best[0] - 1].lower() == "the" else 0)
    return " ".join(words[first : best[-1] + 1])


def _missing(entry: Entry, passages: list[Passage], knowledge: Knowledge, what: str) -> Composed:
    contact = knowledge.contact(entry.contact) if entry.contact else None
    contact = contact or knowledge.default_contact()
    default = knowledge.default_contact()
    text = f"I'm sorry, I don't know {what}. "
    if passages:
        text += f"Here's what I do know about **{entry.title.rstrip('.')}**:\n\n"
        text += passages[0].text + "\n\n"
    text += f"For that detail, please ask {contact_phrase(contact)}."
    if contact.id != default.id:
        text += f" Or ask {contact_phrase(default)}."
    return Composed(False, text)


def _in_sentence(title: str) -> str:
    """A title as it reads inside a sentence: "How to apply ..." -> "how to apply ..."."""
    title = title.rstrip(".")
    return title[0].lower() + title[1:] if title[1:2].islower() else title


def _relevant_dates(items: list[Deadline], today: dt.date, limit: int = 3) -> list[Deadline]:
    """Upcoming dates first, then the most recent passed ones, chronological order."""
    upcoming = [item for item in items if not item.has_passed(today)]
    passed = [item for item in items if item.has_passed(today)]
    chosen = (upcoming + passed[::-1])[:limit]
    return sorted(chosen, key=lambda item: item.date)
