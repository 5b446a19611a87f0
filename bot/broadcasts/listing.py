"""What ``/broadcast list`` shows: staff broadcasts, then automatic reminders.

Staff broadcasts are listed newest-created first, so one just sent is always at
the top however many reminders are scheduled; reminders get their own section
(the last week's and the upcoming ones, soonest first). Each comes with its
delivery counts, a status derived from them ("sent, 2 failed") and the first
few recipients whose delivery failed, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.storage import Database
from bot.storage.models import Broadcast
from bot.storage.models.broadcasts import Audience, BroadcastStatus, DeliveryStatus

if TYPE_CHECKING:
    from bot.storage.unit_of_work import UnitOfWork

#: Failed recipients named per broadcast (the rest are counted).
FAILURES_SHOWN = 5
#: Reminders due this long ago are still listed, so staff see how they went.
RECENT_REMINDERS = timedelta(days=7)

_OPEN = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)
#: The order delivery counts are shown in: what went out first, problems last.
_COUNT_ORDER = (
    DeliveryStatus.SENT,
    DeliveryStatus.SENDING,
    DeliveryStatus.PENDING,
    DeliveryStatus.FAILED,
    DeliveryStatus.MISSED,
    DeliveryStatus.CANCELLED,
)


def format_counts(counts: dict[str, int]) -> str:
    """``sent 238, failed 2``: non-zero delivery counts, sent first."""
    return ", ".join(f"{status} {counts[status]}" for status in _COUNT_ORDER if counts.get(status))


@dataclass(slots=True)
class BroadcastSummary:
    """A broadcast with its delivery counts and a few failed recipients."""

    broadcast: Broadcast
    counts: dict[str, int] = field(default_factory=dict)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (recipient, reason)
    #: A DM draft has no deliveries yet: the members a confirm would reach now.
    draft_audience: int | None = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def recipients(self) -> int:
        """Who it went (or goes) to: its deliveries, or for a DM draft its audience."""
        return self.total if self.draft_audience is None else self.draft_audience

    @property
    def unfinished(self) -> int:
        """Rows still waiting or being sent."""
        return sum(self.counts.get(status, 0) for status in _OPEN)

    def state(self, now: datetime) -> str:
        """``draft``, ``scheduled``, ``sending``, ``sent``, ``sent, 2 failed``, ``missed``..."""
        status = self.broadcast.status
        if status != BroadcastStatus.SCHEDULED:
            return str(status)
        if self.unfinished:
            return "scheduled" if self.broadcast.due_at > now else "sending"
        sent = self.counts.get(DeliveryStatus.SENT, 0)
        failed = self.counts.get(DeliveryStatus.FAILED, 0)
        missed = self.counts.get(DeliveryStatus.MISSED, 0)
        problems = [f"{n} {word}" for n, word in ((failed, "failed"), (missed, "missed")) if n]
        if sent:
            return ", ".join(["sent", *problems])
        if missed and not failed:
            return "missed"
        return "not sent: " + ", ".join(problems) if problems else "sent"


@dataclass(frozen=True, slots=True)
class Listing:
    staff: list[BroadcastSummary]
    reminders: list[BroadcastSummary]


async def list_broadcasts(
    database: Database, *, platform: str, workspace_id: str, now: datetime, limit: int
) -> Listing:
    """Up to ``limit`` staff broadcasts (newest first) and ``limit`` reminders (soonest first)."""
    async with database.unit_of_work() as work:
        staff = await work.broadcasts.latest_staff(
            platform=platform, workspace_id=workspace_id, limit=limit
        )
        reminders = await work.broadcasts.reminders_due_since(
            platform=platform, since=now - RECENT_REMINDERS, limit=limit
        )
        summaries = {b.id: BroadcastSummary(broadcast=b) for b in staff + reminders}
        if summaries:
            await _attach_counts(work, summaries)
            await _attach_failures(work, summaries)
            await _attach_draft_audiences(work, summaries)
    return Listing(
        staff=[summaries[b.id] for b in staff], reminders=[summaries[b.id] for b in reminders]
    )


async def _attach_counts(work: UnitOfWork, summaries: dict[int, BroadcastSummary]) -> None:
    for broadcast_id, counts in (await work.broadcasts.delivery_counts_of(summaries)).items():
        summaries[broadcast_id].counts.update(counts)


async def _attach_draft_audiences(work: UnitOfWork, summaries: dict[int, BroadcastSummary]) -> None:
    """Count the audience of DM drafts (as their preview did); one count per workspace."""
    sizes: dict[tuple[str, str], int] = {}
    for summary in summaries.values():
        broadcast = summary.broadcast
        if broadcast.status != BroadcastStatus.DRAFT or broadcast.audience != Audience.DM:
            continue
        key = (broadcast.platform, broadcast.workspace_id)
        if key not in sizes:
            sizes[key] = await work.broadcasts.dm_audience_size(
                platform=broadcast.platform, workspace_id=broadcast.workspace_id
            )
        summary.draft_audience = sizes[key]


async def _attach_failures(work: UnitOfWork, summaries: dict[int, BroadcastSummary]) -> None:
    failures = await work.broadcasts.first_failures(summaries, per_broadcast=FAILURES_SHOWN)
    for failure in failures:
        summaries[failure.broadcast_id].failures.append(
            (failure.display_name or failure.recipient, failure.failure_reason or "unknown")
        )
