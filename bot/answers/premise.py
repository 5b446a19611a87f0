"""Questions that state a fact and ask for confirmation ("the program lasts two years, right?").

The stated fact is compared with the sentence the engine would answer with:
numbers, dates, times and durations in the premise that the answer contradicts,
or a rule stated the other way round ("mentees have to be members" against
"mentees do not need to be members"), make the reply open with "Not quite";
a premise whose values all appear in the answer gets "Yes". Otherwise the reply
simply gives the fact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from bot.date_wording import MONTHS

Verdict = Literal["confirmed", "corrected", "unclear"]

_TAG = re.compile(
    r"(,|\s)\s*(right|correct|yeah|yes|no|yep|true|ok|okay|is that (right|correct|true|so)|"
    r"(is|was|are|were|do|does|did|can|has|have|will|should)(n't| not)? (it|they|there|i|we|"
    r"you|he|she|that)|innit|isn'?t (it|that so)|am i right|no\?)\s*\?+\s*$"
)
_LEADING = re.compile(
    r"^\s*(so|i (think|heard|believe|thought|read|was told)( that)?|isn'?t it true that|"
    r"(is it )?true that|am i right that|correct me if i'?m wrong,? (but )?)\b"
)
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
}  # fmt: skip
_NUMBER = r"\d+|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
_DURATION = re.compile(rf"\b({_NUMBER})[ -](year|month|week|day|hour|minute)s?\b")
_TIME = re.compile(r"\b(\d{1,2})(?::(\d\d))? ?(am|pm|a\.m\.|p\.m\.)")
_DATE = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? (\d{1,2})(?:st|nd|rd|th)?\b"
)
_PLAIN_NUMBER = re.compile(r"(?<![\d:/-])\b(\d+)\b(?![:/]\d)")
_NEGATION = re.compile(r"\b(not|no|never|cannot|can't|don't|doesn't|isn't|aren't|without)\b|n't\b")

Value = tuple[str, object]


@dataclass(frozen=True)
class Premise:
    """A statement the member wants confirmed, without its question tag."""

    statement: str


def recognise(folded: str) -> Premise | None:
    """The premise of a confirmation question ("X, right?"), or None."""
    tag = _TAG.search(folded)
    if tag is None:
        return None
    statement = _LEADING.sub("", folded[: tag.start()]).strip(" ,")
    return Premise(statement) if len(statement.split()) >= 3 else None


def verdict(premise: Premise, answer_sentence: str) -> Verdict:
    """Whether the answer's sentence confirms or corrects the premise."""
    stated = _values(premise.statement)
    found = _values(answer_sentence.lower())
    if stated:
        contradicted = [
            value for value in stated if value not in found and _same_kind(value, found)
        ]
        if contradicted:
            return "corrected"
        if all(value in found for value in stated):
            return "confirmed"
    if bool(_NEGATION.search(premise.statement)) != bool(_NEGATION.search(answer_sentence.lower())):
        return "corrected"
    return "unclear"


def opening(result: Verdict) -> str:
    """The words that open a reply to a premise."""
    if result == "corrected":
        return "Not quite, that's not what I have. "
    if result == "confirmed":
        return "Yes, that's right. "
    return ""


def _values(text: str) -> set[Value]:
    values: set[Value] = set()
    used: list[tuple[int, int]] = []
    for match in _DURATION.finditer(text):
        values.add(("duration", (_number(match.group(1)), match.group(2))))
        used.append(match.span())
    for match in _TIME.finditer(text):
        hour = int(match.group(1)) % 12 + (12 if match.group(3).startswith("p") else 0)
        values.add(("time", (hour, int(match.group(2) or 0))))
        used.append(match.span())
    for match in _DATE.finditer(text):
        values.add(("date", (MONTHS[match.group(1)], int(match.group(2)))))
        used.append(match.span())
    for match in _PLAIN_NUMBER.finditer(text):
        if not any(start <= match.start() < end for start, end in used):
            number = int(match.group(1))
            values.add(("year" if 1900 <= number <= 2100 else "number", number))
    return values


def _same_kind(value: Value, found: set[Value]) -> bool:
    """True when the answer states a value the premise's value can be compared with."""
    kind, content = value
    for other_kind, other in found:
        if other_kind != kind:
            continue
        if kind == "duration" and isinstance(content, tuple) and isinstance(other, tuple):
            if content[1] == other[1] or {content[1], other[1]} <= {"year", "month"}:
                return True
        elif kind != "duration":
            return True
    return False


def _number(text: str) -> int:
    return int(text) if text.isdigit() else _NUMBER_WORDS[text]
