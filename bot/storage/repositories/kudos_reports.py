"""Read-only kudos queries: leaderboard, histories, export rows, the digest, the inbox.

Aggregation happens in SQL on indexed columns (see the kudos models), never in
Python loops over rows, so the leaderboard stays fast with many stored kudos.

One counting rule everywhere: **a kudos counts once per person recognised**
(``/kudos @ana @ben @chris`` is three kudos: one each for Ana, Ben and Chris, three
given by the giver). Every count (``/kudos mine``, the leaderboard, someone's
kudos, the digest and the daily quota) is built on :func:`counted_kudos`, which
counts rows of ``kudos_recipients``.

:class:`KudosReports` is the reading half of
:class:`~bot.storage.repositories.kudos.KudosRepository` (``work.kudos``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import aliased

from bot.requests import UserRef
from bot.storage.models import Kudos, KudosRecipient, Member
from bot.storage.repositories.base import Repository


def counted_kudos(*columns: Any, by_giver: bool = False) -> Select[Any]:
    """``SELECT columns..., count`` over kudos counted by the one rule (one per recipient).

    Add ``where``/``group_by`` to it. The count is labelled ``kudos``.

    Args:
        columns: Columns to select before the count (usually the ones grouped by).
        by_giver: Join each recipient row to its kudos, so conditions and groups can
            use the giver and other ``Kudos`` columns.
    """
    query = select(*columns, func.count().label("kudos")).select_from(KudosRecipient)
    if by_giver:
        query = query.join(Kudos, Kudos.id == KudosRecipient.kudos_id)
    return query


def same_member(member: Any, user: UserRef) -> tuple[ColumnElement[bool], ...]:
    """Conditions matching ``member`` (a Member alias) to ``user`` by platform identity."""
    return (
        member.platform == user.platform,
        member.workspace_id == user.workspace_id,
        member.user_id == user.user_id,
    )


@dataclass(frozen=True, slots=True)
class Standing:
    member: UserRef
    count: int


@dataclass(frozen=True, slots=True)
class KudosEntry:
    """One kudos seen from one side: ``person`` is the giver or the recipient.

    ``kudos_id`` is the number staff use to remove it (``/kudos remove ID``).
    """

    created_at: datetime
    person: UserRef
    reason: str
    kudos_id: int


@dataclass(frozen=True, slots=True)
class ExportRow:
    created_at: datetime
    giver: UserRef
    recipients: tuple[UserRef, ...]
    reason: str
    platform: str
    channel_id: str | None


@dataclass(frozen=True, slots=True)
class DigestStats:
    kudos: int
    people_recognised: int
    givers: int
    most_thanked: list[tuple[UserRef, int]]
    first_time_givers: list[UserRef]


@dataclass(frozen=True, slots=True)
class ReceivedKudos:
    kudos_id: int
    giver: UserRef
    recipients: tuple[UserRef, ...]  # everyone the kudos named, the member among them
    reason: str


class KudosReports(Repository):
    """What members and staff read about kudos; nothing here writes."""

    async def leaderboard(
        self, *, platform: str, workspace_id: str, since: datetime | None, limit: int
    ) -> list[Standing]:
        """Members by kudos received since ``since`` (all time when None), most first."""
        counts = counted_kudos(KudosRecipient.recipient_id.label("member_id")).where(
            KudosRecipient.platform == platform, KudosRecipient.workspace_id == workspace_id
        )
        if since is not None:
            counts = counts.where(KudosRecipient.created_at >= since)
        ranked = (
            counts.group_by(KudosRecipient.recipient_id)
            .order_by(func.count().desc(), KudosRecipient.recipient_id)
            .limit(limit)
            .subquery()
        )
        query = (
            select(Member, ranked.c.kudos)
            .join(ranked, ranked.c.member_id == Member.id)
            .order_by(ranked.c.kudos.desc(), Member.display_name)
        )
        rows = (await self._session.execute(query)).all()
        return [Standing(member.ref(), received) for member, received in rows]

    async def received_history(self, user: UserRef, *, limit: int) -> tuple[int, list[KudosEntry]]:
        """How many kudos ``user`` received in all, and the latest ``limit`` with their givers."""
        recipient = aliased(Member)
        giver = aliased(Member)
        total_query = (
            counted_kudos()
            .join(recipient, recipient.id == KudosRecipient.recipient_id)
            .where(*same_member(recipient, user))
        )
        latest = (
            select(Kudos.created_at, giver, Kudos.reason, Kudos.id)
            .join(KudosRecipient, KudosRecipient.kudos_id == Kudos.id)
            .join(recipient, recipient.id == KudosRecipient.recipient_id)
            .join(giver, giver.id == Kudos.giver_id)
            .order_by(Kudos.created_at.desc(), Kudos.id.desc())
            .where(*same_member(recipient, user))
            .limit(limit)
        )
        total = await self._session.scalar(total_query) or 0
        rows = (await self._session.execute(latest)).all()
        return total, [
            KudosEntry(when, person.ref(), reason, kudos_id)
            for when, person, reason, kudos_id in rows
        ]

    async def given_history(self, user: UserRef, *, limit: int) -> tuple[int, list[KudosEntry]]:
        """How many kudos ``user`` gave, and the latest ``limit`` (one row per recipient).

        Each person recognised counts as one kudos, as in the quota and the
        leaderboard: ``/kudos @ana @ben`` is two kudos given.
        """
        giver = aliased(Member)
        recipient = aliased(Member)
        total_query = (
            counted_kudos(by_giver=True)
            .join(giver, giver.id == Kudos.giver_id)
            .where(*same_member(giver, user))
        )
        latest = (
            select(Kudos.created_at, recipient, Kudos.reason, Kudos.id)
            .join(giver, giver.id == Kudos.giver_id)
            .join(KudosRecipient, KudosRecipient.kudos_id == Kudos.id)
            .join(recipient, recipient.id == KudosRecipient.recipient_id)
            .order_by(Kudos.created_at.desc(), Kudos.id.desc(), recipient.display_name)
            .where(*same_member(giver, user))
            .limit(limit)
        )
        total = await self._session.scalar(total_query) or 0
        rows = (await self._session.execute(latest)).all()
        return total, [
            KudosEntry(when, person.ref(), reason, kudos_id)
            for when, person, reason, kudos_id in rows
        ]

    async def received_since(self, member_id: int, since: datetime) -> int:
        """Kudos the member received since ``since`` (one per kudos naming them)."""
        received = await self._session.scalar(
            counted_kudos().where(
                KudosRecipient.recipient_id == member_id, KudosRecipient.created_at >= since
            )
        )
        return int(received or 0)

    async def given_since(self, member_id: int, since: datetime) -> int:
        """Kudos the member gave since ``since``, counting each recipient (the quota unit)."""
        given = await self._session.scalar(
            counted_kudos(by_giver=True).where(
                Kudos.giver_id == member_id, Kudos.created_at >= since
            )
        )
        return int(given or 0)

    async def export_rows(self, *, since: datetime | None) -> list[ExportRow]:
        """Every kudos (oldest first) with giver and recipients, for the CSV export."""
        giver = aliased(Member)
        recipient = aliased(Member)
        query = (
            select(Kudos, giver, recipient)
            .join(giver, giver.id == Kudos.giver_id)
            .join(KudosRecipient, KudosRecipient.kudos_id == Kudos.id)
            .join(recipient, recipient.id == KudosRecipient.recipient_id)
            .order_by(Kudos.created_at, Kudos.id, recipient.display_name)
        )
        if since is not None:
            query = query.where(Kudos.created_at >= since)
        rows = (await self._session.execute(query)).all()
        grouped: dict[int, ExportRow] = {}
        for kudos, giver_row, recipient_row in rows:
            row = grouped.get(kudos.id)
            if row is None:
                grouped[kudos.id] = ExportRow(
                    created_at=kudos.created_at,
                    giver=giver_row.ref(),
                    recipients=(recipient_row.ref(),),
                    reason=kudos.reason,
                    platform=kudos.platform,
                    channel_id=kudos.channel_id,
                )
            else:
                grouped[kudos.id] = ExportRow(
                    created_at=row.created_at,
                    giver=row.giver,
                    recipients=(*row.recipients, recipient_row.ref()),
                    reason=row.reason,
                    platform=row.platform,
                    channel_id=row.channel_id,
                )
        return list(grouped.values())

    async def digest_stats(
        self,
        *,
        platform: str,
        workspace_id: str,
        start: datetime,
        end: datetime,
        most_thanked: int,
    ) -> DigestStats:
        """Counts for kudos given in ``[start, end)`` in one workspace.

        Kudos are counted by the one rule (:func:`counted_kudos`: once per person
        recognised), as in ``/kudos mine``, the leaderboard and the quota.
        ``most_thanked`` places are listed, with everyone tied with the last one.
        """
        in_month = (
            KudosRecipient.platform == platform,
            KudosRecipient.workspace_id == workspace_id,
            KudosRecipient.created_at >= start,
            KudosRecipient.created_at < end,
        )
        received = (
            counted_kudos(KudosRecipient.recipient_id)
            .where(*in_month)
            .group_by(KudosRecipient.recipient_id)
            .subquery()
        )
        first_given = (
            select(Kudos.giver_id, func.min(Kudos.created_at).label("first"))
            .where(Kudos.platform == platform, Kudos.workspace_id == workspace_id)
            .group_by(Kudos.giver_id)
            .subquery()
        )
        session = self._session
        totals = (
            await session.execute(
                counted_kudos(func.count(func.distinct(Kudos.giver_id)), by_giver=True).where(
                    *in_month
                )
            )
        ).one()
        givers, kudos = totals
        people = await session.scalar(select(func.count()).select_from(received))
        # Everyone tied with the last of the top places is shown: no one is dropped
        # for sorting after a colleague with the same count.
        cutoff = await session.scalar(
            select(received.c.kudos)
            .order_by(received.c.kudos.desc())
            .offset(most_thanked - 1)
            .limit(1)
        )
        top = (
            await session.execute(
                select(Member, received.c.kudos)
                .join(received, received.c.recipient_id == Member.id)
                .where(received.c.kudos >= (cutoff or 0))
                .order_by(received.c.kudos.desc(), Member.display_name)
            )
        ).all()
        newcomers = await session.scalars(
            select(Member)
            .join(first_given, first_given.c.giver_id == Member.id)
            .where(first_given.c.first >= start, first_given.c.first < end)
            .order_by(Member.display_name)
        )
        first_time = [member.ref() for member in newcomers]
        return DigestStats(
            kudos=kudos or 0,
            people_recognised=people or 0,
            givers=givers or 0,
            most_thanked=[(member.ref(), count) for member, count in top],
            first_time_givers=first_time,
        )

    async def newest_id(self) -> int:
        """The highest kudos id stored (0: none)."""
        return await self._session.scalar(select(func.max(Kudos.id))) or 0

    async def received_after(
        self, user: UserRef, *, after_id: int, limit: int
    ) -> list[ReceivedKudos]:
        """Kudos to ``user`` with an id above ``after_id``, oldest first (at most ``limit``)."""
        me = aliased(Member)
        giver = aliased(Member)
        recipient = aliased(Member)
        mine = (
            select(Kudos.id)
            .join(KudosRecipient, KudosRecipient.kudos_id == Kudos.id)
            .join(me, me.id == KudosRecipient.recipient_id)
            .where(*same_member(me, user), Kudos.id > after_id)
            .order_by(Kudos.id)
            .limit(limit)
        )
        ids = list(await self._session.scalars(mine))
        if not ids:
            return []
        rows = (
            await self._session.execute(
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
