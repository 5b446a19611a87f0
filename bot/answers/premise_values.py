"""The values a stated premise and an answer sentence give: lengths, times, time zones,
dates, days of the month, years and plain numbers, and whether two sets of them agree.

"Twelve months" is "one year", "5pm" is 17:00 and "the 27th" is any date on the 27th,
so a premise and an answer are compared by what they state, not how they word it.
"""

from __future__ import annotations

import re

from bot.date_wording import MONTHS

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
#: "the 15th of October"
_DAY_OF_MONTH = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)? of (jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b"
)
#: "on the 27th": a day of the month whose month is not said
_ORDINAL_DAY = re.compile(r"\bthe (\d{1,2})(?:st|nd|rd|th)\b(?! of\b)")
#: Units of a length and what each is in the smallest unit of its family (months, days, minutes):
#: "twelve months" is "one year".
_UNITS = {
    "year": ("month", 12), "month": ("month", 1), "week": ("day", 7), "day": ("day", 1),
    "hour": ("minute", 60), "minute": ("minute", 1),
}  # fmt: skip
_PLAIN_NUMBER = re.compile(r"(?<![\d:/-])\b(\d+)\b(?![:/]\d)")
#: Time zones of the United States and Canada, as members write them.
_ZONES = {
    "eastern": "eastern", "et": "eastern", "est": "eastern", "edt": "eastern",
    "central": "central", "ct": "central", "cst": "central", "cdt": "central",
    "mountain": "mountain", "mt": "mountain", "mst": "mountain", "mdt": "mountain",
    "pacific": "pacific", "pt": "pacific", "pst": "pacific", "pdt": "pacific",
    "alaska": "alaska", "akst": "alaska", "hawaii": "hawaii", "hst": "hawaii",
    "atlantic": "atlantic", "ast": "atlantic", "utc": "utc", "gmt": "utc",
}  # fmt: skip
_ZONE_AFTER_TIME = re.compile(
    r"\b\d{1,2}(?::\d\d)? ?(?:am|pm|a\.m\.|p\.m\.|o'?clock)?\s*(?:\(|,)?\s*("
    + "|".join(sorted(_ZONES, key=len, reverse=True))
    + r")\b"
)

Value = tuple[str, object]


def _values(text: str) -> set[Value]:
    values: set[Value] = set()
    used: list[tuple[int, int]] = []
    for match in _DURATION.finditer(text):
        family, size = _UNITS[match.group(2)]
        values.add(("duration", (_number(match.group(1)) * size, family)))
        used.append(match.span())
    for match in _TIME.finditer(text):
        hour = int(match.group(1)) % 12 + (12 if match.group(3).startswith("p") else 0)
        values.add(("time", (hour, int(match.group(2) or 0))))
        used.append(match.span())
    for match in _ZONE_AFTER_TIME.finditer(text):
        values.add(("zone", _ZONES[match.group(1)]))
    for match in _DATE.finditer(text):
        values.add(("date", (MONTHS[match.group(1)], int(match.group(2)))))
        used.append(match.span())
    for match in _DAY_OF_MONTH.finditer(text):
        values.add(("date", (MONTHS[match.group(2)], int(match.group(1)))))
        used.append(match.span())
    for match in _ORDINAL_DAY.finditer(text):
        if not any(start <= match.start() < end for start, end in used):
            values.add(("day", int(match.group(1))))
            used.append(match.span())
    for match in _PLAIN_NUMBER.finditer(text):
        if not any(start <= match.start() < end for start, end in used):
            number = int(match.group(1))
            values.add(("year" if 1900 <= number <= 2100 else "number", number))
    return values


def _agrees(value: Value, found: set[Value]) -> bool:
    """True when the answer states this value: a day of the month is any date on that day."""
    kind, content = value
    if kind == "day":
        return (
            any(
                other_kind == "date" and isinstance(other, tuple) and other[1] == content
                for other_kind, other in found
            )
            or value in found
        )
    return value in found


def _same_kind(value: Value, found: set[Value]) -> bool:
    """True when the answer states a value the premise's value can be compared with."""
    kind, content = value
    for other_kind, other in found:
        if kind == "day" and other_kind == "date":
            return True  # "the 25th" against "January 27"
        if other_kind != kind:
            continue
        if kind == "duration" and isinstance(content, tuple) and isinstance(other, tuple):
            if content[1] == other[1]:  # lengths in the same family (months, days, minutes)
                return True
        elif kind != "duration":
            return True
    return False


def _number(text: str) -> int:
    return int(text) if text.isdigit() else _NUMBER_WORDS[text]
