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

from bot.broadcasts.dispatcher import Dispatcher
from bot.broadcasts.policy import DispatchPolicy
from bot.broadcasts.reminders import ReminderScheduler
from bot.broadcasts.settings import BroadcastSettings
from bot.config import Settings
from bot.errors import StorageUnavailable
from bot.knowledge import Knowledge
from bot.outbound import Pace

if TYPE_CHECKING:
    from bot.core import BotCore

log = logging.getLogger(__name__)


def worker_id() -> str:
    """Unique per process and start: host, pid and a random suffix."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"[:120]


def dispatch_policy(
    settings: Settings, tuning: BroadcastSettings, *, default_pace: Pace
) -> DispatchPolicy:
    """The dispatcher settings a bot process runs with: ``.env``, and for what it leaves
    to ``auto``, the outbound sender's ``default_pace``."""
    pace = tuning.pace(default_pace)
    return DispatchPolicy(
        grace=timedelta(hours=settings.delivery_grace_hours),
        max_per_second=pace.max_per_second,
        concurrency=pace.concurrency,
    )


def build_dispatcher(core: BotCore, *, tuning: BroadcastSettings | None = None) -> Dispatcher:
    """The dispatcher of ``core``'s outbound sender, configured as a running bot has it."""
    if core.outbound is None:
        raise ValueError("a dispatcher needs an outbound sender")
    tuning = tuning or core.settings  # validated at start, with every other setting
    policy = dispatch_policy(core.settings, tuning, default_pace=core.outbound.default_pace)
    return Dispatcher(
        database=core.database,
        outbound=core.outbound,
        clock=core.clock,
        worker_id=worker_id(),
        policy=policy,
        zone=core.settings.timezone,
        wake=core.deliveries_due,
    )


def reminder_scheduler(core: BotCore, *, platform: str) -> ReminderScheduler:
    settings = core.settings
    return ReminderScheduler(
        database=core.database,
        platform=platform,
        offsets=settings.reminder_offsets,
        at=settings.reminder_local_time,
        grace=DispatchPolicy(grace=timedelta(hours=settings.delivery_grace_hours)).effective_grace,
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
    dispatcher = build_dispatcher(core)
    log.info(
        "broadcast dispatcher started",
        extra={
            "worker": dispatcher.worker_id,
            "max_per_second": dispatcher.policy.max_per_second,
            "concurrency": dispatcher.policy.concurrency,
        },
    )
    await dispatcher.run_forever()
