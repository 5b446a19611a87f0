"""Retries thank-you notes and kudos posts whose delivery failed for a moment.

The runner (:mod:`bot.runner`) starts :class:`KudosRetries` once the outbound
sender is ready. Every minute it sends the notes whose next attempt is due, or
whose attempt never finished (see :mod:`bot.kudos.notes` for the schedule and
the cap), and posts the kudos whose post failed (:mod:`bot.kudos.post_retries`),
through the same outbound sender the commands use.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.background import every
from bot.clock import Clock
from bot.kudos.notes import RETRY_BATCH, retry_due_notes
from bot.kudos.post_retries import RETRY_BATCH as POST_RETRY_BATCH
from bot.kudos.post_retries import retry_due_posts
from bot.outbound import OutboundSender
from bot.storage import Database

RETRY_INTERVAL_SECONDS = 60.0
#: The first pass waits a little: nothing is urgent at start, and a bot stopped
#: right after starting (a console session, a failed deploy) has no query in flight.
FIRST_PASS_DELAY_SECONDS = 15.0


class KudosRetries:
    """Sends the thank-you notes and kudos posts of ``outbound``'s platform that are due."""

    name = "kudos retries"

    def __init__(
        self,
        *,
        database: Database,
        outbound: OutboundSender,
        clock: Clock,
        timezone: ZoneInfo,
        first_delay: float = FIRST_PASS_DELAY_SECONDS,
        interval: float = RETRY_INTERVAL_SECONDS,
    ) -> None:
        self._database = database
        self._outbound = outbound
        self._clock = clock
        self._timezone = timezone
        self._first_delay = first_delay
        self._interval = interval

    async def run(self) -> None:
        """Retry shortly after start, then every ``interval`` seconds, until cancelled."""
        await every(
            self._interval,
            self.retry_due,
            what="thank-you note and kudos post retries",
            first_delay=self._first_delay,
        )

    async def retry_due(self) -> None:
        """One pass: every due note, then every due post (a full batch means more are due)."""
        while (
            await retry_due_notes(
                self._database, self._outbound, now=self._clock.now(), tz=self._timezone
            )
            >= RETRY_BATCH
        ):
            pass
        while (
            await retry_due_posts(self._database, self._outbound, now=self._clock.now())
            >= POST_RETRY_BATCH
        ):
            pass
