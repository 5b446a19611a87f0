"""Comparing a stated premise with the answer: confirmed, corrected or unclear.

Numbers, dates, times and durations the answer contradicts, a rule stated the other
way round ("mentees have to be members" against "mentees do not need to be members"),
an opposite word ("online" / "in person") or another name correct the premise; a
premise whose values and words all appear in the answer is confirmed.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from typing import Literal

from bot.answers.fact_checks import holds_the_role
from bot.answers.premise_frames import _COPULA, _NEGATION, _RESTRICTION, Premise
from bot.answers.premise_values import _agrees, _same_kind, _values

Verdict = Literal["confirmed", "corrected", "unclear"]

#: A rule with no number is confirmed only when the answer has every word it names.
_CONFIRMING_WORDS = 3
_NOT_CONTENT_TEXT = """
    the and are was were has have had must need needs can could will would should may might
    does did not don't isn't aren't for with that this they them their you your yeah right
    true correct also too just really
"""
_NOT_CONTENT = frozenset(word.rstrip("s") for word in _NOT_CONTENT_TEXT.split())
#: Words that say a value is a length, a date or a time, not what it is of ("a year *long*",
#: "*runs* for a year", "is *scheduled* for the 27th"): beside a matching value they add nothing.
_SCHEDULE_TEXT = """
    long last run go going take happen held start begin end close closed due scheduled set
    planned about around roughly approximately exactly total full whole each every least
    old older age deadline date day extend extended push pushed move moved commitment length
    duration term
"""
_SCHEDULE_WORDS = frozenset(word.rstrip("s") for word in _SCHEDULE_TEXT.split())
#: Month names and units: the values themselves are compared apart from the words.
_VALUE_TEXT = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?|"
    r"\b\d+(:\d\d)?\s?(st|nd|rd|th|am|pm|a\.m\.|p\.m\.)?(?!\w)|"
    r"\b(am|pm|years?|months?|weeks?|days?|hours?|minutes?|one|two|three|four|five|six|"
    r"seven|eight|nine|ten|twelve|twenty|thirty|fifty|hundred|eastern|central|mountain|"
    r"pacific|cst|cdt|est|edt|pst|pdt|mst|mdt|ct|et|pt|mt|time|zone|at|on|by|in|is|it)\b"
)
_NON = re.compile(r"\bnon-?(?=[a-z])")
_CLAUSE = re.compile(r"[;:]\s+|\s+-+\s+")
#: General English opposites a rule can be stated with ("closed" to members / "open").
_OPPOSITES = tuple(
    (re.compile(rf"\b({one})\b"), re.compile(rf"\b({other})\b"))
    for one, other in (
        ("open|opened", "closed|shut"),
        ("free|no cost|free of charge", "paid|costs? money|fee|charge[sd]?"),
        ("required|mandatory|compulsory", "optional|not required|voluntary"),
        ("online|virtual|virtually|remote", "in person|in-person|on site|onsite"),
        # a fixed timetable against one each party sets ("on a set schedule, every week" /
        # "meets on its own time")
        (
            r"fixed|set (schedule|times?|days?|hours?)|(a|the) schedule|scheduled|"
            r"(every|each) (single )?(day|week|month)|weekly|daily|regular schedule",
            r"(its|their|your|his|her|our) own (time|times|schedule|pace)|flexib\w*|"
            r"whenever (they|you|it|we)|as often as|when it suits",
        ),
    )
)


def verdict(
    premise: Premise,
    answer_sentence: str,
    *,
    about: str = "",
    stems_of: Callable[[str], set[str]] | None = None,
) -> Verdict:
    """Whether the answer's sentence confirms or corrects the premise.

    Args:
        premise: The stated fact.
        answer_sentence: The sentence the reply gives the fact with.
        about: What the reply is about (its entry's title): the statement may name its
            subject so ("the mentoring program started in 2013" against "matching mentors
            and mentees since Fall 2013" under "History of the mentoring program").
        stems_of: The engine's analysis (synonyms, stems): "DSA" names the Distinguished
            Service Award.
    """
    answer_sentence = answer_sentence.split("\n\n")[0]  # not the other items of that day
    if not holds_the_role(answer_sentence, premise.statement):
        return "corrected"  # "X is the president" against "X was Vice-President"
    stated = _values(premise.statement)
    found = _values(answer_sentence.lower())
    if stated:
        contradicted = [
            value for value in stated if not _agrees(value, found) and _same_kind(value, found)
        ]
        if contradicted:
            return "corrected"
        agreed = all(_agrees(value, found) for value in stated)
        if agreed and _names_only_what(premise, f"{answer_sentence}\n{about}", stems_of):
            return "confirmed"
    answer = _closest_clause(premise.statement, answer_sentence.lower())
    if _negated(_main_clause(premise.statement)) != _negated(_main_clause(answer)):
        return "corrected"
    if _opposite(premise.statement, answer):
        return "corrected"
    if _other_name(premise.statement, answer_sentence):
        return "corrected"
    said = _words(premise.statement) - _NOT_CONTENT
    if not stated and len(said) >= _CONFIRMING_WORDS and _all_known(said, _words(answer)):
        return "confirmed"  # "mentors have to be members" against "mentors must be members"
    return "unclear"


#: Words a sentence elsewhere in the reply shares with a rule before it can turn it round.
_SHARED_FOR_OPPOSITE = 1


def opposed_elsewhere(premise: Premise, sentences: Sequence[str]) -> bool:
    """True when another sentence of the reply states the opposite of the premise's rule.

    "Mentors must meet every week on a set schedule, right?": the sentence the reply
    opens with lists activities, but "each match ... meets on its own time" further on
    says otherwise. Only a sentence sharing words with the statement counts.
    """
    said = _words(premise.statement) - _NOT_CONTENT
    for sentence in sentences:
        answer = _closest_clause(premise.statement, sentence.lower())
        if len(said & _words(answer)) >= _SHARED_FOR_OPPOSITE and _opposite(
            premise.statement, answer
        ):
            return True
    return False


def _other_name(statement: str, answer: str) -> bool:
    """True when the statement's value names someone the answer names otherwise.

    A name is two capitalised words in the answer ("Paula Holmes", "Membership
    Committee"): the statement has one of them beside a word the answer never uses
    ("Marlowe's mentor was Paula *Harris*", "hosted by the *Awards* Committee").
    """
    verb = _COPULA.search(statement)  # "the Awards Committee hosts the mixer": all of it
    value = re.findall(r"[a-z][\w'-]*", statement[verb.end() if verb else 0 :])
    tokens = re.findall(r"[\w'-]+|[^\w\s]", answer)
    pairs = {
        (first.lower(), second.lower())
        for first, second in itertools.pairwise(tokens)
        if first[:1].isupper() and second[:1].isupper() and first.isalpha() and second.isalpha()
    }
    known = set(re.findall(r"[a-z][\w'-]*", answer.lower()))
    firsts = {first for first, _ in pairs}
    seconds = {second for _, second in pairs}

    def strange(word: str) -> bool:
        return len(word) > 2 and not _known(word, known) and word.rstrip("s") not in _NOT_CONTENT

    return any(
        (first in firsts and strange(second)) or (second in seconds and strange(first))
        for first, second in itertools.pairwise(value)
        if (first, second) not in pairs
    )


def _names_only_what(
    premise: Premise, answer_sentence: str, stems_of: Callable[[str], set[str]] | None = None
) -> bool:
    """True when the answer has every word the statement names besides its values.

    "The Feb 22 chat is with the Membership Committee" has the right date but not the
    answer's committee: that is not confirmed.
    """
    said = _words(_VALUE_TEXT.sub(" ", premise.statement)) - _NOT_CONTENT
    said = {word for word in said if not _known(word, _SCHEDULE_WORDS)}
    written = _words(_VALUE_TEXT.sub(" ", answer_sentence.lower()))
    unknown = {word for word in said if not _known(word, written)}
    if not unknown or stems_of is None:
        return not unknown
    stems = stems_of(answer_sentence)
    return all(stems_of(word) and stems_of(word) <= stems for word in unknown)


#: Two forms of one word share this many first letters ("mentorship", "mentoring").
_SHARED_PREFIX = 6
#: A word this long that begins another is its form ("host", "hosted").
_SHORT_FORM = 4


def _known(word: str, vocabulary: set[str] | frozenset[str]) -> bool:
    """True when ``word`` or another form of it is in ``vocabulary``."""
    if word in vocabulary:
        return True
    for other in vocabulary:
        short, long = sorted((word, other), key=len)
        if len(short) >= _SHORT_FORM and long.startswith(short):
            return True
        if len(short) >= _SHARED_PREFIX and short[:_SHARED_PREFIX] == long[:_SHARED_PREFIX]:
            return True
    return False


def _all_known(said: set[str], vocabulary: set[str]) -> bool:
    return all(_known(word, vocabulary) for word in said)


#: A condition or reason beside the rule ("..., if they didn't win", "even though X, ...").
_CONDITION = re.compile(
    r"(?:^|,\s*|\s)(?:if|unless|even if|even though|although|though|because|when|whenever)\b"
    r"[^,;]*(?:,|$)"
)


#: A negated relative clause describing someone: "someone *who was not selected*".
_NEGATED_RELATIVE = re.compile(
    r"\b(?:who|whom|that|which)\s+(?:\w+\s+)?(?:not|never|\w+n't)\s+(?:been\s+)?\w+"
)


def _main_clause(text: str) -> str:
    """The rule without a condition or a description beside it: "you can nominate them
    again if they didn't win" and "someone who was not selected can be nominated again"
    both state that one can nominate again; the "not" describes who, it negates no rule.
    """
    return _NEGATED_RELATIVE.sub(" ", _CONDITION.sub(" ", text)).strip() or text


def _negated(text: str) -> bool:
    """A rule stated negatively: "not", "can't", a restriction ("only once").

    A "non-" word turns it round: "non-members can be mentees" says members need not
    be, and "non-members can't be mentees" says they must.
    """
    negated = bool(_NEGATION.search(text) or _RESTRICTION.search(text))
    return negated != bool(_NON.search(text))


def _closest_clause(statement: str, sentence: str) -> str:
    """The clause of an answer sentence that speaks of what the statement does.

    "Mentor applicants must be ALSC members; non-members can take part as mentees":
    a statement about mentors is compared with the first clause, not the second.
    """
    clauses = [clause for clause in _CLAUSE.split(sentence) if clause.strip()]
    if len(clauses) < 2:
        return sentence
    said = _words(statement)
    subject = next(iter(re.findall(r"[a-z0-9]{3,}", _main_clause(statement))), "")
    subject = "" if subject in ("the", "and") else subject.rstrip("s")

    def closeness(clause: str) -> tuple[int, bool]:
        # on a tie, the clause naming what the statement is about ("mentors can be
        # non-members": "mentors themselves must be members", not "open to non-members")
        words = _words(clause)
        return len(said & words), bool(subject) and subject in words

    return max(clauses, key=closeness)


def _words(text: str) -> set[str]:
    return {word.rstrip("s") for word in re.findall(r"[a-z0-9]+", text) if len(word) > 2}


def _opposite(statement: str, answer: str) -> bool:
    """The statement uses one word of an opposite pair and the answer only the other."""
    for one, other in _OPPOSITES:
        said = one.search(statement), other.search(statement)
        written = one.search(answer), other.search(answer)
        if said[0] and not said[1] and written[1] and not written[0]:
            return True
        if said[1] and not said[0] and written[0] and not written[1]:
            return True
    return False
