"""The member directory: find or create members, refreshing display names when seen."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.requests import UserRef
from bot.storage.models import Member


async def ensure_members(
    session: AsyncSession, users: Iterable[UserRef], *, now: datetime
) -> dict[tuple[str, str, str], Member]:
    """Upsert members by platform identity and return them keyed by ``UserRef.key``.

    A concurrent insert of the same member (two workers, one new member) is
    absorbed by ``ON CONFLICT``, so this never fails on a race.
    """
    unique = {user.key: user for user in users}
    if not unique:
        return {}
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
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
    stmt = insert(Member).values(rows)
    stmt = stmt.on_conflict_do_update(
        index_elements=["platform", "workspace_id", "user_id"],
        set_={
            "display_name": stmt.excluded.display_name,
            "is_bot": stmt.excluded.is_bot,
            "last_seen": stmt.excluded.last_seen,
        },
    )
    await session.execute(stmt)
    found = await session.scalars(
        select(Member)
        .where(
            Member.platform == rows[0]["platform"],
            Member.workspace_id.in_({r["workspace_id"] for r in rows}),
            Member.user_id.in_([r["user_id"] for r in rows]),
        )
        .execution_options(populate_existing=True)
    )
    by_key = {(m.platform, m.workspace_id, m.user_id): m for m in found}
    return {key: by_key[key] for key in unique if key in by_key}


async def ensure_member(session: AsyncSession, user: UserRef, *, now: datetime) -> Member:
    return (await ensure_members(session, [user], now=now))[user.key]
