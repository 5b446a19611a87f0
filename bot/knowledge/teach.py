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

This module holds steps 1, 4 and 5 (reading, saving under the lock, reloading and
the audit log); steps 2 and 3, the change itself, are :mod:`bot.knowledge.teach_drafts`
(its names are importable from here too).

Anything refused raises :class:`TeachRefused` (a :class:`~bot.errors.UserError`):
its message is safe to show staff, and nothing was written.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.errors import KnowledgeFileError
from bot.knowledge.loader import DEFAULT_MAX_BYTES, read_knowledge_text
from bot.knowledge.saving import (
    HISTORY_DIR,
    ChangedOnDisk,
    save_if_unchanged,
    saved_by_memberbot,
    writer_lock,
)
from bot.knowledge.teach_drafts import (
    MAX_ANSWER_LENGTH,
    MAX_QUESTION_LENGTH,
    MAX_TITLE_LENGTH,
    Draft,
    TeachRefused,
    TeachResult,
    clean_question,
    draft_entry,
    draft_question,
    slug_for,
)
from bot.knowledge_hold import digest_of

if TYPE_CHECKING:
    from bot.knowledge_store import KnowledgeStore
    from bot.storage import Database

# The change itself (steps 2 and 3) is made in teach_drafts; its names stay importable here.
__all__ = [
    "AUDIT_ADD_ENTRY",
    "AUDIT_ADD_QUESTION",
    "MAX_ANSWER_LENGTH",
    "MAX_QUESTION_LENGTH",
    "MAX_TITLE_LENGTH",
    "Draft",
    "TeachRefused",
    "TeachResult",
    "clean_question",
    "draft_entry",
    "draft_question",
    "record_teach",
    "save_draft",
    "slug_for",
    "teach",
    "teach_and_reload",
]

log = logging.getLogger(__name__)

#: ``action`` values written to the audit log.
AUDIT_ADD_QUESTION = "knowledge.add_question"
AUDIT_ADD_ENTRY = "knowledge.add_entry"


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

    action = AUDIT_ADD_QUESTION if result.action == "add_question" else AUDIT_ADD_ENTRY
    copy = f" (previous version: {result.previous_copy.name})" if result.previous_copy else ""
    try:
        async with database.unit_of_work() as work:
            work.audit.add(
                at=at,
                actor=who,
                action=action,
                audience=f"knowledge entry {result.entry_id}",
                text=result.summary + copy,
            )
    except StorageUnavailable:
        log.warning("could not audit-log a teach", extra={"summary": result.summary, "who": who})
