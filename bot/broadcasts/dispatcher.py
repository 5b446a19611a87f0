"""The delivery dispatcher: claims due delivery rows, sends them, records the outcome.

Exactly once
------------
Rows are claimed atomically (:mod:`bot.broadcasts.claims`), so two dispatchers
never both send one, and a dispatcher claims a row only when a send is free for
it: rows it has not started stay ``pending``, so if the process dies, another
dispatcher (or the restarted one) sends them at once. While a row is being sent
its lease is renewed; a row whose claimer died is put back after the lease with
``maybe_sent`` set. Every send carries a stable :class:`~bot.outbound.DeliveryKey`
(the row id), and a ``maybe_sent`` row is checked with the platform before it is
sent again (Slack: the message's metadata in the channel history; Discord: the
nonce it enforces), so a message that arrived just before a crash, a dropped
connection or a database outage is recorded as sent, not sent twice. A row is
marked ``sent`` right after the platform accepted the message; if that database
write fails it is retried while the lease lasts, and after that the check
settles it. A graceful stop (task cancelled, SIGTERM) lets in-flight sends
finish and be recorded.

Failures: permanent ones (user gone, DMs closed) are recorded per recipient at
once; transient ones (5xx, timeouts, network, unconfirmed) are retried with
capped exponential backoff until the row's due time plus the grace period, and
only then recorded as failed with the last error (:mod:`bot.broadcasts.failures`).
Rows that fell due while no dispatcher ran are sent within the grace period,
else marked missed and reported to staff (:mod:`bot.broadcasts.overdue`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.broadcasts import claims
from bot.broadcasts.claims import PENDING, ClaimedDelivery
from bot.broadcasts.failures import after_failure
from bot.broadcasts.overdue import OverdueResult, expire_overdue
from bot.broadcasts.policy import DispatchPolicy, Pacer
from bot.clock import Clock
from bot.errors import DeliveryError, DeliveryReason, StorageUnavailable
from bot.outbound import DeliveryKey, OutboundSender, PostedMessage
from bot.storage import Database
from bot.storage.repositories.broadcast_claims import RETRYABLE_ERRORS

__all__ = ["ClaimedDelivery", "DispatchPolicy", "Dispatcher"]

log = logging.getLogger(__name__)

#: Database errors worth retrying a write for (outages, lock timeouts, dropped connections).
_DATABASE_ERRORS = RETRYABLE_ERRORS


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
        zone: ZoneInfo | None = None,
        wake: asyncio.Event | None = None,
    ) -> None:
        """Create a dispatcher.

        Args:
            database: Where the delivery rows live.
            outbound: The adapter's sender; its ``platform`` picks the rows.
            clock: Decides what is due (injected in tests).
            worker_id: Unique per process; recorded on claimed rows.
            policy: Pacing, retry and grace settings.
            zone: The organisation's time zone, for times quoted in notices to staff.
            wake: Set when rows fell due just now (a broadcast confirmed for "now"):
                the dispatcher looks at once instead of at its next poll.
        """
        self.database = database
        self.outbound = outbound
        self.clock = clock
        self.worker_id = worker_id
        self.policy = policy or DispatchPolicy()
        self.zone = zone or ZoneInfo("UTC")
        self.wake = wake or asyncio.Event()
        self.platform = outbound.platform
        self._stopping = False
        self._semaphore = asyncio.Semaphore(self.policy.concurrency)
        self._pacer = Pacer(self.policy.max_per_second)
        self._held: set[int] = set()  # ids of the rows this dispatcher is sending
        self.outcomes: Counter[str] = Counter()

    # -- public loop ---------------------------------------------------------------

    async def run_once(self) -> int:
        """Housekeeping, then claim and deliver one batch; returns rows handled."""
        await self.housekeeping(self.clock.now())
        rows = await self.claim(self.clock.now(), limit=self._claim_size(0))
        await self._deliver_batch(rows)
        return len(rows)

    async def drain(self, *, wait_for_retries: bool = False) -> int:
        """Deliver until nothing is due; with ``wait_for_retries`` also sleep out backoffs.

        Rows are claimed in a pipeline (a new claim as soon as half the concurrency
        is free) so one slow recipient never stalls the rest of a batch.
        """
        handled = 0
        await self.housekeeping(self.clock.now())
        while True:
            handled += await self._pump()
            if not wait_for_retries:
                return handled
            wait = await self._seconds_until_next_retry()
            if wait is None:
                return handled
            await asyncio.sleep(wait)
            await self.housekeeping(self.clock.now())

    async def run_forever(self) -> None:
        """Deliver as rows fall due, polling every ``poll_interval`` seconds, until cancelled."""
        while True:
            try:
                await self.drain()
            except StorageUnavailable:
                log.warning("dispatcher: database unavailable, retrying", extra=self._log())
            wait = await self._safe_next_retry()
            await self._sleep(min(self.policy.poll_interval, wait or self.policy.poll_interval))

    async def _sleep(self, seconds: float) -> None:
        """Wait ``seconds``, or less when woken."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.wake.wait(), timeout=seconds)
        self.wake.clear()

    # -- claiming and housekeeping --------------------------------------------------

    async def claim(self, now: datetime, *, limit: int) -> list[ClaimedDelivery]:
        """Atomically take up to ``limit`` due pending rows for this worker."""
        rows = await claims.claim_due(
            self.database, platform=self.platform, worker_id=self.worker_id, now=now, limit=limit
        )
        self._held.update(row.id for row in rows)
        return rows

    async def _claim_whole(self, limit: int) -> list[ClaimedDelivery]:
        """Claim; a stop arriving meanwhile lets the claim finish and hands its rows back."""
        claiming = asyncio.ensure_future(self.claim(self.clock.now(), limit=limit))
        try:
            return await asyncio.shield(claiming)
        except asyncio.CancelledError:
            with contextlib.suppress(Exception):
                for row in await claiming:
                    await self._release(row)
                    self._held.discard(row.id)
            raise

    def _claim_size(self, in_flight: int) -> int:
        """No more rows than there are sends free: unclaimed rows stay anyone's to send."""
        return max(0, min(self.policy.batch_size, self.policy.concurrency - in_flight))

    async def renew_leases(self) -> int:
        """Renew the lease of every row this dispatcher is sending; how many it holds."""
        return await claims.renew_claims(
            self.database, sorted(self._held), worker_id=self.worker_id, now=self.clock.now()
        )

    async def _keep_leases(self) -> None:
        """Renew leases every quarter lease until cancelled; outages are ridden out."""
        interval = self.policy.lease.total_seconds() / 4
        while True:
            await asyncio.sleep(interval)
            try:
                await self.renew_leases()
            except _DATABASE_ERRORS as error:
                log.warning("could not renew delivery leases", extra=self._log(error=repr(error)))

    async def housekeeping(self, now: datetime) -> OverdueResult:
        """Reclaim rows of vanished dispatchers; expire rows whose grace period is over."""
        await self.reclaim_expired(now)
        return await self.expire_overdue(now)

    async def reclaim_expired(self, now: datetime) -> int:
        """Put rows whose claimer vanished (crash) back to pending after the lease."""
        return await claims.reclaim_expired(
            self.database, platform=self.platform, now=now, lease=self.policy.lease
        )

    async def expire_overdue(self, now: datetime) -> OverdueResult:
        """Mark rows past their grace period missed (and tell staff) or failed."""
        return await expire_overdue(
            self.database,
            platform=self.platform,
            now=now,
            grace=self.policy.effective_grace,
            zone=self.zone,
        )

    # -- delivering -------------------------------------------------------------------

    async def _pump(self) -> int:
        handled = 0
        in_flight: set[asyncio.Task[None]] = set()
        keeper = asyncio.create_task(self._keep_leases())
        try:
            while True:
                room = self._claim_size(len(in_flight))
                if room and not self._stopping:
                    try:
                        rows = await self._claim_whole(room)
                    except StorageUnavailable:
                        if not in_flight:
                            raise
                        rows = []  # finish what is in flight; the next claim tries again
                    handled += len(rows)
                    in_flight.update(asyncio.create_task(self._deliver_one(r)) for r in rows)
                if not in_flight:
                    return handled
                _, in_flight = await asyncio.wait(in_flight, return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:
            await self._stop_gracefully(in_flight)
            raise
        finally:
            keeper.cancel()

    async def _deliver_batch(self, rows: list[ClaimedDelivery]) -> None:
        tasks = {asyncio.create_task(self._deliver_one(row)) for row in rows}
        keeper = asyncio.create_task(self._keep_leases())
        try:
            if tasks:
                await asyncio.wait(tasks)
        except asyncio.CancelledError:
            await self._stop_gracefully(tasks)
            raise
        finally:
            keeper.cancel()

    async def _stop_gracefully(self, tasks: set[asyncio.Task[None]]) -> None:
        """On cancel: no new sends; in-flight sends finish and are recorded; the rest released."""
        self._stopping = True
        if tasks:
            await asyncio.wait(tasks, timeout=self.policy.lease.total_seconds() / 2)
        log.info("dispatcher stopped", extra=self._log())

    async def _deliver_one(self, row: ClaimedDelivery) -> None:
        try:
            await self._deliver_claimed(row)
        finally:
            self._held.discard(row.id)

    async def _deliver_claimed(self, row: ClaimedDelivery) -> None:
        async with self._semaphore:
            try:
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
                        row,
                        DeliveryError(
                            str(error),
                            permanent=False,
                            reason=DeliveryReason.UNCONFIRMED,
                            detail=type(error).__name__,
                        ),
                    )
                    return
                await self._record_sent(row, posted)
            except _DATABASE_ERRORS:
                # Not sent, or sent and recorded failing for the whole lease (logged there):
                # the row stays claimed and is reclaimed after the lease.
                log.warning("could not record a delivery outcome", extra=self._log(delivery=row.id))

    async def _send(self, row: ClaimedDelivery) -> PostedMessage:
        await self._pacer.wait_turn()
        key = DeliveryKey.for_broadcast_delivery(row.id, maybe_sent=row.maybe_sent)
        if row.target is not None:
            return await self.outbound.post(target=row.target, message=row.message, key=key)
        if row.recipient is None:
            raise DeliveryError("member left", reason=DeliveryReason.RECIPIENT_GONE)
        return await self.outbound.send_dm(user=row.recipient, message=row.message, key=key)

    async def _record_sent(self, row: ClaimedDelivery, posted: PostedMessage) -> None:
        """Mark the row sent, retrying database errors while the row is still ours.

        The message is out: giving up here would leave the row ``sending`` and get
        it sent a second time after the lease, so keep trying until shortly before
        the lease ends (after that another dispatcher may already have reclaimed it).
        """
        loop = asyncio.get_running_loop()
        held_for = (self.clock.now() - row.claimed_at).total_seconds()
        margin = min(30.0, self.policy.lease.total_seconds() / 10)
        give_up_at = loop.time() + self.policy.lease.total_seconds() - held_for - margin
        delay = self.policy.record_retry_base
        tries = 0
        while True:
            tries += 1
            try:
                ours = await claims.record_sent(
                    self.database,
                    row,
                    worker_id=self.worker_id,
                    posted=posted,
                    now=self.clock.now(),
                )
                break
            except _DATABASE_ERRORS as error:
                if loop.time() + delay >= give_up_at:
                    log.error(
                        "could not record a sent message before its lease ran out; "
                        "its next attempt checks with the platform first",
                        extra=self._log(delivery=row.id, tries=tries, error=repr(error)),
                    )
                    self.outcomes["unrecorded"] += 1
                    return
                log.warning(
                    "recording a sent message failed; retrying",
                    extra=self._log(delivery=row.id, tries=tries, error=repr(error)),
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.policy.record_retry_max)
        self.outcomes["sent"] += 1
        if not ours:
            # Our lease expired and another worker reclaimed the row: the lease is too short.
            log.error("delivery lease lost after sending", extra=self._log(delivery=row.id))

    async def _record_failure(self, row: ClaimedDelivery, error: DeliveryError) -> None:
        failed = after_failure(row, error, now=self.clock.now(), policy=self.policy)
        self.outcomes["failed" if failed.final else "retried"] += 1
        log.info(
            "delivery failed",
            extra=self._log(
                delivery=row.id,
                permanent=error.permanent,
                reason=error.reason.value,
                detail=error.detail,
                attempts=failed.attempts,
                final=failed.final,
            ),
        )
        await claims.update_claimed(
            self.database, row, worker_id=self.worker_id, values=failed.values
        )

    async def _release(self, row: ClaimedDelivery) -> None:
        await claims.update_claimed(
            self.database,
            row,
            worker_id=self.worker_id,
            values={"status": PENDING, "claimed_by": None, "claimed_at": None},
        )

    async def _seconds_until_next_retry(self) -> float | None:
        """Seconds until the earliest pending row of this platform is due; None if none."""
        earliest = await claims.earliest_pending(self.database, platform=self.platform)
        if earliest is None:
            return None
        return max(0.05, (earliest - self.clock.now()).total_seconds())

    async def _safe_next_retry(self) -> float | None:
        try:
            return await self._seconds_until_next_retry()
        except StorageUnavailable:
            return None

    def _log(self, **extra: object) -> dict[str, object]:
        return {"worker": self.worker_id, "platform": self.platform, **extra}
