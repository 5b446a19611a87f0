"""Kudos, their recipients and where they were posted.

Storing a kudos is on the path of every ``/kudos``: :func:`store_kudos` writes
kudos given at the same moment together (:mod:`bot.storage.batching`): one member
upsert, one quota count, one insert each of kudos, recipients and queued posts for
the whole batch, decided in arrival order, so the quota holds exactly as if they
had been stored one by one. Everything else goes through :class:`KudosRepository`
(``work.kudos``) in a unit of work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.errors import UserError
from bot.requests import UserRef
from bot.storage.models import Kudos, KudosRecipient, Member
from bot.storage.repositories.kudos_posts import (
    QUEUE_FIRST_ATTEMPTS,
    KudosPostRepository,
    first_attempt_row,
)
from bot.storage.repositories.kudos_reports import KudosReports, counted_kudos
from bot.storage.repositories.members import MemberKey, upsert_member_ids

if TYPE_CHECKING:
    from bot.storage.database import Database

#: Kudos given by each giver since ``since``, counting each recipient (the quota unit).
_GIVEN_SINCE = (
    counted_kudos(Kudos.giver_id, by_giver=True)
    .where(
        Kudos.giver_id.in_(bindparam("giver_ids", expanding=True)),
        Kudos.created_at >= bindparam("since"),
    )
    .group_by(Kudos.giver_id)
)
# Ids come back in the order the rows were given, to pair each kudos with its id.
_INSERT_KUDOS = insert(Kudos).returning(Kudos.id, sort_by_parameter_order=True)
_INSERT_RECIPIENTS = insert(KudosRecipient)


@dataclass(frozen=True, slots=True)
class KudosToStore:
    """One kudos to store; ``recipients`` are validated.

    ``check_quota(used_today, wanted)`` raises :class:`~bot.errors.UserError` when the
    giver, having given ``used_today`` kudos since ``day_start``, may not give
    ``wanted`` more; it runs inside the storing transaction.
    """

    platform: str
    workspace_id: str
    giver: UserRef
    recipients: tuple[UserRef, ...]
    reason: str
    channel_id: str | None
    delivery_id: str | None
    created_at: datetime
    day_start: datetime  # local midnight before created_at: the quota's day
    post_lease_end: datetime  # when the retries may take over the first post attempt
    check_quota: Callable[[int, int], None]


async def store_kudos(database: Database, kudos: KudosToStore) -> int:
    """Store one kudos (with any given at the same moment); its id.

    Raises:
        UserError: The giver's daily quota would be exceeded; nothing was stored.
        StorageUnavailable: The database could not be reached; nothing was stored.
    """
    return await database.batcher("kudos", _write_kudos, max_batch=50).submit(kudos)


async def _write_kudos(
    connection: AsyncConnection, batch: list[KudosToStore]
) -> list[int | Exception]:
    # The upsert comes first on purpose: it takes the write lock (SQLite) or the
    # rows' locks (PostgreSQL, in one global order), so kudos of one giver stored
    # by other transactions at the same time are counted one after the other and
    # cannot slip under the quota together.
    ids = await upsert_member_ids(
        connection,
        [user for kudos in batch for user in (kudos.giver, *kudos.recipients)],
        now=max(kudos.created_at for kudos in batch),
    )
    used = await _given_today(connection, batch, ids)
    refusals: list[UserError | None] = []  # per kudos, None = accepted
    accepted: list[KudosToStore] = []
    for kudos in batch:  # arrival order, counting what this batch already took
        key = (ids[kudos.giver.key], kudos.day_start)
        try:
            kudos.check_quota(used.get(key, 0), len(kudos.recipients))
        except UserError as refusal:
            refusals.append(refusal)
            continue
        used[key] = used.get(key, 0) + len(kudos.recipients)
        refusals.append(None)
        accepted.append(kudos)
    new_ids = await _insert(connection, accepted, ids) if accepted else []
    stored = iter(new_ids)
    return [next(stored) if refusal is None else refusal for refusal in refusals]


async def _insert(
    connection: AsyncConnection, accepted: list[KudosToStore], ids: dict[MemberKey, int]
) -> list[int]:
    """Insert the kudos and their recipients; the new kudos ids, in order."""
    inserted = await connection.execute(
        _INSERT_KUDOS,
        [
            {
                "platform": kudos.platform,
                "workspace_id": kudos.workspace_id,
                "giver_id": ids[kudos.giver.key],
                "reason": kudos.reason,
                "channel_id": kudos.channel_id,
                "delivery_id": kudos.delivery_id,
                "created_at": kudos.created_at,
            }
            for kudos in accepted
        ],
    )
    new_ids = list(inserted.scalars())
    # Queued with the kudos, not after it: a process stopped before posting leaves
    # the post for the retries instead of never posting it.
    await connection.execute(
        QUEUE_FIRST_ATTEMPTS,
        [
            first_attempt_row(
                kudos_id=kudos_id, platform=kudos.platform, lease_end=kudos.post_lease_end
            )
            for kudos, kudos_id in zip(accepted, new_ids, strict=True)
        ],
    )
    await connection.execute(
        _INSERT_RECIPIENTS,
        [
            {
                "kudos_id": kudos_id,
                "recipient_id": ids[user.key],
                "platform": kudos.platform,
                "workspace_id": kudos.workspace_id,
                "created_at": kudos.created_at,
            }
            for kudos, kudos_id in zip(accepted, new_ids, strict=True)
            for user in kudos.recipients
        ],
    )
    return new_ids


async def _given_today(
    connection: AsyncConnection, batch: list[KudosToStore], ids: dict[MemberKey, int]
) -> dict[tuple[int, datetime], int]:
    """Kudos each giver of the batch gave on the batch's day(s), keyed (giver id, day)."""
    givers_by_day: dict[datetime, set[int]] = {}
    for kudos in batch:
        givers_by_day.setdefault(kudos.day_start, set()).add(ids[kudos.giver.key])
    used: dict[tuple[int, datetime], int] = {}
    for day_start, givers in givers_by_day.items():  # one day, except across midnight
        rows = await connection.execute(
            _GIVEN_SINCE, {"giver_ids": sorted(givers), "since": day_start}
        )
        used.update(((giver_id, day_start), count) for giver_id, count in rows)
    return used


@dataclass(frozen=True, slots=True)
class UndoGiver:
    """A giver whose row an undo holds locked, and the id their undos must pass."""

    id: int
    undo_floor_kudos_id: int | None


class KudosRepository(KudosReports):
    """Kudos, their recipients and where they were posted (reads: :class:`KudosReports`)."""

    @cached_property
    def posts(self) -> KudosPostRepository:
        """Post retries, in this unit of work."""
        return KudosPostRepository(self._session)

    async def lock_giver(self, user: UserRef) -> UndoGiver | None:
        """Lock the member's row for the rest of the transaction (SQLite: the write
        lock), so two undos at once run one after the other and the second sees what
        the first did. None: the member was never stored."""
        row = (
            await self._session.execute(
                update(Member)
                .where(
                    Member.platform == user.platform,
                    Member.workspace_id == user.workspace_id,
                    Member.user_id == user.user_id,
                )
                .values(last_seen=Member.last_seen)
                .returning(Member.id, Member.undo_floor_kudos_id)
                .execution_options(synchronize_session=False)
            )
        ).first()
        return UndoGiver(row.id, row.undo_floor_kudos_id) if row else None

    async def latest_given_by(self, giver_id: int) -> Kudos | None:
        """The giver's most recent kudos, by time given, then id."""
        return await self._session.scalar(
            select(Kudos)
            .where(Kudos.giver_id == giver_id)
            .order_by(Kudos.created_at.desc(), Kudos.id.desc())
            .limit(1)
        )

    async def get(self, kudos_id: int) -> Kudos | None:
        return await self._session.get(Kudos, kudos_id)

    async def in_workspace(
        self, kudos_id: int, *, platform: str, workspace_id: str
    ) -> Kudos | None:
        """Kudos ``kudos_id`` if it was given in that workspace."""
        return await self._session.scalar(
            select(Kudos).where(
                Kudos.id == kudos_id,
                Kudos.platform == platform,
                Kudos.workspace_id == workspace_id,
            )
        )

    async def giver(self, kudos: Kudos) -> Member | None:
        """The member who gave ``kudos``."""
        return await self._session.get(Member, kudos.giver_id)

    async def recipients(self, kudos_id: int) -> list[UserRef]:
        """The members a stored kudos recognised, by display name."""
        rows = await self._session.scalars(
            select(Member)
            .join(KudosRecipient, KudosRecipient.recipient_id == Member.id)
            .where(KudosRecipient.kudos_id == kudos_id)
            .order_by(Member.display_name)
        )
        return [member.ref() for member in rows]

    async def delete(self, kudos_id: int) -> None:
        """Delete a kudos; its recipients and post retry go with it."""
        await self._session.execute(delete(Kudos).where(Kudos.id == kudos_id))

    async def raise_undo_floor(self, giver_id: int) -> None:
        """Record the highest id among the kudos the giver still has (0 if none): later
        undos only take back a kudos above it."""
        remaining = select(func.max(Kudos.id)).where(Kudos.giver_id == giver_id)
        await self._session.execute(
            update(Member)
            .where(Member.id == giver_id)
            .values(undo_floor_kudos_id=func.coalesce(remaining.scalar_subquery(), 0))
            .execution_options(synchronize_session=False)
        )
