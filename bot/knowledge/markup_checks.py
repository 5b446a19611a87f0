"""Formatting in answers that members would see verbatim.

Also values cut short by YAML itself: in a plain (unquoted) value, `` #`` starts a
comment, so ``title: The #mentorALSC newsletter`` is the title "The". Hashtags are
common in an association's posts, so each such value is reported too.

The knowledge file's markup is tiny (see :mod:`bot.markup`): ``**bold**``,
``[label](https://...)``, ``- `` bullets and blank-line paragraphs. Anything
else (``*italic*``, an unclosed ``**``, HTML, a link to something that is not a
web address) reaches members as the raw characters. The file still loads; the
check reports each such spot with its entry, field and line so staff can fix it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.knowledge.schema import Knowledge
from bot.knowledge.yaml_nodes import line_of, node_at

# The parser's own pattern: what it renders is exactly what this check accepts.
from bot.markup import _INLINE as INLINE_MARKUP

#: URL schemes a link may use: members' apps open these.
_LINK_TARGET = re.compile(r"^(https?://\S+|mailto:\S+@\S+)$")
_BULLET = re.compile(r"(?m)^(\s*)([-*•]) ")
#: Each pattern that is left after valid markup is removed, and what to tell staff.
_LEFTOVERS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\*\*"), "unclosed ** (bold needs ** on both sides)"),
    (
        re.compile(r"(?<![*\w])\*(?=\S)[^*\n]+?(?<=\S)\*(?![*\w])"),
        "{found} is not supported (single * for italics); members see the asterisks: "
        "use **bold** or plain text",
    ),
    (
        re.compile(r"(?<![\w_])_(?=\S)[^_\n]+?(?<=\S)_(?![\w_])"),
        "{found} is not supported (_ for italics); members see the underscores",
    ),
    (
        re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>"),
        "raw HTML {found} is shown as typed: use **bold**, [label](https://...) or a blank line",
    ),
    (
        re.compile(r"&(?:[A-Za-z]+|#\d+);"),
        "HTML entity {found} is shown as typed: type the character",
    ),
    (
        re.compile(r"\[[^\]\n]*\]\([^)\n]*\)"),
        "{found} is not a link members can click: write [label](https://address) "
        "with no spaces in the address",
    ),
    (re.compile(r"`[^`\n]+`"), "{found}: backticks are shown as typed"),
    (re.compile(r"(?m)^#{1,6} "), "headings (#) are not supported: use **bold** on its own line"),
)


@dataclass(frozen=True)
class MarkupProblem:
    """One spot in the file members would see verbatim."""

    line: int
    message: str


def find_markup_problems(knowledge: Knowledge, root: Node) -> list[MarkupProblem]:
    """Every formatting problem in answers and deadline descriptions, in file order."""
    problems: list[MarkupProblem] = []
    for index, entry in enumerate(knowledge.entries):
        node = node_at(root, ("entries", index, "answer"))
        problems += _field_problems(node, f"entry '{entry.id}': field 'answer'")
    for index, deadline in enumerate(knowledge.deadlines):
        node = node_at(root, ("deadlines", index, "description"))
        problems += _field_problems(node, f"deadline '{deadline.id}': field 'description'")
    return sorted(problems, key=lambda problem: problem.line)


#: What follows a plain value on its line when a hashtag was read as a comment.
_HASHTAG_COMMENT = re.compile(r"\s+(#\w.*)$")


def find_cut_values(root: Node, text: str) -> list[MarkupProblem]:
    """Plain values that a ``#word`` after them on the same line cut short, in file order."""
    lines = text.splitlines()
    problems: list[MarkupProblem] = []
    for node in _values(root):
        if node.style or not node.value or node.end_mark.line >= len(lines):  # plain only
            continue
        match = _HASHTAG_COMMENT.match(lines[node.end_mark.line][node.end_mark.column :])
        if match is None:
            continue
        lost = match.group(1).strip()
        problems.append(
            MarkupProblem(
                node.end_mark.line + 1,
                f"'{node.value} {lost}' is read as '{node.value}': YAML takes '{lost}' as a "
                "comment; put the whole value in quotes",
            )
        )
    return problems


def _values(node: Node) -> Iterator[ScalarNode]:
    """Every scalar that is a value (not a key) under ``node``."""
    if isinstance(node, MappingNode):
        for _key, value in node.value:
            yield from _values(value)
    elif isinstance(node, SequenceNode):
        for item in node.value:
            yield from _values(item)
    elif isinstance(node, ScalarNode):
        yield node


def _field_problems(node: Node | None, label: str) -> list[MarkupProblem]:
    if not isinstance(node, ScalarNode) or not node.value:
        return []
    first_line = line_of(node) + (1 if node.style in ("|", ">") else 0)
    return [
        MarkupProblem(first_line + node.value.count("\n", 0, position), f"{label}: {message}")
        for position, message in scan(node.value)
    ]


def scan(text: str) -> Iterator[tuple[int, str]]:
    """``(offset, message)`` for each piece of ``text`` members would see verbatim."""
    kept = _BULLET.sub(lambda match: match.group(1) + "  ", text)
    found: list[tuple[int, str]] = []
    for match in INLINE_MARKUP.finditer(kept):
        url = match.group("url")
        if url is not None and not _LINK_TARGET.match(url):
            found.append(
                (
                    match.start(),
                    f"link [{match.group('label')}]({url}) does not point to a web address "
                    "(start it with https://)",
                )
            )
        # blank out valid markup (same length, so offsets stay right)
        kept = kept[: match.start()] + " " * (match.end() - match.start()) + kept[match.end() :]
    for pattern, message in _LEFTOVERS:
        for match in pattern.finditer(kept):
            found.append((match.start(), message.format(found=match.group(0))))
            kept = kept[: match.start()] + " " * (match.end() - match.start()) + kept[match.end() :]
    yield from sorted(found)
