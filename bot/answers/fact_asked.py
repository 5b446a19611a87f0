"""What a question says about the fact it wants: the round or year it names, a rate,
a length in clock units, a future or exact day, the news of a decision."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.answers.fact_words import (
    _HAS_BEEN,
    _NUMBER_WORD,
    _OUTCOME_WORDS,
    _UNIT,
    _YEAR_IN_TEXT,
)

#: A question about what is still to come: a year alone does not answer it.
#: Or a deadline: a day, not a year ("deadline for the Emerging Leaders program").
_FUTURE = re.compile(
    r"\bwhen (will|do|does|can|should|would|is|are|are \w+ going to)\b|\bhow soon\b|"
    r"\bdeadlines?\b|\bdue\b|\bcut-?off\b"
)
_ASKS_YEAR = re.compile(r"\b(what|which) year\b|\bwhat year\b|\byear did\b")
_OUTCOME_QUESTION = re.compile(
    rf"\b(when|what day|what date|how soon|how long until)\b.*\b({_OUTCOME_WORDS})\b"
)
_EXACT = re.compile(r"\b(exact|specific|precise|actual) (dates?|days?)\b")
_EDITION = re.compile(r"\b(spring|summer|fall|autumn|winter) ((?:19|20)\d\d)\b")
#: A question asking a number per something: per person, per period, at one time.
_RATE_QUESTION = re.compile(
    r"\b(per|each|every|apiece|at a time|at once|at the same time|simultaneously|"
    r"(hours?|hrs?|minutes?|mins?|times?|sessions?|meetings?|calls?|days?|weeks?) a "
    r"(day|week|month|year|session)|(can|could|does|do|will|may|would) (one|a single) \w+)\b"
)
_CLOCK_UNIT = re.compile(
    r"\bhow (many|much) (hours?|minutes?|mins?|hrs?)\b|\b(hours?|minutes?) (a|per)\b"
)
_IN_UNITS = re.compile(rf"\b(\d+|{_NUMBER_WORD}|an?)[ -]({_UNIT})\b")
_HOW_MANY_UNITS = re.compile(rf"\bhow many ({_UNIT})\b")


def edition(folded: str) -> str | None:
    """The round a question names ("the fall 2017 applications"): "fall 2017", or None."""
    match = _EDITION.search(folded)
    return f"{match.group(1)} {match.group(2)}" if match else None


def asks_rate(folded: str) -> bool:
    """True for "how many hours a month", "how many mentees can one mentor take at once"."""
    return bool(_RATE_QUESTION.search(folded))


@dataclass(frozen=True)
class _Asked:
    """What a question says about the fact it wants (worked out once per question)."""

    edition: str | None
    years: tuple[str, ...]
    rate: bool
    clock: bool
    in_units: bool
    future: bool
    exact: bool
    outcome: bool


@lru_cache(maxsize=512)
def _asked(given: str) -> _Asked:
    return _Asked(
        edition=edition(given),
        years=tuple(_YEAR_IN_TEXT.findall(given)),
        rate=asks_rate(given),
        clock=bool(_CLOCK_UNIT.search(given)),
        # "how many yrs of experience" asks a number of years: "since 2013" is none
        # (but "how many years has it been running" is answered by when it began)
        in_units=bool(_IN_UNITS.search(given))
        or bool(_HOW_MANY_UNITS.search(given) and not re.search(_HAS_BEEN, given)),
        future=bool(_FUTURE.search(given)),
        exact=bool(_EXACT.search(given)),
        outcome=asks_outcome(given),
    )


def asks_year(folded: str) -> bool:
    """True for "what year ...", "which year ...": a year alone is the answer."""
    return bool(_ASKS_YEAR.search(folded))


def asks_outcome(folded: str) -> bool:
    """True for the date of a decision or its news ("when will we find out", "hear back")."""
    return bool(_OUTCOME_QUESTION.search(folded))
