"""Broadcasts, their per-recipient deliveries, and the audit log.

Every (broadcast, recipient) pair is one :class:`BroadcastDelivery` row; the
dispatcher claims due rows and marks each one sent, failed or missed, which is
what makes delivery exactly-once and resumable after a restart.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models.base import Base


class BroadcastKind(StrEnum):
    STAFF = "staff"  # written by a staff member with /broadcast
    REMINDER = "reminder"  # generated from a knowledge-file deadline
    NOTICE = "notice"  # tells staff that a broadcast or reminder was missed
    MEMBER_REMINDER = "member_reminder"  # one member asked for it (bot.reminders)


class BroadcastStatus(StrEnum):
    """The stored status; what staff see ("sent", "sent, 2 failed") is derived from
    the delivery rows (see :mod:`bot.broadcasts.listing`)."""

    DRAFT = "draft"  # previewed, waiting for /broadcast confirm
    SCHEDULED = "scheduled"  # confirmed; deliveries exist
    CANCELLED = "cancelled"


class Audience(StrEnum):
    CHANNEL = "channel"
    DM = "dm"


class BodyFormat(StrEnum):
    TEXT = "text"  # member-written text: shown literally, never formats or pings
    MARKUP = "markup"  # knowledge-file markup (staff-authored reminders)


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # being sent by a dispatcher (claimed_by, claimed_at renewed)
    SENT = "sent"
    FAILED = "failed"  # permanent failure, reason recorded
    MISSED = "missed"  # fell due while the bot was down, beyond the grace period
    CANCELLED = "cancelled"


#: The recipient key of the single row of a channel broadcast.
CHANNEL_RECIPIENT = "channel"


def member_recipient(member_id: int) -> str:
    """The recipient key of a DM delivery to one member."""
    return f"member:{member_id}"


class Broadcast(Base):
    __tablename__ = "broadcasts"
    __table_args__ = (UniqueConstraint("platform", "reminder_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    platform: Mapped[str] = mapped_column(String(32))
    workspace_id: Mapped[str] = mapped_column(String(64))
    audience: Mapped[str] = mapped_column(String(16))
    channel_id: Mapped[str | None] = mapped_column(String(64))
    channel_purpose: Mapped[str | None] = mapped_column(String(32))
    body: Mapped[str] = mapped_column(Text)
    body_format: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime]
    send_now: Mapped[bool] = mapped_column(default=False)  # "now" = at confirm time
    created_by_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime]
    confirmed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    #: Cancelled with /broadcast cancel (not by a knowledge-file change): a reminder
    #: cancelled by staff stays cancelled until its deadline's date changes.
    cancelled_by_staff: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Key of an automatic broadcast, unique per platform: "<deadline-id>:<offset-days>"
    # for reminders, "missed:<broadcast id>" for the notice about a missed broadcast.
    reminder_key: Mapped[str | None] = mapped_column(String(120))


class BroadcastDelivery(Base):
    __tablename__ = "broadcast_deliveries"
    __table_args__ = (
        UniqueConstraint("broadcast_id", "recipient"),
        # The dispatcher's claim: pending rows of one platform, oldest due first.
        Index("ix_broadcast_deliveries_claim", "status", "platform", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    broadcast_id: Mapped[int] = mapped_column(
        ForeignKey("broadcasts.id", ondelete="CASCADE"), index=True
    )
    platform: Mapped[str] = mapped_column(String(32))
    recipient: Mapped[str] = mapped_column(String(64))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime]
    next_attempt_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    message_id: Mapped[str | None] = mapped_column(String(120))
    failure_reason: Mapped[str | None] = mapped_column(String(500))
    #: An earlier attempt may have reached the platform (its worker stopped mid-send,
    #: or the platform's answer was lost): the next attempt checks before sending.
    maybe_sent: Mapped[bool] = mapped_column(default=False, server_default=false())


class AuditLog(Base):
    """Who did what to which broadcast, when, for whom (kept forever)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL")
    )
    actor: Mapped[str] = mapped_column(String(300))  # readable, survives member deletion
    action: Mapped[str] = mapped_column(String(32))
    broadcast_id: Mapped[int | None] = mapped_column(
        ForeignKey("broadcasts.id", ondelete="SET NULL"), index=True
    )
    audience: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
