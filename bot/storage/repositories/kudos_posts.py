"""Where kudos were posted, and the retries of posts that did not go out at once.

Every kudos is stored with a ``kudos_post_retries`` row (:func:`first_attempt_row`,
in the same transaction) that its first post attempt holds: ``posting`` until its
lease is over. A post settles it together with the post reference
(:func:`queue_post_reference`, batched: the last of three writes on every kudos);
see :mod:`bot.kudos.post_retries` for the schedule and what members are told.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, and_, bindparam, delete, insert, select, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage.batching import WriteBatcher
from bot.storage.models import Kudos, KudosPostRetry
from bot.storage.repositories.base import Repository

if TYPE_CHECKING:
    from bot.storage.database import Database

RETRY_LATER = "retry_later"
POSTING = "posting"  # an attempt started at next_attempt_at - ATTEMPT_LEASE
POSTED = "posted"
FAILED = "failed"

#: Queues the first post attempt of each new kudos (rows from :func:`first_attempt_row`).
QUEUE_FIRST_ATTEMPTS = insert(KudosPostRetry)
#: The first attempt posted it (``kudos_id`` bound): nothing left to retry. Only
#: while that attempt still holds the row; a retry that took it over settles it.
FIRST_ATTEMPT_POSTED = delete(KudosPostRetry).where(
    KudosPostRetry.kudos_id == bindparam("kudos_id"),
    KudosPostRetry.status == POSTING,
    KudosPostRetry.attempts == 1,
)

_SAVE_POST = (
    update(Kudos)
    .where(Kudos.id == bindparam("kudos_id"))
    .values(
        posted_channel_id=bindparam("post_channel"), posted_message_id=bindparam("post_message")
    )
)
# PostgreSQL settles the first attempt in the same statement (a data-modifying
# CTE), so the post reference stays one autocommitted round trip; SQLite runs the
# two statements in its transaction, where a statement costs no round trip.
_SAVE_POST_SETTLED = _SAVE_POST.add_cte(FIRST_ATTEMPT_POSTED.cte("first_attempt_posted"))


def first_attempt_row(*, kudos_id: int, platform: str, lease_end: datetime) -> dict[str, object]:
    """The retry row a new kudos is stored with, held by its first post attempt.

    If that attempt never settles it (the process stopped), the retries take it
    over once ``lease_end`` has passed.
    """
    return {
        "kudos_id": kudos_id,
        "platform": platform,
        "status": POSTING,
        "attempts": 1,
        "next_attempt_at": lease_end,
        "failure_reason": None,
        "posted_at": None,
    }


@dataclass(frozen=True, slots=True)
class _PostRef:
    kudos_id: int
    channel_id: str
    message_id: str


def queue_post_reference(
    database: Database, kudos_id: int, *, channel_id: str, message_id: str
) -> asyncio.Future[None]:
    """Queue the write of where a kudos was posted, which also settles its first
    attempt; the future is done when it is written (or failed)."""
    return _post_saves(database).submit_nowait(_PostRef(kudos_id, channel_id, message_id))


async def post_references_saved(database: Database) -> None:
    """Wait until every post reference queued by this process is written."""
    await _post_saves(database).settled()


def _post_saves(database: Database) -> WriteBatcher[_PostRef, None]:
    return database.batcher("kudos_posts", _write_posts, single_statement=True)


async def _write_posts(connection: AsyncConnection, refs: list[_PostRef]) -> list[None]:
    rows = [
        {"kudos_id": ref.kudos_id, "post_channel": ref.channel_id, "post_message": ref.message_id}
        for ref in refs
    ]
    if connection.dialect.name == postgresql.dialect.name:
        await connection.execute(_SAVE_POST_SETTLED, rows)
    else:
        await connection.execute(_SAVE_POST, rows)
        await connection.execute(
            FIRST_ATTEMPT_POSTED, [{"kudos_id": row["kudos_id"]} for row in rows]
        )
    return [None] * len(refs)


def _due(now: datetime) -> ColumnElement[bool]:
    """Waiting posts whose time has come, and attempts whose worker stopped (lease over)."""
    return and_(
        KudosPostRetry.status.in_([RETRY_LATER, POSTING]), KudosPostRetry.next_attempt_at <= now
    )


def _held_by(kudos_id: int, attempts: int) -> ColumnElement[bool]:
    """The row of ``kudos_id`` while attempt number ``attempts`` still holds it: an
    attempt that outlived its lease must not overwrite the one that took over."""
    return and_(
        KudosPostRetry.kudos_id == kudos_id,
        KudosPostRetry.status == POSTING,
        KudosPostRetry.attempts == attempts,
    )


async def record_retry_posted(
    database: Database,
    kudos_id: int,
    *,
    channel_id: str,
    message_id: str,
    attempts: int,
    now: datetime,
) -> None:
    """A retry posted the kudos: save where, and settle the attempt if it still holds it."""
    async with database.transaction() as connection:
        await connection.execute(
            update(Kudos)
            .where(Kudos.id == kudos_id)
            .values(posted_channel_id=channel_id, posted_message_id=message_id)
        )
        await connection.execute(
            update(KudosPostRetry)
            .where(_held_by(kudos_id, attempts))
            .values(status=POSTED, posted_at=now, next_attempt_at=None, failure_reason=None)
        )


async def record_retry_failed(
    database: Database,
    kudos_id: int,
    *,
    attempts: int,
    status: str,
    next_attempt_at: datetime | None,
    failure_reason: str,
) -> None:
    """An attempt failed: waiting for a retry (``retry_later``) or given up (``failed``);
    only if attempt number ``attempts`` still holds the row."""
    async with database.transaction() as connection:
        await connection.execute(
            update(KudosPostRetry)
            .where(_held_by(kudos_id, attempts))
            .values(status=status, next_attempt_at=next_attempt_at, failure_reason=failure_reason)
        )


class KudosPostRepository(Repository):
    """Post retries claimed by the background worker (``work.kudos.posts``)."""

    async def claim_due(
        self, *, platform: str, now: datetime, lease_end: datetime, limit: int
    ) -> list[tuple[int, int]]:
        """Claim the due posts of ``platform``: (kudos id, this attempt's number) each.

        One conditional UPDATE, so several workers never claim the same post; if the
        attempt is still ``posting`` at ``lease_end``, its worker stopped.
        """
        due = (
            select(KudosPostRetry.kudos_id)
            .where(KudosPostRetry.platform == platform, _due(now))
            .order_by(KudosPostRetry.kudos_id)
            .limit(limit)
        )
        rows = await self._session.execute(
            update(KudosPostRetry)
            .where(KudosPostRetry.kudos_id.in_(due.scalar_subquery()), _due(now))
            .values(
                status=POSTING,
                attempts=KudosPostRetry.attempts + 1,
                next_attempt_at=lease_end,  # if still posting then, it stopped
            )
            .returning(KudosPostRetry.kudos_id, KudosPostRetry.attempts)
            .execution_options(synchronize_session=False)
        )
        return [(kudos_id, attempts) for kudos_id, attempts in rows]
