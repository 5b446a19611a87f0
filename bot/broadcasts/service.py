"""Staff broadcasts: drafts, confirmation with audience fan-out, cancellation, listing."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.broadcasts import audit
from bot.broadcasts.audience import audience_size
from bot.broadcasts.audit import AuditAction
from bot.broadcasts.listing import Listing, format_counts, list_broadcasts
from bot.broadcasts.messages import MAX_MESSAGE_LENGTH, length_as_sent
from bot.broadcasts.parsing import DraftRequest
from bot.broadcasts.scheduling import local_to_utc_strict
from bot.errors import DeliveryError, UserError
from bot.outbound import ChannelPurpose, OutboundSender
from bot.replies import counted
from bot.requests import Request
from bot.storage import Database
from bot.storage.models import Broadcast
from bot.storage.models.broadcasts import (
    CHANNEL_RECIPIENT,
    Audience,
    BodyFormat,
    BroadcastKind,
    BroadcastStatus,
    DeliveryStatus,
    member_recipient,
)
from bot.storage.repositories.broadcasts import FAN_OUT_CHUNK

if TYPE_CHECKING:
    from bot.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class DraftResult:
    broadcast: Broadcast
    audience_size: int


@dataclass(frozen=True, slots=True)
class CancelResult:
    broadcast: Broadcast
    cancelled: int
    already_sent: int


class BroadcastService:
    """Everything ``/broadcast`` does, platform-neutral."""

    def __init__(self, *, database: Database, outbound: OutboundSender, zone: ZoneInfo) -> None:
        self.database = database
        self.outbound = outbound
        self.zone = zone

    async def create_draft(
        self, *, request: Request, draft: DraftRequest, now: datetime
    ) -> DraftResult:
        """Store a draft and count its audience; nothing is sent until it is confirmed."""
        length = length_as_sent(draft.text)
        if length > MAX_MESSAGE_LENGTH:
            raise UserError(
                f"That message is too long to arrive as one chat message: broadcasts can be "
                f"at most {MAX_MESSAGE_LENGTH:,} characters (the smallest message limit of "
                "the chat platforms we support), and symbols "
                "such as * _ ~ ` | [ @ count twice because they have to be escaped. Yours "
                f"counts as {length:,}. Shorten it or split it into two broadcasts; "
                "nothing was saved."
            )
        due_at = now
        if draft.local_day is not None and draft.local_time is not None:
            due_at = local_to_utc_strict(draft.local_day, draft.local_time, self.zone)
            if due_at <= now:
                raise UserError(
                    f"{draft.local_day.isoformat()} {draft.local_time:%H:%M} ({self.zone.key}) "
                    "is in the past. Pick a later time, or leave out `at ...` to send now."
                )
        if draft.to_dm:
            await self._sync_directory(request, now=now)
        async with self.database.unit_of_work() as work:
            author = await work.members.ensure(request.sender, now=now)
            broadcast = Broadcast(
                kind=BroadcastKind.STAFF.value,
                status=BroadcastStatus.DRAFT.value,
                platform=request.platform,
                workspace_id=request.workspace_id,
                audience=(Audience.DM if draft.to_dm else Audience.CHANNEL).value,
                channel_id=draft.channel_id,
                channel_purpose=None
                if draft.to_dm or draft.channel_id
                else ChannelPurpose.ANNOUNCEMENTS.value,
                body=draft.text,
                body_format=BodyFormat.TEXT.value,
                due_at=due_at,
                send_now=draft.local_day is None,
                created_by_member_id=author.id,
                created_at=now,
            )
            await work.broadcasts.add(broadcast)
            size = await audience_size(work, broadcast)
            audit.record(
                work,
                action=AuditAction.CREATE,
                broadcast=broadcast,
                at=now,
                actor=author,
                audience=audit.describe_audience(broadcast, recipients=size),
            )
        return DraftResult(broadcast=broadcast, audience_size=size)

    async def confirm(self, *, request: Request, broadcast_id: int, now: datetime) -> DraftResult:
        """Schedule a draft: one delivery row per recipient, due at its send time."""
        broadcast = await self._load(request, broadcast_id, reminders=True)
        if broadcast.kind == BroadcastKind.REMINDER:
            raise UserError(_reminder_needs_no_confirm(broadcast))
        if broadcast.status != BroadcastStatus.DRAFT:
            raise UserError(
                f"Broadcast #{broadcast_id} is already {broadcast.status}; nothing changed."
            )
        due_at = now if broadcast.send_now else broadcast.due_at
        if due_at <= now and not broadcast.send_now:
            raise UserError(
                f"The send time of broadcast #{broadcast_id} has passed. Start a new "
                "/broadcast with a later time."
            )
        if broadcast.audience == Audience.DM:
            await self._sync_directory(request, now=now)
        async with self.database.unit_of_work() as work:
            actor = await work.members.ensure(request.sender, now=now)
            if broadcast.created_by_member_id not in {None, actor.id}:
                raise UserError(
                    f"Broadcast #{broadcast_id} was drafted by someone else; only they can "
                    "confirm it (any staff member can cancel it)."
                )
            # Guarded status change: a double-submitted confirm schedules once.
            if not await work.broadcasts.schedule_draft(broadcast_id, now=now, due_at=due_at):
                raise UserError(f"Broadcast #{broadcast_id} was already confirmed.")
            broadcast.status, broadcast.confirmed_at, broadcast.due_at = (
                BroadcastStatus.SCHEDULED.value,
                now,
                due_at,
            )
            size = await self._fan_out(work, broadcast)
            audit.record(
                work,
                action=AuditAction.CONFIRM,
                broadcast=broadcast,
                at=now,
                actor=actor,
                audience=audit.describe_audience(broadcast, recipients=size),
            )
        return DraftResult(broadcast=broadcast, audience_size=size)

    async def cancel(self, *, request: Request, broadcast_id: int, now: datetime) -> CancelResult:
        """Cancel a draft, the unsent part of a broadcast, or an upcoming reminder."""
        broadcast = await self._load(request, broadcast_id, reminders=True)
        name = describe(broadcast)
        if broadcast.status == BroadcastStatus.CANCELLED:
            raise UserError(f"{name} is already cancelled.")
        async with self.database.unit_of_work() as work:
            actor = await work.members.ensure(request.sender, now=now)
            cancelled = await work.broadcasts.cancel_pending_deliveries(
                broadcast_id, reason="cancelled by staff"
            )
            counts = await work.broadcasts.delivery_counts(broadcast_id)
            if not cancelled and broadcast.status != BroadcastStatus.DRAFT:
                # Raising rolls the transaction back: the broadcast keeps its status.
                raise UserError(_nothing_left_message(name, counts))
            await work.broadcasts.mark_cancelled_by_staff(broadcast_id, now=now)
            broadcast.status, broadcast.cancelled_at = BroadcastStatus.CANCELLED.value, now
            broadcast.cancelled_by_staff = True
            audit.record(
                work,
                action=AuditAction.CANCEL,
                broadcast=broadcast,
                at=now,
                actor=actor,
                text=f"{counted(cancelled, 'unsent delivery', 'unsent deliveries')} "
                f"cancelled: {broadcast.body}",
            )
        already_sent = counts.get(DeliveryStatus.SENT, 0) + counts.get(DeliveryStatus.SENDING, 0)
        return CancelResult(broadcast=broadcast, cancelled=cancelled, already_sent=already_sent)

    async def listing(self, *, request: Request, now: datetime, limit: int) -> Listing:
        """Staff broadcasts of this workspace (newest first) and reminders (soonest first)."""
        return await list_broadcasts(
            self.database,
            platform=request.platform,
            workspace_id=request.workspace_id,
            now=now,
            limit=limit,
        )

    async def _load(
        self, request: Request, broadcast_id: int, *, reminders: bool = False
    ) -> Broadcast:
        """The staff broadcast (or, with ``reminders``, the reminder) ``broadcast_id`` here."""
        async with self.database.unit_of_work() as work:
            broadcast = await work.broadcasts.get(broadcast_id)
        if broadcast is None or broadcast.platform != request.platform:
            visible = False
        elif broadcast.kind == BroadcastKind.STAFF:
            visible = broadcast.workspace_id == request.workspace_id
        else:
            visible = reminders and broadcast.kind == BroadcastKind.REMINDER
        if broadcast is None or not visible:
            raise UserError(
                f"There is no broadcast #{broadcast_id} here. Type /broadcast list to see them."
            )
        return broadcast

    async def _sync_directory(self, request: Request, *, now: datetime) -> None:
        """Bring the workspace's member list into ``members`` so new members get the DM."""
        try:
            users = await self.outbound.list_members()
        except DeliveryError as error:
            log.warning("member list unavailable", extra={"reason": error.reason})
            raise UserError(
                "I could not fetch the member list just now, so nothing was scheduled. "
                "Please try again in a minute."
            ) from error
        users = [
            u
            for u in users
            if u.platform == request.platform and u.workspace_id == request.workspace_id
        ]
        async with self.database.unit_of_work() as work:
            for start in range(0, len(users), FAN_OUT_CHUNK):
                await work.members.ensure_many(users[start : start + FAN_OUT_CHUNK], now=now)

    async def _fan_out(self, work: UnitOfWork, broadcast: Broadcast) -> int:
        """One pending delivery row per recipient; how many."""
        recipients: list[tuple[str, int | None]]
        if broadcast.audience == Audience.DM:
            member_ids = await work.broadcasts.dm_audience_ids(
                platform=broadcast.platform, workspace_id=broadcast.workspace_id
            )
            recipients = [(member_recipient(mid), mid) for mid in member_ids]
        else:
            recipients = [(CHANNEL_RECIPIENT, None)]
        return await work.broadcasts.add_pending_deliveries(broadcast, recipients)


def describe(broadcast: Broadcast) -> str:
    """``Broadcast #12`` or ``Reminder #3``."""
    kind = "Reminder" if broadcast.kind == BroadcastKind.REMINDER else "Broadcast"
    return f"{kind} #{broadcast.id}"


def _reminder_needs_no_confirm(broadcast: Broadcast) -> str:
    name = describe(broadcast)
    intro = (
        f"{name} is an automatic deadline reminder: reminders are scheduled by themselves "
        "from the deadlines in the knowledge file and need no confirm."
    )
    if broadcast.status == BroadcastStatus.CANCELLED:
        return f"{intro} This one was cancelled, so it will not be posted."
    return (
        f"{intro} It is already scheduled (/broadcast list shows it); to skip it, type "
        f"/broadcast cancel {broadcast.id}."
    )


def _nothing_left_message(name: str, counts: dict[str, int]) -> str:
    done = format_counts(counts)
    if counts.get(DeliveryStatus.SENDING):
        return (
            f"{name} is going out right now and has nothing left waiting ({done}), "
            "so nothing could be cancelled."
        )
    return (
        f"{name} has already gone out ({done}), so there is nothing left to cancel. "
        "Messages that were sent cannot be recalled."
    )
