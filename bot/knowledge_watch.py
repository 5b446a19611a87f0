"""Reloads the knowledge file when staff save a new version, while the bot runs.

A background service (:class:`KnowledgeWatch`, started by :mod:`bot.runner`).
Polling the file's modification time is enough here: the file changes a few
times a month, and polling works the same on every filesystem (network shares
and containers included). A new version is loaded once its size and
modification time have stayed the same for ``KNOWLEDGE_SETTLE_SECONDS``, so a
save still being written is never served.
"""

from __future__ import annotations

import logging

from bot.background import every
from bot.knowledge_store import KnowledgeStore

log = logging.getLogger(__name__)


class KnowledgeWatch:
    """Checks the knowledge file every ``interval`` seconds (``KNOWLEDGE_RELOAD_SECONDS``)."""

    name = "knowledge reloads"

    def __init__(self, *, store: KnowledgeStore, interval: float) -> None:
        self._store = store
        self._interval = interval

    async def run(self) -> None:
        """Reload each saved version once it has settled, until cancelled; 0 turns it off."""
        if self._interval <= 0:
            log.info("knowledge file watching is off (KNOWLEDGE_RELOAD_SECONDS=0)")
            return
        log.info("watching the knowledge file", extra={"path": str(self._store.path)})
        # A bad file is logged by the store, which keeps serving the last good one.
        await every(self._next_wait, self._store.reload_if_changed, what="knowledge reload")

    def _next_wait(self) -> float:
        # While a changed file settles, look again as soon as it may have settled.
        store = self._store
        settling = store.settling and store.settle_seconds < self._interval
        return store.settle_seconds if settling else self._interval
