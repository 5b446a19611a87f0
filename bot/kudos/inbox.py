"""What reached one member since a point: kudos given to them and notes sent to them.

For adapters whose platform cannot notify a member itself: two consoles on one
database are two people at one table, and the one given kudos in the other
console should see it. Reads by increasing id, so a caller keeps the last id it
showed and asks only for newer ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.requests import UserRef
from bot.storage import Database
from bot.storage.repositories.kudos_reports import ReceivedKudos
from bot.storage.repositories.notes import ReceivedNote

__all__ = [
    "READ_LIMIT",
    "InboxMark",
    "ReceivedKudos",
    "ReceivedNote",
    "inbox_mark",
    "kudos_received_after",
    "notes_received_after",
]

#: At most this many of each kind per read: a member back after a long time sees the latest.
READ_LIMIT = 20


@dataclass(frozen=True, slots=True)
class InboxMark:
    """The newest kudos and note ids already seen (0 = none)."""

    kudos_id: int = 0
    note_id: int = 0


async def inbox_mark(database: Database) -> InboxMark:
    """The newest ids stored now: a console shows only what arrives after it started."""
    async with database.unit_of_work() as work:
        kudos_id = await work.kudos.newest_id()
        note_id = await work.notes.newest_id()
    return InboxMark(kudos_id, note_id)


async def kudos_received_after(
    database: Database, user: UserRef, *, after_id: int
) -> list[ReceivedKudos]:
    """Kudos to ``user`` with an id above ``after_id``, oldest first."""
    async with database.unit_of_work() as work:
        return await work.kudos.received_after(user, after_id=after_id, limit=READ_LIMIT)


async def notes_received_after(
    database: Database, user: UserRef, *, after_id: int
) -> list[ReceivedNote]:
    """Thank-you notes to ``user`` with an id above ``after_id``, oldest first."""
    async with database.unit_of_work() as work:
        return await work.notes.received_after(user, after_id=after_id, limit=READ_LIMIT)
