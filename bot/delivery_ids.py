"""Forgets old platform delivery ids, so the idempotency table stays small.

Listed in ``bot.core.BACKGROUND_MODULES``. ``processed_deliveries`` remembers every
delivery id the core acted on, so a platform's retry of the same delivery is
ignored. Platforms retry within minutes (Slack: three times within about an
hour at most), so ids older than a day can never be retried again and are
deleted, every hour and once at start.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import delete

from bot.errors import StorageUnavailable
from bot.storage import Database
from bot.storage.models import ProcessedDelivery

if TYPE_CHECKING:
    from bot.core import BotCore

log = logging.getLogger(__name__)

#: Delivery ids younger than this are kept; far beyond any platform's retry window.
KEEP_DELIVERY_IDS = timedelta(days=1)
PRUNE_INTERVAL_SECONDS = 3600


async def prune_processed_deliveries(database: Database, *, now: datetime) -> int:
    """Delete delivery ids received before ``now - KEEP_DELIVERY_IDS``; returns how many."""
    async with database.session() as session:
        result = await session.execute(
            delete(ProcessedDelivery)
            .where(ProcessedDelivery.received_at < now - KEEP_DELIVERY_IDS)
            .execution_options(synchronize_session=False)
        )
    return result.rowcount or 0


async def run(core: BotCore) -> None:
    """Prune at start, then every ``PRUNE_INTERVAL_SECONDS``, until cancelled."""
    while True:
        try:
            pruned = await prune_processed_deliveries(core.database, now=core.now())
            if pruned:
                log.info("old delivery ids pruned", extra={"count": pruned})
        except StorageUnavailable:
            log.warning("delivery ids not pruned: database unavailable; trying again later")
        except Exception:
            # Pruning is housekeeping: a failure must never stop the bot's other work.
            log.exception("delivery id pruning failed; trying again later")
        await asyncio.sleep(PRUNE_INTERVAL_SECONDS)
