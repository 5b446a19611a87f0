"""Rows whose grace period is over: missed (never tried) or given up (still failing).

A pending row due longer ago than the grace period is not sent late. If it was
never tried, the bot was down when it fell due: it is marked ``missed``, audited
and reported to staff (see :mod:`bot.broadcasts.notices`). If it was tried and
kept failing transiently (platform outage), it is marked ``failed`` with the last
error, prefixed :data:`GAVE_UP`, so it is told apart from permanent failures.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.broadcasts import audit
from bot.broadcasts.audit import AuditAction
from bot.broadcasts.notices import add_missed_notice
from bot.storage import Database

log = logging.getLogger(__name__)

MISSED_REASON = "fell due while the bot was down, past the grace period"
#: Start of the failure reason of a row whose transient errors outlasted the grace
#: period; anything else recorded as ``failed`` is a permanent failure.
GAVE_UP = "gave up"
REASON_LENGTH = 500


def gave_up_reason(*, attempts: int, last_error: str) -> str:
    return f"{GAVE_UP} after {attempts} tries over the grace period; last error: {last_error}"[
        :REASON_LENGTH
    ]


def is_transient_give_up(reason: str | None) -> bool:
    """True for a ``failed`` row that gave up on transient errors (not a permanent failure)."""
    return reason is not None and reason.startswith(GAVE_UP)


@dataclass(frozen=True, slots=True)
class OverdueResult:
    missed: int
    gave_up: int
    notices: int


async def expire_overdue(
    database: Database,
    *,
    platform: str,
    now: datetime,
    grace: timedelta,
    zone: ZoneInfo,
) -> OverdueResult:
    """Mark every overdue pending row of ``platform`` missed or failed; report missed ones."""
    cutoff = now - grace
    async with database.unit_of_work() as work:
        gave_up_rows = await work.broadcasts.give_up_overdue(
            platform=platform,
            due_before=cutoff,
            reason_prefix=f"{GAVE_UP}: still failing when the grace period ended; last error: ",
            reason_length=REASON_LENGTH,
        )
        per_broadcast = await work.broadcasts.mark_overdue_missed(
            platform=platform, due_before=cutoff, reason=MISSED_REASON
        )
        notices = 0
        for broadcast_id, count in sorted(per_broadcast.items()):
            broadcast = await work.broadcasts.get(broadcast_id)
            if broadcast is None:
                continue
            audit.record(
                work,
                action=AuditAction.MISSED,
                broadcast=broadcast,
                at=now,
                text=f"{count} deliveries missed (due {broadcast.due_at:%Y-%m-%d %H:%M} UTC)",
            )
            log.warning(
                "broadcast deliveries missed",
                extra={"platform": platform, "broadcast_id": broadcast_id, "rows": count},
            )
            if await add_missed_notice(
                work, broadcast, missed=count, now=now, grace=grace, zone=zone
            ):
                notices += 1
    if gave_up_rows:
        log.warning(
            "deliveries still failing at the end of the grace period",
            extra={"platform": platform, "rows": gave_up_rows},
        )
    return OverdueResult(missed=sum(per_broadcast.values()), gave_up=gave_up_rows, notices=notices)
