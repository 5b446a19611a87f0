"""What a statement run through a session reports back, with the types checked."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import CursorResult, Result


def changed_rows(result: Result[*tuple[Any, ...]]) -> int:
    """How many rows the UPDATE or DELETE that gave ``result`` changed.

    ``AsyncSession.execute`` is typed to return a plain ``Result``; for an UPDATE or
    DELETE it is a ``CursorResult``, the only kind that counts rows.

    Raises:
        TypeError: ``result`` came from a statement that changes no rows (a SELECT).
    """
    if not isinstance(result, CursorResult):
        raise TypeError(f"a {type(result).__name__} has no row count (not an UPDATE or DELETE)")
    return result.rowcount
