"""Retries thank-you notes and kudos posts whose delivery failed for a moment.

Listed in ``bot.core.BACKGROUND_MODULES``; adapters start it with
``core.run_background()`` once their outbound sender is ready. Every minute it
sends the notes whose next attempt is due, or whose attempt never finished (see
:mod:`bot.kudos.notes` for the schedule and the cap), and posts the kudos whose
post failed (:mod:`bot.kudos.post_retries`), through the same outbound sender
the commands use.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from bot.errors import StorageUnavailable
from bot.kudos.notes import RETRY_BATCH, retry_due_notes
from bot.kudos.post_retries import RETRY_BATCH as POST_RETRY_BATCH
from bot.kudos.post_retries import retry_due_posts

if TYPE_CHECKING:
    from bot.core import BotCore

log = logging.getLogger(__name__)

RETRY_INTERVAL_SECONDS = 60
#: The first pass waits a little: nothing is urgent at start, and a bot stopped
#: right after starting (a console session, a failed deploy) has no query in flight.
FIRST_PASS_DELAY_SECONDS = 15


async def run(core: BotCore) -> None:
    """Retry due notes shortly after start, then every ``RETRY_INTERVAL_SECONDS``."""
    outbound = core.outbound
    if outbound is None:
        log.info("no outbound sender: thank-you notes are not retried")
        return
    await asyncio.sleep(FIRST_PASS_DELAY_SECONDS)
    while True:
        try:
            # A full batch means more may be due: go again at once.
            tz = core.settings.timezone
            while await retry_due_notes(core.database, outbound, now=core.now(), tz=tz) >= (
                RETRY_BATCH
            ):
                pass
            while await retry_due_posts(core.database, outbound, now=core.now()) >= (
                POST_RETRY_BATCH
            ):
                pass
        except StorageUnavailable:
            log.warning("thank-you notes not retried: database unavailable; trying again later")
        except Exception:
            # One bad note must not stop the retries of every other one.
            log.exception("thank-you note retry pass failed")
        await asyncio.sleep(RETRY_INTERVAL_SECONDS)
