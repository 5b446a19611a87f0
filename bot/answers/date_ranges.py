"""The period a date question names and the dates it covers.

"this week", "in the next couple of weeks", "early February", "before the holidays",
"this spring", "by Friday": :data:`_PERIOD` finds such a phrase in a question and
:func:`_period_dates` turns it into its first and last day and the words that name it
in the reply. :mod:`bot.answers.date_questions` decides whether a question asks about one.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from bot.date_wording import (
    DAY_NAMES,
    MONTHS,
    WEEKDAYS,
    long_date,
    month_and_year,
    week_of,
)

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
