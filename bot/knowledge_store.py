"""Holds the knowledge in use and reloads it, keeping the last good file on errors.

Reloads never hold up the event loop: reading, validating and indexing a new
version run in a worker thread (with the cyclic garbage collector paused, whose
full passes over a freshly built index would otherwise stop every thread for
tens of milliseconds at a time), and the old version's memory is handed back
once nothing can still be using it. A changed file is loaded only once it has stopped changing
(``KNOWLEDGE_SETTLE_SECONDS``), and a version that lost most of the file is held
until staff confirm it (see :mod:`bot.knowledge_hold`).
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import gc
import logging
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from bot.answers import AnswerEngine
from bot.config import Settings
from bot.errors import KnowledgeFileError
from bot.knowledge import Knowledge
from bot.knowledge.loader import DEFAULT_MAX_BYTES, parse_knowledge, read_knowledge_text
from bot.knowledge.saving import saved_by_memberbot
from bot.knowledge_hold import HeldVersion, HoldRecords, digest_of, shrink_reason

log = logging.getLogger(__name__)

ReloadListener = Callable[[Knowledge], Awaitable[None]]
#: How long a replaced answer engine is left intact for code still holding it.
RETIRE_AFTER_SECONDS = 30.0
#: What identifies one version of the file on disk: (modification time in ns, size).
FileVersion = tuple[int, int] | None


def file_version(path: Path) -> FileVersion:
    """The file's current version, or None when it is missing (mid-save, say)."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)


@dataclass(frozen=True)
class LoadedVersion:
    """One version of the file, validated and indexed."""

    knowledge: Knowledge
    engine: AnswerEngine
    text: str

    @property
    def digest(self) -> str:
        return digest_of(self.text)


def load_version(path: Path, *, max_bytes: int) -> LoadedVersion:
    """Read, validate and index the file (blocking: run it in a worker thread).

    Raises:
        KnowledgeFileError: as :func:`~bot.knowledge.load_knowledge`.
    """
    return build_version(read_knowledge_text(path, max_bytes=max_bytes), path=str(path))


def build_version(text: str, *, path: str) -> LoadedVersion:
    """Validate and index knowledge file text (blocking)."""
    with _collector_paused():
        knowledge = parse_knowledge(text, path=path)
        return LoadedVersion(knowledge, AnswerEngine(knowledge=knowledge), text)


class KnowledgeStore:
    """The current knowledge and its answer engine, swapped atomically on reload."""

    def __init__(
        self,
        *,
        path: Path,
        max_bytes: int = DEFAULT_MAX_BYTES,
        settle_seconds: float = 0.0,
        state_dir: Path | None = None,
        keep_served_copy: bool = False,
        retire_after_seconds: float = RETIRE_AFTER_SECONDS,
    ) -> None:
        """Load the file (at start, before anything is served).

        Args:
            path: The knowledge file.
            max_bytes: Larger files are refused.
            settle_seconds: A changed file is loaded once its size and modification
                time have not changed for this long.
            state_dir: Where held versions and staff confirmations are recorded
                (``DATA_DIR``); without it nothing held can be confirmed from the CLI.
            keep_served_copy: Keep a copy of the served version in ``state_dir``
                and, at start, hold a file that lost most of it (running bots;
                not one-off commands like ``memberbot ask``).
            retire_after_seconds: A replaced engine is taken apart (its memory
                freed) this long after the swap.
        """
        self.path = Path(path)
        self.max_bytes = max_bytes
        self.settle_seconds = settle_seconds
        self.records = HoldRecords(state_dir) if state_dir is not None else None
        self._version = file_version(self.path)
        self.last_error: KnowledgeFileError | None = None
        self.held: HeldVersion | None = None
        self._keep_served_copy = keep_served_copy and self.records is not None
        self.retire_after_seconds = retire_after_seconds
        self._retired: list[tuple[float, AnswerEngine]] = []
        current = load_version(self.path, max_bytes=max_bytes)
        if self._keep_served_copy:
            current = self._guard_start(current)
        self.knowledge: Knowledge = current.knowledge
        self.engine: AnswerEngine = current.engine
        self.digest = current.digest
        self._listeners: list[ReloadListener] = []
        self._candidate: FileVersion = None
        self._candidate_since = 0.0
        self._lock = asyncio.Lock()

    @classmethod
    def from_settings(cls, settings: Settings, *, running_bot: bool = False) -> KnowledgeStore:
        """The store for ``KNOWLEDGE_FILE`` and its related settings.

        Args:
            running_bot: A bot that serves members (keeps a copy of what it serves,
                see ``keep_served_copy``), not a one-off command.
        """
        return cls(
            path=settings.knowledge_file,
            max_bytes=settings.knowledge_max_bytes,
            settle_seconds=settings.knowledge_settle_seconds,
            state_dir=settings.data_dir,
            keep_served_copy=running_bot,
        )

    def _guard_start(self, current: LoadedVersion) -> LoadedVersion:
        """The version to serve at start: the file, or (when the file lost most of
        the copy served before the restart, unconfirmed) that copy."""
        assert self.records is not None
        served_text = self.records.served_text()
        if served_text is None or digest_of(served_text) == current.digest:
            self.records.record_served(current.text)
            return current
        try:
            served = build_version(served_text, path=str(self.path))
        except KnowledgeFileError:
            self.records.record_served(current.text)
            return current  # an unusable copy guards nothing
        today = datetime.now(served.knowledge.organisation.zone).date()
        reason = shrink_reason(served.knowledge, current.knowledge, today=today)
        if reason and current.digest != self.records.confirmed_digest():
            self._hold(current.digest, reason + " (compared with the version served before)")
            return served
        self.records.record_served(current.text)
        return current

    def on_reload(self, listener: ReloadListener) -> None:
        """Call ``listener(knowledge)`` after every successful reload."""
        self._listeners.append(listener)

    @property
    def settling(self) -> bool:
        """True while a changed file waits to stop changing (poll again soon)."""
        return self._candidate is not None

    async def reload_if_changed(self) -> KnowledgeFileError | None:
        """Reload a new version once it has settled; each version is tried once.

        Also loads a held version as soon as staff have confirmed it, and frees
        replaced versions once nothing can still be using them.
        """
        await self._release_retired()
        if self.held is not None and self._confirmed(self.held.digest):
            return await self.reload(confirmed_digest=self.held.digest)
        version = file_version(self.path)
        if version is None or version == self._version:
            self._candidate = None
            return None
        now = time.monotonic()
        if version != self._candidate:
            self._candidate, self._candidate_since = version, now  # changed (again): wait
        settled = now - self._candidate_since >= self.settle_seconds
        if not settled and not await asyncio.to_thread(saved_by_memberbot, self.path):
            return None
        self._candidate = None
        return await self.reload()

    async def reload_now(self) -> KnowledgeFileError | None:
        """Load the file at once, without waiting for it to settle.

        For a version memberbot saved itself (a teach from chat or the CLI): it was
        written in one atomic rename, so there is no half-saved file to wait out.
        """
        self._candidate = None
        return await self.reload()

    async def reload(self, *, confirmed_digest: str | None = None) -> KnowledgeFileError | None:
        """Load the file again; on error keep serving the last good one and return the error.

        Args:
            confirmed_digest: Staff confirmed the version with this digest: load it
                even if it lost most of the file.
        """
        async with self._lock:
            version = file_version(self.path)
            self._version = version
            try:
                loaded = await asyncio.to_thread(load_version, self.path, max_bytes=self.max_bytes)
            except KnowledgeFileError as error:
                self.last_error = error
                log.error("knowledge reload failed, still serving the last good file: %s", error)
                return error
            if file_version(self.path) != version:
                # Saved again while being read: the next check starts the settling over.
                log.info("knowledge file changed while loading; trying again once it settles")
                return None
            reason = shrink_reason(self.knowledge, loaded.knowledge, today=self._today())
            confirmed = loaded.digest in (confirmed_digest, self._confirmed_digest())
            if reason and not confirmed:
                return self._hold(loaded.digest, reason)
            await self._swap(loaded)
            return None

    def _hold(self, digest: str, reason: str) -> KnowledgeFileError:
        self.held = HeldVersion(path=str(self.path), digest=digest, reason=reason)
        error = KnowledgeFileError(
            path=str(self.path),
            line=None,
            problem=(
                f"NOT LOADED: {reason}. Still serving the previous version and keeping its "
                "reminders. If this is a save cut short, save the whole file again; if the "
                "cut is intended, run: memberbot knowledge reload --confirm"
            ),
        )
        self.last_error = error
        log.error("knowledge reload held: %s", error, extra={"digest": digest})
        if self.records is not None:
            self.records.record_held(self.held)
        return error

    async def _swap(self, loaded: LoadedVersion) -> None:
        self._retired.append((time.monotonic(), self.engine))
        self.knowledge, self.engine, self.digest = loaded.knowledge, loaded.engine, loaded.digest
        if self._keep_served_copy and self.records is not None:
            await asyncio.to_thread(self.records.record_served, loaded.text)
        self.last_error = None
        if self.held is not None and self.records is not None:
            self.records.record_held(None)
        self.held = None
        log.info(
            "knowledge reloaded",
            extra={
                "entries": len(self.knowledge.entries),
                "deadlines": len(self.knowledge.deadlines),
            },
        )
        for listener in self._listeners:
            await listener(self.knowledge)
        await self._release_retired()

    async def _release_retired(self) -> None:
        """Take apart engines replaced long enough ago, and give their memory back.

        An engine's index refers back to the engine (reference cycles), which only a
        full garbage collection would find: a pass over every object in the process
        that holds the interpreter lock, stalling the event loop. Dropping the
        engine's own references instead lets reference counting free it all at once.
        """
        cutoff = time.monotonic() - self.retire_after_seconds
        due = [engine for retired_at, engine in self._retired if retired_at <= cutoff]
        if not due:
            return
        self._retired = [item for item in self._retired if item[0] > cutoff]
        for engine in due:
            with contextlib.suppress(TypeError):  # no __dict__: nothing to drop
                vars(engine).clear()
        due.clear()
        await asyncio.to_thread(release_memory)

    def _confirmed_digest(self) -> str | None:
        return self.records.confirmed_digest() if self.records is not None else None

    def _confirmed(self, digest: str) -> bool:
        return self._confirmed_digest() == digest

    def _today(self) -> date:
        """The real date in the organisation's zone (deadlines still ahead are at stake)."""
        return datetime.now(self.knowledge.organisation.zone).date()


class _CollectorPause:
    """Pauses the cyclic garbage collector while any version is being built.

    Building an index allocates hundreds of thousands of objects, which triggers
    full collections: each one walks every object in the process while holding
    the interpreter lock, stopping the event loop thread. Reference counting
    still frees everything acyclic meanwhile; :func:`release_memory` collects
    the rest once, after the swap.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._builders = 0
        self._was_enabled = True

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if self._builders == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._builders += 1
        try:
            yield
        finally:
            with self._lock:
                self._builders -= 1
                if self._builders == 0 and self._was_enabled:
                    gc.enable()


_collector_paused = _CollectorPause()


def release_memory() -> None:
    """Collect young leftovers and hand freed memory back to the OS.

    Only the young generations: a full collection would walk every object while
    holding the interpreter lock. Older cycles are left to the automatic collector.
    """
    gc.collect(1)
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)  # glibc keeps freed heap pages for reuse; this returns them


def _find_malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(None).malloc_trim  # glibc; musl and macOS have none
    except (OSError, AttributeError):
        return None


_MALLOC_TRIM = _find_malloc_trim()
