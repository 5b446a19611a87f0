"""Questions the bot could not answer, kept so staff can improve the knowledge."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models.base import Base


class UnansweredQuestion(Base):
    __tablename__ = "unanswered_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    question: Mapped[str] = mapped_column(Text)
    # folded words only (no case, accents or punctuation): groups repeats for "most frequent first"
    normalized: Mapped[str] = mapped_column(String(500), index=True)
    platform: Mapped[str] = mapped_column(String(32))
    score: Mapped[float]
    asked_at: Mapped[datetime]
