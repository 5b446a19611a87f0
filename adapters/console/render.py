"""Neutral Message -> terminal text.

The core's plain-text form is what a terminal should show (names as ``@name``,
links as ``label (url)``, bullets as ``•``), with one difference: a terminal has
no inline code, so text the bot quotes as code (```at YYYY-MM-DD HH:MM```) is
shown in double quotes instead of with literal backticks.
"""

from __future__ import annotations

import re

from bot.replies import BulletList, Inline, Message, Text, span_plain

# `code`: one pair of backticks around text without backticks or line breaks.
_INLINE_CODE = re.compile(r"`([^`\n]+)`")


def render_text(message: Message) -> str:
    """The whole message as terminal text, paragraphs separated by a blank line."""
    blocks: list[str] = []
    for block in message.blocks:
        if isinstance(block, BulletList):
            blocks.append("\n".join("• " + _line(item) for item in block.items))
        else:
            blocks.append(_line(block.spans))
    return "\n\n".join(blocks)


def render_inline_code(text: str) -> str:
    """```at now``` -> ``"at now"``; an unpaired backtick stays as typed."""
    return _INLINE_CODE.sub(r'"\1"', text)


def _line(spans: tuple[Inline, ...]) -> str:
    return "".join(
        render_inline_code(span.text) if isinstance(span, Text) else span_plain(span)
        for span in spans
    )
