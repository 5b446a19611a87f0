"""Kudos posts that did not go out at once: retried like thank-you notes, the giver told.

Every kudos is stored with a ``kudos_post_retries`` row
(:func:`~bot.storage.repositories.kudos_posts.first_attempt_row`,
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
from typing import Any

from bot.errors import DeliveryError, StorageUnavailable
from bot.kudos import messages
from bot.kudos.notes import ATTEMPT_LEASE, MAX_ATTEMPTS, RETRY_DELAYS
from bot.outbound import ChannelPurpose, ChannelTarget, DeliveryKey, OutboundSender, PostedMessage
from bot.replies import Message, MessageBuilder, NameSpan, Text
from bot.requests import UserRef
from bot.storage import Database
from bot.storage.models import Kudos
from bot.storage.repositories.kudos_posts import (
    FAILED,
    POSTED,
    POSTING,
    RETRY_LATER,
    record_retry_failed,
    record_retry_posted,
)

__all__ = [
    "FAILED",
    "POSTED",
    "POSTING",
    "RETRY_BATCH",
    "RETRY_LATER",
    "first_attempt_failed",
    "posted_notice",
    "retry_due_posts",
]

log = logging.getLogger(__name__)

#: Posts retried per pass of the background worker.
RETRY_BATCH = 50


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
    async with database.unit_of_work() as work:
        return await work.kudos.posts.claim_due(
            platform=platform, now=now, lease_end=now + ATTEMPT_LEASE, limit=limit
        )


async def _retry_one(
    database: Database, outbound: OutboundSender, *, kudos_id: int, attempts: int, now: datetime
) -> None:
    loaded = await _load(database, kudos_id)
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


async def _load(database: Database, kudos_id: int) -> tuple[Kudos, UserRef, list[UserRef]] | None:
    async with database.unit_of_work() as work:
        kudos = await work.kudos.get(kudos_id)
        if kudos is None:
            return None
        giver = await work.kudos.giver(kudos)
        recipients = await work.kudos.recipients(kudos_id)
    if giver is None:
        return None
    return kudos, giver.ref(), recipients


async def _record_posted(
    database: Database, kudos_id: int, posted: PostedMessage, *, attempts: int, now: datetime
) -> None:
    try:
        await record_retry_posted(
            database,
            kudos_id,
            channel_id=posted.channel_id,
            message_id=posted.message_id,
            attempts=attempts,
            now=now,
        )
    except StorageUnavailable:
        # Left "posting": after the lease it is tried again, and the check finds the post.
        log.warning("kudos post retry outcome not saved", extra={"kudos_id": kudos_id})


async def _record_failure(
    database: Database, kudos_id: int, error: DeliveryError, *, attempts: int, now: datetime
) -> None:
    reason = error.reason.value
    values: dict[str, Any]
    if error.permanent or attempts >= MAX_ATTEMPTS:
        values = {
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
        await record_retry_failed(database, kudos_id, attempts=attempts, **values)
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
