"""Questions comparing two things the knowledge holds ("which comes first, A or B?").

A comparison names two things and a way to compare them: their dates (same,
different, before, after, first, earlier, later) or a count (more, fewer). Each
side is looked up on its own: a date among the knowledge's deadlines (through
the calendar's topic search), a count in the sentence of an entry that names the
side's year or season and the thing counted. The reply states both facts and the
verdict that follows from them; when either fact is unknown it says which one
is missing and gives the other, never a verdict.

Pure: no clock, no database; ``today`` is passed in.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot import date_wording
from bot.knowledge.schema import Deadline, Knowledge

#: How a comparison asks about dates.
_DATE_SAME = re.compile(
    r"\b(the )?same (day|date|deadline|time|week)\b|\bat the same time\b|\bthe same\W*$"
)
_DATE_DIFFER = re.compile(r"\b(different|differ|differs|not the same)\b")
_DATE_ORDER = re.compile(
    r"\b(first|earlier|sooner|before|after|later|last|ahead of|prior to|precede|precedes)\b"
)
_COUNT = re.compile(r"\b(more|fewer|less|most|fewest|bigger|larger|smaller)\b")
#: Words joining the two sides.
_JOINS = (
    r"\s+(?:is |comes? |falls? |closes? |happens? |ends? |due )?"
    r"(?:different from|different than|differ from|the same (?:day |date |deadline )?as|"
    r"same (?:day |date |deadline )?as|before|after|ahead of|prior to|earlier than|later than|"
    r"sooner than|than)\s+"
)
_BINARY = re.compile(rf"^(?P<a>.+?){_JOINS}(?P<b>.+)$")
_OR = re.compile(r"^(?P<a>.+?)\s+or\s+(?:the\s+)?(?P<b>.+)$")
_AND = re.compile(r"^(?P<a>.+?)\s+and\s+(?P<b>.+)$")
#: Openers and tags around a side that are not its name.
_LEAD = re.compile(
    r"^(?:(?:so|ok|okay|and|but|just to check|wait|hey|hi|quick question|"
    r"which|what|who|comes|come|is|are|was|were|does|do|did|will|would|can|has|have|"
    r"one|happens|closes|due|first|earlier|later|sooner|last|"
    r"between|the|a|an|deadline|date|day|for|of|to|in)\b[\s,:]*)+"
)
_TAIL = re.compile(
    r"(?:[\s,]*\b(?:right|correct|true|yes|isn't it|is it|does it|don't they|do they|"
    r"or not|then|first|earlier|later|sooner|last|deadline|deadlines|date|dates|"
    r"close|closes|due|happen|happens|same|day|on the|is|are|the|each|"
    r"have|has|on|different|differ|dates)\b)+\W*$"
)
#: The member doing things in an order asks about steps ("should I do X before Y").
_STEPS = re.compile(r"\b(i|we|me|my)\b")
_YEAR = re.compile(r"\b(19|20)\d\d\b")
_SEASON = re.compile(r"\b(spring|summer|fall|autumn|winter)\b")
_NUMBER = re.compile(
    r"\b((?:over|more than|about|around|nearly|almost|at least|under|fewer than|less than) )?"
    r"(\d+)((?: [a-z-]+){1,3})"
)


@dataclass(frozen=True)
class Comparison:
    """Two sides and how to compare them: ``dates`` or ``count``."""

    kind: str  # "same", "differ", "order" (which first / A before B), "count"
    first: str
    second: str
    stated: str = ""  # "before" or "after" when the member states an order
    wants_later: bool = False  # "which is later": name the later one
    #: "X before the end of the year": a side that is no deadline is a time, not a thing
    both_needed: bool = False


def recognise(folded: str) -> Comparison | None:
    """The comparison a message asks, or None.

    >>> recognise("which comes first, the mixer or the chat?").kind
    'order'
    """
    text = folded.strip()
    clauses = [part.strip() for part in re.split(r"[?!]+|\.\s", text) if part.strip()]
    for clause in clauses:
        found = _clause(clause)
        if found is not None:
            return found
    return None


def _clause(clause: str) -> Comparison | None:
    if _STEPS.search(clause):
        return None  # "which do I send in first": the order of steps, not of dates
    either = re.search(
        r"\b(before or after|after or before|earlier or later|later or earlier)\b", clause
    )
    if either is not None:  # "is the mixer before or after the chat?" asks the order
        clause = clause[: either.start()] + "before" + clause[either.end() :]
    same = _DATE_SAME.search(clause)
    differ = _DATE_DIFFER.search(clause)
    order = _DATE_ORDER.search(clause)
    count = _COUNT.search(clause)
    if not (same or differ or order or count):
        return None
    if count and not (same or differ or order) and " or " in clause:
        sides = _or_sides(clause, count.end())
        return Comparison("count", *sides) if sides else None
    kind = "differ" if differ else "same" if same else "order"
    later = bool(re.search(r"\b(later|last|after)\b", clause))
    binary = _BINARY.match(clause)
    if binary is not None and _side(binary.group("a")) and _side(binary.group("b")):
        joined = clause[binary.end("a") : binary.start("b")]
        stated = "before" if re.search(r"before|ahead|prior|earlier|sooner", joined) else ""
        stated = "after" if re.search(r"after|later", joined) else stated
        if either is not None:
            stated = ""
        if stated and (same or differ):
            return None
        if count is not None and not (same or differ or order) and "than" in joined:
            sides = _side(binary.group("a")), _side(binary.group("b"))
            said = "fewer" if re.search(r"fewer|less|smaller", count.group(0)) else "more"
            return Comparison("count", *sides, stated=said)
        if not stated and kind == "order" and either is None:
            return None  # "more than": not an order of dates
        sides = _side(binary.group("a")), _side(binary.group("b"))
        return Comparison(kind, *sides, stated=stated, both_needed=bool(stated or either))
    if " or " in clause and (order or same or differ):
        start = max(m.end() for m in (same, differ, order) if m is not None)
        sides = _or_sides(clause, 0 if start > clause.find(" or ") else start)
        return Comparison(kind, *sides, wants_later=later) if sides else None
    if (same or differ) and " and " in clause:
        both = _AND.match(clause)
        if both is not None and _side(both.group("a")) and _side(both.group("b")):
            return Comparison(kind, _side(both.group("a")), _side(both.group("b")))
    return None


def _or_sides(clause: str, start: int) -> tuple[str, str] | None:
    rest = clause[start:]
    rest = rest.split(",", 1)[1] if "," in rest and rest.find(",") < rest.find(" or ") else rest
    rest = re.sub(r"^.*?\bbetween\b", "", rest)
    match = _OR.match(rest.strip(" ,:"))
    if match is None:
        return None
    first, second = _side(match.group("a")), _side(match.group("b"))
    return (first, second) if first and second else None


def _side(text: str) -> str:
    side = text.strip(" ,.:;")
    for _ in range(3):
        side = _LEAD.sub("", side).strip(" ,.:;")
        side = _TAIL.sub("", side).strip(" ,.:;")
    side = re.sub(r"^.*\b(?:did|do|does|was|were|is|are) more [a-z]+ [a-z]+ (?:in )?", "", side)
    return side if re.search(r"[a-z0-9]{3,}", side) else ""


class Comparisons:
    """Answers comparisons from the deadlines and the entries' sentences."""

    def __init__(
        self,
        knowledge: Knowledge,
        topic_deadlines: Callable[[str, dt.date], Sequence[Deadline]],
        analyze: Callable[[str], list[str]],
    ) -> None:
        """``topic_deadlines`` finds the deadlines a topic names (the calendar's search)."""
        self._knowledge = knowledge
        self._zone = knowledge.organisation.zone
        self._topic_deadlines = topic_deadlines
        self._analyze = analyze
        self._sentences = [
            sentence.strip()
            for entry in knowledge.entries
            for sentence in re.split(r"(?<=[.;])\s+|\n+", entry.answer)
            if sentence.strip()
        ]

    def answer(self, folded: str, today: dt.date) -> tuple[str, tuple[str, ...], bool] | None:
        """(reply, sources, answered) for a comparison, or None when it is not one we can read."""
        asked = recognise(folded)
        if asked is None:
            return None
        if asked.kind == "count":
            return self._counts(asked, folded)
        return self._dates(asked, today)

    def _deadline(self, side: str, today: dt.date) -> Deadline | None:
        found = self._topic_deadlines(side, today)
        return found[0] if found else None

    def _dates(self, asked: Comparison, today: dt.date) -> tuple[str, tuple[str, ...], bool] | None:
        one = self._deadline(asked.first, today)
        two = self._deadline(asked.second, today)
        if one is None and two is None:
            return None
        if one is not None and two is not None and one.id == two.id:
            return None  # both sides name the same thing: not a comparison we can make
        if one is None or two is None:
            if asked.both_needed:
                return None
            known = one or two
            missing = asked.first if one is None else asked.second
            assert known is not None
            text = (
                f"I don't know the date of {missing}, so I can't compare the two. "
                f"{_name(known)}: {self._when(known)}."
            )
            return text, (known.id,), False
        return self._date_verdict(asked, one, two), (one.id, two.id), True

    def _when(self, item: Deadline) -> str:
        when = date_wording.deadline_when(item, self._zone)
        return f"before {when}" if item.closes == "before" else when

    def _date_verdict(self, asked: Comparison, one: Deadline, two: Deadline) -> str:
        both = f"- {_name(one)}: {self._when(one)}\n- {_name(two)}: {self._when(two)}"
        if one.last_day == two.last_day and one.closes == two.closes:
            verb = "close" if one.kind == two.kind == "deadline" else "fall"
            day = date_wording.long_date(one.date)
            opener = {"differ": "No", "same": "Yes", "order": "Neither"}[asked.kind]
            if asked.stated:
                opener = "Not quite"
            return f"{opener}: both {verb} on the same day, {day}.\n{both}"
        earlier, later = (one, two) if one.last_day < two.last_day else (two, one)
        wants_later = asked.wants_later and not asked.stated
        named = later if wants_later else earlier
        order = f"{'Later' if wants_later else 'First'}: {_name(named)}."
        listed = f"- {_name(earlier)}: {self._when(earlier)}\n- {_name(later)}: {self._when(later)}"
        if asked.kind == "differ":
            return f"Yes, they are on different days. {order}\n{listed}"
        if asked.kind == "same":
            return f"No, they are on different days. {order}\n{listed}"
        if asked.stated:
            right = (earlier is one) == (asked.stated == "before")
            verdict = "Yes, that's right." if right else "Not quite: it's the other way round."
            return f"{verdict}\n{listed}"
        return f"{order}\n{listed}"

    def _counts(self, asked: Comparison, folded: str) -> tuple[str, tuple[str, ...], bool] | None:
        counted = _counted_stems(folded, self._analyze)
        if not counted:
            return None
        one = self._count(asked.first, counted)
        two = self._count(asked.second, counted)
        if one is None and two is None:
            return None
        if one is None or two is None:
            known = one or two
            assert known is not None
            missing = asked.first if one is None else asked.second
            label = _label(asked.second if one is None else asked.first)
            text = (
                f"I don't know the number for {_label(missing)}, so I can't compare the two. "
                f"{label}: {known[1]}."
            )
            return text, (), False
        (first_number, first_said), (second_number, second_said) = one, two
        first, second = _label(asked.first), _label(asked.second)
        listed = f"- {first}: {first_said}\n- {second}: {second_said}"
        if first_number == second_number:
            return f"The posts give the same number for both.\n{listed}", (), True
        bigger = first if first_number > second_number else second
        smaller = second if bigger == first else first
        fewer = re.search(r"\b(fewer|less|fewest|smaller)\b", folded) is not None
        if asked.stated:  # "were there fewer in fall 2017 than in 2021?"
            right = (first == smaller) == (asked.stated == "fewer")
            return f"{'Yes' if right else 'No'}, by the numbers the posts give.\n{listed}", (), True
        named = smaller if fewer else bigger
        word = "fewer" if fewer else "more"
        return f"{word.capitalize()} in {named}, by the numbers the posts give.\n{listed}", (), True

    def _count(self, side: str, counted: set[str]) -> tuple[int, str] | None:
        years = set(m.group(0) for m in _YEAR.finditer(side))
        seasons = {_season(m.group(1)) for m in _SEASON.finditer(side)}
        if not years:
            return None
        for sentence in self._sentences:
            low = sentence.lower()
            if not years <= set(m.group(0) for m in _YEAR.finditer(low)):
                continue
            if not seasons <= {_season(m.group(1)) for m in _SEASON.finditer(low)}:
                continue
            for match in _NUMBER.finditer(low):
                if _YEAR.fullmatch(match.group(2)):
                    continue
                found = self._said(low, match, counted)
                if found is not None:
                    return int(match.group(2)), found
        return None

    def _said(self, low: str, match: re.Match[str], counted: set[str]) -> str | None:
        """The number with the thing it counts ("over 30 mentee applications"), if it counts it."""
        for word in re.finditer(r"[a-z-]+", match.group(3)):
            if not counted & set(self._analyze(word.group(0))):
                continue
            end = match.start(3) + word.end()
            plural = re.match(r" [a-z]+s\b", low[end:])  # "mentee applications"
            end += plural.end() if plural else 0
            return _clean(low[match.start() : end]) + _within(low, end)
        return None


def _counted_stems(folded: str, analyze: Callable[[str], list[str]]) -> set[str]:
    match = re.search(r"\b(?:more|fewer|less|most|fewest)\s+([a-z]+)", folded)
    return set(analyze(match.group(1))) if match else set()


def _label(side: str) -> str:
    """A side named by its season and year ("Fall 2017"), else as typed."""
    season = _SEASON.search(side)
    year = _YEAR.search(side)
    if year is None:
        return side
    return f"{season.group(1).capitalize()} {year.group(0)}" if season else year.group(0)


def _within(low: str, end: int) -> str:
    """A short limit said right after a number ("in its first few days")."""
    after = re.match(r"\s+(in its first [a-z ]+?|in the first [a-z ]+?)(?=[;,.)]|$)", low[end:])
    return f" ({after.group(1)})" if after else ""


def _season(word: str) -> str:
    return "fall" if word == "autumn" else word


def _name(item: Deadline) -> str:
    return item.title.rstrip(".")


def _clean(sentence: str) -> str:
    return sentence.replace("**", "").strip()
