"""Adding to the knowledge file's text while keeping everything staff wrote.

Both edits only *add* lines: every comment, blank line, quote and indentation
already in the file stays byte for byte. A question is appended through a
ruamel.yaml round trip (which keeps comments and layout); a new entry is
written by ruamel.yaml on its own and spliced in as text after the last entry.
Either way :func:`only_added` then proves that no existing line changed, and an
edit that would change one is refused.
"""

from __future__ import annotations

import difflib
import io
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import LiteralScalarString
from ruamel.yaml.util import load_yaml_guess_indent

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
        EditError: no such entry, or the file cannot be edited without changing
            other lines.
    """
    yaml, data = _load(text)
    entry = _find_entry(data, entry_id)
    questions = entry.get("questions")
    if not isinstance(questions, CommentedSeq):
        raise EditError(f"entry '{entry_id}' has no list of questions to add to")
    questions.append(question)
    output = io.StringIO()
    yaml.dump(data, output)
    new_text = output.getvalue()
    if not only_added(text, new_text):
        raise EditError(
            f"adding to entry '{entry_id}' would rewrite other lines of the file (for example "
            "a list written on one line, [a, b]); add the question by hand instead"
        )
    return new_text


def add_entry(text: str, draft: EntryDraft) -> str:
    """``text`` with a new entry after the last one (before the next top-level key).

    Raises:
        EditError: the file has no ``entries:`` list to add to.
    """
    yaml, data = _load(text)
    entries = data.get("entries") if isinstance(data, CommentedMap) else None
    if not isinstance(entries, CommentedSeq):
        raise EditError("the file has no 'entries:' list to add to")
    lines = text.splitlines()
    at = _end_of_key_block(data, "entries", lines)
    block = _render_entry(yaml, draft)
    insertion = ["", *block]
    if at < len(lines) and lines[at].strip():
        insertion.append("")  # keep the blank line that separates top-level sections
    new_lines = lines[:at] + insertion + lines[at:]
    return "\n".join(new_lines) + "\n"


def only_added(old: str, new: str) -> bool:
    """True when ``new`` is ``old`` with lines inserted and none changed or removed."""
    matcher = difflib.SequenceMatcher(None, old.splitlines(), new.splitlines(), autojunk=False)
    return all(tag in ("equal", "insert") for tag, *_ in matcher.get_opcodes())


def added_lines(old: str, new: str) -> list[str]:
    """The lines ``new`` adds to ``old`` (for the audit log and the reply to staff)."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    added: list[str] = []
    for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
        if tag in ("insert", "replace"):
            added.extend(new_lines[j1:j2])
    return added


def _load(text: str) -> tuple[YAML, Any]:
    """A round-trip YAML set to the file's own indentation, and the file's data."""
    try:
        _, guessed, guessed_offset = load_yaml_guess_indent(text)
    except YAMLError as error:
        raise EditError(f"the file is not valid YAML now: {error}") from None
    guessed, guessed_offset = guessed or 2, guessed_offset or 0
    # (mapping, sequence, dash offset): the guess first, then the common layouts;
    # the first that writes the file back unchanged is the file's own.
    layouts = [
        (guessed, guessed, guessed_offset),
        (2, 4, 2),
        (2, 2, 0),
        (4, 4, 2),
        (4, 4, 0),
        (4, 6, 4),
        (2, 4, 0),
    ]
    fallback: tuple[YAML, Any] | None = None
    for mapping, sequence, offset in dict.fromkeys(layouts):
        yaml = _round_trip_yaml(mapping, sequence, offset)
        try:
            data = yaml.load(text)
        except YAMLError as error:
            raise EditError(f"the file is not valid YAML now: {error}") from None
        fallback = fallback or (yaml, data)
        output = io.StringIO()
        yaml.dump(data, output)
        if output.getvalue() == text:
            return yaml, data
    assert fallback is not None
    return fallback  # no layout writes it back exactly: only_added() will tell


def _round_trip_yaml(mapping: int, sequence: int, offset: int) -> YAML:
    yaml = YAML()  # round trip: comments, order and quotes are kept
    yaml.preserve_quotes = True
    yaml.width = _NO_WRAP
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def _find_entry(data: Any, entry_id: str) -> CommentedMap:
    entries = data.get("entries") if isinstance(data, CommentedMap) else None
    for entry in entries or ():
        if isinstance(entry, CommentedMap) and str(entry.get("id", "")).strip() == entry_id:
            return entry
    raise EditError(f"there is no entry '{entry_id}' in the file")


def _end_of_key_block(data: CommentedMap, key: str, lines: list[str]) -> int:
    """Index of the line just after the last content line of top-level ``key``'s block.

    Blank lines and column-0 comments right before the next top-level key belong
    to that key (a section heading), so the new entry goes above them.
    """
    keys = list(data.keys())
    following = keys[keys.index(key) + 1 :]
    end = data.lc.key(following[0])[0] if following else len(lines)
    while end > 0 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
        end -= 1
    return end


def _render_entry(yaml: YAML, draft: EntryDraft) -> list[str]:
    """The entry's lines, indented as the file's entries are."""
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
    yaml.dump(CommentedMap(entries=CommentedSeq([entry])), output)
    lines = output.getvalue().splitlines()[1:]  # without "entries:"
    if draft.note:
        first = lines[0]
        column = len(first) - len(first.lstrip(" -"))
        lines.insert(1, " " * column + "# " + " ".join(draft.note.split()))
    return lines


def _block_text(answer: str) -> str:
    """Answer text for a ``|`` block: no trailing spaces (a literal block cannot keep them
    on the last line), one final newline."""
    lines = [line.rstrip() for line in answer.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip("\n") + "\n"
