"""Read-only kudos queries: leaderboard, histories, export rows.

Aggregation happens in SQL on indexed columns (see the kudos models), never in
Python loops over rows, so the leaderboard stays fast with many stored kudos.

One counting rule everywhere: **a kudos counts once per person recognised**
(``/kudos @ana @ben @chris`` is three kudos: one each for Ana, Ben and Chris, three
given by the giver). Every count (``/kudos mine``, the leaderboard, someone's
kudos, the digest and the daily quota) is built on :func:`counted_kudos`, which
counts rows of ``kudos_recipients``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import aliased

from bot.requests import UserRef
from bot.storage import Database
from bot.storage.models import Kudos, KudosRecipient, Member, ThankYouNote

LEADERBOARD_SIZE = 10
HISTORY_SIZE = 10


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


async def leaderboard(
    database: Database,
    *,
    platform: str,
    workspace_id: str,
    since: datetime | None,
    limit: int = LEADERBOARD_SIZE,
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
    async with database.session() as session:
        rows = (await session.execute(query)).all()
    return [Standing(member.ref(), received) for member, received in rows]


def _same_member(member: Any, user: UserRef) -> tuple[ColumnElement[bool], ...]:
    """Conditions matching ``member`` (a Member alias) to ``user`` by platform identity."""
    return (
        member.platform == user.platform,
        member.workspace_id == user.workspace_id,
        member.user_id == user.user_id,
    )


async def kudos_received(
    database: Database, user: UserRef, *, limit: int = HISTORY_SIZE
) -> tuple[int, list[KudosEntry]]:
    """How many kudos ``user`` received in all, and the latest ``limit`` with their givers."""
    recipient = aliased(Member)
    giver = aliased(Member)
    total_query = (
        counted_kudos()
        .join(recipient, recipient.id == KudosRecipient.recipient_id)
        .where(*_same_member(recipient, user))
    )
    latest = (
        select(Kudos.created_at, giver, Kudos.reason, Kudos.id)
        .join(KudosRecipient, KudosRecipient.kudos_id == Kudos.id)
        .join(recipient, recipient.id == KudosRecipient.recipient_id)
        .join(giver, giver.id == Kudos.giver_id)
        .order_by(Kudos.created_at.desc(), Kudos.id.desc())
        .where(*_same_member(recipient, user))
        .limit(limit)
    )
    async with database.session() as session:
        total = await session.scalar(total_query) or 0
        rows = (await session.execute(latest)).all()
    return total, [
        KudosEntry(when, person.ref(), reason, kudos_id) for when, person, reason, kudos_id in rows
    ]


async def kudos_given(
    database: Database, user: UserRef, *, limit: int = HISTORY_SIZE
) -> tuple[int, list[KudosEntry]]:
    """How many kudos ``user`` gave, and the latest ``limit`` (one row per recipient).

    Each person recognised counts as one kudos, as in the quota and the
    leaderboard: ``/kudos @ana @ben`` is two kudos given.
    """
    giver = aliased(Member)
    recipient = aliased(Member)
    total_query = (
        counted_kudos(by_giver=True)
        .join(giver, giver.id == Kudos.giver_id)
        .where(*_same_member(giver, user))
    )
    latest = (
        select(Kudos.created_at, recipient, Kudos.reason, Kudos.id)
        .join(giver, giver.id == Kudos.giver_id)
        .join(KudosRecipient, KudosRecipient.kudos_id == Kudos.id)
        .join(recipient, recipient.id == KudosRecipient.recipient_id)
        .order_by(Kudos.created_at.desc(), Kudos.id.desc(), recipient.display_name)
        .where(*_same_member(giver, user))
        .limit(limit)
    )
    async with database.session() as session:
        total = await session.scalar(total_query) or 0
        rows = (await session.execute(latest)).all()
    return total, [
        KudosEntry(when, person.ref(), reason, kudos_id) for when, person, reason, kudos_id in rows
    ]


async def thanks_received_count(database: Database, user: UserRef) -> int:
    """Thank-you notes ``user`` received by direct message."""
    recipient = aliased(Member)
    query = (
        select(func.count())
        .select_from(ThankYouNote)
        .join(recipient, recipient.id == ThankYouNote.recipient_id)
        .where(*_same_member(recipient, user), ThankYouNote.status == "delivered")
    )
    async with database.session() as session:
        return await session.scalar(query) or 0


async def export_rows(database: Database, *, since: datetime | None = None) -> list[ExportRow]:
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
    async with database.session() as session:
        rows = (await session.execute(query)).all()
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
