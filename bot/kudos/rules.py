"""The kudos rules: who may receive, how long a reason may be, how many per day.

Every check raises :class:`~bot.errors.UserError` with a message that says what
was wrong and that nothing was sent, so the member can fix it and try again.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import NoReturn
from zoneinfo import ZoneInfo

from bot.date_wording import time_until
from bot.errors import UserError
from bot.requests import Mention, MentionKind, UserRef

_NOT_A_PERSON = {
    MentionKind.GROUP: "is a group or role, not one person",
    MentionKind.CHANNEL: "is a channel, not a person",
    MentionKind.EVERYONE: "would notify everyone",
    MentionKind.UNKNOWN_USER: "is not a member I could find",
}


def validate_recipients(
    mentions: Sequence[Mention], *, giver: UserRef, what: str = "kudos"
) -> list[UserRef]:
    """Return the distinct recipients, or refuse the whole command.

    Identity is ``UserRef.key``, never a name, so the same member mentioned in two
    forms (``<@U1>`` and ``<@U1|alice>``) collapses to one, and the giver is
    caught however they mentioned themselves.
    """
    recipients: dict[tuple[str, str, str], UserRef] = {}
    for mention in mentions:
        user = require_person(mention, what=what, member=giver)
        if user.key == giver.key:
            raise UserError(
                f"You can't give {what} to yourself ({mention.raw}) — though we're sure "
                f"you deserve it! Nothing was sent; try again without yourself."
            )
        if user.is_bot:
            raise UserError(f"{mention.raw} is a bot, and {what} are for people. Nothing was sent.")
        recipients.setdefault(user.key, user)
    return list(recipients.values())


def refuse_unresolved(raw: str, *, what: str = "kudos") -> None:
    """Refuse a recipient that looks like a mention but is not one."""
    raise UserError(
        f"I couldn't tell who {raw} is. To give {what}, mention the person so the chat app "
        f"turns it into a real mention (pick them from the list that pops up as you type @), "
        f"then try again. Nothing was sent."
    )


# A first word that could be someone's name typed without the @ ("bob", "maria.g").
_NAME_LIKE = re.compile(r"[^\W\d][\w.'’-]{0,39}")
# First words that start a sentence, not a name: no "did you mean @thanks?".
_NOT_NAMES = frozenset(
    {"a", "all", "amazing", "and", "awesome", "big", "congrats", "congratulations"}
    | {"everyone", "for", "good", "great", "huge", "i", "kudos", "many", "much", "my"}
    | {"nice", "our", "shout", "shoutout", "so", "team", "thank", "thanks", "the"}
    | {"this", "thx", "to", "we", "well", "you"}
)
_QUOTE_LIMIT = 60


def refuse_no_recipient(
    typed: str,
    *,
    command: str,
    placeholder: str,
    mentioned_later: UserRef | None = None,
) -> NoReturn:
    """Refuse a command that does not start with a person, naming what was typed.

    Args:
        typed: The argument text as the member reads it (mentions as ``@name``).
        command: ``kudos`` or ``thanks``, for the corrected example.
        placeholder: What to show after the name when nothing else was typed.
        mentioned_later: A person mentioned after other words ("great job @bob").
    """
    typed = " ".join(typed.split())
    word, _, rest = typed.partition(" ")
    word = word.rstrip(",.:;!?")
    # The corrected command comes last, so no punctuation of ours sticks to it.
    if mentioned_later is not None:
        after = " ".join(typed.replace(f"@{mentioned_later.name}", " ", 1).split())
        raise UserError(
            "Please put the person first. Nothing was sent. Like this: "
            f"/{command} @{mentioned_later.name} {_shorten(after) or placeholder}"
        )
    if _NAME_LIKE.fullmatch(word) and word.lower() not in _NOT_NAMES:
        raise UserError(
            f"I couldn't find a member in '{word}' — did you mean @{word}? Nothing was sent. "
            f"Type @ and pick them from the list that pops up, like: "
            f"/{command} @{word} {_shorten(rest) or placeholder}"
        )
    shown = f"I couldn't find a member in '{_shorten(typed)}'. " if typed else ""
    raise UserError(
        f"{shown}Nothing was sent. Start with the person, like: /{command} @maria {placeholder}"
    )


def _shorten(text: str) -> str:
    return text if len(text) <= _QUOTE_LIMIT else text[: _QUOTE_LIMIT - 1].rstrip() + "…"


#: Example names for hints: the bot's usual example, or another when that is the member.
_EXAMPLE_NAMES = ("maria", "sam")


def example_name(member: UserRef | None) -> str:
    """A neutral example name for a hint, never the member's own."""
    own = {member.name.lower(), member.user_id.lower()} if member else set()
    return next(name for name in _EXAMPLE_NAMES if name not in own)


def require_person(
    mention: Mention, *, what: str = "kudos", member: UserRef | None = None
) -> UserRef:
    """The member a mention names, or a refusal naming what was typed.

    Args:
        member: Who is asking, so the example in a refusal is not their own name.
    """
    if mention.kind is not MentionKind.USER or mention.user is None:
        problem = _NOT_A_PERSON.get(mention.kind, "is not a person")
        raise UserError(
            f"I can't give {what} to {mention.raw}: it {problem}. "
            f"Mention each person by name, like @{example_name(member)}. Nothing was sent."
        )
    return mention.user


def typed_length(text: str) -> int:
    """Characters as the member typed and sees them: an accent typed as a separate
    combining mark (``e`` + U+0301, as some keyboards send it) is one character."""
    return len(unicodedata.normalize("NFC", text))


def validate_text(text: str, *, max_length: int, what: str) -> str:
    """Refuse an over-long reason/note; return it stripped.

    The length counted is everything the member wrote after the name(s), as they
    see it (an introducing "for" included, a mention as ``@name``), and the refusal
    says so, so the number matches what they count themselves.
    """
    text = text.strip()
    length = typed_length(text)
    if length > max_length:
        after = "the names" if what == "reason" else "the name"
        raise UserError(
            f"Your {what} (everything after {after}) is {length:,} characters; the limit is "
            f"{max_length:,}, so please cut at least {length - max_length:,}. "
            f"Nothing was sent — shorten it and try again."
        )
    return text


def day_start_utc(today: date, tz: ZoneInfo) -> datetime:
    """Local midnight at the start of ``today``, as an aware datetime (compares with UTC)."""
    return datetime.combine(today, time(0, 0), tzinfo=tz)


def next_reset(now: datetime, tz: ZoneInfo) -> datetime:
    """The next local midnight after ``now``."""
    local_today = now.astimezone(tz).date()
    return day_start_utc(local_today + timedelta(days=1), tz)


def describe_wait(delta: timedelta) -> str:
    """``in 42 minutes``, ``in about 11 hours``: see :func:`bot.date_wording.time_until`."""
    return time_until(delta)


def check_quota(
    *,
    used_today: int,
    wanted: int,
    quota: int,
    now: datetime,
    tz: ZoneInfo,
    what: str,
) -> None:
    """Refuse when ``wanted`` more would exceed the daily ``quota``; say when it resets."""
    if used_today + wanted <= quota:
        return
    reset = next_reset(now, tz)
    when = f"Your quota resets at midnight {reset.tzname()}, {describe_wait(reset - now)}."
    left = max(0, quota - used_today)
    if left == 0:
        raise UserError(
            f"You've already given all {quota} {what} you can give today. {when} Nothing was sent."
        )
    raise UserError(
        f"You have {left} {what} left today but mentioned {wanted} people. "
        f"Mention fewer people, or wait: {when[0].lower()}{when[1:]} Nothing was sent."
    )
