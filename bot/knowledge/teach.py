"""Teaching the bot: staff add a member's wording or a whole new entry to the knowledge file.

Platform-neutral: chat forms and ``memberbot unanswered answer --teach-to`` both
call :func:`teach`. One teach is

1. read the file;
2. make the edit as added lines only (:mod:`bot.knowledge.yaml_edit`);
3. check the result exactly as ``memberbot check`` does, refusing any error and
   any formatting problem the edit itself brings in;
4. under the writer lock (:func:`bot.knowledge.saving.writer_lock`), save it
   atomically, only over the version read, keeping a copy of that version (a
   version another teach saved meanwhile gets the change made again on it);
5. (:func:`teach_and_reload`) have the running bot load it at once and write the
   audit log row (who, what, when).

Anything refused raises :class:`TeachRefused` (a :class:`~bot.errors.UserError`):
its message is safe to show staff, and nothing was written.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from bot.answers.text import fold, words
from bot.errors import KnowledgeFileError, UserError
from bot.knowledge.loader import (
    DEFAULT_MAX_BYTES,
    CheckReport,
    check_knowledge_text,
    read_knowledge_text,
)
from bot.knowledge.saving import (
    HISTORY_DIR,
    ChangedOnDisk,
    save_if_unchanged,
    saved_by_memberbot,
    writer_lock,
)
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

if TYPE_CHECKING:
    from bot.knowledge_store import KnowledgeStore
    from bot.storage import Database

log = logging.getLogger(__name__)

MAX_QUESTION_LENGTH = 300
MAX_TITLE_LENGTH = 120
MAX_ANSWER_LENGTH = 4000
#: ``action`` values written to the audit log.
AUDIT_ADD_QUESTION = "knowledge.add_question"
AUDIT_ADD_ENTRY = "knowledge.add_entry"


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


def teach(
    path: Path,
    make: Callable[[str], Draft],
    *,
    history_dir: Path | None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> TeachResult:
    """Read the file, make ``make(text)``'s change and save it (blocking; run in a thread).

    The change is made and checked without holding the writer lock, then saved
    under it over the version read. If that version was replaced meanwhile by
    another teach (memberbot noted it saved it), the change is made again on the
    new version, this time entirely under the lock, so teaches from every process
    all land. If it was replaced by anything else (a hand edit), nothing is written.

    Raises:
        TeachRefused: the change was refused; nothing was written.
    """
    draft = make(_read(path, max_bytes))
    try:
        with writer_lock(path):
            try:
                return save_draft(path, draft, history_dir=history_dir)
            except TeachRefused:
                if not saved_by_memberbot(path):
                    raise  # changed by hand: never saved over
            log.info("knowledge file taught meanwhile; making the change again on it")
            draft = make(_read(path, max_bytes))
            return save_draft(path, draft, history_dir=history_dir)
    except OSError as error:  # the lock file cannot be made: a read-only directory, say
        raise TeachRefused(
            f"Cannot write beside the knowledge file ({error.strerror}: "
            f"{error.filename}); nothing was written."
        ) from None


def _read(path: Path, max_bytes: int) -> str:
    try:
        return read_knowledge_text(path, max_bytes=max_bytes)
    except KnowledgeFileError as error:
        raise TeachRefused(f"Cannot read the knowledge file: {error}") from None


def save_draft(path: Path, draft: Draft, *, history_dir: Path | None) -> TeachResult:
    """Save a checked draft over the version it was made from (hold the writer lock).

    Raises:
        TeachRefused: the file changed since (or the disk refused); nothing was written.
    """
    try:
        kept = save_if_unchanged(
            path,
            draft.new_text,
            expected_digest=digest_of(draft.original_text),
            history_dir=history_dir,
        )
    except ChangedOnDisk as error:
        raise TeachRefused(error.message) from None
    except OSError as error:
        raise TeachRefused(f"Could not save the knowledge file: {error.strerror}.") from None
    result = draft.result
    log.info("knowledge taught: %s", result.summary, extra={"entry": result.entry_id})
    return TeachResult(
        action=result.action,
        entry_id=result.entry_id,
        summary=result.summary,
        added=result.added,
        previous_copy=kept,
        digest=result.digest,
    )


async def teach_and_reload(
    make: Callable[[str], Draft],
    *,
    who: str,
    store: KnowledgeStore,
    database: Database | None,
    data_dir: Path | None,
    now: datetime,
) -> TeachResult:
    """Teach, then load the new file into the running bot at once and audit-log it.

    Args:
        make: Builds the change from the file's text (see :func:`draft_question`).
        who: The staff member, as shown in the audit log.
        store: The running bot's knowledge.
        database: Where the audit log is (None: logged only).
        data_dir: ``DATA_DIR``; previous versions go to ``knowledge-history/`` in it.
        now: When (UTC).

    Raises:
        TeachRefused: nothing was written.
    """
    history = data_dir / HISTORY_DIR if data_dir is not None else None
    result = await asyncio.to_thread(
        teach, store.path, make, history_dir=history, max_bytes=store.max_bytes
    )
    error = await store.reload_now()
    if error is not None:  # saved, but the bot could not load it: say so, never hide it
        log.error("taught knowledge not loaded: %s", error)
    if database is not None:
        await record_teach(database, result, who=who, at=now)
    return result


async def record_teach(database: Database, result: TeachResult, *, who: str, at: datetime) -> None:
    """Write the audit log row for a teach (who, what, when)."""
    from bot.errors import StorageUnavailable
    from bot.storage.models import AuditLog

    action = AUDIT_ADD_QUESTION if result.action == "add_question" else AUDIT_ADD_ENTRY
    copy = f" (previous version: {result.previous_copy.name})" if result.previous_copy else ""
    try:
        async with database.session() as session:
            session.add(
                AuditLog(
                    at=at,
                    actor=who[:300],
                    action=action,
                    audience=f"knowledge entry {result.entry_id}"[:200],
                    text=result.summary + copy,
                )
            )
    except StorageUnavailable:
        log.warning("could not audit-log a teach", extra={"summary": result.summary, "who": who})


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
