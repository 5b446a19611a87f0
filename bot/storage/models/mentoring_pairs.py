"""Mentoring pairs over their year: introductions, monthly check-ins, feedback, pauses.

One row of :class:`MentoringPairMessage` per message the program sends one person
of a confirmed match (an introduction, a month's check-in, the end-of-year
feedback form): inserted before the message goes out, so each is sent once
whichever process sends it, and it holds the person's answer. A person's pause or
leaving is :class:`MentoringParticipation`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models.base import Base


class MentoringPairMessage(Base):
    """One message to one person of a match, and their answer to it."""

    __tablename__ = "mentoring_pair_messages"
    __table_args__ = (UniqueConstraint("match_id", "application_id", "kind", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(
        ForeignKey("mentoring_matches.id", ondelete="CASCADE", name="fk_mentoring_pair_msg_match")
    )
    #: the person it goes to (the mentor's or the mentee's application)
    application_id: Mapped[int] = mapped_column(
        ForeignKey(
            "mentoring_applications.id",
            ondelete="CASCADE",
            name="fk_mentoring_pair_msg_application",
        ),
        index=True,
    )
    kind: Mapped[str] = mapped_column(String(16))  # intro | checkin | feedback
    #: the month asked about (YYYY-MM) for a check-in; "" for the others
    period: Mapped[str] = mapped_column(String(7))
    claimed_at: Mapped[datetime]
    #: set once the platform took it (NULL: a send may have been cut short)
    sent_at: Mapped[datetime | None]
    #: met | not_yet | need_help for a check-in, the rating for feedback
    answer: Mapped[str | None] = mapped_column(String(16))
    comment: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None]


class MentoringParticipation(Base):
    """A person who paused (no check-ins until they resume) or left the program."""

    __tablename__ = "mentoring_participation"

    application_id: Mapped[int] = mapped_column(
        ForeignKey(
            "mentoring_applications.id",
            ondelete="CASCADE",
            name="fk_mentoring_participation_application",
        ),
        primary_key=True,
    )
    state: Mapped[str] = mapped_column(String(8))  # paused | left
    changed_at: Mapped[datetime]
