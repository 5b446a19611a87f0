"""The member directory: find or create members, refreshing display names when seen."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from bot.requests import UserRef
from bot.storage.database import dialect_insert
from bot.storage.models import Member

if TYPE_CHECKING:
    from sqlalchemy.sql.dml import ReturningInsert

#: An unchanged member seen again within this time is not rewritten (``last_seen`` is
#: that precise); a new display name is always written at once.
SEEN_REFRESH = timedelta(hours=1)
#: Members remembered per process; far above an association's size, it only bounds memory.
SEEN_CAPACITY = 50_000


class SeenMembers:
    """Members this process wrote recently, so an unchanged one is not rewritten on
    every request (a write per command is the costliest part of a busy minute).

    One per core (so per database): it only ever skips a write that was just made.
    """

    def __init__(self, *, refresh: timedelta = SEEN_REFRESH, capacity: int = SEEN_CAPACITY):
        self.refresh = refresh
        self.capacity = capacity
        self._written: dict[tuple[str, str, str], tuple[str | None, bool, datetime]] = {}

    def is_fresh(self, user: UserRef, now: datetime) -> bool:
        """True when ``user`` was written recently with the same name and bot flag."""
        written = self._written.get(user.key)
        if written is None:
            return False
        name, is_bot, at = written
        return name == user.display_name and is_bot == user.is_bot and at <= now < at + self.refresh

    def remember(self, users: Iterable[UserRef], now: datetime) -> None:
        """Note that ``users`` were just written (call after the transaction committed)."""
        for user in users:
            self._written.pop(user.key, None)  # re-insert: the dict stays oldest first
            self._written[user.key] = (user.display_name, user.is_bot, now)
        while len(self._written) > self.capacity:
            del self._written[next(iter(self._written))]


# Built once per dialect in use: statements are immutable and their compiled form is cached.
@cache
def _upsert_statement(dialect: str) -> ReturningInsert[str, str, str, int]:
    stmt = dialect_insert(dialect)(Member)
    return stmt.on_conflict_do_update(
        index_elements=["platform", "workspace_id", "user_id"],
        set_={
            "display_name": stmt.excluded.display_name,
            "is_bot": stmt.excluded.is_bot,
            "last_seen": stmt.excluded.last_seen,
        },
    ).returning(Member.platform, Member.workspace_id, Member.user_id, Member.id)


async def upsert_member_ids(
    connection: AsyncConnection | AsyncSession, users: Iterable[UserRef], *, now: datetime
) -> dict[tuple[str, str, str], int]:
    """Upsert members by platform identity; return their ids keyed by ``UserRef.key``.

    One statement (``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``) whatever the
    number of members. A concurrent insert of the same member (two workers, one new
    member) is absorbed by ``ON CONFLICT``, so this never fails on a race. The
    update takes the row's lock until the transaction ends, which callers use to
    serialise one member's quota checks.
    """
    unique = {user.key: user for user in users}
    if not unique:
        return {}
    bind = connection if isinstance(connection, AsyncConnection) else connection.bind
    dialect = bind.dialect.name if bind is not None else "sqlite"
    rows = [
        {
            "platform": u.platform,
            "workspace_id": u.workspace_id,
            "user_id": u.user_id,
            "display_name": (u.display_name or u.user_id)[:200],
            "is_bot": u.is_bot,
            "reminders_opt_out": False,
            "first_seen": now,
            "last_seen": now,
        }
        for u in sorted(unique.values(), key=lambda u: u.key)  # stable order avoids deadlocks
    ]
    # A list of parameter sets runs as one multi-row statement ("insertmanyvalues").
    result = await connection.execute(_upsert_statement(dialect), rows)
    return {(platform, workspace, user): id_ for platform, workspace, user, id_ in result}


async def ensure_members(
    session: AsyncSession, users: Iterable[UserRef], *, now: datetime
) -> dict[tuple[str, str, str], Member]:
    """Upsert members (see :func:`upsert_member_ids`) and return them keyed by ``UserRef.key``."""
    ids = await upsert_member_ids(session, users, now=now)
    if not ids:
        return {}
    found = await session.scalars(
        select(Member).where(Member.id.in_(ids.values())).execution_options(populate_existing=True)
    )
    by_id = {member.id: member for member in found}
    return {key: by_id[id_] for key, id_ in ids.items()}


async def ensure_member(session: AsyncSession, user: UserRef, *, now: datetime) -> Member:
    return (await ensure_members(session, [user], now=now))[user.key]


async def workspace_members(
    session: AsyncSession, *, platform: str, workspace_id: str
) -> dict[str, UserRef]:
    """Every stored member of one workspace, keyed by platform user id.

    For platforms without a directory of their own (the console), where the
    members are the people who have used the bot.
    """
    rows = await session.scalars(
        select(Member).where(Member.platform == platform, Member.workspace_id == workspace_id)
    )
    return {member.user_id: member.ref() for member in rows}
