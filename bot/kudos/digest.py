"""The staff digest: a friendly summary of one month's recognition, ready to post."""

from __future__ import annotations

from datetime import datetime

from bot.kudos.messages import joined
from bot.kudos.periods import Month
from bot.replies import Bold, CommandSpan, Message, MessageBuilder, NameSpan, Text
from bot.storage import Database
from bot.storage.repositories.kudos_reports import DigestStats

__all__ = ["MOST_THANKED", "DigestStats", "digest_message", "digest_stats"]

#: Places in "most thanked"; members tied with the last place are shown too.
MOST_THANKED = 3


async def digest_stats(
    database: Database, *, platform: str, workspace_id: str, start: datetime, end: datetime
) -> DigestStats:
    """Counts for kudos given in ``[start, end)`` in one workspace.

    Kudos are counted by the one rule (``counted_kudos`` in the kudos reports
    repository: once per person recognised), as in ``/kudos mine``, the leaderboard and the quota.
    """
    async with database.unit_of_work() as work:
        return await work.kudos.digest_stats(
            platform=platform,
            workspace_id=workspace_id,
            start=start,
            end=end,
            most_thanked=MOST_THANKED,
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
