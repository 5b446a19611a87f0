"""Adding to the knowledge file's text while keeping everything staff wrote.

Both edits only *add* lines: every comment, blank line, quote and indentation
already in the file stays byte for byte. The parser (the same one ``memberbot
check`` uses) says where the entry's last question or the last entry ends; the
new lines are written by ruamel.yaml (which quotes what needs quoting and writes
answers as ``|`` blocks) in the file's own indentation, and spliced in there.
A full ruamel.yaml round trip would also keep comments, but it takes about a
second for the 50 kB sample and rewrites any part of the file indented unlike
the rest; splicing takes milliseconds and cannot touch another line.
:func:`only_added` then proves that no existing line changed.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.knowledge.yaml_nodes import compose

#: Width past which ruamel.yaml would fold a line: never, so no existing line is rewrapped.
_NO_WRAP = 1_000_000


class EditError(ValueError):
    """The edit cannot be made on this file; the message says why, for staff."""


@dataclass(frozen=True)
class EntryDraft:
    """A new entry as staff wrote it (validated later with the whole file)."""

    id: str
    title: str
    questions: list[str]
    answer: str
    links: list[tuple[str, str]] = field(default_factory=list)  # (title, url)
    contact: str | None = None
    note: str | None = None  # a comment written under the id, e.g. who taught it


def add_question(text: str, entry_id: str, question: str) -> str:
    """``text`` with ``question`` appended to the ``questions:`` of entry ``entry_id``.

    Raises:
        EditError: no such entry, or its questions are not a block list.
    """
    lines = text.splitlines()
    questions = _mapping_value(_find_entry(_compose(text), entry_id), "questions")
    if not isinstance(questions, SequenceNode) or not questions.value:
        raise EditError(f"entry '{entry_id}' has no list of questions to add to")
    if questions.flow_style:
        raise EditError(
            f"the questions of entry '{entry_id}' are written on one line ([a, b]); "
            "add the question by hand, or write them one per line first"
        )
    last = questions.value[-1]
    dash = _dash_column(lines, last)
    rendered = _render_item(question)
    at = _last_line(last) + 1
    new_lines = [*lines[:at], " " * dash + rendered, *lines[at:]]
    return "\n".join(new_lines) + "\n"


def add_entry(text: str, draft: EntryDraft) -> str:
    """``text`` with a new entry after the last one (before the next top-level key).

    Raises:
        EditError: the file has no ``entries:`` list to add to.
    """
    root = _compose(text)
    entries = _mapping_value(root, "entries")
    if not isinstance(entries, SequenceNode) or not entries.value or entries.flow_style:
        raise EditError("the file has no 'entries:' list (one entry per '- id:') to add to")
    lines = text.splitlines()
    at = _end_of_block(root, "entries", lines)
    block = _render_entry(draft, dash=_dash_column(lines, entries.value[0]))
    insertion = ["", *block]
    if at < len(lines) and lines[at].strip():
        insertion.append("")  # keep the blank line that separates top-level sections
    new_lines = lines[:at] + insertion + lines[at:]
    return "\n".join(new_lines) + "\n"


def only_added(old: str, new: str) -> bool:
    """True when ``new`` is ``old`` with lines inserted and none changed or removed."""
    return _unmatched(old.splitlines(), new.splitlines()) is not None


def added_lines(old: str, new: str) -> list[str]:
    """The lines ``new`` adds to ``old`` (for the audit log and the reply to staff)."""
    return _unmatched(old.splitlines(), new.splitlines()) or []


def _unmatched(old: list[str], new: list[str]) -> list[str] | None:
    """The lines of ``new`` left over once every line of ``old`` is matched in order,
    or None when ``old`` is not contained in ``new`` that way (a line changed or went).

    Matching greedily is exact for this question and takes one pass (a general diff
    takes quadratic time on a file of repeated lines such as blank ones).
    """
    extra: list[str] = []
    position = 0
    for line in new:
        if position < len(old) and line == old[position]:
            position += 1
        else:
            extra.append(line)
    return extra if position == len(old) else None


def _compose(text: str) -> MappingNode:
    try:
        root = compose(text)
    except yaml.YAMLError as error:
        raise EditError(f"the file is not valid YAML now: {error}") from None
    if not isinstance(root, MappingNode):
        raise EditError("the file's top level is not keys like 'entries:'")
    return root


def _mapping_value(node: Node, key: str) -> Node | None:
    if not isinstance(node, MappingNode):
        return None
    for key_node, value in node.value:
        if isinstance(key_node, ScalarNode) and key_node.value == key:
            return value
    return None


def _find_entry(root: Node, entry_id: str) -> MappingNode:
    entries = _mapping_value(root, "entries")
    for entry in entries.value if isinstance(entries, SequenceNode) else ():
        identifier = _mapping_value(entry, "id")
        if isinstance(identifier, ScalarNode) and identifier.value.strip() == entry_id:
            assert isinstance(entry, MappingNode)
            return entry
    raise EditError(f"there is no entry '{entry_id}' in the file")


def _dash_column(lines: list[str], item: Node) -> int:
    """Column of the ``-`` that starts a block list item."""
    before = lines[item.start_mark.line][: item.start_mark.column].rstrip()
    if not before.endswith("-"):
        raise EditError(f"line {item.start_mark.line + 1} is not a '- ' list item")
    return len(before) - 1


def _last_line(node: Node) -> int:
    """0-based index of the last line holding ``node``'s text."""
    end = node.end_mark
    return end.line - 1 if end.column == 0 else end.line


def _end_of_block(root: MappingNode, key: str, lines: list[str]) -> int:
    """Index of the line just after the last content line of top-level ``key``'s block.

    Blank lines and column-0 comments right before the next top-level key belong
    to that key (a section heading), so the new entry goes above them.
    """
    keys = [key_node for key_node, _ in root.value]
    index = next(i for i, key_node in enumerate(keys) if key_node.value == key)
    end = keys[index + 1].start_mark.line if index + 1 < len(keys) else len(lines)
    while end > 0 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
        end -= 1
    return end


def _ruamel() -> YAML:
    yaml = YAML()  # round-trip dumper: literal blocks and flow mappings as asked
    yaml.width = _NO_WRAP
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _render_item(value: str) -> str:
    """``- value`` as YAML writes it (quoted when it must be), on one line."""
    output = io.StringIO()
    _ruamel().dump(CommentedSeq([value]), output)
    return output.getvalue().strip()


def _render_entry(draft: EntryDraft, *, dash: int) -> list[str]:
    """The entry's lines, its ``-`` in column ``dash`` like the file's entries."""
    entry = CommentedMap()
    entry["id"] = draft.id
    entry["title"] = draft.title
    entry["questions"] = CommentedSeq(draft.questions)
    entry["answer"] = LiteralScalarString(_block_text(draft.answer))
    if draft.links:
        links = CommentedSeq()
        for title, url in draft.links:
            link = CommentedMap(title=title, url=url)
            link.fa.set_flow_style()
            links.append(link)
        entry["links"] = links
    if draft.contact:
        entry["contact"] = draft.contact
    output = io.StringIO()
    _ruamel().dump(CommentedSeq([entry]), output)
    written = output.getvalue().splitlines()
    lead = len(written[0]) - len(written[0].lstrip(" "))  # where ruamel put the "-"
    lines = [(" " * dash + line[lead:]) if line.strip() else "" for line in written]
    if draft.note:
        lines.insert(1, " " * (dash + 2) + "# " + " ".join(draft.note.split()))
    return lines


def _block_text(answer: str) -> str:
    """Answer text for a ``|`` block: no trailing spaces (a literal block cannot keep them
    on the last line), one final newline."""
    lines = [line.rstrip() for line in answer.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip("\n") + "\n"
