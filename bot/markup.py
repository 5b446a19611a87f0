"""Parse the knowledge file's neutral markup into a :class:`~bot.replies.Message`.

The markup is deliberately tiny so staff who are not programmers can write it:
paragraphs separated by a blank line, ``**bold**``, ``[label](https://url)``,
and lines starting with ``- `` as bullet items.
"""

from __future__ import annotations

import re

from bot.replies import Block, Bold, BulletList, Inline, Link, Message, Paragraph, Text

_INLINE = re.compile(r"\*\*(?P<bold>.+?)\*\*|\[(?P<label>[^\]]+)\]\((?P<url>[^)\s]+)\)")


def parse_inline(text: str) -> tuple[Inline, ...]:
    spans: list[Inline] = []
    pos = 0
    for match in _INLINE.finditer(text):
        if match.start() > pos:
            spans.append(Text(text[pos : match.start()]))
        if match.group("bold") is not None:
            spans.append(Bold(match.group("bold")))
        else:
            spans.append(Link(url=match.group("url"), label=match.group("label")))
        pos = match.end()
    if pos < len(text):
        spans.append(Text(text[pos:]))
    return tuple(spans)


def parse_markup(text: str) -> Message:
    """Turn neutral markup into a Message; unknown syntax stays literal text."""
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [line.rstrip() for line in chunk.splitlines() if line.strip()]
        paragraph: list[str] = []
        bullets: list[tuple[Inline, ...]] = []
        for line in lines:
            stripped = line.lstrip()
            if stripped.startswith(("- ", "* ", "• ")):
                if paragraph:
                    blocks.append(Paragraph(parse_inline(" ".join(paragraph))))
                    paragraph = []
                bullets.append(parse_inline(stripped[2:].strip()))
            elif bullets and line.startswith(" "):
                # an indented continuation line belongs to the previous bullet
                bullets[-1] = bullets[-1] + parse_inline(" " + stripped)
            else:
                if bullets:
                    blocks.append(BulletList(tuple(bullets)))
                    bullets = []
                paragraph.append(stripped)
        if paragraph:
            blocks.append(Paragraph(parse_inline(" ".join(paragraph))))
        if bullets:
            blocks.append(BulletList(tuple(bullets)))
    return Message(tuple(blocks))
