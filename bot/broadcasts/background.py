"""The background service: reminder scheduling plus the delivery dispatcher.

The runner (:mod:`bot.runner`) starts :class:`BroadcastsAndReminders` once the
outbound sender is ready.
"""

from __future__ import annotations

import asyncio
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
from bot.clock import Clock
from bot.config import Settings
from bot.errors import StorageUnavailable
from bot.knowledge import Knowledge
from bot.knowledge_store import KnowledgeStore
from bot.outbound import OutboundSender, Pace
from bot.reminders.reconcile import MemberReminderScheduler
from bot.storage import Database

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
    return _dispatcher(
        database=core.database,
        outbound=core.outbound,
        clock=core.clock,
        settings=core.settings,
        tuning=tuning,
        wake=core.deliveries_due,
    )


def reminder_scheduler(core: BotCore, *, platform: str) -> ReminderScheduler:
    """The reminder scheduler of ``core``'s database and settings, for ``platform``."""
    return _scheduler(database=core.database, settings=core.settings, platform=platform)


def _dispatcher(
    *,
    database: Database,
    outbound: OutboundSender,
    clock: Clock,
    settings: Settings,
    tuning: BroadcastSettings | None = None,
    wake: asyncio.Event | None = None,
) -> Dispatcher:
    tuning = tuning or settings  # validated at start, with every other setting
    return Dispatcher(
        database=database,
        outbound=outbound,
        clock=clock,
        worker_id=worker_id(),
        policy=dispatch_policy(settings, tuning, default_pace=outbound.default_pace),
        zone=settings.timezone,
        wake=wake,
    )


def _scheduler(*, database: Database, settings: Settings, platform: str) -> ReminderScheduler:
    return ReminderScheduler(
        database=database,
        platform=platform,
        offsets=settings.reminder_offsets,
        at=settings.reminder_local_time,
        grace=DispatchPolicy(grace=timedelta(hours=settings.delivery_grace_hours)).effective_grace,
    )


class BroadcastsAndReminders:
    """Schedules deadline reminders and delivers broadcasts and reminders until cancelled.

    Args:
        wake: Set when deliveries fell due just now (a broadcast confirmed for
            "now"), so they go out at once rather than at the next poll.
    """

    name = "broadcasts and reminders"

    def __init__(
        self,
        *,
        database: Database,
        outbound: OutboundSender,
        knowledge: KnowledgeStore,
        clock: Clock,
        settings: Settings,
        wake: asyncio.Event | None = None,
    ) -> None:
        self._database = database
        self._outbound = outbound
        self._knowledge = knowledge
        self._clock = clock
        self._settings = settings
        self._wake = wake
        self._scheduler = _scheduler(
            database=database, settings=settings, platform=outbound.platform
        )
        self._member_reminders = MemberReminderScheduler(
            database=database, platform=outbound.platform, at=settings.reminder_local_time
        )

    async def run(self) -> None:
        """Schedule reminders now and on every knowledge reload, and deliver until cancelled."""
        self._knowledge.on_reload(self._reschedule)
        await self._reschedule(self._knowledge.knowledge)
        dispatcher = _dispatcher(
            database=self._database,
            outbound=self._outbound,
            clock=self._clock,
            settings=self._settings,
            wake=self._wake,
        )
        log.info(
            "broadcast dispatcher started",
            extra={
                "worker": dispatcher.worker_id,
                "max_per_second": dispatcher.policy.max_per_second,
                "concurrency": dispatcher.policy.concurrency,
            },
        )
        await dispatcher.run_forever()

    async def _reschedule(self, knowledge: Knowledge) -> None:
        try:
            await self._scheduler.reschedule(knowledge, now=self._clock.now())
            await self._member_reminders.reconcile(knowledge, now=self._clock.now())
        except StorageUnavailable:
            # The next reload or restart reschedules; the dispatcher keeps running.
            log.warning("could not reschedule reminders: database unavailable")
