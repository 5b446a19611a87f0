"""A teach's change, made and checked without touching the file: the entry-editing half
of :mod:`bot.knowledge.teach`.

:func:`draft_question` and :func:`draft_entry` make the edit on the file's text as
added lines only (:mod:`bot.knowledge.yaml_edit`) and check the result exactly as
``memberbot check`` does, refusing any error and any formatting problem the edit
itself brings in. The :class:`Draft` they return is saved by
:func:`bot.knowledge.teach.teach` under the writer lock.

Anything refused raises :class:`TeachRefused` (a :class:`~bot.errors.UserError`):
its message is safe to show staff, and nothing was written.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bot.answers.text import fold, words
from bot.errors import UserError
from bot.knowledge.loader import CheckReport, check_knowledge_text
from bot.knowledge.schema import Knowledge
from bot.knowledge.yaml_edit import (
    EditError,
    EntryDraft,
    add_entry,
    add_question,
    added_lines,
    only_added,
)
from bot.knowledge_hold import digest_of

MAX_QUESTION_LENGTH = 300
MAX_TITLE_LENGTH = 120
MAX_ANSWER_LENGTH = 4000

_NOT_WHERE_EXPECTED = (
    "Not saved: the file's layout is unusual here, and the addition would not read back "
    "as intended; add it by hand (memberbot check helps)."
)


class TeachRefused(UserError):
    """The change was not made; the message says why. The file is untouched."""


@dataclass(frozen=True)
class TeachResult:
    """What a successful teach changed.

    Attributes:
        action: Which kind of change.
        entry_id: The entry taught.
        summary: One line for staff and the audit log.
        added: The lines added to the file.
        previous_copy: The copy of the version replaced (None when none is kept).
        digest: SHA-256 of the file as saved.
    """

    action: Literal["add_question", "add_entry"]
    entry_id: str
    summary: str
    added: list[str]
    previous_copy: Path | None
    digest: str


@dataclass(frozen=True)
class Draft:
    """A change made on one version of the file, not yet saved."""

    original_text: str
    new_text: str
    result: TeachResult


def clean_question(question: str) -> str:
    """One line, spacing tidied; refused when empty or too long."""
    text = " ".join(question.split())
    if not text:
        raise TeachRefused("The question is empty.")
    if len(text) > MAX_QUESTION_LENGTH:
        raise TeachRefused(
            f"The question is {len(text):,} characters long; keep it under "
            f"{MAX_QUESTION_LENGTH} (the wording members use, not the answer)."
        )
    return text


def slug_for(title: str, taken: set[str]) -> str:
    """An entry id from a title (``Parking at the venue`` -> ``parking-at-the-venue``)."""
    base = "-".join(words(fold(title)))[:60].strip("-") or "entry"
    base = re.sub(r"[^a-z0-9-]", "", base).strip("-") or "entry"
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def draft_question(text: str, entry_id: str, question: str, *, path: str) -> Draft:
    """Add ``question`` to entry ``entry_id`` of ``text`` and check the result.

    Raises:
        TeachRefused: no such entry, the wording is already there, or the result
            would not pass ``memberbot check``.
    """
    question = clean_question(question)
    before = _valid_now(text, path)
    assert before.knowledge is not None
    entry = before.knowledge.entry(entry_id)
    if entry is None:
        raise TeachRefused(f"There is no entry '{entry_id}' in the knowledge file.")
    if any(_same_wording(question, known) for known in entry.questions):
        raise TeachRefused(f"Entry '{entry_id}' already lists the question {question!r}.")
    try:
        new_text = add_question(text, entry_id, question)
    except EditError as error:
        raise TeachRefused(f"Not saved: {error}.") from None
    after = _check_result(before, new_text, path)
    taught = after.entry(entry_id)
    if taught is None or taught.questions != [*entry.questions, question]:
        raise TeachRefused(_NOT_WHERE_EXPECTED)
    summary = f"added the question {question!r} to entry '{entry_id}'"
    return _draft(text, new_text, "add_question", entry_id, summary)


def draft_entry(
    text: str,
    *,
    title: str,
    questions: list[str],
    answer: str,
    path: str,
    entry_id: str | None = None,
    links: list[tuple[str, str]] | None = None,
    contact: str | None = None,
    note: str | None = None,
) -> Draft:
    """Add a new entry to ``text`` and check the result.

    Args:
        text: The file's current text.
        title: Short name of the topic.
        questions: The wordings members use (at least one).
        answer: The reply, in the knowledge markup.
        path: Shown in messages.
        entry_id: The new id; made from the title when None.
        links: (title, url) pairs shown under the answer.
        contact: A contact id.
        note: A comment written under the id (who taught it, when).

    Raises:
        TeachRefused: as :func:`draft_question`.
    """
    before = _valid_now(text, path)
    assert before.knowledge is not None
    title = " ".join(title.split())
    if not title:
        raise TeachRefused("The new entry needs a title (a short name of the topic).")
    if len(title) > MAX_TITLE_LENGTH:
        raise TeachRefused(f"The title is too long; keep it under {MAX_TITLE_LENGTH} characters.")
    wordings = _unique([clean_question(question) for question in questions])
    if not wordings:
        raise TeachRefused("The new entry needs at least one question members ask.")
    if not answer.strip():
        raise TeachRefused("The new entry needs an answer.")
    if len(answer) > MAX_ANSWER_LENGTH:
        raise TeachRefused(
            f"The answer is {len(answer):,} characters long; keep it under "
            f"{MAX_ANSWER_LENGTH:,} (link to a page for the rest)."
        )
    taken = {entry.id for entry in before.knowledge.entries}
    new_id = entry_id.strip() if entry_id else slug_for(title, taken)
    if new_id in taken:
        raise TeachRefused(f"An entry '{new_id}' already exists; choose another id.")
    draft = EntryDraft(
        id=new_id,
        title=title,
        questions=wordings,
        answer=answer,
        links=list(links or []),
        contact=contact.strip() if contact else None,
        note=note,
    )
    try:
        new_text = add_entry(text, draft)
    except EditError as error:
        raise TeachRefused(f"Not saved: {error}.") from None
    after = _check_result(before, new_text, path)
    created = after.entry(new_id)
    if created is None or created.questions != wordings or len(after.entries) != len(taken) + 1:
        raise TeachRefused(_NOT_WHERE_EXPECTED)
    summary = f"added the entry '{new_id}' ({title}) with {len(wordings)} question(s)"
    return _draft(text, new_text, "add_entry", new_id, summary)


def _valid_now(text: str, path: str) -> CheckReport:
    report = check_knowledge_text(text, path=path)
    if report.errors or report.knowledge is None:
        first = report.errors[0] if report.errors else "unreadable"
        raise TeachRefused(
            f"The knowledge file has a problem already, so nothing was added: {first}. "
            "Fix it first (memberbot check --all lists every problem)."
        )
    return report


def _check_result(before: CheckReport, new_text: str, path: str) -> Knowledge:
    """The result's knowledge; refused when ``memberbot check`` would reject it, or when
    it adds formatting problems members would see."""
    report = check_knowledge_text(new_text, path=path)
    if report.errors:
        more = len(report.errors) - 1
        extra = f" (and {more} more)" if more else ""
        raise TeachRefused(f"Not saved: the result would not load: {report.errors[0]}{extra}.")
    had = Counter(problem.problem for problem in before.warnings)
    after = Counter(problem.problem for problem in report.warnings)
    new_problems = [
        problem for problem in report.warnings if after[problem.problem] > had[problem.problem]
    ]
    if new_problems:
        raise TeachRefused(
            f"Not saved: members would see markup as typed: {new_problems[0]}. "
            "Check the **bold** and [label](https://link) parts of the text."
        )
    assert report.knowledge is not None
    return report.knowledge


def _draft(
    old: str, new: str, action: Literal["add_question", "add_entry"], entry_id: str, summary: str
) -> Draft:
    if not only_added(old, new):
        raise TeachRefused(_NOT_WHERE_EXPECTED)
    result = TeachResult(
        action=action,
        entry_id=entry_id,
        summary=summary,
        added=added_lines(old, new),
        previous_copy=None,
        digest=digest_of(new),
    )
    return Draft(original_text=old, new_text=new, result=result)


def _same_wording(first: str, second: str) -> bool:
    return words(fold(first)) == words(fold(second))


def _unique(questions: list[str]) -> list[str]:
    seen: set[tuple[str, ...]] = set()
    unique = []
    for question in questions:
        key = tuple(words(fold(question)))
        if key not in seen:
            seen.add(key)
            unique.append(question)
    return unique
