"""Members' own reminders (`/reminders`) and their deliveries."""

from __future__ import annotations

from bot.storage.repositories.base import Repository


class ReminderRepository(Repository):
    """Members' own reminders (`/reminders`) and their deliveries."""
