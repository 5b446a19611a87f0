"""Kudos and thank-you notes for the console's member, given in another console.

Two consoles on one database (``--as alice`` and ``--as bob``) are two people:
when Alice gives Bob kudos, her console prints the post, and Bob's console shows
it too, as the kudos channel and a DM would on Slack or Discord. Bob's console
finds them by reading the database every few seconds for kudos and notes
addressed to him that are newer than the last it showed (the simplest design
that works whichever process stored them, with no channel between processes).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from adapters.console.render import render_text
from bot.errors import StorageUnavailable
from bot.kudos import messages
from bot.kudos.inbox import (
    InboxMark,
    inbox_mark,
    kudos_received_after,
    notes_received_after,
)
from bot.requests import UserRef
from bot.storage import Database

log = logging.getLogger(__name__)

POLL_SECONDS = 2.0


class ConsoleInbox:
    """Shows what reached ``user`` from elsewhere, through ``show``."""

    def __init__(self, database: Database, user: UserRef, show: Callable[[str], None]) -> None:
        self._database = database
        self._user = user
        self._show = show
        self._mark: InboxMark | None = None

    async def start(self) -> None:
        """Note what is already stored: only what arrives later is shown."""
        self._mark = await inbox_mark(self._database)

    async def check(self) -> int:
        """Show what arrived since the last check; how many messages were shown."""
        if self._mark is None:
            await self.start()
            return 0
        assert self._mark is not None
        kudos = await kudos_received_after(self._database, self._user, after_id=self._mark.kudos_id)
        notes = await notes_received_after(self._database, self._user, after_id=self._mark.note_id)
        for item in kudos:
            post = messages.kudos_post(
                giver=item.giver, recipients=item.recipients, reason=(item.reason,)
            )
            self._show(f"[posted in #kudos] {render_text(post)}")
        for note in notes:
            dm = messages.thanks_dm(giver=note.giver, note=(note.note,))
            self._show(f"[DM from @{note.giver.name}] {render_text(dm)}")
        self._mark = InboxMark(
            kudos[-1].kudos_id if kudos else self._mark.kudos_id,
            notes[-1].note_id if notes else self._mark.note_id,
        )
        return len(kudos) + len(notes)

    async def run(self, *, every: float = POLL_SECONDS) -> None:
        """Check every ``every`` seconds until cancelled; a database outage only waits."""
        while True:
            try:
                await self.check()
            except StorageUnavailable as error:
                log.warning("console inbox: database unavailable: %s", error)
            except Exception as error:  # the chat goes on; the next check may work
                log.warning("console inbox check failed: %s: %s", type(error).__name__, error)
            await asyncio.sleep(every)
