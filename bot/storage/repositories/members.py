"""The member directory: find or create members by platform identity, and their settings."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from bot.requests import UserRef
from bot.storage.models import Member
from bot.storage.repositories.base import Repository
from bot.storage.statements import dialect_insert

if TYPE_CHECKING:
    from sqlalchemy.sql.dml import ReturningInsert

    from bot.storage.database import Database

MemberKey = tuple[str, str, str]


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
) -> dict[MemberKey, int]:
    """Upsert members by platform identity; return their ids keyed by ``UserRef.key``.

    One statement (``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``) whatever the
    number of members. A concurrent insert of the same member (two workers, one new
    member) is absorbed by ``ON CONFLICT``, so this never fails on a race. The
    update takes the row's lock until the transaction ends, which callers use to
    serialise one member's quota checks.

    Takes a connection as well as a session: the hot paths (every kudos, every
    command's sender) run it inside their own batched transaction.
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


async def record_seen(database: Database, users: Iterable[UserRef], *, now: datetime) -> None:
    """Record members as seen now (platform ids, display name, last seen).

    A Core transaction, not an ORM session: it runs on the path of every command,
    and on SQLite it queues behind this process's other writes instead of polling
    the file lock.
    """
    async with database.transaction() as connection:
        await upsert_member_ids(connection, users, now=now)


class MemberRepository(Repository):
    """Members keyed by (platform, workspace, user id); never by display name."""

    async def ensure_many(
        self, users: Iterable[UserRef], *, now: datetime
    ) -> dict[MemberKey, Member]:
        """Upsert members (see :func:`upsert_member_ids`); return them keyed by ``UserRef.key``."""
        ids = await upsert_member_ids(self._session, users, now=now)
        if not ids:
            return {}
        found = await self._session.scalars(
            select(Member)
            .where(Member.id.in_(ids.values()))
            .execution_options(populate_existing=True)
        )
        by_id = {member.id: member for member in found}
        return {key: by_id[id_] for key, id_ in ids.items()}

    async def ensure(self, user: UserRef, *, now: datetime) -> Member:
        """The member ``user`` is, created (or refreshed) now."""
        return (await self.ensure_many([user], now=now))[user.key]

    async def upsert_ids(self, users: Iterable[UserRef], *, now: datetime) -> dict[MemberKey, int]:
        """:func:`upsert_member_ids` in this unit of work."""
        return await upsert_member_ids(self._session, users, now=now)

    async def find(self, user: UserRef) -> Member | None:
        """The stored member ``user`` is, without creating one."""
        return await self._session.scalar(
            select(Member).where(
                Member.platform == user.platform,
                Member.workspace_id == user.workspace_id,
                Member.user_id == user.user_id,
            )
        )

    async def stored_name(self, user: UserRef) -> str | None:
        """The display name the bot last saw for ``user`` (None: never seen)."""
        member = await self.find(user)
        return member.display_name if member else None

    async def in_workspace(self, *, platform: str, workspace_id: str) -> dict[str, UserRef]:
        """Every stored member of one workspace, keyed by platform user id.

        For platforms without a directory of their own (the console), where the
        members are the people who have used the bot.
        """
        rows = await self._session.scalars(
            select(Member).where(Member.platform == platform, Member.workspace_id == workspace_id)
        )
        return {member.user_id: member.ref() for member in rows}

    async def set_reminders_opt_out(self, member_id: int, *, opt_out: bool) -> None:
        """Record whether the member wants staff's broadcast DMs (``/reminders``)."""
        await self._session.execute(
            update(Member).where(Member.id == member_id).values(reminders_opt_out=opt_out)
        )
