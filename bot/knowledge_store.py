"""Holds the knowledge in use and reloads it, keeping the last good file on errors."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

from bot.answers import AnswerEngine
from bot.errors import KnowledgeFileError
from bot.knowledge import Knowledge, load_knowledge

log = logging.getLogger(__name__)

ReloadListener = Callable[[Knowledge], Awaitable[None]]


class KnowledgeStore:
    """The current knowledge and its answer engine, swapped atomically on reload."""

    def __init__(self, *, path: Path) -> None:
        self.path = Path(path)
        self.knowledge: Knowledge = load_knowledge(self.path)
        self.engine = AnswerEngine(knowledge=self.knowledge)
        self.last_error: KnowledgeFileError | None = None
        self._listeners: list[ReloadListener] = []

    def on_reload(self, listener: ReloadListener) -> None:
        """Call ``listener(knowledge)`` after every successful reload."""
        self._listeners.append(listener)

    async def reload(self) -> KnowledgeFileError | None:
        """Load the file again; on error keep serving the last good one and return the error."""
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
