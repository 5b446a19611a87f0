"""Reminders: members' own (`/reminders`) and the automatic deadline reminders.

Both are broadcasts with one delivery row. Moving and cancelling one are guarded
updates of that row, so a dispatcher that claimed the row meanwhile (it is being
sent) always wins: a reminder in flight or sent is history and is never changed or
sent again. Moving and cancelling are written once here, for both kinds; the
callers record each change in the broadcast audit log.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from bot.outbound import ChannelPurpose
from bot.storage.models import Broadcast, BroadcastDelivery, Member
from bot.storage.models.broadcasts import (
    CHANNEL_RECIPIENT,
    Audience,
    BodyFormat,
    BroadcastKind,
    BroadcastStatus,
    DeliveryStatus,
    member_recipient,
)
from bot.storage.models.member_reminders import MemberReminder, MemberReminderStatus
from bot.storage.repositories.base import Repository
from bot.storage.repositories.broadcasts import BroadcastRepository, KeyedBroadcast, NoticeDelivery
from bot.storage.results import changed_rows
from bot.storage.statements import dialect_insert

#: Delivery states a reminder may still be moved from (or revived from); sent, sending
#: and failed rows are history.
MOVABLE = (DeliveryStatus.PENDING, DeliveryStatus.CANCELLED, DeliveryStatus.MISSED)
#: Delivery states in which a member's reminder is still to come (listed, cancellable).
UPCOMING = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)


class ReminderRepository(Repository):
    """Members' own reminders, the automatic deadline reminders, and their deliveries."""

    # -- members' own reminders ----------------------------------------------------

    async def subscribe(
        self, member: Member, *, deadline_id: str, offset_days: int, now: datetime
    ) -> tuple[MemberReminder, bool]:
        """The member's subscription for this deadline and lead time; True if made just now."""
        made = await self._session.execute(
            dialect_insert(self.dialect)(MemberReminder)
            .values(
                platform=member.platform,
                member_id=member.id,
                deadline_id=deadline_id,
                offset_days=offset_days,
                status=MemberReminderStatus.ACTIVE.value,
                created_at=now,
                updated_at=now,
            )
            # Asked twice at once (a double click): the other request made it.
            .on_conflict_do_nothing(index_elements=["member_id", "deadline_id", "offset_days"])
            .returning(MemberReminder.id)
        )
        made_id = made.scalar()
        reminder = await self._session.scalar(
            select(MemberReminder)
            .where(
                MemberReminder.member_id == member.id,
                MemberReminder.deadline_id == deadline_id,
                MemberReminder.offset_days == offset_days,
            )
            .execution_options(populate_existing=True)
        )
        assert reminder is not None
        return reminder, made_id is not None

    async def upcoming_of(self, member_id: int) -> list[tuple[MemberReminder, datetime]]:
        """The member's active reminders still to come and when each is due, soonest first."""
        rows = await self._session.execute(
            select(MemberReminder, BroadcastDelivery.due_at)
            .join(
                BroadcastDelivery,
                BroadcastDelivery.broadcast_id == MemberReminder.broadcast_id,
            )
            .where(
                MemberReminder.member_id == member_id,
                MemberReminder.status == MemberReminderStatus.ACTIVE,
                BroadcastDelivery.status.in_(UPCOMING),
            )
            .order_by(BroadcastDelivery.due_at, MemberReminder.id)
        )
        return [(reminder, due_at) for reminder, due_at in rows]

    async def not_cancelled_of(self, member_id: int, reminder_id: int) -> MemberReminder | None:
        """Reminder ``reminder_id`` if it is this member's and not cancelled."""
        return await self._session.scalar(
            select(MemberReminder).where(
                MemberReminder.id == reminder_id,
                MemberReminder.member_id == member_id,
                MemberReminder.status != MemberReminderStatus.CANCELLED,
            )
        )

    async def active_of(self, member_id: int, reminder_id: int) -> MemberReminder | None:
        """Reminder ``reminder_id`` if it is this member's and active."""
        return await self._session.scalar(
            select(MemberReminder).where(
                MemberReminder.id == reminder_id,
                MemberReminder.member_id == member_id,
                MemberReminder.status == MemberReminderStatus.ACTIVE,
            )
        )

    async def to_reconcile(self, platform: str) -> list[tuple[MemberReminder, BroadcastDelivery]]:
        """Every active or removed member reminder of ``platform``, with its delivery row."""
        rows = await self._session.execute(
            select(MemberReminder, BroadcastDelivery)
            .join(
                BroadcastDelivery,
                BroadcastDelivery.broadcast_id == MemberReminder.broadcast_id,
            )
            .where(
                MemberReminder.platform == platform,
                MemberReminder.status.in_(
                    (MemberReminderStatus.ACTIVE, MemberReminderStatus.REMOVED)
                ),
            )
        )
        return [(reminder, delivery) for reminder, delivery in rows]

    async def set_status(
        self, reminder_id: int, status: MemberReminderStatus, *, now: datetime
    ) -> None:
        await self._session.execute(
            update(MemberReminder)
            .where(MemberReminder.id == reminder_id)
            .values(status=status.value, updated_at=now)
        )

    async def attach_dm(self, reminder_id: int, broadcast_id: int) -> None:
        """Make ``broadcast_id`` the DM behind the member's reminder."""
        await self._session.execute(
            update(MemberReminder)
            .where(MemberReminder.id == reminder_id)
            .values(broadcast_id=broadcast_id)
        )

    async def create_dm(
        self, member: Member, *, due_at: datetime, body: str, now: datetime
    ) -> Broadcast:
        """A new pending one-recipient DM to ``member`` (a member's reminder)."""
        broadcast = Broadcast(
            kind=BroadcastKind.MEMBER_REMINDER.value,
            status=BroadcastStatus.SCHEDULED.value,
            platform=member.platform,
            workspace_id=member.workspace_id,
            audience=Audience.DM.value,
            body=body,
            body_format=BodyFormat.MARKUP.value,
            due_at=due_at,
            send_now=False,
            created_by_member_id=member.id,
            created_at=now,
            confirmed_at=now,
        )
        self._session.add(broadcast)
        await self._session.flush()
        self._session.add(
            BroadcastDelivery(
                broadcast_id=broadcast.id,
                platform=member.platform,
                recipient=member_recipient(member.id),
                member_id=member.id,
                status=DeliveryStatus.PENDING.value,
                due_at=due_at,
                next_attempt_at=due_at,
                attempts=0,
            )
        )
        return broadcast

    # -- automatic deadline reminders ----------------------------------------------

    async def automatic_by_key(
        self, platform: str
    ) -> dict[str, tuple[Broadcast, BroadcastDelivery | None]]:
        """``platform``'s automatic reminders (with their delivery row) by reminder key."""
        rows = await self._session.execute(
            select(Broadcast, BroadcastDelivery)
            .outerjoin(BroadcastDelivery, BroadcastDelivery.broadcast_id == Broadcast.id)
            .where(
                Broadcast.kind == BroadcastKind.REMINDER,
                Broadcast.platform == platform,
            )
        )
        return {b.reminder_key: (b, d) for b, d in rows if b.reminder_key}

    async def create_automatic(
        self, *, platform: str, key: str, due_at: datetime, body: str, now: datetime
    ) -> Broadcast | None:
        """A new pending announcements-channel reminder keyed ``key``; None if it exists."""
        reminder = KeyedBroadcast(
            kind=BroadcastKind.REMINDER,
            platform=platform,
            workspace_id="",
            key=key,
            body=body,
            body_format=BodyFormat.MARKUP,
            due_at=due_at,
            send_now=False,
            to=NoticeDelivery(
                audience=Audience.CHANNEL,
                recipient=CHANNEL_RECIPIENT,
                member_id=None,
                channel_purpose=ChannelPurpose.ANNOUNCEMENTS.value,
            ),
        )
        return await BroadcastRepository(self._session).add_once(reminder, now=now)

    # -- either kind -----------------------------------------------------------------

    async def delivery_of(self, broadcast_id: int | None) -> BroadcastDelivery | None:
        """The single delivery row of a reminder's broadcast, if it still exists."""
        if broadcast_id is None:
            return None
        return await self._session.scalar(
            select(BroadcastDelivery).where(BroadcastDelivery.broadcast_id == broadcast_id)
        )

    async def reschedule(
        self, delivery: BroadcastDelivery, *, due_at: datetime, body: str
    ) -> Broadcast | None:
        """Make a reminder's DM or post pending at ``due_at`` with ``body``; its broadcast.

        None if it is sent or being sent (a dispatcher claimed it meanwhile). Never
        clears ``maybe_sent``: a row that may already have reached its recipient keeps
        its "check the platform's history before sending" flag, so it still goes out at
        most once (the sender finds the earlier message by its delivery key).
        """
        moved = await self._session.execute(
            update(BroadcastDelivery)
            .where(BroadcastDelivery.id == delivery.id, BroadcastDelivery.status.in_(MOVABLE))
            .values(
                status=DeliveryStatus.PENDING.value,
                due_at=due_at,
                next_attempt_at=due_at,
                attempts=0,
                failure_reason=None,
            )
        )
        if changed_rows(moved) != 1:
            return None
        await self._session.execute(
            update(Broadcast)
            .where(Broadcast.id == delivery.broadcast_id)
            .values(
                due_at=due_at,
                body=body,
                status=BroadcastStatus.SCHEDULED.value,
                cancelled_at=None,
                # Only a new date revives a reminder staff cancelled (the caller checks);
                # a member's own reminder is never cancelled by staff.
                cancelled_by_staff=False,
            )
        )
        return await self._broadcast(delivery.broadcast_id)

    async def cancel_pending(
        self,
        broadcast_id: int,
        *,
        reason: str,
        now: datetime,
        moved_to: tuple[datetime, str] | None = None,
    ) -> Broadcast | None:
        """Stop a reminder's pending delivery; its broadcast, or None when it is not pending.

        Args:
            reason: Why, kept on the delivery row.
            moved_to: The deadline's new ``(due_at, body)``, recorded on the broadcast,
                when the deadline moved so close that the reminder's time has passed.
        """
        cancelled = await self._session.execute(
            update(BroadcastDelivery)
            .where(
                BroadcastDelivery.broadcast_id == broadcast_id,
                BroadcastDelivery.status == DeliveryStatus.PENDING,
            )
            .values(status=DeliveryStatus.CANCELLED.value, failure_reason=reason[:500])
        )
        if not changed_rows(cancelled):
            return None
        moved = {} if moved_to is None else {"due_at": moved_to[0], "body": moved_to[1]}
        await self._session.execute(
            update(Broadcast)
            .where(Broadcast.id == broadcast_id)
            .values(status=BroadcastStatus.CANCELLED.value, cancelled_at=now, **moved)
        )
        return await self._broadcast(broadcast_id)

    async def _broadcast(self, broadcast_id: int) -> Broadcast:
        broadcast = await self._session.get(Broadcast, broadcast_id)
        assert broadcast is not None  # its delivery row's foreign key holds it
        return broadcast
