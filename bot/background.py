"""Background services: work that runs beside the commands while the bot is up.

A service is an object given everything it needs when it is built (the
database, the outbound sender, the clock, its intervals) with a ``name`` for the
logs and ``async def run()`` that works until cancelled. The runner
(:mod:`bot.runner`) builds the list and runs it with :func:`run_services`.

A service that crashes is logged and the others go on: a failed knowledge
reload must not stop reminders. Stopping waits for every service to finish its
cancellation (a dispatcher records the sends it has in flight), so the caller
can close the database afterwards safely. Periodic work (retries, pruning,
watching a file) is written once, with :func:`every`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol

from bot.errors import StorageUnavailable

log = logging.getLogger(__name__)

#: An interval in seconds, or a function giving the wait before each next pass.
Interval = float | Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


class BackgroundService(Protocol):
    """Long-running work; its dependencies were given when it was built."""

    #: Names the service in log lines (``service=...``).
    name: str

    async def run(self) -> None:
        """Work until cancelled (returning early means there is nothing to do)."""
        ...


async def every(
    interval: Interval,
    work: Callable[[], Awaitable[object]],
    *,
    what: str,
    first_delay: float | None = None,
    sleep: Sleep | None = None,
) -> None:
    """Run ``work`` after ``first_delay`` (default: one ``interval``), then every ``interval``.

    A pass that fails is logged and the next one goes ahead as planned: one bad
    row or a database that is down for a minute never ends the service.

    Args:
        interval: Seconds between passes, or a function asked before each wait
            (the knowledge watcher looks again sooner while a save settles).
        work: One pass.
        what: What a pass does, for the log lines (``"thank-you note retries"``).
        first_delay: Seconds before the first pass.
        sleep: Waits between passes (default :func:`asyncio.sleep`; tests pass one
            that returns at once).
    """
    wait = sleep or asyncio.sleep

    def next_wait() -> float:
        return interval() if callable(interval) else interval

    await wait(next_wait() if first_delay is None else first_delay)
    while True:
        try:
            await work()
        except StorageUnavailable:
            log.warning("%s skipped: database unavailable; trying again later", what)
        except Exception:
            log.exception("%s failed; trying again later", what)
        await wait(next_wait())


async def run_services(services: Sequence[BackgroundService]) -> None:
    """Run every service until all have ended or this is cancelled."""
    tasks = [
        asyncio.create_task(_supervised(service), name=f"memberbot:{service.name}")
        for service in services
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


async def _supervised(service: BackgroundService) -> None:
    try:
        await service.run()
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception(
            "background service stopped; commands are still answered, but its work "
            "(broadcasts, reminders, knowledge reloads or retries) waits for a restart",
            extra={"service": service.name},
        )
