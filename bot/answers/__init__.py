"""Question answering over the knowledge file (pure: no storage, no network)."""

from __future__ import annotations

from bot.answers.dates import format_deadlines, upcoming_deadlines
from bot.answers.engine import Answer, AnswerEngine

__all__ = ["Answer", "AnswerEngine", "format_deadlines", "upcoming_deadlines"]
