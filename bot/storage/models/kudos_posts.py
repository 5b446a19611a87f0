"""Kudos whose public post failed for a moment, waiting for another try."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models.base import Base


class KudosPostRetry(Base):
    """The post of one kudos that did not go out at once (see :mod:`bot.kudos.post_retries`).

    ``status``: ``retry_later`` (waiting for ``next_attempt_at``), ``posting`` (a
    worker is posting it; if still so at ``next_attempt_at`` that worker stopped
    and the post is tried again, checked first), ``posted`` or ``failed``. Deleted
    with its kudos (``/kudos undo``).
    """

    __tablename__ = "kudos_post_retries"
    __table_args__ = (Index("ix_kudos_post_retries_due", "status", "platform", "next_attempt_at"),)

    kudos_id: Mapped[int] = mapped_column(
        ForeignKey("kudos.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    platform: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(default=1)
    next_attempt_at: Mapped[datetime | None]
    failure_reason: Mapped[str | None] = mapped_column(String(200))
    posted_at: Mapped[datetime | None]
