"""Which members this process wrote recently, so an unchanged one is not rewritten."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from bot.requests import UserRef

#: An unchanged member seen again within this time is not rewritten (``last_seen`` is
#: that precise); a new display name is always written at once.
SEEN_REFRESH = timedelta(hours=1)
#: Members remembered per process; far above an association's size, it only bounds memory.
SEEN_CAPACITY = 50_000


class SeenMembers:
    """Members this process wrote recently, so an unchanged one is not rewritten on
    every request (a write per command is the costliest part of a busy minute).

    One per core (so per database): it only ever skips a write that was just made.
    """

    def __init__(self, *, refresh: timedelta = SEEN_REFRESH, capacity: int = SEEN_CAPACITY):
        self.refresh = refresh
        self.capacity = capacity
        self._written: dict[tuple[str, str, str], tuple[str | None, bool, datetime]] = {}

    def is_fresh(self, user: UserRef, now: datetime) -> bool:
        """True when ``user`` was written recently with the same name and bot flag."""
        written = self._written.get(user.key)
        if written is None:
            return False
        name, is_bot, at = written
        return name == user.display_name and is_bot == user.is_bot and at <= now < at + self.refresh

    def remember(self, users: Iterable[UserRef], now: datetime) -> None:
        """Note that ``users`` were just written (call after the transaction committed)."""
        for user in users:
            self._written.pop(user.key, None)  # re-insert: the dict stays oldest first
            self._written[user.key] = (user.display_name, user.is_bot, now)
        while len(self._written) > self.capacity:
            del self._written[next(iter(self._written))]
