"""Reloads the knowledge file when staff save a new version, while the bot runs.

Listed in ``bot.core.BACKGROUND_MODULES``. Polling the file's modification
time is enough here: the file changes a few times a month, and polling works
the same on every filesystem (network shares and containers included). A new
version is loaded once its size and modification time have stayed the same for
``KNOWLEDGE_SETTLE_SECONDS``, so a save still being written is never served.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.core import BotCore

log = logging.getLogger(__name__)


async def run(core: BotCore) -> None:
    """Check the knowledge file every ``KNOWLEDGE_RELOAD_SECONDS`` until cancelled."""
    interval = core.settings.knowledge_reload_seconds
    if interval <= 0:
        log.info("knowledge file watching is off (KNOWLEDGE_RELOAD_SECONDS=0)")
        return
    log.info("watching the knowledge file", extra={"path": str(core.knowledge.path)})
    store = core.knowledge
    while True:
        # While a changed file settles, look again as soon as it may have settled.
        settling = store.settling and store.settle_seconds < interval
        await asyncio.sleep(store.settle_seconds if settling else interval)
        # A bad file is logged by the store, which keeps serving the last good one.
        await store.reload_if_changed()
