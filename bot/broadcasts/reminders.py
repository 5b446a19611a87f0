"""Automatic deadline reminders, kept in step with the knowledge file.

Each (deadline id, offset in days) is one reminder broadcast with a unique key,
so rescheduling is an upsert: a moved date moves the unsent reminder, a removed
deadline cancels it, and a reminder already sent is never sent again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.broadcasts import audit
from bot.broadcasts.audit import AuditAction
from bot.broadcasts.messages import reminder_body
from bot.broadcasts.scheduling import local_to_utc
from bot.knowledge import Knowledge
from bot.outbound import ChannelPurpose
from bot.storage import Database
from bot.storage.models import Broadcast, BroadcastDelivery
from bot.storage.models.broadcasts import (
    CHANNEL_RECIPIENT,
    Audience,
    BodyFormat,
    BroadcastKind,
    BroadcastStatus,
    DeliveryStatus,
)
from bot.storage.results import changed_rows

log = logging.getLogger(__name__)

#: Delivery states a reschedule may still change; sent/sending/failed rows are history.
_MOVABLE = (DeliveryStatus.PENDING, DeliveryStatus.CANCELLED, DeliveryStatus.MISSED)


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
        async with self.database.session() as session:
            existing = await self._existing(session)
            for key, plan in planned.items():
                if key in existing:
                    await self._update(session, existing[key], plan, now, result)
                elif plan.due_at >= now - self.grace:
                    # Old deadlines (past the grace window) are simply not scheduled.
                    await self._create(session, plan, now, result)
            for key, (broadcast, _) in existing.items():
                if key not in planned:
                    await self._cancel(session, broadcast, now, result)
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

    async def _existing(
        self, session: AsyncSession
    ) -> dict[str, tuple[Broadcast, BroadcastDelivery | None]]:
        rows = await session.execute(
            select(Broadcast, BroadcastDelivery)
            .outerjoin(BroadcastDelivery, BroadcastDelivery.broadcast_id == Broadcast.id)
            .where(
                Broadcast.kind == BroadcastKind.REMINDER,
                Broadcast.platform == self.platform,
            )
        )
        return {b.reminder_key: (b, d) for b, d in rows if b.reminder_key}

    async def _create(
        self, session: AsyncSession, plan: PlannedReminder, now: datetime, result: RescheduleResult
    ) -> None:
        insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        inserted = await session.execute(
            insert(Broadcast)
            .values(
                kind=BroadcastKind.REMINDER.value,
                status=BroadcastStatus.SCHEDULED.value,
                platform=self.platform,
                workspace_id="",
                audience=Audience.CHANNEL.value,
                channel_purpose=ChannelPurpose.ANNOUNCEMENTS.value,
                body=plan.body,
                body_format=BodyFormat.MARKUP.value,
                due_at=plan.due_at,
                send_now=False,
                created_at=now,
                confirmed_at=now,
                reminder_key=plan.key,
            )
            # Another bot process rescheduling at the same moment already made it.
            .on_conflict_do_nothing(index_elements=["platform", "reminder_key"])
            .returning(Broadcast.id)
        )
        broadcast_id = inserted.scalar()
        if broadcast_id is None:
            result.unchanged += 1
            return
        await session.execute(
            insert(BroadcastDelivery)
            .values(
                broadcast_id=broadcast_id,
                platform=self.platform,
                recipient=CHANNEL_RECIPIENT,
                status=DeliveryStatus.PENDING.value,
                due_at=plan.due_at,
                next_attempt_at=plan.due_at,
                attempts=0,
            )
            .on_conflict_do_nothing(index_elements=["broadcast_id", "recipient"])
        )
        broadcast = await session.get(Broadcast, broadcast_id)
        assert broadcast is not None
        audit.record(session, action=AuditAction.CREATE, broadcast=broadcast, at=now)
        result.created += 1

    async def _update(
        self,
        session: AsyncSession,
        existing: tuple[Broadcast, BroadcastDelivery | None],
        plan: PlannedReminder,
        now: datetime,
        result: RescheduleResult,
    ) -> None:
        broadcast, delivery = existing
        if delivery is None or delivery.status not in _MOVABLE:
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
            await self._retire(session, broadcast, delivery, plan, now, result)
            return
        moved = await session.execute(
            update(BroadcastDelivery)
            .where(BroadcastDelivery.id == delivery.id, BroadcastDelivery.status.in_(_MOVABLE))
            .values(
                status=DeliveryStatus.PENDING.value,
                due_at=plan.due_at,
                next_attempt_at=plan.due_at,
                attempts=0,
                failure_reason=None,
            )
        )
        if changed_rows(moved) != 1:
            result.unchanged += 1  # a dispatcher claimed it meanwhile
            return
        await session.execute(
            update(Broadcast)
            .where(Broadcast.id == broadcast.id)
            .values(
                due_at=plan.due_at,
                body=plan.body,
                status=BroadcastStatus.SCHEDULED.value,
                cancelled_at=None,
                cancelled_by_staff=False,
            )
        )
        broadcast.due_at, broadcast.body = plan.due_at, plan.body
        audit.record(session, action=AuditAction.RESCHEDULE, broadcast=broadcast, at=now)
        result.moved += 1

    async def _retire(
        self,
        session: AsyncSession,
        broadcast: Broadcast,
        delivery: BroadcastDelivery,
        plan: PlannedReminder,
        now: datetime,
        result: RescheduleResult,
    ) -> None:
        """Cancel a pending reminder whose deadline moved so close that its time has passed."""
        retired = await session.execute(
            update(BroadcastDelivery)
            .where(
                BroadcastDelivery.id == delivery.id,
                BroadcastDelivery.status == DeliveryStatus.PENDING,
            )
            .values(
                status=DeliveryStatus.CANCELLED.value,
                failure_reason="deadline moved: the new reminder time had already passed",
            )
        )
        if changed_rows(retired) != 1:
            result.unchanged += 1  # not pending (already cancelled, missed or claimed)
            return
        await session.execute(
            update(Broadcast)
            .where(Broadcast.id == broadcast.id)
            .values(
                due_at=plan.due_at,
                body=plan.body,
                status=BroadcastStatus.CANCELLED.value,
                cancelled_at=now,
            )
        )
        broadcast.due_at, broadcast.body = plan.due_at, plan.body
        audit.record(
            session,
            action=AuditAction.CANCEL,
            broadcast=broadcast,
            at=now,
            text=f"deadline moved; the reminder time had already passed: {plan.body}",
        )
        result.cancelled += 1

    async def _cancel(
        self, session: AsyncSession, broadcast: Broadcast, now: datetime, result: RescheduleResult
    ) -> None:
        cancelled = await session.execute(
            update(BroadcastDelivery)
            .where(
                BroadcastDelivery.broadcast_id == broadcast.id,
                BroadcastDelivery.status == DeliveryStatus.PENDING,
            )
            .values(
                status=DeliveryStatus.CANCELLED.value,
                failure_reason="deadline removed from the knowledge file",
            )
        )
        if not changed_rows(cancelled):
            return
        await session.execute(
            update(Broadcast)
            .where(Broadcast.id == broadcast.id)
            .values(status=BroadcastStatus.CANCELLED.value, cancelled_at=now)
        )
        audit.record(session, action=AuditAction.CANCEL, broadcast=broadcast, at=now)
        result.cancelled += 1
