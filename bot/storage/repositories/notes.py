"""Thank-you notes and their delivery state.

Storing a note (:func:`store_note`) and recording how a DM attempt went
(:func:`record_note_attempt`) run on the path of every ``/thanks``, each in one
Core transaction or statement; the rest goes through :class:`NoteRepository`
(``work.notes``). The retry schedule and what members are told live in
:mod:`bot.kudos.notes`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, and_, bindparam, func, insert, or_, select, update
from sqlalchemy.orm import aliased

from bot.requests import UserRef
from bot.storage.models import Member, ThankYouNote
from bot.storage.repositories.base import Repository
from bot.storage.repositories.kudos_reports import same_member
from bot.storage.repositories.members import upsert_member_ids

if TYPE_CHECKING:
    from bot.storage.database import Database


class NoteStatus(StrEnum):
    PENDING = "pending"  # saved; the DM is being sent (attempt started at next_attempt_at,
    # or at created_at for the first), or its outcome is unknown
    DELIVERED = "delivered"
    RETRY_LATER = "retry_later"  # the platform failed for a moment; see next_attempt_at
    FAILED = "failed"  # DMs closed, member gone, or every retry used up
    READ = "read"  # read in /kudos mine before a DM got through: no more DMs


def quota_statuses() -> Sequence[NoteStatus]:
    """Statuses that use the sender's daily quota: all but a note that cannot arrive."""
    return [status for status in NoteStatus if status is not NoteStatus.FAILED]


# Built once: with bound parameters the compiled form is cached, which is most of the
# cost of a small statement. Notes sent since ``since`` that use the quota (all but
# those that cannot arrive):
_NOTES_SENT_SINCE = (
    select(func.count())
    .select_from(ThankYouNote)
    .where(
        ThankYouNote.giver_id == bindparam("giver_id"),
        ThankYouNote.created_at >= bindparam("since"),
        ThankYouNote.status.in_(quota_statuses()),
    )
)
_INSERT_NOTE = insert(ThankYouNote).returning(ThankYouNote.id)
_RECORD_ATTEMPT = (
    update(ThankYouNote)
    .where(ThankYouNote.id == bindparam("note_id"), ThankYouNote.status == NoteStatus.PENDING)
    .values(
        status=bindparam("new_status"),
        failure_reason=bindparam("reason"),
        next_attempt_at=bindparam("next_at"),
        delivered_at=bindparam("delivered"),
    )
)


@dataclass(frozen=True, slots=True)
class UndeliveredNote:
    created_at: datetime
    giver: UserRef
    note: str


@dataclass(frozen=True, slots=True)
class ReceivedNote:
    note_id: int
    giver: UserRef
    note: str


@dataclass(frozen=True, slots=True)
class ClaimedNote:
    """A note claimed for one more attempt (its ``attempts`` counts this one)."""

    note: ThankYouNote
    giver: UserRef
    recipient: UserRef


async def store_note(
    database: Database,
    *,
    platform: str,
    workspace_id: str,
    giver: UserRef,
    recipient: UserRef,
    note: str,
    delivery_id: str | None,
    now: datetime,
    day_start: datetime,
    check_quota: Callable[[int], None],
) -> int:
    """Store a ``pending`` note on its first attempt; its id.

    ``check_quota(used_today)`` (notes the giver sent since ``day_start`` that use the
    quota) raises :class:`~bot.errors.UserError` to refuse it; nothing is stored then.
    """
    async with database.transaction() as connection:
        ids = await upsert_member_ids(connection, [giver, recipient], now=now)
        giver_id = ids[giver.key]
        used = await connection.scalar(
            _NOTES_SENT_SINCE, {"giver_id": giver_id, "since": day_start}
        )
        check_quota(used or 0)
        inserted = await connection.execute(
            _INSERT_NOTE,
            {
                "platform": platform,
                "workspace_id": workspace_id,
                "giver_id": giver_id,
                "recipient_id": ids[recipient.key],
                "note": note,
                "delivery_id": delivery_id,
                "created_at": now,
                "status": NoteStatus.PENDING,
                "attempts": 1,
            },
        )
        return inserted.scalar_one()  # RETURNING gives the new row's id


async def record_note_attempt(
    database: Database,
    note_id: int,
    *,
    status: NoteStatus,
    reason: str | None,
    next_attempt_at: datetime | None,
    delivered_at: datetime | None,
) -> None:
    """Store how an attempt went. Only a ``pending`` note changes: one the recipient
    read meanwhile stays ``read`` (and is never sent again)."""
    async with database.single_statement() as connection:
        await connection.execute(
            _RECORD_ATTEMPT,
            {
                "note_id": note_id,
                "new_status": status,
                "reason": reason,
                "next_at": next_attempt_at,
                "delivered": delivered_at,
            },
        )


def _due_for_retry(now: datetime, lease_start: datetime) -> ColumnElement[bool]:
    """Unfinished notes whose next attempt may start now."""
    return or_(
        and_(
            ThankYouNote.status == NoteStatus.RETRY_LATER,
            ThankYouNote.next_attempt_at <= now,
        ),
        and_(
            ThankYouNote.status == NoteStatus.PENDING,
            or_(
                ThankYouNote.next_attempt_at <= lease_start,
                and_(
                    ThankYouNote.next_attempt_at.is_(None),
                    ThankYouNote.created_at <= lease_start,
                ),
            ),
        ),
    )


def _not_delivered(stale_before: datetime) -> ColumnElement[bool]:
    """Notes that did not reach their recipient by DM (or may not have)."""
    return or_(
        ThankYouNote.status.in_([NoteStatus.RETRY_LATER, NoteStatus.FAILED, NoteStatus.READ]),
        and_(
            ThankYouNote.status == NoteStatus.PENDING,
            ThankYouNote.created_at < stale_before,
        ),
    )


class NoteRepository(Repository):
    """Thank-you notes and their delivery state."""

    async def claim_due(
        self, *, platform: str, now: datetime, lease_start: datetime, limit: int
    ) -> list[ClaimedNote]:
        """Claim the unfinished notes of ``platform`` that are due, oldest first.

        Due are ``retry_later`` notes whose next attempt has come, and ``pending``
        notes whose attempt started at or before ``lease_start`` without an outcome.
        The claim is one conditional UPDATE, so each note goes to exactly one worker.
        """
        due = (
            select(ThankYouNote.id)
            .where(ThankYouNote.platform == platform, _due_for_retry(now, lease_start))
            .order_by(ThankYouNote.id)
            .limit(limit)
        )
        giver = aliased(Member)
        recipient = aliased(Member)
        claimed = (
            await self._session.execute(
                update(ThankYouNote)
                .where(
                    ThankYouNote.id.in_(due.scalar_subquery()),
                    _due_for_retry(now, lease_start),  # re-checked under the lock
                )
                .values(
                    status=NoteStatus.PENDING,
                    attempts=ThankYouNote.attempts + 1,
                    next_attempt_at=now,  # this attempt's start, for its lease
                )
                .returning(ThankYouNote.id)
                .execution_options(synchronize_session=False)
            )
        ).scalars()
        ids = list(claimed)
        rows = (
            await self._session.execute(
                select(ThankYouNote, giver, recipient)
                .join(giver, giver.id == ThankYouNote.giver_id)
                .join(recipient, recipient.id == ThankYouNote.recipient_id)
                .where(ThankYouNote.id.in_(ids))
                .order_by(ThankYouNote.id)
            )
        ).all()
        return [
            ClaimedNote(note, giver_row.ref(), recipient_row.ref())
            for note, giver_row, recipient_row in rows
        ]

    async def read_undelivered(
        self, user: UserRef, *, stale_before: datetime, limit: int
    ) -> tuple[int, list[UndeliveredNote]]:
        """Notes to ``user`` that did not reach them by DM: how many, and the latest ``limit``.

        ``pending`` notes created before ``stale_before`` lost their outcome and count
        as not delivered. Those shown that were still waiting for a retry become
        ``read``, so the recipient does not get the same note again later by DM.
        """
        recipient = aliased(Member)
        giver = aliased(Member)
        mine = (*same_member(recipient, user), _not_delivered(stale_before))
        total = await self._session.scalar(
            select(func.count())
            .select_from(ThankYouNote)
            .join(recipient, recipient.id == ThankYouNote.recipient_id)
            .where(*mine)
        )
        rows = (
            await self._session.execute(
                select(ThankYouNote.id, ThankYouNote.created_at, ThankYouNote.note, giver)
                .join(recipient, recipient.id == ThankYouNote.recipient_id)
                .join(giver, giver.id == ThankYouNote.giver_id)
                .where(*mine)
                .order_by(ThankYouNote.created_at.desc(), ThankYouNote.id.desc())
                .limit(limit)
            )
        ).all()
        if rows:
            await self._session.execute(
                update(ThankYouNote)
                .where(
                    ThankYouNote.id.in_([row.id for row in rows]),
                    ThankYouNote.status.in_([NoteStatus.RETRY_LATER, NoteStatus.PENDING]),
                )
                .values(status=NoteStatus.READ, next_attempt_at=None)
                .execution_options(synchronize_session=False)
            )
        return total or 0, [UndeliveredNote(row.created_at, row[3].ref(), row.note) for row in rows]

    async def delivered_count(self, user: UserRef) -> int:
        """Thank-you notes ``user`` received by direct message."""
        recipient = aliased(Member)
        query = (
            select(func.count())
            .select_from(ThankYouNote)
            .join(recipient, recipient.id == ThankYouNote.recipient_id)
            .where(*same_member(recipient, user), ThankYouNote.status == "delivered")
        )
        return await self._session.scalar(query) or 0

    async def newest_id(self) -> int:
        """The highest note id stored (0: none)."""
        return await self._session.scalar(select(func.max(ThankYouNote.id))) or 0

    async def received_after(
        self, user: UserRef, *, after_id: int, limit: int
    ) -> list[ReceivedNote]:
        """Notes to ``user`` with an id above ``after_id``, oldest first (at most ``limit``)."""
        me = aliased(Member)
        giver = aliased(Member)
        query = (
            select(ThankYouNote.id, ThankYouNote.note, giver)
            .join(me, me.id == ThankYouNote.recipient_id)
            .join(giver, giver.id == ThankYouNote.giver_id)
            .where(*same_member(me, user), ThankYouNote.id > after_id)
            .order_by(ThankYouNote.id)
            .limit(limit)
        )
        rows = (await self._session.execute(query)).all()
        return [ReceivedNote(note_id, giver_row.ref(), note) for note_id, note, giver_row in rows]
