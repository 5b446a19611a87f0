"""Who can be mentioned in the console: the people who chat in it, and a small demo team.

The terminal has no member directory. Taking every ``@word`` as a member would
turn a typo (``@mraia``) into a permanent member who then gets every DM
broadcast, so the console knows its members instead: everyone who has chatted
in a console on this database (``memberbot console --as NAME``), plus the demo
team the bot's own examples name (so ``/kudos @maria for ...`` from ``/help``
works in a fresh demo). Any other name is refused with a hint, and nothing is
stored for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from adapters.console.translate import PLATFORM, WORKSPACE, console_user
from bot.requests import UserRef
from bot.storage import Database
from bot.storage.repositories.members import record_seen

#: The people in the bot's examples (/help, /kudos help): the console's demo team.
DEMO_TEAM = ("maria", "sam", "ana", "ben", "chris")


class ConsoleRoster:
    """The console's known members: stored console members and the demo team."""

    def __init__(self, database: Database, *, me: UserRef, team: Iterable[str] = DEMO_TEAM):
        self._database = database
        self._me = me
        self._names: dict[str, UserRef] = {me.user_id: me}
        for name in team:
            user = console_user(name)
            self._names.setdefault(user.user_id, user)

    async def join(self, now: datetime) -> None:
        """Record the console's own member at once, so other consoles can mention them."""
        await record_seen(self._database, [self._me], now=now)

    async def refresh(self) -> None:
        """Learn who has chatted since (another console on the same database)."""
        async with self._database.unit_of_work() as work:
            stored = await work.members.in_workspace(platform=PLATFORM, workspace_id=WORKSPACE)
        self._names.update(stored)

    def member(self, typed: UserRef) -> UserRef | None:
        """The known member a typed name is (spelt as they spell it), or ``None``.

        A bot is passed on as typed, so the core can say it takes no kudos.
        """
        if typed.is_bot:
            return typed
        return self._names.get(typed.user_id)

    def names(self) -> list[str]:
        """Known names, as ``@name``, sorted for a hint."""
        return sorted(f"@{user.name}" for user in self._names.values() if not user.is_bot)
