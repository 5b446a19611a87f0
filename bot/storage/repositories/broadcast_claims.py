"""The dispatcher's hot path: claiming due delivery rows, renewing and ending claims.

Each (broadcast, recipient) row moves ``pending -> sending -> sent|failed``. A claim
is one guarded ``UPDATE ... WHERE status = 'pending'``: on PostgreSQL the candidate
rows are first locked with ``FOR UPDATE SKIP LOCKED``, so several dispatchers
(several bot processes) each get disjoint rows and never both send one; on SQLite
the claim runs as one write statement (one dispatcher there). Every later change
is guarded by ``status = 'sending' AND claimed_by = me``, so a dispatcher whose
lease ran out can no longer touch a row someone reclaimed.

These run outside any one unit of work (each is its own short transaction), so
they take the :class:`~bot.storage.Database` itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import ScalarSelect, select, update
from sqlalchemy.exc import SQLAlchemyError

from bot.errors import StorageUnavailable
from bot.storage.models import Broadcast, BroadcastDelivery, Member
from bot.storage.models.broadcasts import DeliveryStatus
from bot.storage.results import changed_rows

if TYPE_CHECKING:
    from bot.storage.database import Database

PENDING = DeliveryStatus.PENDING.value
SENDING = DeliveryStatus.SENDING.value

#: Database errors worth retrying a write for (outages, lock timeouts, dropped connections).
RETRYABLE_ERRORS: tuple[type[BaseException], ...] = (StorageUnavailable, SQLAlchemyError, OSError)


@dataclass(frozen=True, slots=True)
class ClaimedRow:
    """A row just claimed, with its broadcast and recipient (None: a channel post or a
    member who left)."""

    delivery: BroadcastDelivery
    broadcast: Broadcast
    member: Member | None


async def claim_due(
    database: Database, *, platform: str, worker_id: str, now: datetime, limit: int
) -> list[ClaimedRow]:
    """Atomically take up to ``limit`` due pending rows of ``platform`` for ``worker_id``."""
    due = (
        select(BroadcastDelivery.id)
        .where(
            BroadcastDelivery.status == PENDING,
            BroadcastDelivery.platform == platform,
            BroadcastDelivery.next_attempt_at <= now,
        )
        .order_by(BroadcastDelivery.next_attempt_at, BroadcastDelivery.id)
        .limit(limit)
    )
    async with database.session() as session:
        if database.is_sqlite:
            # One write statement: SQLite takes the write lock before reading.
            chosen: ScalarSelect[int] | list[int] = due.scalar_subquery()
        else:
            # Lock first, update second: PostgreSQL may re-run a LIMIT subquery
            # inside UPDATE ... IN (...), so the rows are chosen in their own statement.
            chosen = list(await session.scalars(due.with_for_update(skip_locked=True)))
            if not chosen:
                return []
        result = await session.execute(
            update(BroadcastDelivery)
            .where(BroadcastDelivery.id.in_(chosen))
            .where(BroadcastDelivery.status == PENDING)
            .values(status=SENDING, claimed_by=worker_id, claimed_at=now)
            .returning(BroadcastDelivery.id)
        )
        ids = [row[0] for row in result]
        if not ids:
            return []
        details = await session.execute(
            select(BroadcastDelivery, Broadcast, Member)
            .join(Broadcast, Broadcast.id == BroadcastDelivery.broadcast_id)
            .outerjoin(Member, Member.id == BroadcastDelivery.member_id)
            .where(BroadcastDelivery.id.in_(ids))
            .order_by(BroadcastDelivery.next_attempt_at, BroadcastDelivery.id)
        )
        return [ClaimedRow(d, b, m) for d, b, m in details]


async def reclaim_expired(
    database: Database, *, platform: str, now: datetime, lease: timedelta
) -> int:
    """Put ``sending`` rows claimed longer than ``lease`` ago back to pending, marked
    ``maybe_sent``; how many."""
    async with database.session() as session:
        result = await session.execute(
            update(BroadcastDelivery)
            .where(
                BroadcastDelivery.status == SENDING,
                BroadcastDelivery.platform == platform,
                BroadcastDelivery.claimed_at < now - lease,
            )
            .values(status=PENDING, claimed_by=None, claimed_at=None, maybe_sent=True)
        )
    return changed_rows(result)


async def renew_claims(database: Database, ids: list[int], *, worker_id: str, now: datetime) -> int:
    """Keep the lease of rows this worker is still sending; how many it still holds."""
    if not ids:
        return 0
    async with database.session() as session:
        result = await session.execute(
            update(BroadcastDelivery)
            .where(
                BroadcastDelivery.id.in_(ids),
                BroadcastDelivery.status == SENDING,
                BroadcastDelivery.claimed_by == worker_id,
            )
            .values(claimed_at=now)
        )
    return changed_rows(result)


async def update_claimed(
    database: Database, row_id: int, *, worker_id: str, values: dict[str, object]
) -> bool:
    """Apply ``values`` to a row this worker still holds; False when it does not."""
    async with database.session() as session:
        result = await session.execute(
            update(BroadcastDelivery)
            .where(
                BroadcastDelivery.id == row_id,
                BroadcastDelivery.status == SENDING,
                BroadcastDelivery.claimed_by == worker_id,
            )
            .values(**values)
        )
    return changed_rows(result) == 1


async def earliest_pending(database: Database, *, platform: str) -> datetime | None:
    """When the next pending row of ``platform`` may be tried; None when there is none."""
    async with database.session() as session:
        return await session.scalar(
            select(BroadcastDelivery.next_attempt_at)
            .where(BroadcastDelivery.status == PENDING, BroadcastDelivery.platform == platform)
            .order_by(BroadcastDelivery.next_attempt_at)
            .limit(1)
        )
