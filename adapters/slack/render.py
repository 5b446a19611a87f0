"""Neutral Message -> Slack Block Kit ``rich_text`` blocks plus fallback text.

Every block is a ``rich_text`` block: text, bold, links and user mentions are
separate elements, and Slack parses none of them as mrkdwn. So member text is
shown exactly as typed: ``*bold*``, ``_it_``, ``~strike~`` and backticks stay
literal, and ``<!channel>`` is just text. Only a
:class:`~bot.replies.MentionSpan` becomes a ``user`` element that notifies.

Each neutral block (paragraph or bullet list) becomes one or more ``rich_text``
blocks of at most 3,000 characters, split between words, never inside a
mention or a link; at most 50 blocks per message.

The ``text`` field is the notification and accessibility fallback, which Slack
does read as mrkdwn. It is the plain text of the message with ``&``, ``<`` and
``>`` escaped, only intended mentions as ``<@U…>``, and the four mrkdwn
formatting characters swapped for look-alikes that format nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, assert_never

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
#: Characters of text per rich_text block (Slack's section limit; rich_text has no documented one).
SECTION_TEXT_LIMIT = 3000
MAX_BLOCKS = 50
FALLBACK_TEXT_LIMIT = 3000
TRUNCATION_NOTE = "… (message shortened)"
_WORDS = re.compile(r"\s+|\S+")
_SAFE_URL = re.compile(r"^(https?://|mailto:)[^\s<>|]+$")
_MAX_LINK_LENGTH = 1000
_FALLBACK_SLICE = 100
#: mrkdwn formatting characters -> look-alikes, for the fallback text only.
_FALLBACK_LOOKALIKES = str.maketrans({"*": "∗", "_": "ˍ", "~": "∼", "`": "ˋ"})

Element = dict[str, Any]


@dataclass(frozen=True, slots=True)
class SlackMessage:
    """What ``chat.postMessage``/``respond()`` take: ``blocks`` and fallback ``text``."""

    blocks: list[dict[str, Any]]
    text: str


def escape(text: str) -> str:
    """Escape the three characters Slack treats as markup in mrkdwn text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render(message: Message) -> SlackMessage:
    """Render a Message as rich_text blocks plus fallback text, within Slack's limits."""
    blocks: list[dict[str, Any]] = []
    for block in message.blocks:
        blocks.extend(_rich_text_blocks(block))
    if not blocks:
        blocks = [_paragraph_block([_text(" ")])]
    if len(blocks) > MAX_BLOCKS:
        blocks = [*blocks[: MAX_BLOCKS - 1], _paragraph_block([_text(TRUNCATION_NOTE)])]
    return SlackMessage(blocks=blocks, text=fallback_text(message))


# ------------------------------------------------------------------ rich text


@dataclass(slots=True)
class _Piece:
    """An element that is never split (a word, a mention, a link) and its shown length."""

    element: Element
    length: int


@dataclass(slots=True)
class _Chunk:
    """Elements for one rich_text block, and how many characters they show."""

    sections: list[list[Element]] = field(default_factory=list)
    length: int = 0


def _rich_text_blocks(block: Block) -> list[dict[str, Any]]:
    if isinstance(block, Paragraph):
        return [_paragraph_block(section) for section in _pack_paragraph(block.spans)]
    assert isinstance(block, BulletList)
    return [_list_block(items) for items in _pack_list(block.items)]


def _paragraph_block(elements: list[Element]) -> dict[str, Any]:
    return {
        "type": "rich_text",
        "elements": [{"type": "rich_text_section", "elements": elements}],
    }


def _list_block(items: list[list[Element]]) -> dict[str, Any]:
    sections = [{"type": "rich_text_section", "elements": item} for item in items]
    return {
        "type": "rich_text",
        "elements": [{"type": "rich_text_list", "style": "bullet", "elements": sections}],
    }


def _pack_paragraph(spans: tuple[Inline, ...]) -> list[list[Element]]:
    """The paragraph's pieces, packed into sections of at most the limit."""
    chunks: list[list[_Piece]] = [[]]
    used = 0
    for piece in _pieces(spans):
        if used + piece.length > SECTION_TEXT_LIMIT and chunks[-1]:
            chunks.append([])
            used = 0
        chunks[-1].append(piece)
        used += piece.length
    return [elements for chunk in chunks if (elements := _merge(chunk))]


def _pack_list(items: tuple[tuple[Inline, ...], ...]) -> list[list[list[Element]]]:
    """Bullet items packed into lists of at most the limit; a huge item is split."""
    blocks: list[list[list[Element]]] = []
    current: list[list[Element]] = []
    used = 0
    for item in items:
        pieces = list(_pieces(item))
        length = sum(piece.length for piece in pieces)
        if length <= SECTION_TEXT_LIMIT:
            if used + length > SECTION_TEXT_LIMIT and current:
                blocks.append(current)
                current, used = [], 0
            if elements := _merge(pieces):
                current.append(elements)
                used += length
            continue
        if current:
            blocks.append(current)
            current, used = [], 0
        blocks.extend([section] for section in _pack_paragraph(item))
    if current:
        blocks.append(current)
    return blocks


def _merge(pieces: list[_Piece]) -> list[Element]:
    """Join neighbouring text of the same style, trimmed at the edges; no empty text."""
    elements: list[Element] = []
    for piece in pieces:
        element = dict(piece.element)
        previous = elements[-1] if elements else None
        if (
            previous is not None
            and element["type"] == "text"
            and previous["type"] == "text"
            and previous.get("style") == element.get("style")
        ):
            previous["text"] += element["text"]
        else:
            elements.append(element)
    if elements and elements[0]["type"] == "text":
        elements[0]["text"] = elements[0]["text"].lstrip()
    if elements and elements[-1]["type"] == "text":
        elements[-1]["text"] = elements[-1]["text"].rstrip()
    return [e for e in elements if e["type"] != "text" or e["text"]]


def _pieces(spans: tuple[Inline, ...]) -> Iterator[_Piece]:
    for span in spans:
        yield from _span_pieces(span)


def _span_pieces(span: Inline) -> Iterator[_Piece]:
    match span:
        case Text(text):
            yield from _text_pieces(text)
        case Bold(text):
            yield from _text_pieces(text, bold=True)
        case Link(url, label):
            yield from _link_pieces(url, label)
        case MentionSpan(user):
            if user.platform == PLATFORM:
                yield _Piece({"type": "user", "user_id": user.user_id}, len(user.name) + 1)
            else:
                yield from _text_pieces(f"@{user.name}")
        case NameSpan(user):
            yield from _text_pieces(user.name)
        case DateSpan():
            yield from _text_pieces(span.formatted())
        case CommandSpan():
            # Named as members type it here by adapters.slack.handlers, before rendering.
            yield from _text_pieces(span.typed_form(), bold=True)
        case _:
            assert_never(span)  # a new span type fails type checking until rendered here


def _text(text: str, *, bold: bool = False) -> Element:
    element: Element = {"type": "text", "text": text}
    if bold:
        element["style"] = {"bold": True}
    return element


def _text_pieces(text: str, *, bold: bool = False) -> Iterator[_Piece]:
    """Words and whitespace; a word too long for one block is cut."""
    for token in _WORDS.findall(text):
        for start in range(0, len(token), SECTION_TEXT_LIMIT):
            cut = token[start : start + SECTION_TEXT_LIMIT]
            yield _Piece(_text(cut, bold=bold), len(cut))


def _link_pieces(url: str, label: str) -> Iterator[_Piece]:
    if _SAFE_URL.match(url) and len(url) <= _MAX_LINK_LENGTH:
        shown = label[:_MAX_LINK_LENGTH] if label and label != url else ""
        element: Element = {"type": "link", "url": url}
        if shown:
            element["text"] = shown
        yield _Piece(element, len(shown or url))
        return
    # Not a URL Slack can link safely: show it as text so nothing is hidden.
    yield from _text_pieces(label if label == url else f"{label} ({url})")


# ------------------------------------------------------------------- fallback


def fallback_text(message: Message) -> str:
    """Notification text: plain, escaped, cut at a piece boundary; it cannot format."""
    pieces: list[str] = []
    for index, block in enumerate(message.blocks):
        if index:
            pieces.append("\n\n")
        pieces.extend(_fallback_block(block))
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


def _fallback_block(block: Block) -> Iterator[str]:
    if isinstance(block, Paragraph):
        for span in block.spans:
            yield from _fallback_span(span)
        return
    assert isinstance(block, BulletList)
    for index, item in enumerate(block.items):
        if index:
            yield "\n"
        yield "• "
        for span in item:
            yield from _fallback_span(span)


def _fallback_span(span: Inline) -> Iterator[str]:
    match span:
        case Text(text) | Bold(text):
            yield from _fallback_words(text)
        case MentionSpan(user) if user.platform == PLATFORM:
            yield f"<@{user.user_id}>"
        case MentionSpan(user):
            yield from _fallback_words(f"@{user.name}")
        case NameSpan(user):
            yield from _fallback_words(user.name)
        case Link(url, label):
            if label and label != url:
                yield from _fallback_words(f"{label} (")
            # Escaped, not disguised: a URL is shown as itself (no look-alikes in it).
            yield escape(url)
            if label and label != url:
                yield ")"
        case DateSpan():
            yield from _fallback_words(span.formatted())
        case CommandSpan():
            yield from _fallback_words(span.typed_form())
        case _:
            assert_never(span)  # a new span type fails type checking until rendered here


def _fallback_words(text: str) -> Iterator[str]:
    """Escaped words; long ones in slices, so a huge word still fills the text."""
    for token in _WORDS.findall(text):
        for start in range(0, len(token), _FALLBACK_SLICE):
            yield escape(token[start : start + _FALLBACK_SLICE].translate(_FALLBACK_LOOKALIKES))
