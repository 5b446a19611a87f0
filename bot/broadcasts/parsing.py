"""Parse the ``/broadcast`` argument text into what staff asked for."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time

from bot.date_wording import MONTHS, WEEKDAYS
from bot.errors import UserError
from bot.requests import BLANKS, Mention, MentionKind, Request

USAGE = (
    "/broadcast #channel|announcements|dm [at YYYY-MM-DD HH:MM] <message>, "
    "/broadcast confirm ID, /broadcast list [COUNT], /broadcast cancel ID"
)
#: ``/broadcast list`` shows this many of each kind unless a count is given.
DEFAULT_LIST_COUNT = 10
MAX_LIST_COUNT = 50
#: The largest broadcast number storage has (PostgreSQL's integer key); any larger
#: number names no broadcast, and the database would refuse to even look it up.
MAX_BROADCAST_ID = 2**31 - 1

#: Digits worth converting: a longer number (even with leading zeros) is out of range.
_MAX_DIGITS = 100
_TOO_LARGE = 10**_MAX_DIGITS
_AT = re.compile(r"^at\s+(\d{4}-\d{1,2}-\d{1,2})\s+(\d{1,2}:\d{2})(?=\s|$)", re.IGNORECASE)
#: ``at now``: no send time, and what follows is the message even if it starts with "at".
_AT_NOW = re.compile(r"^at\s+now(?:\s+|$)", re.IGNORECASE)
#: Month and day names (``dec``, ``Monday``), longest first, from the shared tables.
_DATE_NAMES = "|".join(sorted([*MONTHS, *WEEKDAYS], key=len, reverse=True))
#: ``at`` then a word that can only be meant as a send time: one starting with a digit
#: (``25:00``, ``9am``, ``12/07``), a day word, or a month or day name and a number
#: (``dec 7``, ``Monday 09:00``). A message that starts with "at" and a word such as
#: "the" ("at the conference we...", "at Monday's meeting") is message text.
_LOOKS_LIKE_AT = re.compile(
    r"^at\s+(?:\d|(?:today|tomorrow|tonight|noon|midnight)(?![A-Za-z])|"
    rf"(?:{_DATE_NAMES})\.?,?\s+\d)",
    re.IGNORECASE,
)
TIME_FORMAT_HELP = (
    "Write the send time as `at YYYY-MM-DD HH:MM` (the date, then a 24-hour time), "
    "e.g. at 2026-12-07 09:00."
)
_PLAIN_CHANNEL = re.compile(r"^#([A-Za-z0-9_-]{1,80})$")

ANNOUNCEMENTS_WORD = "announcements"
DM_WORD = "dm"


@dataclass(frozen=True, slots=True)
class DraftRequest:
    """A new broadcast: audience, optional local send time and the member text."""

    to_dm: bool
    channel_id: str | None  # None with to_dm False = the announcements channel
    local_day: date | None
    local_time: time | None
    text: str


@dataclass(frozen=True, slots=True)
class Action:
    """A management action: ``confirm``, ``cancel``, ``list`` or ``help``."""

    name: str
    broadcast_id: int | None = None
    count: int = DEFAULT_LIST_COUNT  # list only


def parse(request: Request) -> DraftRequest | Action:
    """Parse ``/broadcast`` text; bad input raises a :class:`UserError` naming the fix."""
    text = request.text.strip(BLANKS)
    head, _, rest = text.partition(" ")
    word = head.strip(BLANKS).lower()
    if word in {"", "help"}:
        return Action("help")
    if word == "list":
        return Action("list", count=_parse_count(rest))
    if word in {"confirm", "cancel"}:
        return Action(word, _parse_id(word, rest))
    return _parse_draft(request, head.strip(BLANKS), rest.strip(BLANKS))


def _parse_id(action: str, rest: str) -> int:
    value = rest.strip(BLANKS).lstrip("#")
    number = _whole_number(value)
    if number is None:
        raise UserError(
            f"Which broadcast? Type /broadcast {action} ID with the broadcast's number "
            f"in digits, e.g. /broadcast {action} 12. Nothing changed."
        )
    if not 1 <= number <= MAX_BROADCAST_ID:
        shown = value if len(value) <= 12 else value[:12] + "…"
        raise UserError(
            f"There is no broadcast #{shown}: broadcast numbers start at 1 and are shown "
            "in previews and in /broadcast list. Nothing changed."
        )
    return number


def _parse_count(rest: str) -> int:
    value = rest.strip(BLANKS)
    if not value:
        return DEFAULT_LIST_COUNT
    number = _whole_number(value)
    if number is None or not 1 <= number <= MAX_LIST_COUNT:
        raise UserError(
            f"Type /broadcast list, or /broadcast list COUNT with a COUNT from 1 to "
            f"{MAX_LIST_COUNT} (e.g. /broadcast list 20)."
        )
    return number


def _whole_number(value: str) -> int | None:
    """``value`` as a number when it is only decimal digits, else ``None``.

    Not ``str.isdigit``: that also takes superscripts (``²``), which ``int``
    refuses. Decimal digits of any script (``１２``) are what ``int`` reads.
    """
    if not value.isdecimal():
        return None
    if len(value) > _MAX_DIGITS:
        return _TOO_LARGE  # out of every range here; no need to convert every digit
    return int(value)


def _parse_draft(request: Request, target: str, rest: str) -> DraftRequest:
    to_dm = target.lower() == DM_WORD
    channel_id = None if to_dm else _channel_id(request, target)
    local_day, local_time, message = _parse_when(rest)
    message = request.text_with_names(message).strip(BLANKS)
    if not message:
        raise UserError(f"The broadcast has no message. Usage: {USAGE}")
    return DraftRequest(
        to_dm=to_dm,
        channel_id=channel_id,
        local_day=local_day,
        local_time=local_time,
        text=message,
    )


def _channel_id(request: Request, target: str) -> str | None:
    if target.lower() == ANNOUNCEMENTS_WORD:
        return None
    mention = request.only_mention(target)
    if mention is not None:
        channel = _mention_channel_id(mention)
        if channel is not None:
            return channel
    plain = _PLAIN_CHANNEL.fullmatch(target)
    if plain is not None:
        return plain.group(1)
    raise UserError(
        f"Where should it go? Start with a #channel, `announcements` or `dm`. Usage: {USAGE}"
    )


def _mention_channel_id(mention: Mention) -> str | None:
    if mention.kind != MentionKind.CHANNEL:
        return None
    if mention.channel_id is not None:
        return mention.channel_id
    match = _PLAIN_CHANNEL.fullmatch(mention.raw.strip())
    return match.group(1) if match else None


def _parse_when(rest: str) -> tuple[date | None, time | None, str]:
    if now := _AT_NOW.match(rest):
        return None, None, rest[now.end() :]
    match = _AT.match(rest)
    if match is None:
        if _LOOKS_LIKE_AT.match(rest):
            raise UserError(
                f"I could not read that send time. {TIME_FORMAT_HELP} Nothing was drafted. "
                'To send now a message that starts with "at", begin with `at now`: '
                '"at now At 6pm tonight ...".'
            )
        return None, None, rest
    try:
        day = date.fromisoformat(_pad_date(match.group(1)))
        at = time.fromisoformat(match.group(2).zfill(5))
    except ValueError:
        raise UserError(
            f"'{match.group(1)} {match.group(2)}' is not a real date and time. "
            "Write it as `at YYYY-MM-DD HH:MM` on a 24-hour clock, e.g. at 2026-12-07 09:00."
        ) from None
    return day, at, rest[match.end() :]


def _pad_date(value: str) -> str:
    year, month, day = value.split("-")
    return f"{year}-{month.zfill(2)}-{day.zfill(2)}"
