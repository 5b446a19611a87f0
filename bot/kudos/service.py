"""Give, undo and thank: the kudos transactions and their deliveries.

Store first, then deliver. A kudos whose post fails is kept (the recognition
counts and the recipient sees it in ``/kudos mine``) and the giver is told it
was saved but not posted; a thank-you note whose DM fails is kept with its
delivery status so nothing a member wrote is ever lost.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.errors import DeliveryError, StorageUnavailable, UserError
from bot.kudos import messages
from bot.kudos.parsing import ReasonPart
from bot.kudos.rules import check_quota, day_start_utc
from bot.members import ensure_members
from bot.outbound import ChannelPurpose, ChannelTarget, OutboundSender, PostedMessage
from bot.replies import Message
from bot.requests import Request, UserRef
from bot.storage import Database
from bot.storage.models import Kudos, KudosRecipient, Member, ThankYouNote

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class GiveOutcome:
    kudos_id: int
    recipients: tuple[UserRef, ...]
    posted: PostedMessage | None
    post_failure: str | None = None


@dataclass(frozen=True, slots=True)
class UndoOutcome:
    recipients: tuple[UserRef, ...]
    post_deleted: bool
    delete_failure: str | None = None


@dataclass(frozen=True, slots=True)
class ThankOutcome:
    note_id: int
    recipient: UserRef
    status: str  # delivered, failed, retry_later


@dataclass(frozen=True, slots=True)
class KudosService:
    """Kudos operations for one core: its database, settings and outbound sender."""

    database: Database
    settings: Settings
    outbound: OutboundSender | None

    async def give(
        self,
        *,
        request: Request,
        recipients: list[UserRef],
        reason: tuple[ReasonPart, ...],
        reason_text: str,
        now: datetime,
    ) -> GiveOutcome:
        """Store one kudos for ``recipients`` (already validated), then post it.

        Nothing after the commit may raise: the core releases the delivery id of a
        failed command so the platform can retry, and a retry after the commit
        would store and post the kudos twice.
        """
        giver = request.sender
        message = messages.kudos_post(giver=giver, recipients=recipients, reason=reason)
        async with self.database.session() as session:
            # The upsert comes first on purpose: it takes the write lock (SQLite) or
            # the giver's row lock (PostgreSQL), so two kudos from one giver at once
            # are counted one after the other and cannot both slip under the quota.
            members = await ensure_members(session, [giver, *recipients], now=now)
            giver_row = members[giver.key]
            used = await self._kudos_given_since(session, giver_row.id, self._day_start(now))
            check_quota(
                used_today=used,
                wanted=len(recipients),
                quota=self.settings.kudos_daily_quota,
                now=now,
                tz=self.settings.timezone,
                what="kudos",
            )
            # Core inserts, not ORM objects: this is the hot path of every kudos.
            kudos_id = await session.scalar(
                insert(Kudos)
                .values(
                    platform=request.platform,
                    workspace_id=request.workspace_id,
                    giver_id=giver_row.id,
                    reason=reason_text,
                    channel_id=request.channel_id,
                    delivery_id=request.delivery_id,
                    created_at=now,
                )
                .returning(Kudos.id)
            )
            await session.execute(
                insert(KudosRecipient),
                [
                    {
                        "kudos_id": kudos_id,
                        "recipient_id": members[user.key].id,
                        "platform": request.platform,
                        "workspace_id": request.workspace_id,
                        "created_at": now,
                    }
                    for user in recipients
                ],
            )
        return await self._post(
            kudos_id=kudos_id, request=request, message=message, recipients=tuple(recipients)
        )

    async def _post(
        self,
        *,
        kudos_id: int,
        request: Request,
        message: Message,
        recipients: tuple[UserRef, ...],
    ) -> GiveOutcome:
        target = ChannelTarget(purpose=ChannelPurpose.KUDOS, fallback_channel_id=request.channel_id)
        try:
            posted = await self._outbound().post(target=target, message=message)
        except DeliveryError as error:
            log.warning(
                "kudos saved but not posted",
                extra={"kudos_id": kudos_id, "reason": error.reason, "permanent": error.permanent},
            )
            return GiveOutcome(kudos_id, recipients, None, post_failure=error.reason)
        try:
            async with self.database.session() as session:
                await session.execute(
                    update(Kudos)
                    .where(Kudos.id == kudos_id)
                    .values(
                        posted_channel_id=posted.channel_id, posted_message_id=posted.message_id
                    )
                )
        except StorageUnavailable:
            # Posted and stored; only /kudos undo will not be able to delete the post.
            log.warning("kudos post reference not saved", extra={"kudos_id": kudos_id})
        return GiveOutcome(kudos_id, recipients, posted)

    async def undo_last(self, *, request: Request, now: datetime) -> UndoOutcome:
        """Delete the giver's last kudos if it is recent enough, then its post."""
        window = timedelta(minutes=self.settings.kudos_undo_minutes)
        async with self.database.session() as session:
            kudos = await self._last_kudos(session, request)
            if kudos is None:
                raise UserError("You haven't given any kudos yet, so there is nothing to undo.")
            recipients = await self._recipient_refs(session, kudos.id)
            age = now - kudos.created_at
            if age > window:
                raise UserError(messages.undo_too_late(recipients, age=age, window=window))
            posted = _posted_of(kudos, request.platform)
            await session.delete(kudos)
        log.info("kudos undone", extra={"kudos_id": kudos.id, "giver": request.sender.user_id})
        if posted is None:
            return UndoOutcome(tuple(recipients), post_deleted=False)
        try:
            await self._outbound().delete(posted=posted)
        except DeliveryError as error:
            log.warning("undone kudos post not deleted", extra={"kudos_id": kudos.id})
            return UndoOutcome(tuple(recipients), post_deleted=False, delete_failure=error.reason)
        return UndoOutcome(tuple(recipients), post_deleted=True)

    async def thank(
        self,
        *,
        request: Request,
        recipient: UserRef,
        note: tuple[ReasonPart, ...],
        note_text: str,
        now: datetime,
    ) -> ThankOutcome:
        """Store a thank-you note, then DM it to the recipient; record how that went."""
        giver = request.sender
        message = messages.thanks_dm(giver=giver, note=note)
        async with self.database.session() as session:
            members = await ensure_members(session, [giver, recipient], now=now)
            giver_id = members[giver.key].id
            used = await session.scalar(
                select(func.count())
                .select_from(ThankYouNote)
                .where(
                    ThankYouNote.giver_id == giver_id,
                    ThankYouNote.created_at >= self._day_start(now),
                )
            )
            check_quota(
                used_today=used or 0,
                wanted=1,
                quota=self.settings.kudos_daily_quota,
                now=now,
                tz=self.settings.timezone,
                what="thank-you notes",
            )
            row = ThankYouNote(
                platform=request.platform,
                workspace_id=request.workspace_id,
                giver_id=giver_id,
                recipient_id=members[recipient.key].id,
                note=note_text,
                delivery_id=request.delivery_id,
                created_at=now,
                status="pending",
            )
            session.add(row)
            await session.flush()
            note_id = row.id
        status, failure = await self._send_note(recipient, message)
        try:
            async with self.database.session() as session:
                await session.execute(
                    update(ThankYouNote)
                    .where(ThankYouNote.id == note_id)
                    .values(
                        status=status,
                        failure_reason=failure,
                        delivered_at=now if status == "delivered" else None,
                    )
                )
        except StorageUnavailable:
            # The note is saved and (maybe) sent; raising now would let a retry send it twice.
            log.warning("thank-you note status not saved", extra={"note_id": note_id})
        return ThankOutcome(note_id, recipient, status)

    async def _send_note(self, recipient: UserRef, message: Message) -> tuple[str, str | None]:
        try:
            await self._outbound().send_dm(user=recipient, message=message)
        except DeliveryError as error:
            log.warning(
                "thank-you note not delivered",
                extra={"recipient": recipient.user_id, "reason": error.reason},
            )
            return ("failed" if error.permanent else "retry_later"), error.reason[:200]
        return "delivered", None

    def _outbound(self) -> OutboundSender:
        if self.outbound is None:
            raise DeliveryError("no outbound sender configured", permanent=False)
        return self.outbound

    def _day_start(self, now: datetime) -> datetime:
        tz = self.settings.timezone
        return day_start_utc(now.astimezone(tz).date(), tz)

    async def _kudos_given_since(
        self, session: AsyncSession, giver_id: int, since: datetime
    ) -> int:
        """Kudos given since ``since``, counting each recipient (the quota unit)."""
        count = await session.scalar(
            select(func.count())
            .select_from(KudosRecipient)
            .join(Kudos, Kudos.id == KudosRecipient.kudos_id)
            .where(Kudos.giver_id == giver_id, Kudos.created_at >= since)
        )
        return count or 0

    async def _last_kudos(self, session: AsyncSession, request: Request) -> Kudos | None:
        sender = request.sender
        return await session.scalar(
            select(Kudos)
            .join(Member, Member.id == Kudos.giver_id)
            .where(
                Member.platform == sender.platform,
                Member.workspace_id == sender.workspace_id,
                Member.user_id == sender.user_id,
            )
            .order_by(Kudos.created_at.desc(), Kudos.id.desc())
            .limit(1)
        )

    async def _recipient_refs(self, session: AsyncSession, kudos_id: int) -> list[UserRef]:
        rows = await session.scalars(
            select(Member)
            .join(KudosRecipient, KudosRecipient.recipient_id == Member.id)
            .where(KudosRecipient.kudos_id == kudos_id)
            .order_by(Member.display_name)
        )
        return [member.ref() for member in rows]


def _posted_of(kudos: Kudos, platform: str) -> PostedMessage | None:
    if kudos.posted_channel_id is None or kudos.posted_message_id is None:
        return None
    return PostedMessage(
        platform=platform, channel_id=kudos.posted_channel_id, message_id=kudos.posted_message_id
    )
