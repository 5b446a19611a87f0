"""Questions the bot could not answer (or answered unhelpfully), kept so staff can act on them.

Each stored question has a state staff move it through::

    open --claim--> claimed --answer--> answered
      \\______________________\\--dismiss--> dismissed ("not for us": off the list)

Claiming is one conditional UPDATE (``WHERE status = 'open'``), so of two staff
members claiming at once exactly one wins, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Float, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models.base import Base


class QuestionStatus(StrEnum):
    OPEN = "open"
    CLAIMED = "claimed"
    ANSWERED = "answered"
    DISMISSED = "dismissed"  # "not for us"


class QuestionReason(StrEnum):
    """Why the question is on the staff list."""

    ABSTAINED = "abstained"  # the bot did not know
    UNHELPFUL = "unhelpful"  # a member marked the answer not helpful


class UnansweredQuestion(Base):
    __tablename__ = "unanswered_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    question: Mapped[str] = mapped_column(Text)
    # folded words only (no case, accents or punctuation): groups repeats for "most frequent first"
    normalized: Mapped[str] = mapped_column(String(500), index=True)
    platform: Mapped[str] = mapped_column(String(32))
    score: Mapped[float] = mapped_column(Float)  # FLOAT, as migration 0001 made it
    asked_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default=QuestionStatus.OPEN, index=True)
    reason: Mapped[str] = mapped_column(String(16), default=QuestionReason.ABSTAINED)
    entry_id: Mapped[str | None] = mapped_column(String(80))  # the entry that answered (a 👎)
    bot_answer: Mapped[str | None] = mapped_column(Text)  # what the bot said
    comment: Mapped[str | None] = mapped_column(Text)  # what the member said was wrong
    claimed_by: Mapped[str | None] = mapped_column(String(300))
    claimed_at: Mapped[datetime | None]
    closed_by: Mapped[str | None] = mapped_column(String(300))  # answered or dismissed by
    closed_at: Mapped[datetime | None]
    staff_answer: Mapped[str | None] = mapped_column(Text)
    taught_entry: Mapped[str | None] = mapped_column(String(80))  # entry the answer was taught to


class AnswerFeedback(Base):
    """One 👍 or 👎 on an answer: counted per entry for its helpful rate."""

    __tablename__ = "answer_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[str] = mapped_column(String(80), index=True)
    helpful: Mapped[bool]
    question: Mapped[str] = mapped_column(Text)
    answer_text: Mapped[str] = mapped_column(Text)
    comment: Mapped[str | None] = mapped_column(Text)
    given_at: Mapped[datetime]
