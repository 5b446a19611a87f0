"""Storage: SQLAlchemy 2.x async ORM, SQLite by default, PostgreSQL by DATABASE_URL."""

from __future__ import annotations

from bot.storage.database import Database
from bot.storage.engine import async_url

__all__ = ["Database", "async_url"]
