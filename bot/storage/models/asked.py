"""Questions members asked in chat and what the bot said: for 👍/👎 and staff answers.

A row is written when the bot answers from an entry (so the member can rate it)
and when a question goes to staff (so the staff answer reaches whoever asked).
The buttons carry only the row's id; the question, the answer and who may press
them are read from here.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models.base import Base


class Rating(StrEnum):
    HELPFUL = "up"
    UNHELPFUL = "down"


class AskedQuestion(Base):
    __tablename__ = "asked_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    workspace_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(String(64))
    user_name: Mapped[str] = mapped_column(String(200))
    channel_id: Mapped[str | None] = mapped_column(String(64))
    is_direct: Mapped[bool] = mapped_column(default=False)
    question: Mapped[str] = mapped_column(Text)
    answer_text: Mapped[str] = mapped_column(Text)
    entry_id: Mapped[str | None] = mapped_column(String(80))  # the entry that answered
    asked_at: Mapped[datetime]
    #: the staff list's row for it (an abstention, a 👎, /ask-staff)
    review_question_id: Mapped[int | None] = mapped_column(
        ForeignKey("unanswered_questions.id", ondelete="SET NULL"), index=True
    )
    #: the member's 👍/👎, set once (one conditional update: a double click counts once)
    rating: Mapped[str | None] = mapped_column(String(8))
    rated_at: Mapped[datetime | None]
