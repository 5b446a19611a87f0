"""What ``/broadcast list`` shows: staff broadcasts, then automatic reminders.

Staff broadcasts are listed newest-created first, so one just sent is always at
the top however many reminders are scheduled; reminders get their own section
(the last week's and the upcoming ones, soonest first). Each comes with its
delivery counts, a status derived from them ("sent, 2 failed") and the first
few recipients whose delivery failed, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.broadcasts.audience import dm_audience_size
from bot.storage import Database
from bot.storage.models import Broadcast, BroadcastDelivery, Member
from bot.storage.models.broadcasts import (
    Audience,
    BroadcastKind,
    BroadcastStatus,
    DeliveryStatus,
)

#: Failed recipients named per broadcast (the rest are counted).
FAILURES_SHOWN = 5
#: Reminders due this long ago are still listed, so staff see how they went.
RECENT_REMINDERS = timedelta(days=7)

_OPEN = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)
#: The order delivery counts are shown in: what went out first, problems last.
_COUNT_ORDER = (
    DeliveryStatus.SENT,
    DeliveryStatus.SENDING,
    DeliveryStatus.PENDING,
    DeliveryStatus.FAILED,
    DeliveryStatus.MISSED,
    DeliveryStatus.CANCELLED,
)


def format_counts(counts: dict[str, int]) -> str:
    """``sent 238, failed 2``: non-zero delivery counts, sent first."""
    return ", ".join(f"{status} {counts[status]}" for status in _COUNT_ORDER if counts.get(status))


@dataclass(slots=True)
class BroadcastSummary:
    """A broadcast with its delivery counts and a few failed recipients."""

    broadcast: Broadcast
    counts: dict[str, int] = field(default_factory=dict)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (recipient, reason)
    #: A DM draft has no deliveries yet: the members a confirm would reach now.
    draft_audience: int | None = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def recipients(self) -> int:
        """Who it went (or goes) to: its deliveries, or for a DM draft its audience."""
        return self.total if self.draft_audience is None else self.draft_audience

    @property
    def unfinished(self) -> int:
        """Rows still waiting or being sent."""
        return sum(self.counts.get(status, 0) for status in _OPEN)

    def state(self, now: datetime) -> str:
        """``draft``, ``scheduled``, ``sending``, ``sent``, ``sent, 2 failed``, ``missed``..."""
        status = self.broadcast.status
        if status != BroadcastStatus.SCHEDULED:
            return str(status)
        if self.unfinished:
            return "scheduled" if self.broadcast.due_at > now else "sending"
        sent = self.counts.get(DeliveryStatus.SENT, 0)
        failed = self.counts.get(DeliveryStatus.FAILED, 0)
        missed = self.counts.get(DeliveryStatus.MISSED, 0)
        problems = [f"{n} {word}" for n, word in ((failed, "failed"), (missed, "missed")) if n]
        if sent:
            return ", ".join(["sent", *problems])
        if missed and not failed:
            return "missed"
        return "not sent: " + ", ".join(problems) if problems else "sent"


@dataclass(frozen=True, slots=True)
class Listing:
    staff: list[BroadcastSummary]
    reminders: list[BroadcastSummary]


async def list_broadcasts(
    database: Database, *, platform: str, workspace_id: str, now: datetime, limit: int
) -> Listing:
    """Up to ``limit`` staff broadcasts (newest first) and ``limit`` reminders (soonest first)."""
    async with database.session() as session:
        staff = list(
            await session.scalars(
                select(Broadcast)
                .where(
                    Broadcast.kind == BroadcastKind.STAFF,
                    Broadcast.platform == platform,
                    Broadcast.workspace_id == workspace_id,
                )
                .order_by(Broadcast.created_at.desc(), Broadcast.id.desc())
                .limit(limit)
            )
        )
        reminders = list(
            await session.scalars(
                select(Broadcast)
                .where(
                    Broadcast.kind == BroadcastKind.REMINDER,
                    Broadcast.platform == platform,
                    Broadcast.due_at >= now - RECENT_REMINDERS,
                    # Reminders of deadlines removed from the file are noise; staff
                    # cancellations stay visible.
                    or_(
                        Broadcast.status != BroadcastStatus.CANCELLED,
                        Broadcast.cancelled_by_staff.is_(True),
                    ),
                )
                .order_by(Broadcast.due_at, Broadcast.id)
                .limit(limit)
            )
        )
        summaries = {b.id: BroadcastSummary(broadcast=b) for b in staff + reminders}
        if summaries:
            await _attach_counts(session, summaries)
            await _attach_failures(session, summaries)
            await _attach_draft_audiences(session, summaries)
    return Listing(
        staff=[summaries[b.id] for b in staff], reminders=[summaries[b.id] for b in reminders]
    )


async def _attach_counts(session: AsyncSession, summaries: dict[int, BroadcastSummary]) -> None:
    counts = await session.execute(
        select(BroadcastDelivery.broadcast_id, BroadcastDelivery.status, func.count())
        .where(BroadcastDelivery.broadcast_id.in_(summaries))
        .group_by(BroadcastDelivery.broadcast_id, BroadcastDelivery.status)
    )
    for broadcast_id, status, count in counts:
        summaries[broadcast_id].counts[status] = count


async def _attach_draft_audiences(
    session: AsyncSession, summaries: dict[int, BroadcastSummary]
) -> None:
    """Count the audience of DM drafts (as their preview did); one count per workspace."""
    sizes: dict[tuple[str, str], int] = {}
    for summary in summaries.values():
        broadcast = summary.broadcast
        if broadcast.status != BroadcastStatus.DRAFT or broadcast.audience != Audience.DM:
            continue
        key = (broadcast.platform, broadcast.workspace_id)
        if key not in sizes:
            sizes[key] = await dm_audience_size(session, *key)
        summary.draft_audience = sizes[key]


async def _attach_failures(session: AsyncSession, summaries: dict[int, BroadcastSummary]) -> None:
    numbered = (
        select(
            BroadcastDelivery.broadcast_id,
            Member.display_name,
            BroadcastDelivery.recipient,
            BroadcastDelivery.failure_reason,
            func.row_number()
            .over(partition_by=BroadcastDelivery.broadcast_id, order_by=BroadcastDelivery.id)
            .label("place"),
        )
        .outerjoin(Member, Member.id == BroadcastDelivery.member_id)
        .where(
            BroadcastDelivery.broadcast_id.in_(summaries),
            BroadcastDelivery.status == DeliveryStatus.FAILED,
        )
        .subquery()
    )
    rows = await session.execute(
        select(
            numbered.c.broadcast_id,
            numbered.c.display_name,
            numbered.c.recipient,
            numbered.c.failure_reason,
        )
        .where(numbered.c.place <= FAILURES_SHOWN)
        .order_by(numbered.c.broadcast_id, numbered.c.place)
    )
    for broadcast_id, name, recipient, reason in rows:
        summaries[broadcast_id].failures.append((name or recipient, reason or "unknown"))
