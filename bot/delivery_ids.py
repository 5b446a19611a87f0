"""Platform delivery ids: claimed once per delivery, released on failure, pruned later.

``processed_deliveries`` remembers every delivery id the core acted on, so a
platform's retry of the same delivery (Slack re-sends an event up to three
times, a member may double-submit) is acted on once. Claiming is on the path of
every command, so it is one statement, ``INSERT ... ON CONFLICT DO NOTHING``, shared
by the claims that arrive together.

:class:`PruneDeliveryIds` is a background service (started by :mod:`bot.runner`):
platforms retry within minutes (Slack within about an hour at most), so ids
older than a day can never come back and are deleted, shortly after start and
then every hour.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, delete
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.background import every
from bot.clock import Clock
from bot.storage import Database
from bot.storage.database import dialect_insert
from bot.storage.models import ProcessedDelivery

if TYPE_CHECKING:
    from sqlalchemy.sql.dml import ReturningInsert

log = logging.getLogger(__name__)

#: Delivery ids younger than this are kept; far beyond any platform's retry window.
KEEP_DELIVERY_IDS = timedelta(days=1)
PRUNE_INTERVAL_SECONDS = 3600.0
#: The first pass waits a little: nothing is urgent at start, and a bot stopped
#: right after starting (a console session, a failed deploy) has no query in flight.
FIRST_PASS_DELAY_SECONDS = 20.0


# Built once per dialect in use: a prebuilt statement with bound parameters skips
# most of SQLAlchemy's per-call work (its compiled form is cached).
@cache
def _claim_statement(dialect: str) -> ReturningInsert[str, str]:
    return (
        dialect_insert(dialect)(ProcessedDelivery)
        .on_conflict_do_nothing()
        .returning(ProcessedDelivery.platform, ProcessedDelivery.delivery_id)
    )


_RELEASE = delete(ProcessedDelivery).where(
    ProcessedDelivery.platform == bindparam("platform"),
    ProcessedDelivery.delivery_id == bindparam("delivery_id"),
)


@dataclass(frozen=True, slots=True)
class _Claim:
    platform: str
    delivery_id: str
    command: str
    received_at: datetime


async def claim_delivery(
    database: Database, *, platform: str, delivery_id: str, command: str, now: datetime
) -> bool:
    """Record a delivery id; False when it was already recorded (a retried delivery).

    Claims arriving together are written together, in one statement (see
    :mod:`bot.storage.batching`). Two copies of one delivery are safe whether they
    share a statement (the first wins) or not (PostgreSQL makes the second insert
    wait for the first one's commit; SQLite writes one after the other).
    """
    claims = database.batcher("delivery_ids", _write_claims, single_statement=True)
    return await claims.submit(_Claim(platform, delivery_id, command, now))


async def _write_claims(connection: AsyncConnection, claims: list[_Claim]) -> list[bool]:
    inserted = await connection.execute(
        _claim_statement(connection.dialect.name),
        [
            {
                "platform": claim.platform,
                "delivery_id": claim.delivery_id,
                "command": claim.command,
                "received_at": claim.received_at,
            }
            for claim in claims
        ],
    )
    new = {(platform, delivery_id) for platform, delivery_id in inserted}
    granted: list[bool] = []
    for claim in claims:
        key = (claim.platform, claim.delivery_id)
        granted.append(key in new)
        new.discard(key)  # a second copy in the same batch is a retry
    return granted


async def release_delivery(database: Database, *, platform: str, delivery_id: str) -> None:
    """Forget a delivery id, so the platform's retry of a failed command can act."""
    async with database.single_statement() as connection:
        await connection.execute(_RELEASE, {"platform": platform, "delivery_id": delivery_id})


async def prune_processed_deliveries(database: Database, *, now: datetime) -> int:
    """Delete delivery ids received before ``now - KEEP_DELIVERY_IDS``; returns how many."""
    async with database.transaction() as connection:
        result = await connection.execute(
            delete(ProcessedDelivery).where(ProcessedDelivery.received_at < now - KEEP_DELIVERY_IDS)
        )
    return result.rowcount or 0


class PruneDeliveryIds:
    """Deletes delivery ids older than ``KEEP_DELIVERY_IDS``, every ``interval`` seconds."""

    name = "delivery id pruning"

    def __init__(
        self,
        *,
        database: Database,
        clock: Clock,
        first_delay: float = FIRST_PASS_DELAY_SECONDS,
        interval: float = PRUNE_INTERVAL_SECONDS,
    ) -> None:
        self._database = database
        self._clock = clock
        self._first_delay = first_delay
        self._interval = interval

    async def run(self) -> None:
        """Prune shortly after start, then every ``interval`` seconds, until cancelled."""
        # Pruning is housekeeping: a failed pass is logged and never stops other work.
        await every(
            self._interval, self.prune, what="delivery id pruning", first_delay=self._first_delay
        )

    async def prune(self) -> None:
        pruned = await prune_processed_deliveries(self._database, now=self._clock.now())
        if pruned:
            log.info("old delivery ids pruned", extra={"count": pruned})
