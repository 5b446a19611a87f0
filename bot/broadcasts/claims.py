"""Delivery rows changing hands: claiming due rows, recording outcomes, reclaiming.

Each (broadcast, recipient) row moves ``pending -> sending -> sent|failed``. A
dispatcher claims a row just before sending it (never more rows than it has
sends free), renews ``claimed_at`` while the send lasts, and a row whose
claimer stopped renewing (the process died) goes back to ``pending`` with
``maybe_sent`` set, so its next attempt checks with the platform before
sending. A claim is one guarded ``UPDATE ... WHERE status = 'pending'``: on PostgreSQL the
candidate rows are first locked with ``FOR UPDATE SKIP LOCKED``, so several
dispatchers (several bot processes) each get disjoint rows and never both send
one; on SQLite the claim runs as one write statement (one dispatcher there).
Every later change is guarded by ``status = 'sending' AND claimed_by = me``, so
a dispatcher whose lease ran out can no longer touch a row someone reclaimed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ScalarSelect, select, update

from bot.broadcasts.messages import broadcast_message
from bot.outbound import ChannelPurpose, ChannelTarget, PostedMessage
from bot.replies import Message
from bot.requests import UserRef
from bot.storage import Database
from bot.storage.models import Broadcast, BroadcastDelivery, Member
from bot.storage.models.broadcasts import Audience, DeliveryStatus
from bot.storage.results import changed_rows

log = logging.getLogger(__name__)

PENDING = DeliveryStatus.PENDING.value
SENDING = DeliveryStatus.SENDING.value


@dataclass(frozen=True, slots=True)
class ClaimedDelivery:
    """One claimed row with what is needed to send it."""

    id: int
    broadcast_id: int
    attempts: int
    due_at: datetime
    claimed_at: datetime
    recipient: UserRef | None  # None for a channel post (or a member who left)
    target: ChannelTarget | None  # None for a DM
    message: Message
    maybe_sent: bool = False  # an earlier attempt may have reached the platform


async def claim_due(
    database: Database, *, platform: str, worker_id: str, now: datetime, limit: int
) -> list[ClaimedDelivery]:
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
        return [_claimed(d, b, m, claimed_at=now) for d, b, m in details]


async def reclaim_expired(
    database: Database, *, platform: str, now: datetime, lease: timedelta
) -> int:
    """Put rows whose claimer vanished (a crash) back to pending once the lease is over.

    Such a row was being sent when its claimer stopped: the message may have
    arrived, so the row is marked ``maybe_sent`` and its next attempt checks first.
    """
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
    reclaimed = changed_rows(result)
    if reclaimed:
        log.warning(
            "reclaimed deliveries after lease", extra={"platform": platform, "rows": reclaimed}
        )
    return reclaimed


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


async def record_sent(
    database: Database,
    row: ClaimedDelivery,
    *,
    worker_id: str,
    posted: PostedMessage,
    now: datetime,
) -> bool:
    """Mark a claimed row sent; False when the row is no longer ours (lease lost)."""
    return await update_claimed(
        database,
        row,
        worker_id=worker_id,
        values={
            "status": DeliveryStatus.SENT.value,
            "sent_at": now,
            "message_id": posted.message_id[:120],
            "attempts": row.attempts + 1,
            "failure_reason": None,
            "maybe_sent": False,
        },
    )


async def update_claimed(
    database: Database, row: ClaimedDelivery, *, worker_id: str, values: dict[str, object]
) -> bool:
    """Apply ``values`` to a row this worker still holds; False when it does not."""
    async with database.session() as session:
        result = await session.execute(
            update(BroadcastDelivery)
            .where(
                BroadcastDelivery.id == row.id,
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


def _claimed(
    delivery: BroadcastDelivery,
    broadcast: Broadcast,
    member: Member | None,
    *,
    claimed_at: datetime,
) -> ClaimedDelivery:
    target = None
    if broadcast.audience != Audience.DM:
        purpose = ChannelPurpose(broadcast.channel_purpose) if broadcast.channel_purpose else None
        target = ChannelTarget(channel_id=broadcast.channel_id, purpose=purpose)
    return ClaimedDelivery(
        id=delivery.id,
        broadcast_id=broadcast.id,
        attempts=delivery.attempts,
        due_at=delivery.due_at,
        claimed_at=claimed_at,
        recipient=member.ref() if member is not None else None,
        target=target,
        message=broadcast_message(broadcast),
        maybe_sent=delivery.maybe_sent,
    )
