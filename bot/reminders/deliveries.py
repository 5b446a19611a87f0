"""The delivery behind a reminder: created, moved and cancelled, each change audited.

A member's reminder is a one-recipient DM broadcast the dispatcher sends once; an
automatic deadline reminder (:mod:`bot.broadcasts.reminders`) is a channel post.
Moving and cancelling either are guarded updates of its single delivery row
(:class:`~bot.storage.repositories.reminders.ReminderRepository`), so a dispatcher
that claimed the row meanwhile (it is being sent) always wins: a reminder in flight
or sent is history and is never changed or sent again. Both kinds move and cancel
through the functions here, so they follow one rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.broadcasts import audit
from bot.broadcasts.audit import AuditAction
from bot.storage.models import BroadcastDelivery, Member
from bot.storage.repositories.reminders import MOVABLE
from bot.storage.unit_of_work import UnitOfWork

__all__ = ["MOVABLE", "Planned", "cancel", "create", "move"]


@dataclass(frozen=True, slots=True)
class Planned:
    """When a reminder's DM is due (UTC) and what it says (knowledge markup)."""

    due_at: datetime
    body: str


async def create(work: UnitOfWork, member: Member, plan: Planned, *, now: datetime) -> int:
    """A new pending DM to ``member``; returns its broadcast's id."""
    broadcast = await work.reminders.create_dm(member, due_at=plan.due_at, body=plan.body, now=now)
    audit.record(
        work,
        action=AuditAction.CREATE,
        broadcast=broadcast,
        at=now,
        actor=member,
        audience=f"DM to its member ({member.platform}/{member.workspace_id})",
    )
    return broadcast.id


async def move(
    work: UnitOfWork, delivery: BroadcastDelivery, plan: Planned, *, now: datetime
) -> bool:
    """Make the reminder pending at ``plan``'s time and text; False if it is sent or being sent.

    Its ``maybe_sent`` flag stays as it is: a reminder that may already have gone out
    is checked against the platform's history before it is sent again.
    """
    broadcast = await work.reminders.reschedule(delivery, due_at=plan.due_at, body=plan.body)
    if broadcast is None:
        return False
    audit.record(work, action=AuditAction.RESCHEDULE, broadcast=broadcast, at=now, text=plan.body)
    return True


async def cancel(
    work: UnitOfWork,
    broadcast_id: int,
    *,
    reason: str,
    now: datetime,
    audit_text: str | None = None,
    moved_to: Planned | None = None,
) -> bool:
    """Stop a pending reminder; False when it is not pending (sent, being sent, or stopped).

    Args:
        reason: Why, kept on its delivery row (and, without ``audit_text``, audited).
        audit_text: What the audit log says instead of ``reason``.
        moved_to: The deadline's new time and text, kept on the reminder, when it moved
            so close that the reminder's time has passed.
    """
    broadcast = await work.reminders.cancel_pending(
        broadcast_id,
        reason=reason,
        now=now,
        moved_to=None if moved_to is None else (moved_to.due_at, moved_to.body),
    )
    if broadcast is None:
        return False
    audit.record(
        work,
        action=AuditAction.CANCEL,
        broadcast=broadcast,
        at=now,
        text=reason if audit_text is None else audit_text,
    )
    return True
