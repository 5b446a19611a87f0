"""Holds the knowledge in use and reloads it, keeping the last good file on errors."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

from bot.answers import AnswerEngine
from bot.config import Settings
from bot.errors import KnowledgeFileError
from bot.knowledge import Knowledge, load_knowledge

log = logging.getLogger(__name__)

ReloadListener = Callable[[Knowledge], Awaitable[None]]
#: What identifies one version of the file on disk: (modification time in ns, size).
FileVersion = tuple[int, int] | None


def file_version(path: Path) -> FileVersion:
    """The file's current version, or None when it is missing (mid-save, say)."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)


class KnowledgeStore:
    """The current knowledge and its answer engine, swapped atomically on reload."""

    def __init__(self, *, path: Path) -> None:
        self.path = Path(path)
        self._version = file_version(self.path)
        self.knowledge: Knowledge = load_knowledge(self.path)
        self.engine = AnswerEngine(knowledge=self.knowledge)
        self.last_error: KnowledgeFileError | None = None
        self._listeners: list[ReloadListener] = []

    @classmethod
    def from_settings(cls, settings: Settings) -> KnowledgeStore:
        """The store for ``KNOWLEDGE_FILE`` and its related settings."""
        return cls(path=settings.knowledge_file)

    def on_reload(self, listener: ReloadListener) -> None:
        """Call ``listener(knowledge)`` after every successful reload."""
        self._listeners.append(listener)

    async def reload_if_changed(self) -> KnowledgeFileError | None:
        """Reload when the file on disk is a new version; each version is tried once."""
        version = file_version(self.path)
        if version is None or version == self._version:
            return None
        return await self.reload()

    async def reload(self) -> KnowledgeFileError | None:
        """Load the file again; on error keep serving the last good one and return the error."""
        self._version = file_version(self.path)
        try:
            knowledge = load_knowledge(self.path)
        except KnowledgeFileError as error:
            self.last_error = error
            log.error("knowledge reload failed, still serving the last good file: %s", error)
            return error
        self.knowledge = knowledge
        self.engine = AnswerEngine(knowledge=knowledge)
        self.last_error = None
        log.info(
            "knowledge reloaded",
            extra={"entries": len(knowledge.entries), "deadlines": len(knowledge.deadlines)},
        )
        for listener in self._listeners:
            await listener(knowledge)
        return None
