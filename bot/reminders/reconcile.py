"""Members' reminders kept in step with the knowledge file, on every reload.

Runs beside the staff reminders' :class:`~bot.broadcasts.reminders.ReminderScheduler`
and follows the same rules: a moved deadline moves the unsent DM (its text too),
a removed deadline cancels it (and a restored one brings it back, if its time is
still to come), a deadline moved so close that the reminder's time has passed
cancels it, and a DM sent or being sent is history, never changed or sent again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time

from bot.knowledge import Knowledge
from bot.reminders import deliveries
from bot.reminders.deliveries import MOVABLE, Planned
from bot.reminders.planning import reminder_due_at, reminder_text
from bot.storage import Database
from bot.storage.models import BroadcastDelivery
from bot.storage.models.broadcasts import DeliveryStatus
from bot.storage.models.member_reminders import MemberReminderStatus
from bot.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

REMOVED_REASON = "deadline removed from the knowledge file"
PASSED_REASON = "deadline moved: the reminder's time had already passed"


@dataclass(slots=True)
class ReconcileResult:
    moved: int = 0
    cancelled: int = 0
    unchanged: int = 0


class MemberReminderScheduler:
    """Reconciles one platform's member reminders with the current knowledge."""

    def __init__(self, *, database: Database, platform: str, at: time) -> None:
        self.database = database
        self.platform = platform
        self.at = at

    async def reconcile(self, knowledge: Knowledge, *, now: datetime) -> ReconcileResult:
        """Move, cancel or revive every live member reminder; safe to run any number of times."""
        result = ReconcileResult()
        zone = knowledge.organisation.zone
        async with self.database.unit_of_work() as work:
            for reminder, delivery in await work.reminders.to_reconcile(self.platform):
                deadline = knowledge.deadline(reminder.deadline_id)
                if deadline is None:
                    status = await self._deadline_gone(work, delivery, now, result)
                else:
                    plan = Planned(
                        due_at=reminder_due_at(
                            deadline, reminder.offset_days, at=self.at, zone=zone
                        ),
                        body=reminder_text(deadline, reminder.offset_days, zone=zone),
                    )
                    status = await self._deadline_kept(work, delivery, plan, now, result)
                if status != reminder.status:
                    await work.reminders.set_status(reminder.id, status, now=now)
        if result.moved or result.cancelled:
            log.info(
                "member reminders reconciled",
                extra={
                    "platform": self.platform,
                    "reminders_moved": result.moved,
                    "reminders_cancelled": result.cancelled,
                },
            )
        return result

    @staticmethod
    async def _deadline_gone(
        work: UnitOfWork,
        delivery: BroadcastDelivery,
        now: datetime,
        result: ReconcileResult,
    ) -> MemberReminderStatus:
        """Cancel the pending DM of a deadline no longer in the file."""
        if delivery.status == DeliveryStatus.PENDING and await deliveries.cancel(
            work, delivery.broadcast_id, reason=REMOVED_REASON, now=now
        ):
            result.cancelled += 1
            return MemberReminderStatus.REMOVED
        if delivery.status in MOVABLE:
            return MemberReminderStatus.REMOVED  # stopped already; revived if it comes back
        result.unchanged += 1
        return MemberReminderStatus.ACTIVE  # sent (or being sent): history

    @staticmethod
    async def _deadline_kept(
        work: UnitOfWork,
        delivery: BroadcastDelivery,
        plan: Planned,
        now: datetime,
        result: ReconcileResult,
    ) -> MemberReminderStatus:
        """Move (or revive) the DM to the deadline's current date and text."""
        if delivery.status not in MOVABLE:
            result.unchanged += 1  # sent, being sent or failed: history
            return MemberReminderStatus.ACTIVE
        same_time = delivery.due_at == plan.due_at
        if delivery.status == DeliveryStatus.PENDING and same_time:
            result.unchanged += 1  # due as planned (a new description waits for no one)
            return MemberReminderStatus.ACTIVE
        if plan.due_at > now:
            if await deliveries.move(work, delivery, plan, now=now):
                result.moved += 1
            else:
                result.unchanged += 1  # a dispatcher claimed it meanwhile
            return MemberReminderStatus.ACTIVE
        if delivery.status == DeliveryStatus.PENDING and await deliveries.cancel(
            work, delivery.broadcast_id, reason=PASSED_REASON, now=now
        ):
            # Moved so close that its time has passed: the old DM (due after the
            # real deadline, with the wrong date) must not go out.
            result.cancelled += 1
        else:
            result.unchanged += 1
        return MemberReminderStatus.ACTIVE
