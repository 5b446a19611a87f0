"""The background service: reminder scheduling plus the delivery dispatcher.

Listed in ``bot.core.BACKGROUND_MODULES``; adapters start it with
``core.run_background()`` once their outbound sender is ready.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.broadcasts.dispatcher import Dispatcher, DispatchPolicy
from bot.broadcasts.reminders import ReminderScheduler
from bot.broadcasts.settings import BroadcastSettings
from bot.config import load_settings
from bot.errors import StorageUnavailable
from bot.knowledge import Knowledge

if TYPE_CHECKING:
    from bot.core import BotCore

log = logging.getLogger(__name__)


def worker_id() -> str:
    """Unique per process and start: host, pid and a random suffix."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"[:120]


def reminder_scheduler(core: BotCore, *, platform: str) -> ReminderScheduler:
    settings = core.settings
    return ReminderScheduler(
        database=core.database,
        platform=platform,
        offsets=settings.reminder_offsets,
        at=settings.reminder_local_time,
        zone=settings.timezone,
        grace=timedelta(hours=settings.delivery_grace_hours),
    )


async def run(core: BotCore) -> None:
    """Schedule reminders now and on every knowledge reload, and deliver until cancelled."""
    if core.outbound is None:
        log.info("no outbound sender: broadcasts and reminders are not delivered")
        return
    scheduler = reminder_scheduler(core, platform=core.outbound.platform)

    async def _reschedule(knowledge: Knowledge) -> None:
        try:
            await scheduler.reschedule(knowledge, now=core.now())
        except StorageUnavailable:
            # The next reload or restart reschedules; the dispatcher keeps running.
            log.warning("could not reschedule reminders: database unavailable")

    core.knowledge.on_reload(_reschedule)
    await _reschedule(core.knowledge.knowledge)
    tuning = load_settings(BroadcastSettings)
    policy = DispatchPolicy(
        grace=timedelta(hours=core.settings.delivery_grace_hours),
        max_per_second=tuning.broadcast_max_per_second or None,
        concurrency=tuning.broadcast_concurrency,
    )
    dispatcher = Dispatcher(
        database=core.database,
        outbound=core.outbound,
        clock=core.clock,
        worker_id=worker_id(),
        policy=policy,
    )
    log.info("broadcast dispatcher started", extra={"worker": dispatcher.worker_id})
    await dispatcher.run_forever()
