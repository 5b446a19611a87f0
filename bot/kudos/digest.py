"""The staff digest: a friendly summary of one month's recognition, ready to post."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from bot.kudos.messages import joined
from bot.kudos.periods import Month
from bot.kudos.queries import counted_kudos
from bot.replies import Bold, CommandSpan, Message, MessageBuilder, NameSpan, Text
from bot.requests import UserRef
from bot.storage import Database
from bot.storage.models import Kudos, KudosRecipient, Member

#: Places in "most thanked"; members tied with the last place are shown too.
MOST_THANKED = 3


@dataclass(frozen=True, slots=True)
class DigestStats:
    kudos: int
    people_recognised: int
    givers: int
    most_thanked: list[tuple[UserRef, int]]
    first_time_givers: list[UserRef]


async def digest_stats(
    database: Database, *, platform: str, workspace_id: str, start: datetime, end: datetime
) -> DigestStats:
    """Counts for kudos given in ``[start, end)`` in one workspace.

    Kudos are counted by the one rule (:func:`~bot.kudos.queries.counted_kudos`: once
    per person recognised), as in ``/kudos mine``, the leaderboard and the quota.
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
    async with database.session() as session:
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
            .offset(MOST_THANKED - 1)
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


def digest_message(stats: DigestStats, *, month: Month, current: bool) -> Message:
    """Names only (no pings): staff post this themselves, wherever it fits.

    Args:
        current: ``month`` is the month in progress ("this month", "yet"), not a past one.
    """
    when = "this month" if current else f"in {month.label}"
    builder = MessageBuilder()
    builder.paragraph(Bold(f"🌟 Kudos digest — {month.label}"))
    if stats.kudos == 0:
        if current:
            builder.paragraph(
                "No kudos were given this month yet. A good moment to remind members: ",
                CommandSpan("kudos", "@colleague for ...", action="give"),
                " takes ten seconds and makes someone's day.",
            )
        else:
            builder.paragraph(f"No kudos were given in {month.label}.")
        return builder.build()
    builder.paragraph(
        f"Members gave {_plural(stats.kudos, 'kudos', 'kudos')} {when}: "
        f"{_plural(stats.givers, 'member', 'members')} recognised "
        f"{_plural(stats.people_recognised, 'colleague', 'colleagues')}."
    )
    if stats.most_thanked:
        builder.paragraph(Text("Most thanked:"))
        builder.bullets(
            [NameSpan(user), Text(f" — {_plural(count, 'kudos', 'kudos')}")]
            for user, count in stats.most_thanked
        )
    if stats.first_time_givers:
        names = joined([NameSpan(user) for user in stats.first_time_givers])
        builder.paragraph(Text("First-time givers — welcome to the habit: "), *names, Text("."))
    builder.paragraph("Thank you all for lifting each other up!")
    return builder.build()


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"
