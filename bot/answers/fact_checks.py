"""Whether a sentence holds the kind of fact a question asks for.

The evidence of each kind, and the checks that keep a sentence about another year, round,
role, speaker or unit from answering the question asked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from bot.answers.fact_asked import _IN_UNITS, _asked
from bot.answers.fact_words import (
    _CURRENT,
    _FULL_MONTH,
    _MONTH,
    _NUMBER_WORD,
    _OUTCOME_WORDS,
    _UNIT,
    _WEEKDAY,
    _YEAR_IN_TEXT,
    FactKind,
)

#: Evidence that a sentence (original case) holds a fact of each kind.
_EVIDENCE: dict[str, re.Pattern[str]] = {
    "phone": re.compile(r"\(?\b\d{3}\)?[ .-]\d{3}[ .-]\d{4}\b|\b1-800\b"),
    "email": re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"),
    "link": re.compile(r"https?://|\]\(|\bwebsite\b|\bweb page\b|\bALA Connect\b", re.I),
    "time": re.compile(
        r"\b\d{1,2}(:\d\d)? ?(am|pm|a\.m\.|p\.m\.)|\b\d{1,2}:\d\d\b|\bnoon\b|\bmidnight\b", re.I
    ),
    "duration": re.compile(
        rf"\b(\d+|{_NUMBER_WORD}|a|an) ({_UNIT})\b(?!-)|\blasts?\b|\bsince (fall |spring |"
        rf"summer |winter )?\d{{4}}\b|\byear-long\b|\ball year\b|\b(first|second|third|fourth|"
        r"fifth|sixth|seventh|eighth|ninth|tenth|\d+(st|nd|rd|th)) (annual|year)\b",
        re.I,
    ),
    "winner": re.compile(r"\b(won|winners?|recipients?|received the|awarded to|honou?red)\b", re.I),
    "cost": re.compile(
        r"\$\s?\d|\b(free|no cost|costs?|price|fees?|dollars?)\b",
        re.I,
    ),
    "prize": re.compile(
        r"\$\s?\d|\b(dollars?|cash|stipends?|honorari(um|a)|prize money|monetary|"
        r"no (money|prize))\b",
        re.I,
    ),
    "paying": re.compile(
        r"\$\s?\d|\b(free|no cost|costs?|price|fees?|dollars?|paid|pays?|fund(s|ed|ing)?|"
        r"scholarships?|sponsor\w*)\b",
        re.I,
    ),
    "count": re.compile(rf"\b(\d+|{_NUMBER_WORD})\b", re.I),
    "origin": re.compile(
        r"\b(since|began|begun|started|founded|established|launched|created|recommended|"
        r"proposed|suggested|came up with|originated|"
        r"first (held|offered|started)|(first|second|third|fourth|fifth|sixth|\d+(st|nd|rd|th)) "
        r"(annual|year))\b",
        re.I,
    ),
    "day": re.compile(
        rf"\b({_MONTH})\.? \d{{1,2}}\b|\b({_WEEKDAY})\b|\{{deadline:",
        re.I,
    ),
    "date": re.compile(
        rf"\b({_FULL_MONTH})\b|\b({_MONTH})\.? \d{{1,2}}\b|\b\d{{4}}\b|"
        rf"\b({_WEEKDAY})\b|\{{deadline:",
        re.I,
    ),
    "place": re.compile(
        r"https?://|\]\(|\b(website|online|virtual|zoom|in person|room|hall|center|centre|"
        r"street|avenue|convention|registry|ALA Connect|library)\b",
        re.I,
    ),
    "how_to": re.compile(
        r"\b(submit|fill (in|out)|send|call|e-?mail|use|contact|reach out|visit|apply|complete|"
        r"join|volunteer|nominate|register|donate|share|attend|read|sign up|click|go to|ask|"
        r"find|choose|renew|reinstate|host|bring|check|follow|look|review|watch|write|consider|"
        r"give|start|get in touch|talk to)\b",
        re.I,
    ),
    "person": re.compile(
        r"\b[A-Z][a-z]+ (\"[A-Z][a-z]+\" )?[A-Z][a-z]+\b|\bCommittee\b|@\w+|\bstaff\b|\bFriends\b"
    ),
}
#: Kinds whose evidence is a number or a date, which a source note must not provide.
_NUMERIC_KINDS = frozenset({"count", "duration", "date", "day", "origin"})
#: Where a fact was read, not the fact: "(as the 2016 call for applications said)",
#: "ALSC's January 2022 post said".
_ATTRIBUTION = re.compile(
    rf"\(as [^)]*\)|\b(?:({_FULL_MONTH}) )?(?:19|20)\d\d (?:call|calls|post|posts|article|"
    r"column|newsletter|announcement|report|blog post)s?\b(?: for applications)?",
    re.I,
)
#: Kinds of fact that belong to one year: a sentence about another year does not give them.
#: How far a date is from today, written beside it: "(in 10 days)", "(3 weeks ago)".
_RELATIVE_DAY = re.compile(
    rf"\b(?:last day )?in (?:\d+|{_NUMBER_WORD}|a|an) (?:days?|weeks?|months?)\b|"
    rf"\b(?:\d+|{_NUMBER_WORD}|a|an) (?:days?|weeks?|months?|years?) ago\b",
    re.I,
)
_YEARLY_KINDS = frozenset({"count", "cost", "paying", "winner", "person", "duration"})
#: Clauses of a sentence: a date belongs to the clause it is written in.
_CLAUSES = re.compile(r"[,;:()]|\s-+\s|\bthat\b")
_OUTCOME = re.compile(rf"\b({_OUTCOME_WORDS}|matched|paired|selected|chosen|accepted)\b")
_EXACT_DAY = re.compile(rf"\b({_MONTH})\.? \d{{1,2}}\b|\b\d{{1,2}}(st|nd|rd|th)? of ({_MONTH})\b")
#: A sentence giving a number per something.
_RATE = re.compile(
    r"\b(per|each|every|apiece|at a time|at once|a (day|week|month|year)|an hour|"
    r"daily|weekly|monthly|yearly|annually|up to \w+ (each|per))\b"
)
#: A length of each item ("5 minutes each"), which a "5-minute session" states.
_EACH = re.compile(r"\b(each|apiece)\b")
#: "how many years *of experience*": a number of units of something else than a length.
_UNITS_OF = re.compile(
    rf"\bhow many ({_UNIT}) of (?!(?:the|a|an|my|your|it|this|that)\b)(?P<what>\w+)"
)
_CLOCK_LENGTH = re.compile(r"\b(hours?|minutes?|mins?|hrs?)\b")
#: Numbers that count nothing: dates, times of day, years, ordinals, "5-minute", "two-way".
_NOT_A_COUNT = re.compile(
    rf"\b({_MONTH})\.? \d{{1,2}}(st|nd|rd|th)?(, \d{{4}})?\b|"
    r"\b\d{1,2}(:\d\d)? ?(am|pm|a\.m\.|p\.m\.)|\b\d{1,2}:\d\d\b|\b(19|20)\d\d\b|"
    r"\b\d+(st|nd|rd|th)\b",
    re.I,
)
_EXACT_COUNT = re.compile(
    r"(?<![-\w])(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
    r"thirty|forty|fifty|sixty|hundred)(?![-\w])",
    re.I,
)
#: Words that end the noun phrase after a number: "50 memberships *for* people" counts memberships.
_PHRASE_END_TEXT = "for to from by with at on about who that which whose when"
_PHRASE_END = frozenset(_PHRASE_END_TEXT.split())
#: A hyphenated "5-minute" describes the next word: it is the length of *that* thing.
_HYPHENATED_DURATION = re.compile(rf"\b(\d+|{_NUMBER_WORD})-({_UNIT})\b ((?:\w+ ?){{1,4}})", re.I)
_COUNT_NEAR = 6
#: Words sharing this many first letters are one family ("mentor", "mentee").
_SIBLING_PREFIX = 4
_YEAR = re.compile(r"(19|20)\d\d")


#: Kinds of fact that change from round to round.
_PER_ROUND_KINDS = frozenset({"count", "winner", "cost"})


def of_an_earlier_round(kind: str, folded: str, sentence: str, year: int) -> bool:
    """True when a question about the present round ("how many so far", "this fall's")
    meets a sentence dated only years before ``year`` ("the Fall 2017 round received 25")."""
    if kind not in _PER_ROUND_KINDS or not _CURRENT.search(folded):
        return False
    stated = [int(item) for item in _YEAR_IN_TEXT.findall(_without_attribution(sentence))]
    return bool(stated) and max(stated) < year - 1


def holds(
    kind: FactKind,
    sentence: str,
    *,
    counted: tuple[str, ...] = (),
    stem: Callable[[str], str] | None = None,
    given: str = "",
) -> bool:
    """True when ``sentence`` (original case) states a fact of ``kind``.

    Args:
        kind: What the question asks for.
        sentence: One sentence or bullet of an answer.
        counted: For ``count`` (and hyphenated durations), stems of the thing asked
            about: "how many *memberships*" needs a number near "memberships".
        stem: The engine's stemmer, used with ``counted``.
        given: The (folded) question: a year it names is not its answer, an edition it
            names ("fall 2017") must be the sentence's, a rate it asks for ("hours a
            month", "can one mentor take") needs one, and hours are not a length in years.
    """
    if kind == "live":
        return False
    if kind in _NUMERIC_KINDS:
        sentence = _without_attribution(sentence)  # "(as the 2016 call said)" dates nothing
    if kind == "duration":
        sentence = _RELATIVE_DAY.sub(" ", sentence)  # "closes ... (in 10 days)" is no length
    if given and not _fits_the_question(kind, sentence, given):
        return False
    if kind == "count":
        sentence = _without_non_counts(sentence)  # "January 27, 2022 at 5 pm", "2016"
        if counted and stem is not None:
            return _number_near(sentence, counted, stem)
        return bool(_EXACT_COUNT.search(sentence))  # "a few" sessions counts no people
    pattern = _EVIDENCE[kind]
    if pattern.search(sentence):
        return True
    if kind == "duration" and counted and stem is not None:
        return any(
            stem(word.lower()) in counted
            for match in _HYPHENATED_DURATION.finditer(sentence)
            for word in match.group(3).split()
        )
    return False


@lru_cache(maxsize=4096)
def _without_attribution(sentence: str) -> str:
    return _ATTRIBUTION.sub(" ", sentence)


@lru_cache(maxsize=4096)
def _without_non_counts(sentence: str) -> str:
    return _NOT_A_COUNT.sub(" ", sentence)


def more_than_a_year(sentence: str) -> bool:
    """True when a sentence dates something by month, day or weekday, not by a year alone."""
    return bool(_EVIDENCE["date"].search(_YEAR_IN_TEXT.sub(" ", _without_attribution(sentence))))


def names_a_year(sentence: str) -> bool:
    """True when a sentence names a year of its own, not only the source it was read in."""
    return bool(_YEAR_IN_TEXT.search(_without_attribution(sentence)))


def _fits_the_question(kind: FactKind, sentence: str, given: str) -> bool:
    asked = _asked(given)
    lowered = sentence.lower()
    if asked.years and kind in _YEARLY_KINDS:
        stated = _YEAR_IN_TEXT.findall(lowered)
        if stated and not set(stated) & set(asked.years):
            return False  # "the 2019 donation": a sentence about 2016 does not say
    if kind in ("date", "day", "origin"):
        if asked.edition is not None and asked.edition not in lowered.replace("autumn", "fall"):
            return False  # "spring 2017 ... February 24" is not the fall 2017 date
        if asked.outcome and not any(
            _OUTCOME.search(clause) and _EVIDENCE[kind].search(clause)
            for clause in _CLAUSES.split(lowered)
        ):
            # "when do we hear back?": the day applications close is not it, nor the month
            # of a newsletter piece by someone "matched with" a mentor: the date must be
            # in the clause that speaks of the news
            return False
        if asked.exact and kind == "day" and not _EXACT_DAY.search(lowered):
            return False  # "Youth Media Awards Monday" is no exact date
        if asked.future and kind == "date":
            # "when will we find out?": "(in 2021, over 30 applications came in)" is no date
            return bool(_EVIDENCE[kind].search(_YEAR_IN_TEXT.sub(" ", lowered)))
        if not asked.years:
            return True
        for year in asked.years:
            lowered = lowered.replace(year, " ")  # the year asked about is no answer
        return bool(_EVIDENCE[kind].search(lowered))
    if kind == "cost" and _DUES_ASKED.search(given) and not _DUES_STATED.search(lowered):
        return False  # "what are the dues?": webinars "free for members" price no membership
    if kind == "person" and not _holds_the_role(lowered, given):
        return False  # "who is the president?": a Vice-President or Past President is not it
    if kind == "person" and _SPEAKER_ASKED.search(given) and not _SPEAKER.search(lowered):
        return False  # "who's presenting the sessions?": the event's host is not its speaker
    if kind in ("count", "duration") and asked.rate and not _RATE.search(lowered):
        # "the sessions are 5 minutes *each*": "5-minute lightning sessions" is each one's length
        each = kind == "duration" and _EACH.search(given) and _HYPHENATED_DURATION.search(sentence)
        if not each:
            return False  # "over 30 applications came in" is no number per mentor or per month
    if kind == "duration" and asked.clock:
        return bool(_CLOCK_LENGTH.search(lowered))  # "one year" says nothing of hours a month
    of_what = _UNITS_OF.search(given)
    if kind == "duration" and of_what and of_what["what"][:6] not in lowered:
        return False  # "how many years of experience": a length of the program is not it
    if kind == "duration" and asked.in_units:
        return bool(_IN_UNITS.search(lowered))  # "six months?": "since 2013" is no length
    return True


#: The price of membership itself: "membership dues", "the annual fee to join", "rates".
_DUES_ASKED = re.compile(
    r"\b(dues|membership (fees?|rates?|costs?|prices?)|(fees?|rates?|costs?|prices?) "
    r"(of|for) (a |an |the )?(\w+ )?membership|(fees?|costs?) to join)\b"
)
#: A sentence pricing membership: an amount, or dues named.
_DUES_STATED = re.compile(r"\$\s?\d|\bdues\b|\bmembership (fees?|rates?|costs?|prices?)\b")
#: A role with a word that makes it another role: "Vice-President", "Past President".
_QUALIFIED_ROLE = re.compile(
    r"\b(vice|past|former|deputy|assistant|interim|acting|immediate past)[- ]([a-z]+)"
)


#: Who speaks at an event: "who's presenting", "who are the speakers", "who is leading it".
_SPEAKER_ASKED = re.compile(
    r"\bwho\b.{0,20}\b(present(s|ing|ers?)?|(speak|talk)(s|ing)?(?! (to|with)\b)|speakers?|"
    r"lead(s|ing)?|teach(es|ing)?|facilitat\w*|moderat\w*|panelists?)\b|"
    r"\b(presenters?|speakers?|panelists?|facilitators?|moderators?)\b"
)
#: A sentence naming who speaks: "presented by", "speakers include", "led by".
_SPEAKER = re.compile(
    r"\b(present(ed|s|ing|ers?|ation)|speak(s|ing|ers?)|spoke|talks?|led by|leads|teach\w*|"
    r"facilitat\w*|moderat\w*|panel\w*|instructors?)\b"
)


def holds_the_role(sentence: str, statement: str) -> bool:
    """False when ``statement`` names a role bare ("X is ALSC President") and ``sentence``
    names it only with a qualifier that makes it another ("X was ALSC Vice-President")."""
    if not _ROLE_NOUN.search(statement.lower()):
        return True  # "someone not selected in the past can ...": "past" qualifies no role
    return _holds_the_role(sentence.lower(), statement.lower())


#: Nouns of a role an association's officers hold.
_ROLE_NOUN = re.compile(
    r"\b(president|chair(person|man|woman)?|director|editor|secretary|treasurer|"
    r"coordinator|officer|liaison|councilor|trustee)\b"
)


def _holds_the_role(lowered: str, given: str) -> bool:
    """False when the question names a role bare ("the president") and the sentence
    names it only with a qualifier that makes it another ("Vice-President", "Past President")."""
    heads = {match.group(2) for match in _QUALIFIED_ROLE.finditer(lowered)}
    if not heads:
        return True
    bare_question = _QUALIFIED_ROLE.sub(" ", given)
    bare_sentence = _QUALIFIED_ROLE.sub(" ", lowered)
    return not any(
        re.search(rf"\b{head}\b", bare_question) and not re.search(rf"\b{head}\b", bare_sentence)
        for head in heads
    )


def _sibling(words: list[str], counted: tuple[str, ...]) -> bool:
    """ "30 *mentee* applications" counts no *mentor* applications: a sibling word instead."""
    return any(
        len(word) >= _SIBLING_PREFIX
        and word not in counted
        and any(
            item[:_SIBLING_PREFIX] == word[:_SIBLING_PREFIX]
            and not (item.startswith(word) or word.startswith(item))
            for item in counted
        )
        for word in words
    )


def _number_near(sentence: str, counted: tuple[str, ...], stem: Callable[[str], str]) -> bool:
    tokens = re.findall(r"[\w$,]+(?:-\w+)*", sentence)  # "two-way", "one-year": no count
    numbers = _EVIDENCE["count"]
    for position, token in enumerate(tokens):
        if _YEAR.fullmatch(token):
            continue  # "the 2016 call for applications" counts nothing
        if numbers.fullmatch(token.replace(",", "")) or numbers.fullmatch(token):
            following = []
            for word in tokens[position + 1 : position + 1 + _COUNT_NEAR]:
                if word.lower() in _PHRASE_END:
                    break
                following.append(stem(word.lower()))
            if any(item in counted for item in following) and not _sibling(following, counted):
                return True
    return False
