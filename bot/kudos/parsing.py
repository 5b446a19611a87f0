"""Parse ``/kudos`` and ``/thanks`` arguments: recipients first, then the reason.

The text is walked with :meth:`~bot.requests.Request.segments` (words and
mentions in order). Leading mentions (optionally separated by ``,``, ``&`` or
``and``) are the recipients; everything after them is the reason, kept as the
member wrote it ("for running storytime"), with mentions inside it turned into
plain names.
Separators left between the names and the reason ("@bob, for x", "@bob. x") and
trailing ones are dropped, and a reason of filler words alone ("for", "and") is
no reason, so the post always reads naturally.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.requests import BLANKS, MENTION_MARK, Mention, MentionKind, Request, UserRef

# Not \s: Python counts the mention mark (\x1f) as whitespace, and it must survive.
_BLANK = f"[{re.escape(BLANKS)}]"
_SEPARATOR = re.compile(rf"(?:{_BLANK}*(?:,|&|\+|\band\b))*{_BLANK}*", re.IGNORECASE)

# Punctuation typed between the names and the reason. ":" and dashes only when a
# blank follows, so an emoji shortcode (":tada: for x") or "-5" is left alone.
_LEADING_JUNK = re.compile(r"^(?:[ \t\r\n\u00a0,.;&+]|[:\-–—](?=[ \t\r\n\u00a0]|$))+")
_TRAILING_JUNK = re.compile(
    r"(?:[ \t\r\n\u00a0,;&+]|(?<=[ \t\r\n\u00a0])[:\-–—]|\band\b)+$", re.IGNORECASE
)
# Words that only introduce a reason: "for" on its own says nothing yet.
_FILLER_ONLY = re.compile(r"^(?:(?:for|and|because|to)\b[ \t\r\n\u00a0,.;:&+]*)+$", re.IGNORECASE)

SUBCOMMANDS = frozenset({"top", "mine", "undo", "help", "digest", "remove"})


@dataclass(frozen=True, slots=True)
class MentionedUser:
    """A user named inside a reason: shown by name, never notified."""

    user: UserRef


ReasonPart = str | MentionedUser


@dataclass(frozen=True, slots=True)
class RecipientsAndReason:
    """``recipients`` are the leading mentions as typed (not yet validated)."""

    recipients: tuple[Mention, ...]
    reason: tuple[ReasonPart, ...]
    #: Words followed the recipients, even if they were only filler ("@bob for"):
    #: the member meant to give something, not to look someone up.
    reason_typed: bool = False

    @property
    def reason_text(self) -> str:
        """The reason as plain text (what is stored): mentioned users become ``@name``."""
        return "".join(
            part if isinstance(part, str) else f"@{part.user.name}" for part in self.reason
        )


def split_subcommand(text: str) -> tuple[str | None, str]:
    """``"top month"`` -> ``("top", "month")``; text not starting with a sub-command -> None."""
    head, _, rest = text.strip(BLANKS).partition(" ")
    if head.lower() in SUBCOMMANDS:
        return head.lower(), rest.strip(BLANKS)
    return None, text.strip(BLANKS)


def parse_recipients_and_reason(request: Request) -> RecipientsAndReason:
    """Split the request text into leading mentions and the reason after them."""
    recipients, remainder = split_recipients(request)
    return RecipientsAndReason(
        recipients=recipients,
        reason=_reason_parts(request, clean_reason(remainder)),
        reason_typed=bool(remainder),
    )


def split_recipients(request: Request) -> tuple[tuple[Mention, ...], str]:
    """The leading mentions of the request text, and the text after them."""
    recipients: list[Mention] = []
    parts = list(request.segments())
    for position, part in enumerate(parts):
        if isinstance(part, Mention):
            recipients.append(part)
        elif not _SEPARATOR.fullmatch(part) or position == len(parts) - 1:
            break  # words: the reason starts here (a trailing separator is dropped below)
    else:
        position = len(parts)
    rest = request.text_of(parts[position:])
    return tuple(recipients), _LEADING_JUNK.sub("", rest)


def reason_from_text(request: Request, text: str) -> RecipientsAndReason:
    """A reason typed on its own (a form field, Discord's ``reason`` option), read like
    the words after the names: separators and filler words dropped, mentions as names."""
    remainder = _LEADING_JUNK.sub("", text)
    return RecipientsAndReason(
        recipients=(),
        reason=_reason_parts(request, clean_reason(remainder)),
        reason_typed=bool(remainder),
    )


def clean_reason(text: str) -> str:
    """Drop separators around a reason, and a reason made of filler words only.

    ``", for x"`` -> ``"for x"``; ``". for dot"`` -> ``"for dot"``; ``"for"`` and
    ``"and"`` -> ``""``; ``"for the booth,"`` -> ``"for the booth"``.
    """
    text = _TRAILING_JUNK.sub("", _LEADING_JUNK.sub("", text))
    return "" if _FILLER_ONLY.match(text) else text


def unresolved_leading_mention(text: str) -> str | None:
    """The first word when it looks like a mention the adapter could not decode
    (``@bob`` typed as plain text, a broken ``<@U1``), else None."""
    head = text.strip(BLANKS).split(maxsplit=1)
    if head and head[0].startswith(("@", "<@", "<!", "<#")) and MENTION_MARK not in head[0]:
        return head[0][:60]
    return None


def readable_text(request: Request) -> str:
    """The whole argument text as the member would read it: mentions become ``@name``."""
    parts = _reason_parts(request, request.text.strip(BLANKS))
    return RecipientsAndReason(recipients=(), reason=parts).reason_text


def first_user_mentioned(request: Request) -> UserRef | None:
    """The first person mentioned anywhere in the text (for "put them first" hints)."""
    for mention in request.mentions:
        if mention.kind is MentionKind.USER and mention.user is not None:
            return mention.user
    return None


def _reason_parts(request: Request, text: str) -> tuple[ReasonPart, ...]:
    """Mentions inside the reason: users by name, anything else as the raw text typed."""
    return tuple(_merge_strings([_reason_part(part) for part in request.segments(text)]))


def _reason_part(part: str | Mention) -> ReasonPart:
    if isinstance(part, str):
        return part
    if part.kind is MentionKind.USER and part.user is not None:
        return MentionedUser(part.user)
    return part.raw


def _merge_strings(parts: list[ReasonPart]) -> list[ReasonPart]:
    """Words and mentions shown as typed, joined: one string between two names."""
    merged: list[ReasonPart] = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] = merged[-1] + part
        elif part != "":
            merged.append(part)
    return merged
