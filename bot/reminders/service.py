"""Subscribing to, listing and cancelling a member's own deadline reminders.

A member asks for one deadline at one lead time (:mod:`bot.reminders.lead_times`);
asking again changes nothing (one subscription per member, deadline and lead time,
held by a unique constraint, so two clicks at once still make one). A deadline
already past, or a lead time already past, is refused with what is still possible.
Only the member who asked sees or cancels a reminder: every lookup is by id *and*
member, so another member's id reads as "no such reminder".
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time

from bot.date_wording import deadline_when, local_moment
from bot.errors import UserError
from bot.knowledge import Deadline, Knowledge
from bot.knowledge_store import KnowledgeStore
from bot.reminders import deliveries
from bot.reminders.deliveries import Planned
from bot.reminders.lead_times import LEAD_TIMES, describe
from bot.reminders.planning import find_deadline, reminder_due_at, reminder_text
from bot.requests import UserRef
from bot.storage import Database
from bot.storage.models import Member
from bot.storage.models.broadcasts import DeliveryStatus
from bot.storage.models.member_reminders import MemberReminder, MemberReminderStatus
from bot.storage.repositories.reminders import UPCOMING
from bot.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ReminderView:
    """One of a member's reminders, as /reminders shows it."""

    id: int
    deadline_id: str
    title: str
    offset_days: int
    due_at: datetime
    deadline_when: str


@dataclass(frozen=True, slots=True)
class Subscribed:
    reminder: ReminderView
    already: bool  # the member had asked for exactly this before


@dataclass(frozen=True, slots=True)
class MemberReminders:
    """A member's own deadline reminders, read against the knowledge being served.

    Attributes:
        at: The local time of day reminders arrive (``REMINDER_TIME``).
    """

    database: Database
    knowledge: KnowledgeStore
    at: time

    def plan(self, deadline: Deadline, offset_days: int, knowledge: Knowledge) -> Planned:
        zone = knowledge.organisation.zone
        return Planned(
            due_at=reminder_due_at(deadline, offset_days, at=self.at, zone=zone),
            body=reminder_text(deadline, offset_days, zone=zone),
        )

    async def remind(
        self, member: UserRef, *, deadline: str, offset_days: int, now: datetime
    ) -> Subscribed:
        """Subscribe ``member`` to ``deadline`` (an id or title words), ``offset_days`` before.

        Raises:
            UserError: Unknown deadline, a past deadline, or a lead time already past.
        """
        knowledge = self.knowledge.knowledge
        zone = knowledge.organisation.zone
        today = now.astimezone(zone).date()
        found = find_deadline(knowledge, deadline, today=today)
        plan = self.plan(found, offset_days, knowledge)
        self._refuse_if_too_late(found, offset_days, plan, knowledge, now=now)
        async with self.database.unit_of_work() as work:
            row = await work.members.ensure(member, now=now)
            reminder, created = await work.reminders.subscribe(
                row, deadline_id=found.id, offset_days=offset_days, now=now
            )
            already = not created and await self._already_upcoming(work, reminder)
            if not already:
                await self._schedule(work, row, reminder, plan, now=now)
        log.info(
            "member reminder subscribed",
            extra={"reminder_id": reminder.id, "deadline": found.id, "already": already},
        )
        return Subscribed(self._view(reminder, found, plan.due_at, knowledge), already=already)

    async def mine(self, member: UserRef, *, now: datetime) -> list[ReminderView]:
        """``member``'s reminders still to come, soonest first."""
        knowledge = self.knowledge.knowledge
        async with self.database.unit_of_work() as work:
            row = await work.members.ensure(member, now=now)
            found = await work.reminders.upcoming_of(row.id)
        return [
            self._view(reminder, knowledge.deadline(reminder.deadline_id), due_at, knowledge)
            for reminder, due_at in found
        ]

    async def cancel(self, member: UserRef, *, reminder_id: int, now: datetime) -> ReminderView:
        """Cancel ``member``'s reminder ``reminder_id``; returns what was cancelled.

        Raises:
            UserError: No such reminder of this member's, or it was already sent.
        """
        knowledge = self.knowledge.knowledge
        async with self.database.unit_of_work() as work:
            row = await work.members.ensure(member, now=now)
            reminder = await work.reminders.not_cancelled_of(row.id, reminder_id)
            broadcast_id = reminder.broadcast_id if reminder is not None else None
            delivery = await work.reminders.delivery_of(broadcast_id)
            if reminder is None or delivery is None:
                raise UserError(
                    f"You have no reminder #{reminder_id}, so nothing changed. "
                    "Type /reminders list to see yours."
                )
            if delivery.status == DeliveryStatus.SENT:
                raise UserError(f"Reminder #{reminder_id} has already been sent to you.")
            if delivery.status == DeliveryStatus.SENDING:
                raise UserError(f"Reminder #{reminder_id} is being sent to you right now.")
            stopped = await deliveries.cancel(
                work, delivery.broadcast_id, reason="cancelled by its member", now=now
            )
            if not stopped and delivery.status == DeliveryStatus.PENDING:
                # A dispatcher claimed it between the read and the cancel.
                raise UserError(f"Reminder #{reminder_id} is being sent to you right now.")
            await work.reminders.set_status(reminder.id, MemberReminderStatus.CANCELLED, now=now)
            view = self._view(
                reminder, knowledge.deadline(reminder.deadline_id), delivery.due_at, knowledge
            )
        log.info("member reminder cancelled", extra={"reminder_id": reminder_id})
        return view

    async def change(
        self, member: UserRef, *, reminder_id: int, offset_days: int, now: datetime
    ) -> Subscribed:
        """Move ``member``'s reminder to another lead time (a new one, then the old cancelled)."""
        async with self.database.unit_of_work() as work:
            row = await work.members.ensure(member, now=now)
            reminder = await work.reminders.active_of(row.id, reminder_id)
        if reminder is None:
            raise UserError(
                f"You have no reminder #{reminder_id}, so nothing changed. "
                "Type /reminders list to see yours."
            )
        subscribed = await self.remind(
            member, deadline=reminder.deadline_id, offset_days=offset_days, now=now
        )
        if subscribed.reminder.id != reminder_id:
            await self.cancel(member, reminder_id=reminder_id, now=now)
        return subscribed

    # -- inside -------------------------------------------------------------------

    def _refuse_if_too_late(
        self,
        deadline: Deadline,
        offset_days: int,
        plan: Planned,
        knowledge: Knowledge,
        *,
        now: datetime,
    ) -> None:
        zone = knowledge.organisation.zone
        today = now.astimezone(zone).date()
        if deadline.has_passed(today):
            raise UserError(
                f"{deadline.title} has already passed ({deadline_when(deadline, zone)}), "
                "so there is nothing to remind you of. Type /deadlines to see what is coming up."
            )
        if plan.due_at > now:
            return
        still = [
            f"{choice} ({describe(days)})"
            for choice, days in LEAD_TIMES.items()
            if days < offset_days and self.plan(deadline, days, knowledge).due_at > now
        ]
        too_late = (
            f"It is too late for a reminder {describe(offset_days)} {deadline.title} "
            f"(that was {local_moment(plan.due_at, zone)})"
        )
        if still:
            raise UserError(f"{too_late}. I can still remind you {' or '.join(still)}.")
        raise UserError(
            f"{too_late}, and it is {deadline_when(deadline, zone)}: "
            "too soon for any reminder. Nothing was set."
        )

    @staticmethod
    async def _already_upcoming(work: UnitOfWork, reminder: MemberReminder) -> bool:
        if reminder.status != MemberReminderStatus.ACTIVE:
            return False
        delivery = await work.reminders.delivery_of(reminder.broadcast_id)
        return delivery is not None and delivery.status in UPCOMING

    @staticmethod
    async def _schedule(
        work: UnitOfWork,
        member: Member,
        reminder: MemberReminder,
        plan: Planned,
        *,
        now: datetime,
    ) -> None:
        """Give the subscription a pending DM: its stopped one revived, else a new one."""
        delivery = await work.reminders.delivery_of(reminder.broadcast_id)
        if delivery is None or not await deliveries.move(work, delivery, plan, now=now):
            broadcast_id = await deliveries.create(work, member, plan, now=now)
            await work.reminders.attach_dm(reminder.id, broadcast_id)
        await work.reminders.set_status(reminder.id, MemberReminderStatus.ACTIVE, now=now)

    @staticmethod
    def _view(
        reminder: MemberReminder,
        deadline: Deadline | None,
        due_at: datetime,
        knowledge: Knowledge,
    ) -> ReminderView:
        zone = knowledge.organisation.zone
        return ReminderView(
            id=reminder.id,
            deadline_id=reminder.deadline_id,
            title=deadline.title if deadline is not None else reminder.deadline_id,
            offset_days=reminder.offset_days,
            due_at=due_at,
            deadline_when=deadline_when(deadline, zone) if deadline is not None else "",
        )
