"""Storing kudos: the writes every ``/kudos`` makes, batched when they arrive together.

A kudos is stored (quota checked, kudos and recipients inserted, its post queued
for the first attempt: :mod:`bot.kudos.post_retries`) in one transaction, and
where its post landed is saved after posting, which also settles that queued
attempt. Kudos given at the same moment share those transactions
(:mod:`bot.storage.batching`, in :mod:`bot.storage.repositories.kudos`): one member
upsert, one quota count, one insert each of kudos, recipients and queued posts for
the whole batch, decided in arrival order, so the quota holds exactly as if they
had been stored one by one.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

from bot.kudos.notes import ATTEMPT_LEASE
from bot.kudos.rules import check_quota
from bot.outbound import PostedMessage
from bot.requests import UserRef
from bot.storage import Database
from bot.storage.models import Kudos
from bot.storage.repositories import kudos as kudos_storage
from bot.storage.repositories.kudos_posts import post_references_saved, queue_post_reference

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class NewKudos:
    """One kudos to store; ``recipients`` are validated, ``quota`` is per local day."""

    platform: str
    workspace_id: str
    giver: UserRef
    recipients: tuple[UserRef, ...]
    reason: str
    channel_id: str | None
    delivery_id: str | None
    created_at: datetime
    day_start: datetime  # local midnight before created_at: the quota's day
    quota: int
    tz: ZoneInfo


async def store_kudos(database: Database, kudos: NewKudos) -> int:
    """Store one kudos (with any given at the same moment); its id.

    Raises:
        UserError: The giver's daily quota would be exceeded; nothing was stored.
        StorageUnavailable: The database could not be reached; nothing was stored.
    """
    return await kudos_storage.store_kudos(
        database,
        kudos_storage.KudosToStore(
            platform=kudos.platform,
            workspace_id=kudos.workspace_id,
            giver=kudos.giver,
            recipients=kudos.recipients,
            reason=kudos.reason,
            channel_id=kudos.channel_id,
            delivery_id=kudos.delivery_id,
            created_at=kudos.created_at,
            day_start=kudos.day_start,
            post_lease_end=kudos.created_at + ATTEMPT_LEASE,
            check_quota=partial(_check_quota, kudos),
        ),
    )


def _check_quota(kudos: NewKudos, used_today: int, wanted: int) -> None:
    check_quota(
        used_today=used_today,
        wanted=wanted,
        quota=kudos.quota,
        now=kudos.created_at,
        tz=kudos.tz,
        what="kudos",
    )


def save_post_soon(database: Database, kudos_id: int, posted: PostedMessage) -> None:
    """Remember where a kudos was posted (so ``/kudos undo`` can delete the post) and
    that its first attempt posted it (so it is not retried).

    The giver's confirmation does not wait for this write (it is the last of three
    on every kudos); :func:`posts_saved` waits for it before anything reads it. If
    it is lost, the post is retried when its lease is over, and the platform check
    finds it posted.
    """
    written = queue_post_reference(
        database, kudos_id, channel_id=posted.channel_id, message_id=posted.message_id
    )
    written.add_done_callback(lambda done: _log_unsaved(done, kudos_id))


async def posts_saved(database: Database) -> None:
    """Wait until every post reference queued by this process is written."""
    await post_references_saved(database)


def _log_unsaved(done: asyncio.Future[None], kudos_id: int) -> None:
    if done.cancelled():
        log.warning("kudos post reference not saved: shutting down", extra={"kudos_id": kudos_id})
    elif done.exception() is not None:
        # Posted and stored; only /kudos undo will not be able to delete the post.
        # One line: a database error's text goes on with the SQL it ran, which
        # belongs in no log line (and the console shows warnings).
        error = done.exception()
        first_line = str(error).strip().partition("\n")[0]
        log.warning(
            "kudos post reference not saved: %s: %s",
            type(error).__name__,
            first_line,
            extra={"kudos_id": kudos_id},
        )


def posted_message(kudos: Kudos, platform: str) -> PostedMessage | None:
    """Where a stored kudos was posted, or None when it has no saved post."""
    if kudos.posted_channel_id is None or kudos.posted_message_id is None:
        return None
    return PostedMessage(
        platform=platform, channel_id=kudos.posted_channel_id, message_id=kudos.posted_message_id
    )
