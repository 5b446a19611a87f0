"""Pruning of old platform delivery ids (claimed once per delivery by the core).

The claims themselves are in :mod:`bot.storage.repositories.deliveries`.

:class:`PruneDeliveryIds` is a background service (started by :mod:`bot.runner`):
platforms retry within minutes (Slack within about an hour at most), so ids
older than a day can never come back and are deleted, shortly after start and
then every hour.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.background import every
from bot.clock import Clock
from bot.storage import Database
from bot.storage.repositories.deliveries import prune_processed_deliveries

log = logging.getLogger(__name__)

#: Delivery ids younger than this are kept; far beyond any platform's retry window.
KEEP_DELIVERY_IDS = timedelta(days=1)
PRUNE_INTERVAL_SECONDS = 3600.0
#: The first pass waits a little: nothing is urgent at start, and a bot stopped
#: right after starting (a console session, a failed deploy) has no query in flight.
FIRST_PASS_DELAY_SECONDS = 20.0


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
        pruned = await prune_processed_deliveries(
            self._database, now=self._clock.now(), keep=KEEP_DELIVERY_IDS
        )
        if pruned:
            log.info("old delivery ids pruned", extra={"count": pruned})
