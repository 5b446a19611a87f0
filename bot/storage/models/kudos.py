"""Kudos (public recognition, with recipients) and private thank-you notes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.storage.models.base import Base


class Kudos(Base):
    """One ``/kudos`` command: a giver, a reason, one or more recipients.

    An undone kudos is deleted (with its recipients), so every count and list
    sees only the recognition that stands.
    """

    __tablename__ = "kudos"
    __table_args__ = (
        # quota ("how many today") and undo ("my last one") look up by giver and time
        Index("ix_kudos_giver_created", "giver_id", "created_at"),
        # digest and export read a workspace's kudos by time
        Index("ix_kudos_workspace_created", "platform", "workspace_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    workspace_id: Mapped[str] = mapped_column(String(64))
    giver_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text)
    channel_id: Mapped[str | None] = mapped_column(String(64))
    delivery_id: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    # where the public post landed, so /kudos undo can delete it; NULL = not posted
    posted_channel_id: Mapped[str | None] = mapped_column(String(64))
    posted_message_id: Mapped[str | None] = mapped_column(String(64))

    recipients: Mapped[list[KudosRecipient]] = relationship(
        back_populates="kudos", cascade="all, delete-orphan", passive_deletes=True
    )


class KudosRecipient(Base):
    """One recipient of one kudos; denormalised so the leaderboard reads one index."""

    __tablename__ = "kudos_recipients"
    __table_args__ = (
        # Leaderboard: WHERE platform, workspace, created_at >= X GROUP BY recipient_id
        # is answered from an index alone (covering, no table reads). A short window
        # reads the time-ordered one; a long window or all time groups fastest
        # along the recipient-ordered one (no sort); the planner picks.
        Index(
            "ix_kudos_recipients_board",
            "platform",
            "workspace_id",
            "created_at",
            "recipient_id",
        ),
        Index(
            "ix_kudos_recipients_board_by_member",
            "platform",
            "workspace_id",
            "recipient_id",
            "created_at",
        ),
        # "kudos @someone received" and /kudos mine
        Index("ix_kudos_recipients_recipient", "recipient_id", "created_at"),
    )

    kudos_id: Mapped[int] = mapped_column(
        ForeignKey("kudos.id", ondelete="CASCADE"), primary_key=True
    )
    recipient_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    platform: Mapped[str] = mapped_column(String(32))
    workspace_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]

    kudos: Mapped[Kudos] = relationship(back_populates="recipients")


class ThankYouNote(Base):
    """A private note sent as a DM; kept whatever happened to the delivery.

    ``status`` (see :class:`bot.kudos.notes.NoteStatus`): ``pending`` (saved, the DM
    is being sent or its outcome is unknown), ``delivered``, ``retry_later`` (the
    platform failed for a moment: retried at ``next_attempt_at``), ``failed`` (DMs
    closed, member gone, or retries used up) or ``read`` (the recipient read it in
    ``/kudos mine`` before a DM got through).
    """

    __tablename__ = "thank_you_notes"
    __table_args__ = (
        Index("ix_thank_you_notes_giver_created", "giver_id", "created_at"),
        Index("ix_thank_you_notes_recipient_created", "recipient_id", "created_at"),
        # the retry worker: notes of one platform waiting for their next attempt
        Index("ix_thank_you_notes_retry", "status", "platform", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    workspace_id: Mapped[str] = mapped_column(String(64))
    giver_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    recipient_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    note: Mapped[str] = mapped_column(Text)
    delivery_id: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="pending")
    failure_reason: Mapped[str | None] = mapped_column(String(200))
    delivered_at: Mapped[datetime | None]
    #: DM attempts made so far (the first one included); retries stop at a cap
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    next_attempt_at: Mapped[datetime | None]
