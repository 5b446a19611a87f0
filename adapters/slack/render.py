"""Neutral Message -> Slack Block Kit (mrkdwn section blocks) plus fallback text.

Member-written text is escaped (``&``, ``<``, ``>``), so it can never become
``<!channel>``, ``<!here>``, ``<!everyone>``, a user-group or a member mention;
only :class:`~bot.replies.MentionSpan` renders as ``<@U123>``. Section text is
also ``verbatim``, so Slack adds no links or mentions of its own. Long messages
are split into several section blocks of at most 3,000 characters, at word
boundaries, never inside an escape or a link.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from bot.replies import (
    Block,
    Bold,
    BulletList,
    CommandSpan,
    DateSpan,
    Inline,
    Link,
    MentionSpan,
    Message,
    NameSpan,
    Paragraph,
    Text,
)

PLATFORM = "slack"
SECTION_TEXT_LIMIT = 3000
MAX_BLOCKS = 50
FALLBACK_TEXT_LIMIT = 3000
TRUNCATION_NOTE = "… (message shortened)"
_WORDS = re.compile(r"\s+|\S+")
_SAFE_URL = re.compile(r"^(https?://|mailto:)[^\s<>|]+$")
_MAX_LINK_LENGTH = 1000
_MAX_BOLD_LENGTH = 1000
#: Core command names that Slack reserves, and the slash command members use instead.
SLACK_COMMAND_NAMES = {"help": "bothelp"}


@dataclass(frozen=True, slots=True)
class SlackMessage:
    """What ``chat.postMessage``/``respond()`` take: ``blocks`` and fallback ``text``."""

    blocks: list[dict[str, Any]]
    text: str


def escape(text: str) -> str:
    """Escape the three characters Slack treats as markup in mrkdwn text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render(message: Message) -> SlackMessage:
    """Render a Message as section blocks plus fallback text, within Slack's limits."""
    sections: list[str] = []
    for block in message.blocks:
        sections.extend(_pack(list(_block_pieces(block)), SECTION_TEXT_LIMIT))
    sections = [s for s in sections if s.strip()] or [" "]
    if len(sections) > MAX_BLOCKS:
        sections = [*sections[: MAX_BLOCKS - 1], escape(TRUNCATION_NOTE)]
    # verbatim: Slack must not turn anything in the text into links or mentions on
    # its own; only the <@U...> and <url|label> we wrote ourselves are markup.
    blocks = [
        {"type": "section", "text": {"type": "mrkdwn", "text": s, "verbatim": True}}
        for s in sections
    ]
    return SlackMessage(blocks=blocks, text=_fallback(message))


def render_text(message: Message) -> str:
    """The message as one mrkdwn string (for places that take text only)."""
    return "\n\n".join("".join(_block_pieces(block)) for block in message.blocks).strip()


def _fallback(message: Message) -> str:
    """Notification/fallback text: the same escaped mrkdwn, cut at a piece boundary."""
    pieces: list[str] = []
    for index, block in enumerate(message.blocks):
        if index:
            pieces.append("\n\n")
        pieces.extend(_block_pieces(block))
    budget = FALLBACK_TEXT_LIMIT - len(TRUNCATION_NOTE) - 1
    out: list[str] = []
    used = 0
    for piece in pieces:
        if used + len(piece) > budget:
            out.append(" " + TRUNCATION_NOTE)
            break
        out.append(piece)
        used += len(piece)
    return "".join(out).strip() or " "


def _block_pieces(block: Block) -> Iterator[str]:
    """Indivisible rendered pieces of one block (words, spaces, mentions, links)."""
    if isinstance(block, Paragraph):
        for span in block.spans:
            yield from _span_pieces(span)
        return
    assert isinstance(block, BulletList)
    for index, item in enumerate(block.items):
        if index:
            yield "\n"
        yield "• "
        for span in item:
            yield from _span_pieces(span)


def _span_pieces(span: Inline) -> Iterator[str]:
    match span:
        case Text(text):
            yield from _text_pieces(text)
        case Bold(text):
            yield from _bold_pieces(text)
        case Link(url, label):
            yield from _link_pieces(url, label)
        case MentionSpan(user):
            if user.platform == PLATFORM:
                yield f"<@{user.user_id}>"
            else:
                yield escape(f"@{user.name}")
        case NameSpan(user):
            yield from _text_pieces(user.name)
        case DateSpan():
            yield escape(span.formatted())
        case CommandSpan():
            yield from _bold_pieces(span.typed_form(SLACK_COMMAND_NAMES.get(span.command)))
        case _:
            raise TypeError(f"unknown span {span!r}")


def _bold_pieces(text: str) -> Iterator[str]:
    """``*bold*`` as one piece; mrkdwn needs the asterisks next to the words."""
    core = text.strip()
    escaped = escape(core)
    if not core:
        yield escape(text)
    elif len(escaped) + 2 > _MAX_BOLD_LENGTH:
        # Bold split across blocks would leave stray asterisks; long runs go plain.
        yield from _text_pieces(text)
    else:
        leading = text[: len(text) - len(text.lstrip())]
        trailing = text[len(text.rstrip()) :]
        yield f"{leading}*{escaped}*{trailing}"


def _text_pieces(text: str, *, limit: int = SECTION_TEXT_LIMIT) -> Iterator[str]:
    """Escaped words and whitespace; a word too long for one block is cut safely."""
    for token in _WORDS.findall(text):
        escaped = escape(token)
        if len(escaped) <= limit:
            yield escaped
            continue
        chunk = ""
        for char in token:
            piece = escape(char)
            if len(chunk) + len(piece) > limit:
                yield chunk
                chunk = ""
            chunk += piece
        if chunk:
            yield chunk


def _link_pieces(url: str, label: str) -> Iterator[str]:
    if _SAFE_URL.match(url) and len(url) <= _MAX_LINK_LENGTH:
        shown = escape(label.replace("|", "¦"))[:_MAX_LINK_LENGTH] if label else ""
        yield f"<{url}|{shown}>" if shown and label != url else f"<{url}>"
        return
    # Not a URL Slack can link safely: show it as text so nothing is hidden.
    yield from _text_pieces(label if label == url else f"{label} ({url})")


def _pack(pieces: list[str], limit: int) -> list[str]:
    """Greedily join pieces into chunks of at most ``limit`` characters."""
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        if len(current) + len(piece) > limit:
            chunks.append(current.rstrip())
            current = piece.lstrip()
        else:
            current += piece
    if current.strip():
        chunks.append(current.rstrip())
    return chunks
