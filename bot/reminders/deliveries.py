"""The DM behind a member's reminder: a one-recipient broadcast the dispatcher sends once.

Creating, moving and cancelling it are guarded updates of its single delivery row,
so a dispatcher that claimed the row meanwhile (it is being sent) always wins: a
reminder in flight or sent is history and is never changed or sent again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.broadcasts import audit
from bot.broadcasts.audit import AuditAction
from bot.storage.models import Broadcast, BroadcastDelivery, Member
from bot.storage.models.broadcasts import (
    Audience,
    BodyFormat,
    BroadcastKind,
    BroadcastStatus,
    DeliveryStatus,
    member_recipient,
)
from bot.storage.results import changed_rows

#: Delivery states a reminder may still be moved from (or revived from).
MOVABLE = (DeliveryStatus.PENDING, DeliveryStatus.CANCELLED, DeliveryStatus.MISSED)


@dataclass(frozen=True, slots=True)
class Planned:
    """When a reminder's DM is due (UTC) and what it says (knowledge markup)."""

    due_at: datetime
    body: str


async def create(session: AsyncSession, member: Member, plan: Planned, *, now: datetime) -> int:
    """A new pending DM to ``member``; returns its broadcast's id."""
    broadcast = Broadcast(
        kind=BroadcastKind.MEMBER_REMINDER.value,
        status=BroadcastStatus.SCHEDULED.value,
        platform=member.platform,
        workspace_id=member.workspace_id,
        audience=Audience.DM.value,
        body=plan.body,
        body_format=BodyFormat.MARKUP.value,
        due_at=plan.due_at,
        send_now=False,
        created_by_member_id=member.id,
        created_at=now,
        confirmed_at=now,
    )
    session.add(broadcast)
    await session.flush()
    session.add(
        BroadcastDelivery(
            broadcast_id=broadcast.id,
            platform=member.platform,
            recipient=member_recipient(member.id),
            member_id=member.id,
            status=DeliveryStatus.PENDING.value,
            due_at=plan.due_at,
            next_attempt_at=plan.due_at,
            attempts=0,
        )
    )
    audit.record(
        session,
        action=AuditAction.CREATE,
        broadcast=broadcast,
        at=now,
        actor=member,
        audience=f"DM to its member ({member.platform}/{member.workspace_id})",
    )
    return broadcast.id


async def delivery_of(session: AsyncSession, broadcast_id: int | None) -> BroadcastDelivery | None:
    """The single delivery row of a reminder's broadcast, if it still exists."""
    if broadcast_id is None:
        return None
    return await session.scalar(
        select(BroadcastDelivery).where(BroadcastDelivery.broadcast_id == broadcast_id)
    )


async def move(
    session: AsyncSession, delivery: BroadcastDelivery, plan: Planned, *, now: datetime
) -> bool:
    """Make the DM pending at ``plan``'s time and text; False if it is sent or being sent."""
    moved = await session.execute(
        update(BroadcastDelivery)
        .where(BroadcastDelivery.id == delivery.id, BroadcastDelivery.status.in_(MOVABLE))
        .values(
            status=DeliveryStatus.PENDING.value,
            due_at=plan.due_at,
            next_attempt_at=plan.due_at,
            attempts=0,
            failure_reason=None,
            maybe_sent=False,
        )
    )
    if changed_rows(moved) != 1:
        return False
    await session.execute(
        update(Broadcast)
        .where(Broadcast.id == delivery.broadcast_id)
        .values(
            due_at=plan.due_at,
            body=plan.body,
            status=BroadcastStatus.SCHEDULED.value,
            cancelled_at=None,
        )
    )
    broadcast = await session.get(Broadcast, delivery.broadcast_id)
    if broadcast is not None:
        audit.record(
            session, action=AuditAction.RESCHEDULE, broadcast=broadcast, at=now, text=plan.body
        )
    return True


async def cancel(
    session: AsyncSession, delivery: BroadcastDelivery, *, reason: str, now: datetime
) -> bool:
    """Stop a pending DM; False when it is not pending (sent, being sent, or stopped)."""
    cancelled = await session.execute(
        update(BroadcastDelivery)
        .where(
            BroadcastDelivery.id == delivery.id,
            BroadcastDelivery.status == DeliveryStatus.PENDING,
        )
        .values(status=DeliveryStatus.CANCELLED.value, failure_reason=reason[:500])
    )
    if changed_rows(cancelled) != 1:
        return False
    await session.execute(
        update(Broadcast)
        .where(Broadcast.id == delivery.broadcast_id)
        .values(status=BroadcastStatus.CANCELLED.value, cancelled_at=now)
    )
    broadcast = await session.get(Broadcast, delivery.broadcast_id)
    if broadcast is not None:
        audit.record(session, action=AuditAction.CANCEL, broadcast=broadcast, at=now, text=reason)
    return True
