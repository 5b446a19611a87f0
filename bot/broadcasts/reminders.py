"""Automatic deadline reminders, kept in step with the knowledge file.

Each (deadline id, offset in days) is one reminder broadcast with a unique key,
so rescheduling is an upsert: a moved date moves the unsent reminder, a removed
deadline cancels it, and a reminder already sent is never sent again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from bot.broadcasts import audit
from bot.broadcasts.audit import AuditAction
from bot.broadcasts.messages import reminder_body
from bot.broadcasts.scheduling import local_to_utc
from bot.knowledge import Knowledge
from bot.reminders import deliveries
from bot.reminders.deliveries import Planned
from bot.storage import Database
from bot.storage.models import Broadcast, BroadcastDelivery
from bot.storage.models.broadcasts import DeliveryStatus
from bot.storage.repositories.reminders import MOVABLE
from bot.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PlannedReminder:
    key: str
    deadline_id: str
    offset_days: int
    due_at: datetime
    body: str


@dataclass(slots=True)
class RescheduleResult:
    created: int = 0
    moved: int = 0
    cancelled: int = 0
    unchanged: int = 0


def plan_reminders(
    knowledge: Knowledge, *, offsets: tuple[int, ...], at: time
) -> list[PlannedReminder]:
    """Every reminder the knowledge file asks for, due at ``at`` local time.

    "Local" is the knowledge file's ``organisation.timezone``: the same zone the
    deadline dates are written in and the calendar file uses, so a reminder and
    the event it announces never disagree about what "December 7" means.
    """
    zone = knowledge.organisation.zone
    return [
        PlannedReminder(
            key=f"{deadline.id}:{offset}",
            deadline_id=deadline.id,
            offset_days=offset,
            # counted from the last day it can be done ("before January 31": the 30th)
            due_at=local_to_utc(deadline.last_day - timedelta(days=offset), at, zone),
            body=reminder_body(deadline, offset_days=offset, zone=zone),
        )
        for deadline in knowledge.deadlines
        for offset in offsets
    ]


class ReminderScheduler:
    """Upserts reminder broadcasts for one platform from the current knowledge."""

    def __init__(
        self,
        *,
        database: Database,
        platform: str,
        offsets: tuple[int, ...],
        at: time,
        grace: timedelta,
    ) -> None:
        self.database = database
        self.platform = platform
        self.offsets = offsets
        self.at = at
        self.grace = grace

    async def reschedule(self, knowledge: Knowledge, *, now: datetime) -> RescheduleResult:
        """Bring stored reminders in line with ``knowledge``; safe to run any number of times."""
        planned = {p.key: p for p in plan_reminders(knowledge, offsets=self.offsets, at=self.at)}
        result = RescheduleResult()
        async with self.database.unit_of_work() as work:
            existing = await work.reminders.automatic_by_key(self.platform)
            for key, plan in planned.items():
                if key in existing:
                    await self._update(work, existing[key], plan, now, result)
                elif plan.due_at >= now - self.grace:
                    # Old deadlines (past the grace window) are simply not scheduled.
                    await self._create(work, plan, now, result)
            for key, (broadcast, _) in existing.items():
                if key not in planned:
                    await self._cancel(work, broadcast, now, result)
        log.info(
            "reminders rescheduled",
            extra={
                "platform": self.platform,
                "reminders_created": result.created,
                "reminders_moved": result.moved,
                "reminders_cancelled": result.cancelled,
            },
        )
        return result

    async def _create(
        self, work: UnitOfWork, plan: PlannedReminder, now: datetime, result: RescheduleResult
    ) -> None:
        broadcast = await work.reminders.create_automatic(
            platform=self.platform, key=plan.key, due_at=plan.due_at, body=plan.body, now=now
        )
        if broadcast is None:
            result.unchanged += 1  # another bot process rescheduling at the same moment
            return
        audit.record(work, action=AuditAction.CREATE, broadcast=broadcast, at=now)
        result.created += 1

    async def _update(
        self,
        work: UnitOfWork,
        existing: tuple[Broadcast, BroadcastDelivery | None],
        plan: PlannedReminder,
        now: datetime,
        result: RescheduleResult,
    ) -> None:
        broadcast, delivery = existing
        if delivery is None or delivery.status not in MOVABLE:
            result.unchanged += 1  # sent, in flight or failed: history, never re-sent
            return
        same_time = delivery.due_at == plan.due_at
        if delivery.status == DeliveryStatus.PENDING and same_time and broadcast.body == plan.body:
            result.unchanged += 1
            return
        if broadcast.cancelled_by_staff and same_time:
            result.unchanged += 1  # staff cancelled this one; only a new date revives it
            return
        if plan.due_at < now - self.grace:
            # Moved so far forward that this reminder's time has passed: the old
            # pending one (due after the real deadline, with the wrong text) must go.
            await self._retire(work, broadcast, plan, now, result)
            return
        if not await deliveries.move(work, delivery, Planned(plan.due_at, plan.body), now=now):
            result.unchanged += 1  # a dispatcher claimed it meanwhile
            return
        result.moved += 1

    async def _retire(
        self,
        work: UnitOfWork,
        broadcast: Broadcast,
        plan: PlannedReminder,
        now: datetime,
        result: RescheduleResult,
    ) -> None:
        """Cancel a pending reminder whose deadline moved so close that its time has passed."""
        retired = await deliveries.cancel(
            work,
            broadcast.id,
            reason="deadline moved: the new reminder time had already passed",
            now=now,
            audit_text=f"deadline moved; the reminder time had already passed: {plan.body}",
            moved_to=Planned(plan.due_at, plan.body),
        )
        if not retired:
            result.unchanged += 1  # not pending (already cancelled, missed or claimed)
            return
        result.cancelled += 1

    async def _cancel(
        self, work: UnitOfWork, broadcast: Broadcast, now: datetime, result: RescheduleResult
    ) -> None:
        if await deliveries.cancel(
            work,
            broadcast.id,
            reason="deadline removed from the knowledge file",
            now=now,
            audit_text=broadcast.body,
        ):
            result.cancelled += 1
