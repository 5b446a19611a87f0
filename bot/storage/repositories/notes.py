"""Thank-you notes and their delivery state."""

from __future__ import annotations

from bot.storage.repositories.base import Repository


class NoteRepository(Repository):
    """Thank-you notes and their delivery state."""
