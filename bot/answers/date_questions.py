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

from bot.date_wording import (
    DAY_NAMES,
    MONTH_NAMES,
    MONTHS,
    WEEKDAYS,
    long_date,
    month_and_year,
    week_of,
)

Kind = Literal[
    "days_until", "too_late", "last_day", "status", "window", "upcoming", "on_date", "time_of"
]

_MONTHS = MONTHS
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "fourteen": 14, "fifteen": 15, "twenty": 20,
    "thirty": 30, "couple": 2, "couple of": 2, "few": 3, "several": 3,
}  # fmt: skip
#: "the next few weeks": a count word before the unit; "the coming weeks" with none means a few.
_COUNT = r"(\d+|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
_UNIT = r"(days?|weeks?|months?)"

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
#: "before the holidays", "by Christmas" (December 24), "before the new year" (the 31st).
_HOLIDAYS = re.compile(
    r"(before|until|till|by) (the )?(holidays?|holiday (season|break)|christmas|winter break|"
    r"new year'?s?|thanksgiving)"
)
#: Day names as members type them ("sat", "sun", "wed" and "mon" are other words too).
_DAY_NAMES = "|".join((*DAY_NAMES, "tues", "weds", "thurs"))
#: Part of a named month: "early February", "mid-January", "the end of January".
_PART_OF_MONTH = (
    r"(early|mid|middle of|late|(the )?(beginning|start|end) of)[ -](" + _MONTH_NAMES + r")"
)
#: A week of a named month: "the last week of January", "the first week of February".
_WEEK_OF_MONTH = (
    r"(the )?(first|second|third|fourth|last|final) week (of|in) (" + _MONTH_NAMES + r")"
)
#: Seasons (northern hemisphere, by month): "this spring", "in the fall".
_SEASONS = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}
_PERIOD = re.compile(
    r"\b(" + _WEEK_OF_MONTH + r"|((in|during|this|next|over) )?(the )?(spring|summer|fall|autumn|"
    r"winter)( break)?(?! (break|round|call|session|class|semester|term|cohort|2\d\d\d))|"
    r"recently|lately|(the )?rest of (the |this )week|"
    r"(before |by |until |till )?" + _PART_OF_MONTH + r"|"
    r"(this |next )?weekend|(the )?week after next|"
    r"((on|by|before|until|till|this|next) )?(" + _DAY_NAMES + r")|"
    r"((in|within) (a |an |the )?"
    + _COUNT
    + " "
    + _UNIT
    + r")|within (a|one|the) (day|week|month)|"
    r"((in|for|during|this|rest of) )(20\d\d)|"
    r"today|tonight|tomorrow|this (coming )?week|next week|last week|past week|this month|"
    r"next month|last month|past month|this year|next year|last year|rest of the year|"
    r"(before |by |until |till )?(the )?end of (the |this )?(year|month)|"
    r"(before|until|till|by) (" + _MONTH_NAMES + r")|"
    r"((in|within|over|during|for) )?(the )?(next|coming|past|last) (a )?"
    + _COUNT
    + " "
    + _UNIT
    + r"|((in|within|over|during|for) )?the (next|coming) "
    + _UNIT
    + r"|(in|within|over|during|for) the (next|coming) (month|week)"
    + r"|"
    + _HOLIDAYS.pattern
    + r"|(in|during|for|this|next|last) ("
    + _MONTH_NAMES
    + r"))\b(?! \d)"
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


#: Every period phrase has one of these words (checked first: the period pattern is long).
_ANCHOR_TEXT = """
    today tonight tomorrow day days week weeks weekend month months year years year's
    recently lately holiday holidays christmas thanksgiving spring summer fall autumn winter
"""
_PERIOD_ANCHORS = (
    frozenset(_ANCHOR_TEXT.split()) | frozenset(_MONTHS) | frozenset(_DAY_NAMES.split("|"))
)
_TOKEN = re.compile(r"[a-z']+|\d{4}")


def _may_name_a_period(text: str) -> bool:
    tokens = _TOKEN.findall(text)
    return any(token in _PERIOD_ANCHORS or token.isdigit() for token in tokens)


#: A suffix that makes a topic a kind of thing: "anything *mentoring-related*" is mentoring.
_OF_A_KIND = re.compile(r"(?<=\w)[- ](related|relevant|specific|wise|oriented|focused)\b")


def _topic(text: str) -> str:
    """What is left of a question once calendar words are removed."""
    return " ".join(_DATE_WORDS.sub(" ", _OF_A_KIND.sub(" ", text)).split())


def _period_dates(
    phrase: str, today: dt.date, *, past: bool = False
) -> tuple[dt.date, dt.date, str]:
    phrase = phrase.strip()
    special = _special_period(phrase, today)
    if special is not None:
        return special
    month_name = phrase.split()[-1]
    if month_name in _MONTHS and phrase.split()[0] in (
        "in",
        "during",
        "for",
        "this",
        "next",
        "last",
    ):
        return _month_period(
            _MONTHS[month_name],
            today,
            past=past or phrase.startswith("last"),
            following=phrase.startswith("next"),
        )
    if phrase.endswith(("end of the year", "end of this year", "end of year")):
        return today, dt.date(today.year, 12, 31), f"before the end of {today.year}"
    if phrase.endswith(("end of the month", "end of this month", "end of month")):
        last = today.replace(day=calendar.monthrange(today.year, today.month)[1])
        return today, last, f"in the rest of {month_and_year(today)}"
    if month_name in _MONTHS and phrase.split()[0] in ("before", "until", "till", "by"):
        return _until_month(_MONTHS[month_name], today, inclusive=phrase.startswith("by"))
    if phrase in ("this year", "rest of the year"):
        return today, dt.date(today.year, 12, 31), f"in the rest of {today.year}"
    if phrase == "next year":
        year = today.year + 1
        return dt.date(year, 1, 1), dt.date(year, 12, 31), f"in {year}"
    if phrase == "last year":
        year = today.year - 1
        return dt.date(year, 1, 1), dt.date(year, 12, 31), f"in {year}"
    if phrase in ("last week", "past week"):
        monday = week_of(today)[0] - dt.timedelta(days=7)
        if phrase == "past week":
            return today - dt.timedelta(days=7), today, "in the past 7 days"
        return monday, monday + dt.timedelta(days=6), "last week"
    if phrase in ("last month", "past month"):
        last = today.replace(day=1) - dt.timedelta(days=1)
        return last.replace(day=1), last, f"in {month_and_year(last)}"
    span = _SPAN.fullmatch(phrase)
    if span is not None and phrase not in ("next week", "next month"):  # calendar ones, below
        days = _span_days(span)
        if span.group("direction") in ("past", "last"):
            return today - dt.timedelta(days=days), today, f"in the past {days} days"
        return today, today + dt.timedelta(days=days), f"in the next {days} days"
    if _HOLIDAYS.fullmatch(phrase):
        return _until_holidays(phrase, today)
    if phrase in ("today", "tonight"):
        return today, today, "today"
    if phrase == "tomorrow":
        tomorrow = today + dt.timedelta(days=1)
        return tomorrow, tomorrow, "tomorrow"
    if phrase == "this coming week":
        return today, today + dt.timedelta(days=7), "in the next 7 days"
    if phrase.startswith("this") and phrase.endswith("week"):
        monday, sunday = week_of(today)  # the calendar week, as everywhere
        if past:  # "did I miss anything this week?": Monday until today
            return monday, today, "so far this week"
        return today, sunday, f"this week (until {long_date(sunday)})"
    if phrase == "next week":
        monday = week_of(today)[0] + dt.timedelta(days=7)
        return monday, monday + dt.timedelta(days=6), "next week"
    if phrase == "this month":
        last = today.replace(day=calendar.monthrange(today.year, today.month)[1])
        return today, last, f"in the rest of {month_and_year(today)}"
    if phrase == "next month":
        first = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        return first, last, f"in {month_and_year(first)}"
    raise ValueError(f"not a period: {phrase!r}")  # every _PERIOD phrase is handled above


_WEEKDAY_PHRASE = re.compile(
    r"((?P<how>on|by|before|until|till|this|next) )?(?P<day>" + _DAY_NAMES + r")"
)
_PART_PHRASE = re.compile(r"(?P<until>(before|by|until|till) )?" + _PART_OF_MONTH)
_WITHIN = re.compile(
    r"(in|within) (a |an |the )?" + _COUNT + " " + _UNIT + r"|within (a|one|the) (day|week|month)"
)
_YEAR_PHRASE = re.compile(r"(?P<how>in|for|during|this|rest of) (?P<year>20\d\d)")


def _special_period(phrase: str, today: dt.date) -> tuple[dt.date, dt.date, str] | None:
    """Weekdays, weekends, parts of a month, "within a week", a year by number."""
    monday = week_of(today)[0]
    if phrase in ("recently", "lately"):
        return today - dt.timedelta(days=30), today, "in the past 30 days"
    if phrase.endswith(("rest of the week", "rest of this week")):
        sunday = monday + dt.timedelta(days=6)
        return today, sunday, f"this week (until {long_date(sunday)})"
    week = re.fullmatch(_WEEK_OF_MONTH, phrase)
    if week is not None:
        return _week_of_month(phrase, today)
    if any(word in _SEASONS for word in phrase.split()):
        return _season(phrase, today)
    if phrase.endswith("weekend"):
        saturday = monday + dt.timedelta(days=5 + (7 if phrase.startswith("next") else 0))
        first = max(saturday, today)
        label = "next weekend" if phrase.startswith("next") else "this weekend"
        return first, saturday + dt.timedelta(days=1), label
    if phrase.endswith("week after next"):
        start = monday + dt.timedelta(days=14)
        return start, start + dt.timedelta(days=6), f"the week of {long_date(start)}"
    weekday = _WEEKDAY_PHRASE.fullmatch(phrase)
    if weekday is not None:
        return _weekday_period(WEEKDAYS[weekday.group("day")], weekday.group("how"), today)
    part = _PART_PHRASE.fullmatch(phrase)
    if part is not None:
        return _part_of_month(phrase, today, until=bool(part.group("until")))
    year = _YEAR_PHRASE.fullmatch(phrase)
    if year is not None:
        number = int(year.group("year"))
        rest = year.group("how") == "rest of" or year.group("how") != "in"
        if number == today.year and rest:
            return today, dt.date(number, 12, 31), f"in the rest of {number}"
        return dt.date(number, 1, 1), dt.date(number, 12, 31), f"in {number}"
    within = _WITHIN.fullmatch(phrase)
    if within is not None:
        words = phrase.split()
        count = " ".join(words[1:-1]).removeprefix("the ").removeprefix("an ").removeprefix("a ")
        count = count or "one"
        number = int(count) if count.isdigit() else _NUMBER_WORDS.get(count, 1)
        unit = words[-1]
        days = number * (30 if unit.startswith("month") else 7 if unit.startswith("week") else 1)
        return today, today + dt.timedelta(days=days), f"in the next {days} days"
    return None


def _thanksgiving(year: int) -> dt.date:
    november = dt.date(year, 11, 1)
    return november + dt.timedelta(days=(3 - november.weekday()) % 7 + 21)


def _season(phrase: str, today: dt.date) -> tuple[dt.date, dt.date, str]:
    """The season named: the current one when in it, else the next (the last one when past)."""
    name = next(word for word in phrase.split() if word in _SEASONS)
    start_month = _SEASONS[name]
    year = today.year
    first = dt.date(year, start_month, 1)
    if start_month == 12 and today.month <= 2:
        first = dt.date(year - 1, 12, 1)
    end = (first + dt.timedelta(days=92)).replace(day=1) - dt.timedelta(days=1)
    if end < today:
        first = first.replace(year=first.year + 1)
        end = (first + dt.timedelta(days=92)).replace(day=1) - dt.timedelta(days=1)
    return (
        max(first, today),
        end,
        f"in the {name} ({long_date(max(first, today))} to {long_date(end)})",
    )


def _weekday_period(weekday: int, how: str | None, today: dt.date) -> tuple[dt.date, dt.date, str]:
    """ "on Thursday": the next Thursday (today if it is one); "by Friday": from today until then;
    "next Thursday": the Thursday of next week (Monday to Sunday)."""
    if how == "next":
        day = week_of(today)[0] + dt.timedelta(days=7 + weekday)
    else:
        day = today + dt.timedelta(days=(weekday - today.weekday()) % 7)
    if how in ("by", "until", "till"):
        return today, day, f"by {long_date(day)}"
    if how == "before":
        return today, day - dt.timedelta(days=1), f"before {long_date(day)}"
    return day, day, f"on {long_date(day)}"


def _week_of_month(phrase: str, today: dt.date) -> tuple[dt.date, dt.date, str]:
    """ "the last week of January": its last 7 days; "the first week": days 1 to 7."""
    words = phrase.split()
    month = MONTHS[words[-1]]
    first, last, _ = _month_period(month, today, past=False, following=False)
    ordinal = words[-4]
    if ordinal in ("last", "final"):
        start = last - dt.timedelta(days=6)
    else:
        start = first + dt.timedelta(days=7 * ["first", "second", "third", "fourth"].index(ordinal))
    end = min(start + dt.timedelta(days=6), last)
    return start, end, f"from {long_date(start)} to {long_date(end)}"


def _part_of_month(phrase: str, today: dt.date, *, until: bool) -> tuple[dt.date, dt.date, str]:
    """Early (1st-10th), mid (11th-20th) or late (21st-end of) a month; "by the end of" one."""
    month = MONTHS[phrase.split()[-1].split("-")[-1]]
    first, last, label = _month_period(month, today, past=False, following=False)
    if "end" in phrase and until:
        return today, last, f"from now to the end of {month_and_year(first)}"
    if "early" in phrase or "beginning" in phrase or "start" in phrase:
        first, last = first, first.replace(day=10)
        label = f"in early {month_and_year(first)}"
    elif "mid" in phrase:
        first, last = first.replace(day=11), first.replace(day=20)
        label = f"in mid {month_and_year(first)}"
    else:
        first = first.replace(day=21)
        label = f"in late {month_and_year(first)}"
    return max(first, today) if first <= today <= last else first, last, label


#: "(over) the next couple of weeks", "in the next 10 days", "the coming weeks", "the next month".
_SPAN = re.compile(
    r"((in|within|over|during|for) )?(the )?(?P<direction>next|coming|past|last) (a )?"
    r"((?P<count>" + _COUNT[1:-1] + r") )?(?P<unit>" + _UNIT[1:-1] + r")"
)


def _span_days(span: re.Match[str]) -> int:
    """Days in "the next couple of weeks" (no count: one of a unit, or a few of units)."""
    count, unit = span.group("count"), span.group("unit")
    if count is None:
        number = 3 if unit.endswith("s") else 1  # "the coming weeks": a few
    else:
        number = int(count) if count.isdigit() else _NUMBER_WORDS[count]
    return number * (30 if unit.startswith("month") else 7 if unit.startswith("week") else 1)


def _until_holidays(phrase: str, today: dt.date) -> tuple[dt.date, dt.date, str]:
    """ "before the holidays", "by Christmas": until December 24; "before new year": the 31st."""
    what = phrase.split(maxsplit=1)[1]
    if "thanksgiving" in what:  # the fourth Thursday of November; the day before it
        year = today.year if today <= _thanksgiving(today.year) else today.year + 1
        last = _thanksgiving(year) - dt.timedelta(days=1)
        return today, last, f"before Thanksgiving (until {long_date(last)})"
    day = 31 if "new year" in what else 24
    year = today.year if today <= dt.date(today.year, 12, day) else today.year + 1
    last = dt.date(year, 12, day)
    return (
        today,
        last,
        f"before {'the new year' if day == 31 else 'the holidays'} (until {long_date(last)})",
    )


def _until_month(month: int, today: dt.date, *, inclusive: bool) -> tuple[dt.date, dt.date, str]:
    """From today until a month starts ("before February") or ends ("by February")."""
    year = today.year if month >= today.month else today.year + 1
    first = dt.date(year, month, 1)
    if inclusive:
        last = dt.date(year, month, calendar.monthrange(year, month)[1])
        return today, last, f"from now to the end of {month_and_year(first)}"
    return today, first - dt.timedelta(days=1), f"before {month_and_year(first)}"


def _month_period(
    month: int, today: dt.date, *, past: bool, following: bool
) -> tuple[dt.date, dt.date, str]:
    """A named month: this year's when current, else the next one (the last one for the past)."""
    year = today.year
    if past and month > today.month:
        year -= 1
    elif not past and (month < today.month or (following and month == today.month)):
        year += 1
    first = dt.date(year, month, 1)
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    return first, last, f"in {month_and_year(first)}"


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
