"""Delivery rows changing hands: claiming due rows, recording outcomes, reclaiming.

Each (broadcast, recipient) row moves ``pending -> sending -> sent|failed``. A
dispatcher claims a row just before sending it (never more rows than it has
sends free), renews ``claimed_at`` while the send lasts, and a row whose
claimer stopped renewing (the process died) goes back to ``pending`` with
``maybe_sent`` set, so its next attempt checks with the platform before
sending. How a claim stays exclusive (guarded updates, ``FOR UPDATE SKIP LOCKED`` on
PostgreSQL) is :mod:`bot.storage.repositories.broadcast_claims`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.broadcasts.messages import broadcast_message
from bot.outbound import ChannelPurpose, ChannelTarget, PostedMessage
from bot.replies import Message
from bot.requests import UserRef
from bot.storage import Database
from bot.storage.models import Broadcast, BroadcastDelivery, Member
from bot.storage.models.broadcasts import Audience, DeliveryStatus
from bot.storage.repositories import broadcast_claims

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
    rows = await broadcast_claims.claim_due(
        database, platform=platform, worker_id=worker_id, now=now, limit=limit
    )
    return [_claimed(row.delivery, row.broadcast, row.member, claimed_at=now) for row in rows]


async def reclaim_expired(
    database: Database, *, platform: str, now: datetime, lease: timedelta
) -> int:
    """Put rows whose claimer vanished (a crash) back to pending once the lease is over.

    Such a row was being sent when its claimer stopped: the message may have
    arrived, so the row is marked ``maybe_sent`` and its next attempt checks first.
    """
    reclaimed = await broadcast_claims.reclaim_expired(
        database, platform=platform, now=now, lease=lease
    )
    if reclaimed:
        log.warning(
            "reclaimed deliveries after lease", extra={"platform": platform, "rows": reclaimed}
        )
    return reclaimed


async def renew_claims(database: Database, ids: list[int], *, worker_id: str, now: datetime) -> int:
    """Keep the lease of rows this worker is still sending; how many it still holds."""
    return await broadcast_claims.renew_claims(database, ids, worker_id=worker_id, now=now)


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
    return await broadcast_claims.update_claimed(
        database, row.id, worker_id=worker_id, values=values
    )


async def earliest_pending(database: Database, *, platform: str) -> datetime | None:
    """When the next pending row of ``platform`` may be tried; None when there is none."""
    return await broadcast_claims.earliest_pending(database, platform=platform)


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
