"""Words shared by the fact modules: the kinds of fact, and the numbers, units, months,
weekdays and phrases that both questions and sentences are read with."""

from __future__ import annotations

import re
from typing import Literal

from bot.date_wording import DAY_NAMES, MONTH_NAMES, MONTHS

FactKind = Literal[
    "live",
    "phone",
    "email",
    "link",
    "time",
    "duration",
    "winner",
    "prize",
    "paying",
    "cost",
    "count",
    "origin",
    "day",
    "date",
    "place",
    "how_to",
    "person",
]

_NUMBER_WORD = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    r"forty|fifty|sixty|hundred|a few|several|dozen"
)
_UNIT = r"years?|yrs?|months?|weeks?|wks?|days?|hours?|minutes?|mins?|hrs?"
#: Month names and abbreviations (shared tables), longest first.
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
#: Full month names except "may", which is far more often the verb.
_FULL_MONTH = "|".join(name for name in MONTH_NAMES if name != "may")
_WEEKDAY = "|".join(DAY_NAMES)
#: "has been going", "'s been matching", "have existed": how long something has gone on.
_HAS_BEEN = r"(\b(has|have)\b|'s\b|'ve\b).{0,40}\b(had(?! to)|existed|been (around|\w+ing))\b"
_YEAR_IN_TEXT = re.compile(r"\b(?:19|20)\d\d\b")
#: The news of a decision: announced, notified, hearing back, finding out, being matched.
_OUTCOME_WORDS = (
    r"announc\w*|notif\w*|hear(d|ing)? back|find(ing)? out|found out|informed|told|"
    # "when do mentors hear who their mentee is", "learn which mentor they got"
    r"(hear(d|ing)?|learn|know|see) (who|which|whether|if)|"
    r"(be|been|get|gets|are|were|is) (matched|paired|selected|chosen|picked|accepted)|"
    # "when were mentors and mentees matched": the participle at the end of its clause
    r"(matched|paired|selected|chosen|picked|accepted)(?= *(?:up|in \d{4}|this \w+|[?.!,]|$))|"
    r"results?|decisions?|decided|winners? (named|revealed)|reveal\w*|contacted"
)
#: A question about the present round: "so far", "this fall", "this round", "currently".
_CURRENT = re.compile(
    r"\b(so far|to date|as of now|(this|the current) (round|year|time|season|cycle|go-?round|"
    r"spring|summer|fall|autumn|winter)('s)?|currently|right now|at the moment)\b"
)
