"""The mentoring program: cohorts, applications, private answers, matches, check-ins."""

from __future__ import annotations

from bot.storage.repositories.base import Repository


class MentoringRepository(Repository):
    """The mentoring program: cohorts, applications, private answers, matches, check-ins."""
