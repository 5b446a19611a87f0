"""What reached one member since a point: kudos given to them and notes sent to them.

For adapters whose platform cannot notify a member itself: two consoles on one
database are two people at one table, and the one given kudos in the other
console should see it. Reads by increasing id, so a caller keeps the last id it
showed and asks only for newer ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from bot.requests import UserRef
from bot.storage import Database
from bot.storage.models import Kudos, KudosRecipient, Member, ThankYouNote

#: At most this many of each kind per read: a member back after a long time sees the latest.
READ_LIMIT = 20


@dataclass(frozen=True, slots=True)
class ReceivedKudos:
    kudos_id: int
    giver: UserRef
    recipients: tuple[UserRef, ...]  # everyone the kudos named, the member among them
    reason: str


@dataclass(frozen=True, slots=True)
class ReceivedNote:
    note_id: int
    giver: UserRef
    note: str


@dataclass(frozen=True, slots=True)
class InboxMark:
    """The newest kudos and note ids already seen (0 = none)."""

    kudos_id: int = 0
    note_id: int = 0


async def inbox_mark(database: Database) -> InboxMark:
    """The newest ids stored now: a console shows only what arrives after it started."""
    async with database.session() as session:
        kudos_id = await session.scalar(select(func.max(Kudos.id)))
        note_id = await session.scalar(select(func.max(ThankYouNote.id)))
    return InboxMark(kudos_id or 0, note_id or 0)


async def kudos_received_after(
    database: Database, user: UserRef, *, after_id: int
) -> list[ReceivedKudos]:
    """Kudos to ``user`` with an id above ``after_id``, oldest first."""
    me = aliased(Member)
    giver = aliased(Member)
    recipient = aliased(Member)
    mine = (
        select(Kudos.id)
        .join(KudosRecipient, KudosRecipient.kudos_id == Kudos.id)
        .join(me, me.id == KudosRecipient.recipient_id)
        .where(
            me.platform == user.platform,
            me.workspace_id == user.workspace_id,
            me.user_id == user.user_id,
            Kudos.id > after_id,
        )
        .order_by(Kudos.id)
        .limit(READ_LIMIT)
    )
    async with database.session() as session:
        ids = list(await session.scalars(mine))
        if not ids:
            return []
        rows = (
            await session.execute(
                select(Kudos.id, Kudos.reason, giver, recipient)
                .join(giver, giver.id == Kudos.giver_id)
                .join(KudosRecipient, KudosRecipient.kudos_id == Kudos.id)
                .join(recipient, recipient.id == KudosRecipient.recipient_id)
                .where(Kudos.id.in_(ids))
                .order_by(Kudos.id, recipient.display_name)
            )
        ).all()
    found: dict[int, ReceivedKudos] = {}
    for kudos_id, reason, giver_row, recipient_row in rows:
        seen = found.get(kudos_id)
        recipients = (seen.recipients if seen else ()) + (recipient_row.ref(),)
        found[kudos_id] = ReceivedKudos(kudos_id, giver_row.ref(), recipients, reason)
    return list(found.values())


async def notes_received_after(
    database: Database, user: UserRef, *, after_id: int
) -> list[ReceivedNote]:
    """Thank-you notes to ``user`` with an id above ``after_id``, oldest first."""
    me = aliased(Member)
    giver = aliased(Member)
    query = (
        select(ThankYouNote.id, ThankYouNote.note, giver)
        .join(me, me.id == ThankYouNote.recipient_id)
        .join(giver, giver.id == ThankYouNote.giver_id)
        .where(
            me.platform == user.platform,
            me.workspace_id == user.workspace_id,
            me.user_id == user.user_id,
            ThankYouNote.id > after_id,
        )
        .order_by(ThankYouNote.id)
        .limit(READ_LIMIT)
    )
    async with database.session() as session:
        rows = (await session.execute(query)).all()
    return [ReceivedNote(note_id, giver_row.ref(), note) for note_id, note, giver_row in rows]
