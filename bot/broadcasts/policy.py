"""How the dispatcher paces, retries and times out deliveries."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta

#: The shortest grace period honoured: with none at all, every row would be
#: marked missed the instant it fell due, before any dispatcher could send it.
MIN_GRACE = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class DispatchPolicy:
    """Tuning knobs; the defaults suit a bot process polling every few seconds.

    Attributes:
        grace: How long after its due time a row may still be sent: rows due while
            the bot was down are sent on start within it (else marked missed), and
            transient errors are retried until it ends (then recorded as failed).
        lease: How long a claimed row belongs to its dispatcher without a renewal;
            the dispatcher renews it every quarter lease while the send lasts, so
            only a dead (or cut off) dispatcher loses it. Short, so a crashed
            worker's in-flight rows are resumed (and checked) within a minute, well
            inside the time Discord remembers a nonce.
        batch_size: Most rows claimed per claim statement (never more than the
            sends free, see ``concurrency``).
        concurrency: Sends in flight at once.
        retry_base: First backoff after a transient error; doubles on each failure.
        retry_max: Longest backoff between two tries.
        poll_interval: Seconds between looks for newly due rows.
        max_per_second: Sends per second this dispatcher allows itself; None leaves
            the pace to the platform's 429 answers, which the adapter waits out.
        record_retry_base: Seconds before retrying to record a sent message when the
            database failed; doubles up to ``record_retry_max`` while the lease lasts.
        record_retry_max: Longest wait between two such tries.
    """

    grace: timedelta = timedelta(hours=6)
    lease: timedelta = timedelta(minutes=1)
    batch_size: int = 100
    concurrency: int = 8
    retry_base: timedelta = timedelta(seconds=1)
    retry_max: timedelta = timedelta(minutes=5)
    poll_interval: float = 5.0
    max_per_second: float | None = None
    record_retry_base: float = 0.2
    record_retry_max: float = 5.0

    @property
    def effective_grace(self) -> timedelta:
        return max(self.grace, MIN_GRACE)

    def give_up_at(self, due_at: datetime) -> datetime:
        """When transient errors stop being retried for a row due at ``due_at``."""
        return due_at + self.effective_grace

    def backoff(self, attempts: int) -> timedelta:
        """Wait after the ``attempts``-th failed try: 1 s, 2 s, 4 s ... capped at ``retry_max``."""
        exponent = min(attempts - 1, 30)  # 2**30 s is far past any cap; avoids huge numbers
        return min(self.retry_base * (2**exponent), self.retry_max)


class Pacer:
    """Spaces sends evenly so they stay at or under ``per_second`` (None: no pacing)."""

    def __init__(self, per_second: float | None) -> None:
        self.per_second = per_second
        self._next_slot = 0.0  # event-loop time of the next free send slot

    async def wait_turn(self) -> None:
        if not self.per_second:
            return
        loop = asyncio.get_running_loop()
        slot = max(loop.time(), self._next_slot)
        self._next_slot = slot + 1.0 / self.per_second
        delay = slot - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
