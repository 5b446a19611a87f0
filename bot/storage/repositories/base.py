"""What every repository shares: the unit of work's session."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession


class Repository:
    """Queries and writes of one feature, inside one unit of work's transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``: the database this transaction runs on."""
        bind = self._session.bind
        return bind.dialect.name if bind is not None else "sqlite"
