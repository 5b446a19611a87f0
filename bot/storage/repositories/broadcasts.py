"""Broadcasts, their per-member deliveries and the staff audit log."""

from __future__ import annotations

from bot.storage.repositories.base import Repository


class BroadcastRepository(Repository):
    """Broadcasts, their per-member deliveries and the staff audit log."""
