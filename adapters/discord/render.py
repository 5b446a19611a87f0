"""Neutral Message -> Discord message content within the 2,000-character limit.

Member text is escaped (markdown and mention syntax), and every chunk carries
its own ``AllowedMentions`` naming exactly the users its MentionSpans point at:
never @everyone, @here or a role, whatever the text says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import assert_never

import discord

from adapters.discord.translate import PLATFORM
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
    Text,
)

#: Discord rejects message content longer than this.
CONTENT_LIMIT = 2000

_USER_MENTION = re.compile(r"<@(\d+)>")


@dataclass(frozen=True, slots=True)
class RenderedChunk:
    """One Discord message: its content and who it may notify."""

    content: str
    user_ids: tuple[int, ...]

    @property
    def allowed_mentions(self) -> discord.AllowedMentions:
        return allowed_mentions_for(self.user_ids)


def allowed_mentions_for(user_ids: tuple[int, ...]) -> discord.AllowedMentions:
    """Notify exactly ``user_ids``; never everyone, here, roles or the replied-to author."""
    return discord.AllowedMentions(
        everyone=False,
        roles=False,
        users=[discord.Object(id=user_id) for user_id in user_ids],
        replied_user=False,
    )


def escape(text: str) -> str:
    """Member or knowledge text, shown literally: no formatting, no mention syntax."""
    return discord.utils.escape_mentions(discord.utils.escape_markdown(text))


def render_span(span: Inline) -> str:
    match span:
        case Text(text):
            return escape(text)
        case Bold(text):
            return f"**{escape(text)}**"
        case Link(url, label):
            return url if label == url else f"[{escape(label)}]({url})"
        case MentionSpan(user):
            if user.platform == PLATFORM and user.user_id.isdigit():
                return f"<@{user.user_id}>"
            return escape(user.name)
        case NameSpan(user):
            return escape(user.name)
        case DateSpan():
            return span.formatted()
        case CommandSpan():
            return f"**{escape(command_form(span))}**"
        case _:
            assert_never(span)  # a new span type fails type checking until rendered here


def command_form(span: CommandSpan) -> str:
    """``/command arguments``; the words come from the catalogue, via
    :func:`bot.commands.naming.structured_form`, before rendering."""
    return f"/{span.command} {span.arguments_after_action()}".rstrip()


def render_block(block: Block) -> str:
    if isinstance(block, BulletList):
        return "\n".join("• " + "".join(render_span(s) for s in item) for item in block.items)
    return "".join(render_span(s) for s in block.spans)


def render_content(message: Message) -> str:
    """The whole message as Discord markdown, ignoring the length limit."""
    return "\n\n".join(text for text in (render_block(b) for b in message.blocks) if text)


def render_chunks(message: Message, *, limit: int = CONTENT_LIMIT) -> list[RenderedChunk]:
    """Split the message into messages of at most ``limit`` characters.

    Splits fall between paragraphs when possible, then between lines, then
    between words, so a mention or a link is never cut in half.
    """
    intended = {int(u.user_id) for u in message.mentioned_users() if u.platform == PLATFORM}
    pieces = split_text(render_content(message), limit=limit) or [""]
    return [RenderedChunk(content=p, user_ids=_mentions_in(p, intended)) for p in pieces]


def _mentions_in(content: str, intended: set[int]) -> tuple[int, ...]:
    found = dict.fromkeys(int(match) for match in _USER_MENTION.findall(content))
    return tuple(user_id for user_id in found if user_id in intended)


def split_text(text: str, *, limit: int) -> list[str]:
    """Pack paragraphs (then lines, then words) into pieces of at most ``limit`` chars."""
    pieces: list[str] = []
    for unit, joiner in _units(text, limit=limit):
        if pieces and len(pieces[-1]) + len(joiner) + len(unit) <= limit:
            pieces[-1] = pieces[-1] + joiner + unit
        else:
            pieces.append(unit)
    return [piece for piece in (p.strip("\n") for p in pieces) if piece.strip()]


def _units(text: str, *, limit: int) -> list[tuple[str, str]]:
    """Break text into (unit, joiner-before-it) pairs, each unit at most ``limit`` long.

    A paragraph that fits is one unit; a longer one is broken into lines, a
    longer line into words, and a word longer than the limit is cut.
    """
    units: list[tuple[str, str]] = []
    for paragraph in text.split("\n\n"):
        lines = [paragraph] if len(paragraph) <= limit else paragraph.split("\n")
        for line_index, line in enumerate(lines):
            words = [line] if len(line) <= limit else line.split(" ")
            for word_index, word in enumerate(words):
                joiner = " " if word_index else "\n" if line_index else "\n\n"
                for cut_index, cut in enumerate(_hard_cut(word, limit)):
                    units.append((cut, "" if cut_index else joiner))
    return units


def _hard_cut(text: str, limit: int) -> list[str]:
    """A single word longer than the limit (a huge URL) is cut at the limit."""
    return [text[i : i + limit] for i in range(0, len(text), limit)] or [""]
