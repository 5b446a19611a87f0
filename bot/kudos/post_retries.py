"""Kudos posts that did not go out at once: retried like thank-you notes, the giver told.

Every kudos is stored with a ``kudos_post_retries`` row (:func:`first_attempt_row`,
in the same transaction) that its first post attempt holds: ``posting`` until
:data:`~bot.kudos.notes.ATTEMPT_LEASE` after it was given. The first attempt then
settles the row: a post deletes it (with the post reference, :mod:`bot.kudos.store`),
a temporary failure (after the adapter's own retries) leaves it waiting for a
retry, a permanent one marks it ``failed`` (:func:`first_attempt_failed`). A
process that stopped between storing and posting (killed, crashed, database lost)
leaves the row ``posting``, and once its lease is over the retries take it.

The background worker (:mod:`bot.kudos.background`) posts the waiting ones again
on the notes' schedule (2 min, 10 min, 30 min, 2 h, 6 h), each attempt claimed
by one worker and checked with the platform first (the post carries the kudos'
:class:`~bot.outbound.DeliveryKey`, marked maybe sent), so it appears once. When
it is finally posted, the giver gets a DM saying so. An undone kudos takes its
retry with it (the row is deleted with the kudos).
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import ColumnElement, and_, bindparam, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import DeliveryError, StorageUnavailable
from bot.kudos import messages
from bot.kudos.notes import ATTEMPT_LEASE, MAX_ATTEMPTS, RETRY_DELAYS
from bot.outbound import ChannelPurpose, ChannelTarget, DeliveryKey, OutboundSender, PostedMessage
from bot.replies import Message, MessageBuilder, NameSpan, Text
from bot.requests import UserRef
from bot.storage import Database
from bot.storage.models import Kudos, KudosPostRetry, KudosRecipient, Member

log = logging.getLogger(__name__)

RETRY_LATER = "retry_later"
POSTING = "posting"  # an attempt started at next_attempt_at - ATTEMPT_LEASE
POSTED = "posted"
FAILED = "failed"
#: Posts retried per pass of the background worker.
RETRY_BATCH = 50


#: Queues the first post attempt of each new kudos (rows from :func:`first_attempt_row`).
QUEUE_FIRST_ATTEMPTS = insert(KudosPostRetry)
#: The first attempt posted it (``kudos_id`` bound): nothing left to retry. Only
#: while that attempt still holds the row; a retry that took it over settles it.
FIRST_ATTEMPT_POSTED = delete(KudosPostRetry).where(
    KudosPostRetry.kudos_id == bindparam("kudos_id"),
    KudosPostRetry.status == POSTING,
    KudosPostRetry.attempts == 1,
)


def first_attempt_row(*, kudos_id: int, platform: str, given_at: datetime) -> dict[str, object]:
    """The retry row a new kudos is stored with, held by its first post attempt.

    If that attempt never settles it (the process stopped), the retries take it
    over once :data:`~bot.kudos.notes.ATTEMPT_LEASE` has passed.
    """
    return {
        "kudos_id": kudos_id,
        "platform": platform,
        "status": POSTING,
        "attempts": 1,
        "next_attempt_at": given_at + ATTEMPT_LEASE,
        "failure_reason": None,
        "posted_at": None,
    }


async def first_attempt_failed(
    database: Database, kudos_id: int, error: DeliveryError, *, now: datetime
) -> None:
    """Settle the first post attempt of ``kudos_id`` that failed: retried later unless
    the failure is permanent.

    Never raises: the kudos is stored either way and its recipients see it in
    ``/kudos mine``; if this write is lost, the row's lease runs out and the post
    is retried (checked with the platform first) all the same.
    """
    await _record_failure(database, kudos_id, error, attempts=1, now=now)


async def retry_due_posts(
    database: Database, outbound: OutboundSender, *, now: datetime, limit: int = RETRY_BATCH
) -> int:
    """Post again the kudos of ``outbound.platform`` whose next attempt is due; how many."""
    claimed = await _claim_due(database, platform=outbound.platform, now=now, limit=limit)
    for kudos_id, attempts in claimed:
        await _retry_one(database, outbound, kudos_id=kudos_id, attempts=attempts, now=now)
    return len(claimed)


async def _claim_due(
    database: Database, *, platform: str, now: datetime, limit: int
) -> list[tuple[int, int]]:
    due = (
        select(KudosPostRetry.kudos_id)
        .where(KudosPostRetry.platform == platform, _due(now))
        .order_by(KudosPostRetry.kudos_id)
        .limit(limit)
    )
    async with database.session() as session:
        rows = await session.execute(
            update(KudosPostRetry)
            .where(KudosPostRetry.kudos_id.in_(due.scalar_subquery()), _due(now))
            .values(
                status=POSTING,
                attempts=KudosPostRetry.attempts + 1,
                next_attempt_at=now + ATTEMPT_LEASE,  # if still posting then, it stopped
            )
            .returning(KudosPostRetry.kudos_id, KudosPostRetry.attempts)
            .execution_options(synchronize_session=False)
        )
        return [(kudos_id, attempts) for kudos_id, attempts in rows]


def _due(now: datetime) -> ColumnElement[bool]:
    """Waiting posts whose time has come, and attempts whose worker stopped (lease over)."""
    return and_(
        KudosPostRetry.status.in_([RETRY_LATER, POSTING]), KudosPostRetry.next_attempt_at <= now
    )


async def _retry_one(
    database: Database, outbound: OutboundSender, *, kudos_id: int, attempts: int, now: datetime
) -> None:
    async with database.session() as session:
        loaded = await _load(session, kudos_id)
    if loaded is None:  # undone meanwhile
        return
    kudos, giver, recipients = loaded
    post = messages.kudos_post(giver=giver, recipients=recipients, reason=(kudos.reason,))
    target = ChannelTarget(purpose=ChannelPurpose.KUDOS, fallback_channel_id=kudos.channel_id)
    key = DeliveryKey.for_kudos_post(kudos_id, maybe_sent=True)
    try:
        posted = await outbound.post(target=target, message=post, key=key)
    except DeliveryError as error:
        await _record_failure(database, kudos_id, error, attempts=attempts, now=now)
        return
    await _record_posted(database, kudos_id, posted, attempts=attempts, now=now)
    log.info("kudos posted on a retry", extra={"kudos_id": kudos_id, "attempt": attempts})
    try:
        await outbound.send_dm(
            user=giver,
            message=posted_notice(recipients),
            key=DeliveryKey(f"kp{kudos_id}"),
        )
    except DeliveryError as error:
        log.warning(
            "giver not told the kudos is posted",
            extra={"kudos_id": kudos_id, "reason": error.reason.value},
        )


async def _load(
    session: AsyncSession, kudos_id: int
) -> tuple[Kudos, UserRef, list[UserRef]] | None:
    kudos = await session.get(Kudos, kudos_id)
    if kudos is None:
        return None
    giver = await session.get(Member, kudos.giver_id)
    recipients = await session.scalars(
        select(Member)
        .join(KudosRecipient, KudosRecipient.recipient_id == Member.id)
        .where(KudosRecipient.kudos_id == kudos_id)
        .order_by(Member.display_name)
    )
    if giver is None:
        return None
    return kudos, giver.ref(), [member.ref() for member in recipients]


def _held_by(kudos_id: int, attempts: int) -> ColumnElement[bool]:
    """The row of ``kudos_id`` while attempt number ``attempts`` still holds it: an
    attempt that outlived its lease must not overwrite the one that took over."""
    return and_(
        KudosPostRetry.kudos_id == kudos_id,
        KudosPostRetry.status == POSTING,
        KudosPostRetry.attempts == attempts,
    )


async def _record_posted(
    database: Database, kudos_id: int, posted: PostedMessage, *, attempts: int, now: datetime
) -> None:
    try:
        async with database.transaction() as connection:
            await connection.execute(
                update(Kudos)
                .where(Kudos.id == kudos_id)
                .values(posted_channel_id=posted.channel_id, posted_message_id=posted.message_id)
            )
            await connection.execute(
                update(KudosPostRetry)
                .where(_held_by(kudos_id, attempts))
                .values(status=POSTED, posted_at=now, next_attempt_at=None, failure_reason=None)
            )
    except StorageUnavailable:
        # Left "posting": after the lease it is tried again, and the check finds the post.
        log.warning("kudos post retry outcome not saved", extra={"kudos_id": kudos_id})


async def _record_failure(
    database: Database, kudos_id: int, error: DeliveryError, *, attempts: int, now: datetime
) -> None:
    reason = error.reason.value
    if error.permanent or attempts >= MAX_ATTEMPTS:
        values: dict[str, object] = {
            "status": FAILED,
            "next_attempt_at": None,
            "failure_reason": reason if error.permanent else f"gave up after {attempts}: {reason}",
        }
    else:
        values = {
            "status": RETRY_LATER,
            "next_attempt_at": now + RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1],
            "failure_reason": reason,
        }
    log.warning(
        "kudos post retry failed",
        extra={"kudos_id": kudos_id, "reason": reason, "attempt": attempts, **values},
    )
    try:
        async with database.transaction() as connection:
            await connection.execute(
                update(KudosPostRetry).where(_held_by(kudos_id, attempts)).values(**values)
            )
    except StorageUnavailable:
        log.warning("kudos post retry outcome not saved", extra={"kudos_id": kudos_id})


def posted_notice(recipients: list[UserRef]) -> Message:
    """The DM telling a giver their kudos is posted after all."""
    spans: list[Text | NameSpan] = []
    for index, user in enumerate(recipients):
        if index:
            spans.append(Text(" and " if index == len(recipients) - 1 else ", "))
        spans.append(NameSpan(user))
    return (
        MessageBuilder()
        .paragraph(
            Text("Your kudos to "),
            *spans,
            Text(" is posted in the kudos channel now (it could not be posted at first)."),
        )
        .build()
    )
