"""Kudos, their recipients and where they were posted."""

from __future__ import annotations

from bot.storage.repositories.base import Repository


class KudosRepository(Repository):
    """Kudos, their recipients and where they were posted."""
