"""Recognise questions about the calendar and the period they ask about.

Kinds of date question (checked in this order):

- ``days_until``: "how many days until the mixer?"
- ``too_late``: "is it too late to nominate someone?", "can I still apply?"
- ``window``: a period plus a calendar word: "what's due this week?"
  ("this week" is the calendar week, Monday to Sunday, as in ``/kudos top week``:
  what is left of it when asking what is due, Monday until today when asking
  what happened; "this coming week" is the next 7 days)
- ``upcoming``: "what deadlines are coming up?", "next deadline?"
- ``on_date``: "what happens on February 22?" ("Feb 22", "2/22", "22nd of February")

Every parse also returns the *topic*: the text left once the calendar words
are removed, used to pick which deadline the member means.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Literal

from bot.answers.date_ranges import (
    _MONTH_NAMES,
    _MONTHS,
    _PERIOD,
    _may_name_a_period,
    _period_dates,
)
from bot.date_wording import MONTH_NAMES

Kind = Literal[
    "days_until", "too_late", "last_day", "status", "window", "upcoming", "on_date", "time_of"
]

_DAYS_UNTIL = re.compile(
    r"\b(how (many|much) (more )?(days?|weeks?|time)"
    r"( do i have| do i still have| do we have| have i got| are there| is there| is left)?( left)?"
    r"( (until|till|til|before|left|to|for))?|how long (until|till|til|before|do i have)|"
    r"how soon is|days? (left|remaining|to go) (until|till|before|for)|"
    r"how (long|many days|many weeks) (ago|since)|how long has it been since)\b"
    r"|^\W*(days?|weeks?) (till|til|until|to|before|left)\b"
)
_TOO_LATE = re.compile(
    r"\b(too late|still (be able to |able to |possible to |ok to |okay to |time to )?(apply|"
    r"nominate|register|submit|sign up|join|renew|send|give|gift|get|enter|reinstate|go|"
    r"attend|rsvp|make it|put|turn|rejoin|re-join|reapply|re-apply|vote)|"
    # "can I rejoin in time to vote?": whether the day has passed
    r"in time (to|for)|did i miss|have i missed|i missed|missed the|"
    r"already (closed|over|passed)|(is|are) (it|they|applications|nominations) (still )?open|"
    r"still (open|accepting|taking|being accepted)|is there still time|"
    r"past the deadline|(deadline|it) (has )?passed)\b"
)
_TOO_LATE_MISSED = re.compile(r"\bwhat (did|have) i miss(ed)?\b")
#: Whether a named event or deadline is still ahead: "is the mixer still on?"
_STATUS = re.compile(
    r"\b(still (coming up|on|happening|going ahead|going on|scheduled|planned|upcoming|ahead|"
    r"a thing|due)|^(has|have|did) .{1,50}? (already )?(happen(ed)?|take place|taken place|"
    r"took place|close|closed|passed|ended|end)( yet| already)?$|^(is|are|was|were) .{1,50}? "
    r"(already )?(over|done|finished|past|closed)( yet| already)?$)"
)
#: "When's the last day I can nominate someone?": the day a deadline closes.
_LAST_DAY = re.compile(r"\b(last|final) (day|date|chance)\b")
#: A clock time or time zone in the question: "is the mixer at 5pm eastern?"
_CLOCK = re.compile(
    r"\b(\d{1,2}(:\d\d)? ?(am|pm)|\d{1,2} ?o'?clock|noon|(eastern|central|pacific|mountain)"
    r"( time)?|est|edt|cst|cdt|pst|pdt|mst|mdt|time zone|timezone)\b"
)
#: Words saying the member asks about the past ("was anything due in October?").
_PAST = re.compile(r"\b(was|were|did|had|happened|closed|passed|missed|miss|last|past|ago)\b")
_CALENDAR_WORD = re.compile(
    r"\b(due|deadlines?|events?|happen\w*|coming( up)?|upcoming|scheduled?|calendar|"
    r"(need|have|got) to (do|get done|finish|send|submit|turn in)|to-?do|planner|agenda|"
    r"going on|anything|what'?s on|what is on|closing|close|closes|dates?|expir\w*|"
    r"cut-?off|cut off)\b"
)
_UPCOMING = re.compile(
    r"\b(coming up|upcoming|next (deadline|event|date|thing)s?|what'?s next|what is next|"
    r"on (my|our|the) radar|ahead (of|for) (me|us)|(what'?s|what is) on (the|your) (\w+ )?calendar|"
    r"(soonest|earliest|nearest|closest) (deadline|event|date|thing)s?|get(ting)? ready for|"
    r"(in|on|to) (my|our) (planner|calendar|agenda|diary)|"
    r"(any|what|which) (deadlines|dates|events)|deadlines? (soon|ahead)|"
    r"(due|happening) soon|key dates)\b"
)
_DATE_WORDS = re.compile(
    r"\b(what|whats|when|is|are|there|anything|any|happens?|happening|going|on|the|due|"
    r"deadlines?|events?|scheduled?|calendar|coming|(?<!sign )up|upcoming|next|soon|how|many|"
    r"much|days?|put|add|write|jot|down|"
    r"weeks?|left|until|till|til|before|to|for|do|i|have|it|too|late|still|can|able|be|"
    r"missed|miss|did|already|closed|over|passed|open|of|a|an|in|at|this|that|today|tonight|"
    r"tomorrow|month|remaining|go|time|more|what'?s|whats|key|dates?|right|correct|yeah|yes|"
    r"cut-?off|cut off|or|for|either|which|one|it|that|"
    r"\d{1,2}(:\d\d)? ?(am|pm)|eastern|central|pacific|mountain|est|cst|pst|mst|edt|cdt|"
    r"et|ct|pt|"
    # framing and the asker, never a deadline's topic: "the next deadline I should have on
    # my radar", "just to double check", "anything I still have time for"
    r"i'?m|im|me|my|we|us|our|you|should|need|know|aware|keep|mind|watch|look out|plan|"
    r"planning|note|mark|remember|worth|radar|just|double|check|confirm|quick|question|"
    r"wondering|make|stuff|things?|ahead|w|with|about|so|far|yet|please|could|tell|show|list|"
    r"again|exactly|precisely|really|actually|possible|available|accepting|taking|being|"
    r"accepted|happened|happen|take|took|place|done|finished|chance|time|planned|has|had|will|"
    # being away is no topic: "I'm on vacation the last week of January, will I miss anything?"
    r"vacation|away|travell?ing|leave|sick|busy|off|out|office|gone|recently|lately|remind)\b"
)

#: The words the patterns above are made of (month names too): a misspelt one is
#: put right before parsing ("whats due ths wek"), see :class:`bot.answers.engine.AnswerEngine`.
_CALENDAR_TEXT = """
    today tonight tomorrow day days week weeks month months next this coming upcoming soon
    due deadline deadlines event events happen happens happening schedule scheduled calendar
    many much until till before left remaining late still open closed passed missed already
    date dates key ahead over done happened radar weekend
    application applications apply nomination nominations nominate registration register
    submission submit renewal renew
"""
CALENDAR_WORDS = frozenset(_CALENDAR_TEXT.split()) | frozenset(MONTH_NAMES)

_MONTH_DAY = re.compile(
    rf"\b(?P<month>{_MONTH_NAMES})\.? (?P<day>\d{{1,2}})(st|nd|rd|th)?\b(,? (?P<year>\d{{4}}))?"
)
_DAY_MONTH = re.compile(
    rf"\b(the )?(?P<day>\d{{1,2}})(st|nd|rd|th)?( of)? (?P<month>{_MONTH_NAMES})\b\.?"
    rf"(,? (?P<year>\d{{4}}))?"
)
_SLASHED = re.compile(r"\b(?P<month>\d{1,2})/(?P<day>\d{1,2})(/(?P<year>\d{4}|\d{2}))?\b")
_ISO = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b")


def _collapsed(word: str) -> str:
    """The word with every doubled letter single: "tommorow" and "tomorrow" are "tomorow"."""
    return re.sub(r"(\w)\1+", r"\1", word)


#: A letter doubled or left single by mistake, even twice ("tommorow", "upcomming"), in
#: the longer calendar words (short ones would meet real words: "son" is not "soon").
_BY_COLLAPSED = {_collapsed(word): word for word in CALENDAR_WORDS if len(word) >= 6}
_LONG_WORD = re.compile(r"\b[a-z]{6,}\b")


def _undoubled(match: re.Match[str]) -> str:
    return _undouble(match.group(0))


@functools.lru_cache(maxsize=4096)
def _undouble(word: str) -> str:
    return word if word in CALENDAR_WORDS else _BY_COLLAPSED.get(_collapsed(word), word)


@dataclass(frozen=True)
class DateQuestion:
    """What a calendar question asks for."""

    kind: Kind
    topic: str
    first: dt.date | None = None
    last: dt.date | None = None
    period: str = ""
    month_day: tuple[int, int] | None = None
    year: int | None = None


def parse_date_question(folded: str, *, today: dt.date) -> DateQuestion | None:
    """Classify a folded question, or None when it is not about the calendar.

    Args:
        folded: Question text after :func:`bot.answers.text.fold`.
        today: Today's date in the organisation's time zone.
    """
    without_apostrophes = folded.replace("'", "")  # "what's" -> "whats"
    text = " ".join(re.sub(r"[?!,;:()\"]", " ", without_apostrophes).split())
    text = _LONG_WORD.sub(_undoubled, text)
    if _DAYS_UNTIL.search(text):
        return DateQuestion("days_until", _topic(_DAYS_UNTIL.sub(" ", text)))
    # "what did I miss last month?" asks for a period, "did I miss the deadline?" for one item
    text = _TOO_LATE_MISSED.sub(r"\g<0> anything", text)
    period = _PERIOD.search(text) if _may_name_a_period(text) else None
    recent = period and period.group(0) in ("recently", "lately")
    if recent and not (_PAST.search(text) or re.search(r"\bbeen\b", text)):
        period = None  # "I recently joined, what's coming up?" asks about what is ahead
    if _TOO_LATE.search(text) and not (period and _CALENDAR_WORD.search(text)):
        return DateQuestion("too_late", _topic(_TOO_LATE.sub(" ", text)))
    if _LAST_DAY.search(text) and not period:
        return DateQuestion("last_day", _topic(_LAST_DAY.sub(" ", text)))
    if _STATUS.search(text) and not period:
        return DateQuestion("status", _topic(text))  # "did the mixer happen": the mixer
    # the text without the period (its first mention: the long pattern is not run again)
    rest = f"{text[: period.start()]} {text[period.end() :]}" if period else text
    if period and _CALENDAR_WORD.search(rest):
        first, last, label = _period_dates(period.group(0), today, past=bool(_PAST.search(text)))
        return DateQuestion("window", _topic(rest), first, last, label)
    date_match = _find_month_day(text) or _find_day_of_month(text, today)
    if date_match is not None:
        (month, day, year), rest = date_match
        return DateQuestion("on_date", _topic(rest), month_day=(month, day), year=year)
    if _UPCOMING.search(text):
        return DateQuestion("upcoming", _topic(_UPCOMING.sub(" ", text)))
    if _CLOCK.search(text):
        return DateQuestion("time_of", _topic(_CLOCK.sub(" ", text)))
    return None


#: A suffix that makes a topic a kind of thing: "anything *mentoring-related*" is mentoring.
_OF_A_KIND = re.compile(r"(?<=\w)[- ](related|relevant|specific|wise|oriented|focused)\b")


def _topic(text: str) -> str:
    """What is left of a question once calendar words are removed."""
    return " ".join(_DATE_WORDS.sub(" ", _OF_A_KIND.sub(" ", text)).split())


def _find_month_day(text: str) -> tuple[tuple[int, int, int | None], str] | None:
    """The first month/day phrase in the text and the text without it."""
    for pattern in (_ISO, _MONTH_DAY, _DAY_MONTH, _SLASHED):
        for match in pattern.finditer(text):
            parsed = _month_day(match)
            if parsed is not None:
                return parsed, text[: match.start()] + " " + text[match.end() :]
    return None


_DAY_ONLY = re.compile(r"\b(on|for) the (?P<day>\d{1,2})(st|nd|rd|th)\b")


def _find_day_of_month(text: str, today: dt.date) -> tuple[tuple[int, int, int | None], str] | None:
    """ "anything on the 22nd?": that day of this month, or of next month once it has passed."""
    match = _DAY_ONLY.search(text)
    if match is None:
        return None
    day = int(match.group("day"))
    first = today.replace(day=1)
    if day < today.day:
        first = (first + dt.timedelta(days=32)).replace(day=1)
    if not 1 <= day <= calendar.monthrange(first.year, first.month)[1]:
        return None
    return (first.month, day, first.year), text[: match.start()] + " " + text[match.end() :]


def _month_day(match: re.Match[str]) -> tuple[int, int, int | None] | None:
    month_text = match.group("month")
    month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text)
    day = int(match.group("day"))
    year_text = match.group("year")
    year = int(year_text) if year_text else None
    if year is not None and year < 100:
        year += 2000
    if month is None or not 1 <= month <= 12:
        return None
    # February 29 is accepted: it exists in leap years
    if not 1 <= day <= calendar.monthrange(2024, month)[1]:
        return None
    if year is not None and day > calendar.monthrange(year, month)[1]:
        return None
    return month, day, year
