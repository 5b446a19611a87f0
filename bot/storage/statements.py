"""Statement builders shared by the repositories."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def dialect_insert(dialect: str) -> Callable[..., Any]:
    """``insert()`` of ``dialect`` (``postgresql`` or ``sqlite``), with its ON CONFLICT
    clauses. Imported on first use, so a SQLite process never loads the PostgreSQL
    dialect."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert
    raise ValueError(f"no INSERT ... ON CONFLICT for the {dialect!r} dialect")
