"""The shared audit log: who did what, when, for whom (broadcasts, kudos removals, teaches)."""

from __future__ import annotations

from datetime import datetime

from bot.storage.models import AuditLog
from bot.storage.repositories.base import Repository

ACTOR_LENGTH = 300
AUDIENCE_LENGTH = 200


class AuditRepository(Repository):
    """Rows of ``audit_log``, kept forever; each is committed with the act it records."""

    def add(
        self,
        *,
        at: datetime,
        actor: str,
        action: str,
        audience: str,
        text: str,
        actor_member_id: int | None = None,
        broadcast_id: int | None = None,
    ) -> AuditLog:
        """Add one row; the readable actor and audience are cut to their column sizes."""
        entry = AuditLog(
            at=at,
            actor_member_id=actor_member_id,
            actor=actor[:ACTOR_LENGTH],
            action=action,
            broadcast_id=broadcast_id,
            audience=audience[:AUDIENCE_LENGTH],
            text=text,
        )
        self._session.add(entry)
        return entry
