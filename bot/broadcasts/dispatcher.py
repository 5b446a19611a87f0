"""The delivery dispatcher: claims due delivery rows, sends them, records the outcome.

Exactly-once, and where it can break
------------------------------------
Each (broadcast, recipient) row moves ``pending -> sending -> sent|failed``.
A claim is one ``UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED)
RETURNING id`` statement, so on PostgreSQL several dispatchers (several bot
processes) each get disjoint rows and never both send one; on SQLite the same
statement runs as one write transaction (one dispatcher is supported there).

A row is marked ``sent`` in its own short transaction right after the platform
accepted it. If the process dies *between* the platform accepting a message and
that commit, the row stays ``sending``; after ``lease`` another dispatcher
reclaims it and sends again. That window (one HTTP response plus one commit) is
the only at-least-once gap; the alternative, marking before sending, would turn
the same crash into a silent miss, which is worse for deadline reminders. A
graceful stop (task cancelled, SIGTERM) lets in-flight sends finish and be
recorded and releases claimed rows it had not started, so it never duplicates.
The lease must exceed the longest single send (rate-limit waits included).
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from bot.broadcasts import audit
from bot.broadcasts.audit import AuditAction
from bot.broadcasts.messages import broadcast_message
from bot.clock import Clock
from bot.errors import DeliveryError, StorageUnavailable
from bot.outbound import ChannelPurpose, ChannelTarget, OutboundSender, PostedMessage
from bot.replies import Message
from bot.requests import UserRef
from bot.storage import Database
from bot.storage.models import Broadcast, BroadcastDelivery, Member
from bot.storage.models.broadcasts import Audience, DeliveryStatus

log = logging.getLogger(__name__)

PENDING = DeliveryStatus.PENDING.value
SENDING = DeliveryStatus.SENDING.value


@dataclass(frozen=True, slots=True)
class DispatchPolicy:
    """Tuning knobs; the defaults suit a bot process polling every few seconds."""

    grace: timedelta = timedelta(hours=6)
    lease: timedelta = timedelta(minutes=5)
    batch_size: int = 100
    concurrency: int = 8
    max_attempts: int = 6
    retry_base: timedelta = timedelta(seconds=1)
    retry_max: timedelta = timedelta(minutes=5)
    poll_interval: float = 5.0
    #: Sends per second this dispatcher allows itself (None: only the adapter's 429
    #: handling). Pacing just under a platform's limit avoids the 429 round trips,
    #: each of which stalls a sender for the whole Retry-After.
    max_per_second: float | None = None


@dataclass(frozen=True, slots=True)
class ClaimedDelivery:
    """One claimed row with what is needed to send it."""

    id: int
    broadcast_id: int
    attempts: int
    recipient: UserRef | None  # None for a channel post
    target: ChannelTarget | None
    message: Message


class Dispatcher:
    """Sends due deliveries of one platform through ``outbound``; usable directly in tests."""

    def __init__(
        self,
        *,
        database: Database,
        outbound: OutboundSender,
        clock: Clock,
        worker_id: str,
        policy: DispatchPolicy | None = None,
    ) -> None:
        self.database = database
        self.outbound = outbound
        self.clock = clock
        self.worker_id = worker_id
        self.policy = policy or DispatchPolicy()
        self.platform = outbound.platform
        self._stopping = False
        self._semaphore = asyncio.Semaphore(self.policy.concurrency)
        self._next_send_at = 0.0  # event-loop time of the next paced send slot
        self.outcomes: Counter[str] = Counter()

    # -- public loop ---------------------------------------------------------------

    async def run_once(self) -> int:
        """Housekeeping, then claim and deliver one batch; returns rows handled."""
        now = self.clock.now()
        await self.reclaim_expired(now)
        await self.mark_missed(now)
        rows = await self.claim(now, limit=self.policy.batch_size)
        await self._deliver_batch(rows)
        return len(rows)

    async def drain(self, *, wait_for_retries: bool = False) -> int:
        """Deliver until nothing is due; with ``wait_for_retries`` also sleep out backoffs.

        Rows are claimed in a pipeline (a new claim as soon as half the concurrency
        is free) so one slow recipient never stalls the rest of a batch.
        """
        handled = 0
        now = self.clock.now()
        await self.reclaim_expired(now)
        await self.mark_missed(now)
        while True:
            handled += await self._pump()
            if not wait_for_retries:
                return handled
            wait = await self._seconds_until_next_retry()
            if wait is None:
                return handled
            await asyncio.sleep(wait)

    async def run_forever(self) -> None:
        """Deliver as rows fall due, polling every ``poll_interval`` seconds, until cancelled."""
        while True:
            try:
                await self.drain()
            except StorageUnavailable:
                log.warning("dispatcher: database unavailable, retrying", extra=self._log())
            wait = await self._safe_next_retry()
            await asyncio.sleep(min(self.policy.poll_interval, wait or self.policy.poll_interval))

    # -- claiming and housekeeping --------------------------------------------------

    async def claim(self, now: datetime, *, limit: int) -> list[ClaimedDelivery]:
        """Atomically take up to ``limit`` due pending rows for this worker."""
        due = (
            select(BroadcastDelivery.id)
            .where(
                BroadcastDelivery.status == PENDING,
                BroadcastDelivery.platform == self.platform,
                BroadcastDelivery.next_attempt_at <= now,
            )
            .order_by(BroadcastDelivery.next_attempt_at, BroadcastDelivery.id)
            .limit(limit)
        )
        async with self.database.session() as session:
            if self.database.is_sqlite:
                # One write statement: SQLite takes the write lock before reading.
                chosen: object = due.scalar_subquery()
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
                .values(status=SENDING, claimed_by=self.worker_id, claimed_at=now)
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
            return [self._claimed(d, b, m) for d, b, m in details]

    async def reclaim_expired(self, now: datetime) -> int:
        """Put rows whose claimer vanished (crash) back to pending after the lease."""
        async with self.database.session() as session:
            result = await session.execute(
                update(BroadcastDelivery)
                .where(
                    BroadcastDelivery.status == SENDING,
                    BroadcastDelivery.platform == self.platform,
                    BroadcastDelivery.claimed_at < now - self.policy.lease,
                )
                .values(status=PENDING, claimed_by=None, claimed_at=None)
            )
        if result.rowcount:
            log.warning("reclaimed deliveries after lease", extra=self._log(rows=result.rowcount))
        return result.rowcount

    async def mark_missed(self, now: datetime) -> int:
        """Rows due longer ago than the grace period are not sent late: record them missed."""
        cutoff = now - self.policy.grace
        async with self.database.session() as session:
            result = await session.execute(
                update(BroadcastDelivery)
                .where(
                    BroadcastDelivery.status == PENDING,
                    BroadcastDelivery.platform == self.platform,
                    BroadcastDelivery.due_at < cutoff,
                )
                .values(
                    status=DeliveryStatus.MISSED.value,
                    failure_reason="fell due while the bot was down, past the grace period",
                )
                .returning(BroadcastDelivery.broadcast_id)
            )
            per_broadcast = Counter(row[0] for row in result)
            for broadcast_id, count in sorted(per_broadcast.items()):
                broadcast = await session.get(Broadcast, broadcast_id)
                if broadcast is None:
                    continue
                audit.record(
                    session,
                    action=AuditAction.MISSED,
                    broadcast=broadcast,
                    at=now,
                    text=f"{count} deliveries missed (due {broadcast.due_at:%Y-%m-%d %H:%M} UTC)",
                )
                log.warning(
                    "broadcast deliveries missed",
                    extra=self._log(broadcast_id=broadcast_id, rows=count),
                )
        return sum(per_broadcast.values())

    # -- delivering -------------------------------------------------------------------

    async def _pump(self) -> int:
        handled = 0
        in_flight: set[asyncio.Task[None]] = set()
        low_water = max(1, self.policy.concurrency)
        try:
            while True:
                if len(in_flight) <= low_water and not self._stopping:
                    room = self.policy.batch_size - len(in_flight)
                    rows = await self.claim(self.clock.now(), limit=room)
                    handled += len(rows)
                    in_flight.update(asyncio.create_task(self._deliver_one(r)) for r in rows)
                if not in_flight:
                    return handled
                _, in_flight = await asyncio.wait(in_flight, return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:
            await self._stop_gracefully(in_flight)
            raise

    async def _deliver_batch(self, rows: list[ClaimedDelivery]) -> None:
        tasks = {asyncio.create_task(self._deliver_one(row)) for row in rows}
        try:
            if tasks:
                await asyncio.wait(tasks)
        except asyncio.CancelledError:
            await self._stop_gracefully(tasks)
            raise

    async def _stop_gracefully(self, tasks: set[asyncio.Task[None]]) -> None:
        """On cancel: no new sends; in-flight sends finish and are recorded; the rest released."""
        self._stopping = True
        if tasks:
            await asyncio.wait(tasks, timeout=self.policy.lease.total_seconds() / 2)
        log.info("dispatcher stopped", extra=self._log())

    async def _deliver_one(self, row: ClaimedDelivery) -> None:
        async with self._semaphore:
            if self._stopping:
                await self._release(row)
                return
            try:
                posted = await self._send(row)
            except DeliveryError as error:
                await self._record_failure(row, error)
                return
            except Exception as error:  # an adapter bug must not lose the row
                log.exception("unexpected delivery error", extra=self._log(delivery=row.id))
                await self._record_failure(
                    row, DeliveryError(str(error), permanent=False, reason=type(error).__name__)
                )
                return
            await self._mark_sent(row, posted)

    async def _pace(self) -> None:
        """Wait for this send's slot so sends stay at or under ``max_per_second``."""
        if not self.policy.max_per_second:
            return
        loop = asyncio.get_running_loop()
        slot = max(loop.time(), self._next_send_at)
        self._next_send_at = slot + 1.0 / self.policy.max_per_second
        delay = slot - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)

    async def _send(self, row: ClaimedDelivery) -> PostedMessage:
        await self._pace()
        if row.recipient is not None:
            return await self.outbound.send_dm(user=row.recipient, message=row.message)
        if row.target is None:
            raise DeliveryError("member left", permanent=True, reason="member no longer exists")
        return await self.outbound.post(target=row.target, message=row.message)

    async def _mark_sent(self, row: ClaimedDelivery, posted: PostedMessage) -> None:
        async with self.database.session() as session:
            result = await session.execute(
                update(BroadcastDelivery)
                .where(
                    BroadcastDelivery.id == row.id,
                    BroadcastDelivery.status == SENDING,
                    BroadcastDelivery.claimed_by == self.worker_id,
                )
                .values(
                    status=DeliveryStatus.SENT.value,
                    sent_at=self.clock.now(),
                    message_id=posted.message_id[:120],
                    attempts=row.attempts + 1,
                    failure_reason=None,
                )
            )
        self.outcomes["sent"] += 1
        if result.rowcount != 1:
            # Our lease expired and another worker reclaimed the row: the lease is too short.
            log.error("delivery lease lost after sending", extra=self._log(delivery=row.id))

    async def _record_failure(self, row: ClaimedDelivery, error: DeliveryError) -> None:
        attempts = row.attempts + 1
        permanent = error.permanent or attempts >= self.policy.max_attempts
        reason = error.reason if error.permanent else f"gave up after {attempts} tries: {error}"
        values: dict[str, object] = {"attempts": attempts, "claimed_by": None, "claimed_at": None}
        if permanent:
            values.update(status=DeliveryStatus.FAILED.value, failure_reason=reason[:500])
            self.outcomes["failed"] += 1
        else:
            values.update(
                status=PENDING,
                next_attempt_at=self.clock.now() + self._backoff(attempts),
                failure_reason=str(error)[:500],
            )
            self.outcomes["retried"] += 1
        log.info(
            "delivery failed",
            extra=self._log(delivery=row.id, permanent=permanent, reason=error.reason),
        )
        await self._update_claimed(row, values)

    async def _release(self, row: ClaimedDelivery) -> None:
        await self._update_claimed(row, {"status": PENDING, "claimed_by": None, "claimed_at": None})

    async def _update_claimed(self, row: ClaimedDelivery, values: dict[str, object]) -> None:
        async with self.database.session() as session:
            await session.execute(
                update(BroadcastDelivery)
                .where(
                    BroadcastDelivery.id == row.id,
                    BroadcastDelivery.status == SENDING,
                    BroadcastDelivery.claimed_by == self.worker_id,
                )
                .values(**values)
            )

    def _backoff(self, attempts: int) -> timedelta:
        delay = self.policy.retry_base * (2 ** (attempts - 1))
        return min(delay, self.policy.retry_max)

    async def _seconds_until_next_retry(self) -> float | None:
        """Seconds until the earliest pending row of this platform is due; None if none."""
        async with self.database.session() as session:
            earliest = await session.scalar(
                select(BroadcastDelivery.next_attempt_at)
                .where(
                    BroadcastDelivery.status == PENDING,
                    BroadcastDelivery.platform == self.platform,
                )
                .order_by(BroadcastDelivery.next_attempt_at)
                .limit(1)
            )
        if earliest is None:
            return None
        return max(0.05, (earliest - self.clock.now()).total_seconds())

    async def _safe_next_retry(self) -> float | None:
        try:
            return await self._seconds_until_next_retry()
        except StorageUnavailable:
            return None

    def _claimed(self, delivery: BroadcastDelivery, broadcast: Broadcast, member: Member | None):
        target = None
        if broadcast.audience != Audience.DM:
            purpose = (
                ChannelPurpose(broadcast.channel_purpose) if broadcast.channel_purpose else None
            )
            target = ChannelTarget(channel_id=broadcast.channel_id, purpose=purpose)
        return ClaimedDelivery(
            id=delivery.id,
            broadcast_id=broadcast.id,
            attempts=delivery.attempts,
            recipient=member.ref() if member is not None else None,
            target=target,
            message=broadcast_message(broadcast),
        )

    def _log(self, **extra: object) -> dict[str, object]:
        return {"worker": self.worker_id, "platform": self.platform, **extra}
