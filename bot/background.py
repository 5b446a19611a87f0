"""Runs the core's background services side by side and stops them together.

Each service is a module exposing ``async def run(core)`` (listed in
``bot.core.BACKGROUND_MODULES``). A service that crashes is logged and the
others go on: a failed knowledge reload must not stop reminders. Stopping waits
for every service to finish its cancellation (a dispatcher records the sends
it has in flight), so the caller can close the database afterwards safely.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.core import BotCore

log = logging.getLogger(__name__)


async def run_services(core: BotCore, module_names: Iterable[str]) -> None:
    """Run every service until all have ended or this is cancelled."""
    tasks = [
        asyncio.create_task(_supervised(core, name), name=f"memberbot:{name}")
        for name in module_names
    ]
    if not tasks:
        return
    try:
        await asyncio.wait(tasks)
    finally:
        # asyncio.gather would return at the first child that ends by cancellation,
        # while the others may still be writing to the database.
        for task in tasks:
            task.cancel()
        await asyncio.wait(tasks)


async def _supervised(core: BotCore, module_name: str) -> None:
    try:
        await import_module(module_name).run(core)
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception(
            "background service stopped; commands are still answered, but its work "
            "(broadcasts, reminders, knowledge reloads or retries) waits for a restart",
            extra={"service": module_name},
        )
