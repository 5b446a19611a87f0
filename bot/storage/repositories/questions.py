"""Questions members asked: unanswered ones for staff, feedback, what was asked."""

from __future__ import annotations

from bot.storage.repositories.base import Repository


class QuestionRepository(Repository):
    """Questions members asked: unanswered ones for staff, feedback, what was asked."""
