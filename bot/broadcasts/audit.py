"""The audit log: every broadcast action, who did it, what, when and for whom."""

from __future__ import annotations

import logging
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from bot.storage.models import AuditLog, Broadcast, Member
from bot.storage.models.broadcasts import Audience

if TYPE_CHECKING:
    from bot.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

#: The actor recorded for automatic actions (reminder scheduling, missed deliveries).
SYSTEM_ACTOR = "memberbot (automatic)"


class AuditAction(StrEnum):
    CREATE = "create"
    CONFIRM = "confirm"
    CANCEL = "cancel"
    MISSED = "missed"
    RESCHEDULE = "reschedule"


def describe_audience(broadcast: Broadcast, *, recipients: int | None = None) -> str:
    """``DM to 40 members`` or ``channel C123`` / ``channel announcements``."""
    if broadcast.audience == Audience.DM:
        count = "" if recipients is None else f" {recipients}"
        return f"DM to{count} members ({broadcast.platform}/{broadcast.workspace_id})"
    channel = broadcast.channel_id or broadcast.channel_purpose or "?"
    return f"channel {channel} ({broadcast.platform})"


def describe_actor(member: Member | None) -> str:
    if member is None:
        return SYSTEM_ACTOR
    return f"{member.display_name} ({member.platform}:{member.workspace_id}:{member.user_id})"


def record(
    work: UnitOfWork,
    *,
    action: AuditAction,
    broadcast: Broadcast,
    at: datetime,
    actor: Member | None = None,
    audience: str | None = None,
    text: str | None = None,
) -> AuditLog:
    """Add one audit row to ``work`` (committed with the action it records)."""
    entry = work.audit.add(
        at=at,
        actor_member_id=actor.id if actor else None,
        actor=describe_actor(actor),
        action=action.value,
        broadcast_id=broadcast.id,
        audience=audience or describe_audience(broadcast),
        text=broadcast.body if text is None else text,
    )
    log.info(
        "broadcast audit",
        extra={
            "action": entry.action,
            "broadcast_id": broadcast.id,
            "actor": entry.actor,
            "audience": entry.audience,
        },
    )
    return entry
