"""Mentoring program: cohorts, applications, private answers, pair rules and matches.

Demographic answers and private preferences live in their own table
(:class:`MentoringPrivateAnswers`): nothing reads it unless it asks for it by name,
and a member can delete that row without touching the rest of the application.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.storage.models.base import Base


class MentoringCohort(Base):
    """One round of the program: applications open, close, then get matched."""

    __tablename__ = "mentoring_cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    #: open (taking applications), closed (taking none; being matched), matched (confirmed)
    state: Mapped[str] = mapped_column(String(16))
    opens_on: Mapped[date | None] = mapped_column(Date)
    closes_on: Mapped[date | None] = mapped_column(Date)
    #: criterion name -> weight (interests, region, preferences)
    criteria: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: pairs who were matched in an earlier cohort may be matched again
    allow_repeat_pairs: Mapped[bool] = mapped_column(default=False)
    #: fingerprint of the solver input behind the stored proposal, so a confirm can
    #: tell that applications or pair rules changed since staff reviewed it
    proposal_fingerprint: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class MentoringApplication(Base):
    """One person's application to one cohort (as mentor, mentee or both)."""

    __tablename__ = "mentoring_applications"
    __table_args__ = (UniqueConstraint("cohort_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("mentoring_cohorts.id", ondelete="CASCADE"))
    #: lower-cased; the applicant's key within a cohort and across cohorts (past pairs)
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(200))
    #: the chat member who applied (NULL for applications imported from a CSV)
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    role: Mapped[str] = mapped_column(String(8))  # mentor | mentee | both
    is_member: Mapped[bool]
    adult: Mapped[str] = mapped_column(String(8))  # yes | no | guardian
    region: Mapped[str] = mapped_column(String(100))
    interests: Mapped[list[str]] = mapped_column(JSON)
    goals: Mapped[str] = mapped_column(Text, default="")
    #: mentees a mentor takes (1-3); NULL for mentees
    capacity: Mapped[int | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    private: Mapped[MentoringPrivateAnswers | None] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, lazy="raise"
    )


class MentoringPrivateAnswers(Base):
    """Answers shown only to staff: demographics and the preferences that use them.

    Never put into member-visible text, a log line, or an export unless staff name
    the field. The member may delete this row at any time.
    """

    __tablename__ = "mentoring_private_answers"

    application_id: Mapped[int] = mapped_column(
        # named: the conventional name is longer than PostgreSQL's 63 characters
        ForeignKey(
            "mentoring_applications.id",
            ondelete="CASCADE",
            name="fk_mentoring_private_answers_application",
        ),
        primary_key=True,
    )
    gender: Mapped[str | None] = mapped_column(String(100))
    race_ethnicity: Mapped[str | None] = mapped_column(String(200))
    prefer_same_region: Mapped[bool] = mapped_column(default=False)
    prefer_same_gender: Mapped[bool] = mapped_column(default=False)
    prefer_same_race_ethnicity: Mapped[bool] = mapped_column(default=False)
    bipoc_funding_interest: Mapped[bool] = mapped_column(default=False)

    def __repr__(self) -> str:  # never the answers themselves
        return f"MentoringPrivateAnswers(application_id={self.application_id})"


class MentoringPairRule(Base):
    """A staff rule about a pair in one cohort: ``pin`` (match them) or ``forbid``."""

    __tablename__ = "mentoring_pair_rules"
    __table_args__ = (UniqueConstraint("cohort_id", "kind", "mentor_email", "mentee_email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("mentoring_cohorts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))  # pin | forbid
    mentor_email: Mapped[str] = mapped_column(String(254))
    mentee_email: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime]


class MentoringPastPair(Base):
    """A mentor and mentee who were matched before (a confirmed match, or history)."""

    __tablename__ = "mentoring_past_pairs"
    __table_args__ = (UniqueConstraint("mentor_email", "mentee_email", "cohort_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_email: Mapped[str] = mapped_column(String(254))
    mentee_email: Mapped[str] = mapped_column(String(254))
    cohort_name: Mapped[str] = mapped_column(String(120))
    recorded_at: Mapped[datetime]


class MentoringMatch(Base):
    """A proposed (preview) or confirmed mentor-mentee pair of one cohort."""

    __tablename__ = "mentoring_matches"
    __table_args__ = (
        UniqueConstraint("cohort_id", "status", "mentee_application_id"),
        Index("ix_mentoring_matches_mentor", "mentor_application_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("mentoring_cohorts.id", ondelete="CASCADE"))
    mentor_application_id: Mapped[int] = mapped_column(
        ForeignKey(
            "mentoring_applications.id", ondelete="CASCADE", name="fk_mentoring_matches_mentor"
        )
    )
    mentee_application_id: Mapped[int] = mapped_column(
        ForeignKey(
            "mentoring_applications.id", ondelete="CASCADE", name="fk_mentoring_matches_mentee"
        )
    )
    status: Mapped[str] = mapped_column(String(16))  # proposed | confirmed
    score: Mapped[float] = mapped_column(Float)
    #: member-safe reasons (never a demographic answer)
    reasons: Mapped[list[str]] = mapped_column(JSON)
    pinned: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]
    confirmed_at: Mapped[datetime | None]
