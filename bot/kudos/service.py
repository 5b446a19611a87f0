"""Give, undo and thank: the kudos transactions and their deliveries.

Store first, then deliver. A kudos whose post fails is kept (the recognition
counts and the recipient sees it in ``/kudos mine``) and the giver is told it
was saved but not posted; a thank-you note whose DM fails is kept with its
delivery status, retried when the failure was temporary (``bot.kudos.notes``),
and readable by its recipient in ``/kudos mine``, so nothing a member wrote is lost.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.config import Settings
from bot.errors import DeliveryError, UserError
from bot.kudos import messages
from bot.kudos.notes import NoteStatus, attempt_dm, record_attempt
from bot.kudos.parsing import ReasonPart
from bot.kudos.post_retries import first_attempt_failed
from bot.kudos.rules import check_quota, day_start_utc
from bot.kudos.store import NewKudos, posted_message, posts_saved, save_post_soon, store_kudos
from bot.members import SeenMembers
from bot.outbound import (
    ChannelPurpose,
    ChannelTarget,
    DeliveryKey,
    OutboundSender,
    PostedMessage,
)
from bot.replies import Message
from bot.requests import Request, UserRef
from bot.storage import Database
from bot.storage.repositories.notes import store_note

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class GiveOutcome:
    kudos_id: int
    recipients: tuple[UserRef, ...]
    posted: PostedMessage | None
    post_failure: str | None = None
    post_retried: bool = False  # not posted yet, but will be retried and the giver told


@dataclass(frozen=True, slots=True)
class UndoOutcome:
    recipients: tuple[UserRef, ...]
    post_deleted: bool
    delete_failure: str | None = None


@dataclass(frozen=True, slots=True)
class ThankOutcome:
    note_id: int
    recipient: UserRef
    status: NoteStatus  # delivered, retry_later or failed after the first attempt
    reason: str | None = None  # the platform's reason code when not delivered


@dataclass(frozen=True, slots=True)
class KudosService:
    """Kudos operations for one core: its database, settings and outbound sender.

    ``seen`` (the core's :class:`~bot.members.SeenMembers`) learns about the members
    each transaction wrote, so the next command of any of them skips its own upsert.
    """

    database: Database
    settings: Settings
    outbound: OutboundSender | None
    seen: SeenMembers | None = None

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
        kudos_id = await store_kudos(
            self.database,
            NewKudos(
                platform=request.platform,
                workspace_id=request.workspace_id,
                giver=giver,
                recipients=tuple(recipients),
                reason=reason_text,
                channel_id=request.channel_id,
                delivery_id=request.delivery_id,
                created_at=now,
                day_start=self._day_start(now),
                quota=self.settings.kudos_daily_quota,
                tz=self.settings.timezone,
            ),
        )
        self._remember([giver, *recipients], now)
        return await self._post(
            kudos_id=kudos_id,
            request=request,
            message=message,
            recipients=tuple(recipients),
            now=now,
        )

    async def _post(
        self,
        *,
        kudos_id: int,
        request: Request,
        message: Message,
        recipients: tuple[UserRef, ...],
        now: datetime,
    ) -> GiveOutcome:
        target = ChannelTarget(purpose=ChannelPurpose.KUDOS, fallback_channel_id=request.channel_id)
        try:
            posted = await self._outbound().post(
                target=target, message=message, key=DeliveryKey.for_kudos_post(kudos_id)
            )
        except DeliveryError as error:
            log.warning(
                "kudos saved but not posted",
                extra={"kudos_id": kudos_id, "reason": error.reason, "permanent": error.permanent},
            )
            # Unless permanent: posted later, and the giver told (bot.kudos.post_retries).
            await first_attempt_failed(self.database, kudos_id, error, now=now)
            return GiveOutcome(
                kudos_id,
                recipients,
                None,
                post_failure=error.reason,
                post_retried=not error.permanent,
            )
        save_post_soon(self.database, kudos_id, posted)
        return GiveOutcome(kudos_id, recipients, posted)

    async def undo_last(
        self, *, request: Request, now: datetime, expected_kudos_id: int | None = None
    ) -> UndoOutcome:
        """Delete the giver's most recent kudos if it is recent enough, then its post.

        The rule: undo takes back the giver's latest kudos (by time given, then id)
        when it is within the undo window *and* was given after their previous undo.
        Each undo records the highest id among the kudos the giver still has (0 if
        none) and later undos only take back a kudos with a higher id, which only a
        kudos stored since can have. So once a kudos is taken back, another undo
        (typed again, or a double-submit) finds nothing left to undo rather than an
        older kudos, even one given in the same instant; a kudos given after the
        undo can be taken back in its turn.

        ``expected_kudos_id`` (an Undo button's kudos) is checked inside the same
        locked transaction: if the giver has given another kudos since, nothing is
        taken back, even when that kudos arrived between the button's own check and now.
        """
        window = timedelta(minutes=self.settings.kudos_undo_minutes)
        sender = request.sender
        await posts_saved(self.database)  # an undo right after giving sees the post
        async with self.database.unit_of_work() as work:
            # Lock the giver's row first (SQLite: the write lock), so two undos at
            # once run one after the other and the second sees what the first did.
            giver = await work.kudos.lock_giver(sender)
            kudos = await work.kudos.latest_given_by(giver.id) if giver else None
            floor = giver.undo_floor_kudos_id if giver else None
            if floor is not None and (kudos is None or kudos.id <= floor):
                raise UserError(
                    "Your most recent kudos was already taken back, so there is nothing left "
                    "to undo: /kudos undo only takes back the latest kudos you gave."
                )
            if giver is None or kudos is None:
                raise UserError("You haven't given any kudos yet, so there is nothing to undo.")
            if expected_kudos_id is not None and kudos.id != expected_kudos_id:
                raise UserError(messages.undo_not_latest())
            recipients = await work.kudos.recipients(kudos.id)
            age = now - kudos.created_at
            if age > window:
                raise UserError(
                    messages.undo_too_late(recipients, age=age, window=window, kudos_id=kudos.id)
                )
            posted = posted_message(kudos, request.platform)
            await work.kudos.delete(kudos.id)
            await work.kudos.raise_undo_floor(giver.id)
        log.info("kudos undone", extra={"kudos_id": kudos.id, "giver": sender.user_id})
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
        """Store a thank-you note, then DM it to the recipient; record how that went.

        A note that cannot arrive by DM (``failed``) does not use the sender's quota.
        """
        giver = request.sender
        message = messages.thanks_dm(giver=giver, note=note)
        note_id = await store_note(
            self.database,
            platform=request.platform,
            workspace_id=request.workspace_id,
            giver=giver,
            recipient=recipient,
            note=note_text,
            delivery_id=request.delivery_id,
            now=now,
            day_start=self._day_start(now),
            check_quota=lambda used: check_quota(
                used_today=used,
                wanted=1,
                quota=self.settings.kudos_daily_quota,
                now=now,
                tz=self.settings.timezone,
                what="thank-you notes",
            ),
        )
        self._remember([giver, recipient], now)
        attempt = await attempt_dm(
            self.outbound,
            recipient=recipient,
            message=message,
            attempts=1,
            now=now,
            note_id=note_id,
        )
        await record_attempt(self.database, note_id, attempt, now=now)
        return ThankOutcome(note_id, recipient, attempt.status, attempt.reason)

    def _outbound(self) -> OutboundSender:
        if self.outbound is None:
            raise DeliveryError("no outbound sender configured", permanent=False)
        return self.outbound

    def _remember(self, users: list[UserRef], now: datetime) -> None:
        if self.seen is not None:
            self.seen.remember(users, now)

    def _day_start(self, now: datetime) -> datetime:
        tz = self.settings.timezone
        return day_start_utc(now.astimezone(tz).date(), tz)
