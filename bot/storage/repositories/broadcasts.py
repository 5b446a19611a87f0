"""Broadcasts, their per-member deliveries and the staff audit log.

The dispatcher's claim, lease and outcome writes run outside any one unit of work
and live in :mod:`bot.storage.repositories.broadcast_claims`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, String, func, insert, literal, or_, select, update

from bot.storage.models import Broadcast, BroadcastDelivery, Member
from bot.storage.models.broadcasts import (
    Audience,
    BodyFormat,
    BroadcastKind,
    BroadcastStatus,
    DeliveryStatus,
)
from bot.storage.repositories.base import Repository
from bot.storage.results import changed_rows
from bot.storage.statements import dialect_insert

#: Rows per INSERT when fanning out a DM broadcast (keeps statements small on both backends).
FAN_OUT_CHUNK = 1000


@dataclass(frozen=True, slots=True)
class FailedRecipient:
    """One failed delivery of a broadcast, as ``/broadcast list`` names it."""

    broadcast_id: int
    display_name: str | None  # None: the member is gone (or it was a channel post)
    recipient: str
    failure_reason: str | None


@dataclass(frozen=True, slots=True)
class NoticeDelivery:
    """Who a notice goes to: a DM to one member, or a post in a purpose's channel."""

    audience: Audience
    recipient: str
    member_id: int | None
    channel_purpose: str | None


@dataclass(frozen=True, slots=True)
class KeyedBroadcast:
    """A broadcast made at most once per (platform, key), with its one delivery row:
    a notice to staff or a sender, or an automatic deadline reminder."""

    kind: BroadcastKind
    platform: str
    workspace_id: str
    key: str
    body: str
    body_format: BodyFormat
    due_at: datetime
    send_now: bool
    to: NoticeDelivery


def _dm_audience(platform: str, workspace_id: str) -> Select[int]:
    """Ids of the members a DM broadcast goes to: humans who have not opted out."""
    return select(Member.id).where(
        Member.platform == platform,
        Member.workspace_id == workspace_id,
        Member.is_bot.is_(False),
        Member.reminders_opt_out.is_(False),
    )


def _pending_row(broadcast: Broadcast, recipient: str, member_id: int | None) -> dict[str, object]:
    return {
        "broadcast_id": broadcast.id,
        "platform": broadcast.platform,
        "recipient": recipient,
        "member_id": member_id,
        "status": DeliveryStatus.PENDING.value,
        "due_at": broadcast.due_at,
        "next_attempt_at": broadcast.due_at,
        "attempts": 0,
    }


class BroadcastRepository(Repository):
    """Broadcasts, their per-member deliveries and the staff audit log."""

    # -- broadcasts ------------------------------------------------------------------

    async def get(self, broadcast_id: int) -> Broadcast | None:
        return await self._session.get(Broadcast, broadcast_id)

    async def add(self, broadcast: Broadcast) -> Broadcast:
        """Store a new broadcast now (its id is assigned)."""
        self._session.add(broadcast)
        await self._session.flush()
        return broadcast

    async def schedule_draft(self, broadcast_id: int, *, now: datetime, due_at: datetime) -> bool:
        """Mark a draft scheduled (confirmed now, due at ``due_at``); False if it was no draft.

        Guarded status change: a double-submitted confirm schedules once.
        """
        claimed = await self._session.execute(
            update(Broadcast)
            .where(Broadcast.id == broadcast_id, Broadcast.status == BroadcastStatus.DRAFT)
            .values(status=BroadcastStatus.SCHEDULED.value, confirmed_at=now, due_at=due_at)
        )
        return changed_rows(claimed) == 1

    async def mark_cancelled_by_staff(self, broadcast_id: int, *, now: datetime) -> None:
        await self._session.execute(
            update(Broadcast)
            .where(Broadcast.id == broadcast_id)
            .values(
                status=BroadcastStatus.CANCELLED.value,
                cancelled_at=now,
                cancelled_by_staff=True,
            )
        )

    async def latest_staff(
        self, *, platform: str, workspace_id: str, limit: int
    ) -> list[Broadcast]:
        """Up to ``limit`` staff broadcasts of one workspace, newest created first."""
        return list(
            await self._session.scalars(
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

    async def reminders_due_since(
        self, *, platform: str, since: datetime, limit: int
    ) -> list[Broadcast]:
        """Up to ``limit`` deadline reminders due from ``since`` on, soonest first."""
        return list(
            await self._session.scalars(
                select(Broadcast)
                .where(
                    Broadcast.kind == BroadcastKind.REMINDER,
                    Broadcast.platform == platform,
                    Broadcast.due_at >= since,
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

    async def add_notice_once(
        self,
        *,
        about: Broadcast,
        key: str,
        body: str,
        to: NoticeDelivery,
        now: datetime,
    ) -> Broadcast | None:
        """A notice broadcast about ``about`` keyed ``key``, due now, with its one delivery.

        None when a notice with that key exists already (it was made once before).
        """
        notice = KeyedBroadcast(
            kind=BroadcastKind.NOTICE,
            platform=about.platform,
            workspace_id=about.workspace_id,
            key=key,
            body=body,
            body_format=BodyFormat.TEXT,
            due_at=now,
            send_now=True,
            to=to,
        )
        return await self.add_once(notice, now=now)

    async def add_once(self, keyed: KeyedBroadcast, *, now: datetime) -> Broadcast | None:
        """Store ``keyed`` and its one pending delivery; None if its key exists already.

        Another bot process making the same one at the same moment (a notice, a
        rescheduled deadline reminder) is absorbed by ``ON CONFLICT``.
        """
        insert_once = dialect_insert(self.dialect)
        created = await self._session.execute(
            insert_once(Broadcast)
            .values(
                kind=keyed.kind.value,
                status=BroadcastStatus.SCHEDULED.value,
                platform=keyed.platform,
                workspace_id=keyed.workspace_id,
                audience=keyed.to.audience.value,
                channel_purpose=keyed.to.channel_purpose,
                body=keyed.body,
                body_format=keyed.body_format.value,
                due_at=keyed.due_at,
                send_now=keyed.send_now,
                created_at=now,
                confirmed_at=now,
                reminder_key=keyed.key,
            )
            .on_conflict_do_nothing(index_elements=["platform", "reminder_key"])
            .returning(Broadcast.id)
        )
        broadcast_id = created.scalar()
        if broadcast_id is None:
            return None
        await self._session.execute(
            insert_once(BroadcastDelivery)
            .values(
                broadcast_id=broadcast_id,
                platform=keyed.platform,
                recipient=keyed.to.recipient,
                member_id=keyed.to.member_id,
                status=DeliveryStatus.PENDING.value,
                due_at=keyed.due_at,
                next_attempt_at=keyed.due_at,
                attempts=0,
            )
            .on_conflict_do_nothing(index_elements=["broadcast_id", "recipient"])
        )
        broadcast = await self._session.get(Broadcast, broadcast_id)
        assert broadcast is not None
        return broadcast

    # -- audience --------------------------------------------------------------------

    async def dm_audience_size(self, *, platform: str, workspace_id: str) -> int:
        """How many members a DM broadcast in this workspace would go to now."""
        count = await self._session.scalar(
            select(func.count()).select_from(_dm_audience(platform, workspace_id).subquery())
        )
        return int(count or 0)

    async def dm_audience_ids(self, *, platform: str, workspace_id: str) -> list[int]:
        """Ids of the members a DM broadcast goes to: humans who have not opted out."""
        return list(await self._session.scalars(_dm_audience(platform, workspace_id)))

    # -- deliveries ------------------------------------------------------------------

    async def add_pending_deliveries(
        self, broadcast: Broadcast, recipients: Sequence[tuple[str, int | None]]
    ) -> int:
        """One pending row per ``(recipient key, member id)``, due when ``broadcast`` is."""
        rows = [_pending_row(broadcast, recipient, mid) for recipient, mid in recipients]
        for start in range(0, len(rows), FAN_OUT_CHUNK):
            await self._session.execute(
                insert(BroadcastDelivery), rows[start : start + FAN_OUT_CHUNK]
            )
        return len(rows)

    async def cancel_pending_deliveries(self, broadcast_id: int, *, reason: str) -> int:
        """Cancel the rows of ``broadcast_id`` not yet claimed; how many."""
        cancelled = await self._session.execute(
            update(BroadcastDelivery)
            .where(
                BroadcastDelivery.broadcast_id == broadcast_id,
                BroadcastDelivery.status == DeliveryStatus.PENDING,
            )
            .values(status=DeliveryStatus.CANCELLED.value, failure_reason=reason)
        )
        return changed_rows(cancelled)

    async def delivery_counts(self, broadcast_id: int) -> dict[str, int]:
        """Rows of one broadcast per delivery status."""
        return {
            status: count
            for status, count in await self._session.execute(
                select(BroadcastDelivery.status, func.count())
                .where(BroadcastDelivery.broadcast_id == broadcast_id)
                .group_by(BroadcastDelivery.status)
            )
        }

    async def delivery_counts_of(self, broadcast_ids: Collection[int]) -> dict[int, dict[str, int]]:
        """Rows per delivery status of each broadcast (those with rows only)."""
        counts: dict[int, dict[str, int]] = {}
        for broadcast_id, status, count in await self._session.execute(
            select(BroadcastDelivery.broadcast_id, BroadcastDelivery.status, func.count())
            .where(BroadcastDelivery.broadcast_id.in_(broadcast_ids))
            .group_by(BroadcastDelivery.broadcast_id, BroadcastDelivery.status)
        ):
            counts.setdefault(broadcast_id, {})[status] = count
        return counts

    async def first_failures(
        self, broadcast_ids: Collection[int], *, per_broadcast: int
    ) -> list[FailedRecipient]:
        """The first ``per_broadcast`` failed rows of each broadcast, in row order."""
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
                BroadcastDelivery.broadcast_id.in_(broadcast_ids),
                BroadcastDelivery.status == DeliveryStatus.FAILED,
            )
            .subquery()
        )
        rows = await self._session.execute(
            select(
                numbered.c.broadcast_id,
                numbered.c.display_name,
                numbered.c.recipient,
                numbered.c.failure_reason,
            )
            .where(numbered.c.place <= per_broadcast)
            .order_by(numbered.c.broadcast_id, numbered.c.place)
        )
        return [FailedRecipient(*row) for row in rows]

    async def give_up_overdue(
        self, *, platform: str, due_before: datetime, reason_prefix: str, reason_length: int
    ) -> int:
        """Fail pending rows due before ``due_before`` that were tried already; how many.

        Their reason becomes ``reason_prefix`` and the last error, cut to ``reason_length``.
        """
        gave_up = await self._session.execute(
            update(BroadcastDelivery)
            .where(*_overdue(platform, due_before), BroadcastDelivery.attempts > 0)
            .values(
                status=DeliveryStatus.FAILED.value,
                failure_reason=func.substr(
                    literal(reason_prefix, String)
                    + func.coalesce(BroadcastDelivery.failure_reason, "unknown"),
                    1,
                    reason_length,
                ),
            )
        )
        return changed_rows(gave_up)

    async def mark_overdue_missed(
        self, *, platform: str, due_before: datetime, reason: str
    ) -> Counter[int]:
        """Mark pending rows due before ``due_before`` never tried missed; count per broadcast."""
        missed_rows = await self._session.execute(
            update(BroadcastDelivery)
            .where(*_overdue(platform, due_before), BroadcastDelivery.attempts == 0)
            .values(status=DeliveryStatus.MISSED.value, failure_reason=reason)
            .returning(BroadcastDelivery.broadcast_id)
        )
        return Counter(row[0] for row in missed_rows)


def _overdue(platform: str, due_before: datetime) -> tuple[ColumnElement[bool], ...]:
    return (
        BroadcastDelivery.status == DeliveryStatus.PENDING,
        BroadcastDelivery.platform == platform,
        BroadcastDelivery.due_at < due_before,
    )
