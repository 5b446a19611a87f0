"""A member's own deadline reminders: "remind me of this deadline a day before".

Each row is one subscription (member, deadline, how long before); the DM itself is
an ordinary one-recipient broadcast (:attr:`broadcast_id`) that the delivery
dispatcher sends exactly once, like every other broadcast.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models.base import Base


class MemberReminderStatus(StrEnum):
    ACTIVE = "active"  # wanted; its delivery row says whether it is pending or sent
    CANCELLED = "cancelled"  # the member cancelled it
    REMOVED = "removed"  # its deadline left the knowledge file (revived if it returns)


class MemberReminder(Base):
    __tablename__ = "member_reminders"
    __table_args__ = (
        # One subscription per member, deadline and lead time: asking twice keeps one.
        UniqueConstraint("member_id", "deadline_id", "offset_days"),
        # The reload's reconciliation: the live subscriptions of one platform.
        Index("ix_member_reminders_platform_status", "platform", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    deadline_id: Mapped[str] = mapped_column(String(80))
    #: Days before the deadline's last day: 7 (a week), 1 (a day), 0 (that morning).
    offset_days: Mapped[int]
    status: Mapped[str] = mapped_column(String(16))
    #: The one-recipient broadcast that carries the DM.
    broadcast_id: Mapped[int | None] = mapped_column(
        ForeignKey("broadcasts.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
