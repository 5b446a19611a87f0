"""Storing kudos: the writes every ``/kudos`` makes, batched when they arrive together.

A kudos is stored (quota checked, kudos and recipients inserted, its post queued
for the first attempt: :mod:`bot.kudos.post_retries`) in one transaction, and
where its post landed is saved after posting, which also settles that queued
attempt. Kudos given at the same moment share those transactions
(:mod:`bot.storage.batching`): one member upsert, one quota count, one insert
each of kudos, recipients and queued posts for the whole batch, decided in
arrival order, so the quota holds exactly as if they had been stored one by one.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from bot.errors import UserError
from bot.kudos.post_retries import FIRST_ATTEMPT_POSTED, QUEUE_FIRST_ATTEMPTS, first_attempt_row
from bot.kudos.queries import counted_kudos
from bot.kudos.rules import check_quota
from bot.members import upsert_member_ids
from bot.outbound import PostedMessage
from bot.requests import UserRef
from bot.storage import Database
from bot.storage.batching import WriteBatcher
from bot.storage.models import Kudos, KudosRecipient, Member

log = logging.getLogger(__name__)

#: Kudos given by each giver since ``since``, counting each recipient (the quota unit).
_GIVEN_SINCE = (
    counted_kudos(Kudos.giver_id, by_giver=True)
    .where(
        Kudos.giver_id.in_(bindparam("giver_ids", expanding=True)),
        Kudos.created_at >= bindparam("since"),
    )
    .group_by(Kudos.giver_id)
)
# Ids come back in the order the rows were given, to pair each kudos with its id.
_INSERT_KUDOS = insert(Kudos).returning(Kudos.id, sort_by_parameter_order=True)
_INSERT_RECIPIENTS = insert(KudosRecipient)
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


@dataclass(frozen=True, slots=True)
class _PostRef:
    kudos_id: int
    posted: PostedMessage


async def store_kudos(database: Database, kudos: NewKudos) -> int:
    """Store one kudos (with any given at the same moment); its id.

    Raises:
        UserError: The giver's daily quota would be exceeded; nothing was stored.
        StorageUnavailable: The database could not be reached; nothing was stored.
    """
    return await database.batcher("kudos", _write_kudos, max_batch=50).submit(kudos)


def save_post_soon(database: Database, kudos_id: int, posted: PostedMessage) -> None:
    """Remember where a kudos was posted (so ``/kudos undo`` can delete the post) and
    that its first attempt posted it (so it is not retried).

    The giver's confirmation does not wait for this write (it is the last of three
    on every kudos); :func:`posts_saved` waits for it before anything reads it. If
    it is lost, the post is retried when its lease is over, and the platform check
    finds it posted.
    """
    written = _post_saves(database).submit_nowait(_PostRef(kudos_id, posted))
    written.add_done_callback(lambda done: _log_unsaved(done, kudos_id))


async def posts_saved(database: Database) -> None:
    """Wait until every post reference queued by this process is written."""
    await _post_saves(database).settled()


def _post_saves(database: Database) -> WriteBatcher[_PostRef, None]:
    return database.batcher("kudos_posts", _write_posts, single_statement=True)


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


async def _write_kudos(connection: AsyncConnection, batch: list[NewKudos]) -> list[int | Exception]:
    # The upsert comes first on purpose: it takes the write lock (SQLite) or the
    # rows' locks (PostgreSQL, in one global order), so kudos of one giver stored
    # by other transactions at the same time are counted one after the other and
    # cannot slip under the quota together.
    ids = await upsert_member_ids(
        connection,
        [user for kudos in batch for user in (kudos.giver, *kudos.recipients)],
        now=max(kudos.created_at for kudos in batch),
    )
    used = await _given_today(connection, batch, ids)
    refusals: list[UserError | None] = []  # per kudos, None = accepted
    accepted: list[NewKudos] = []
    for kudos in batch:  # arrival order, counting what this batch already took
        key = (ids[kudos.giver.key], kudos.day_start)
        try:
            check_quota(
                used_today=used.get(key, 0),
                wanted=len(kudos.recipients),
                quota=kudos.quota,
                now=kudos.created_at,
                tz=kudos.tz,
                what="kudos",
            )
        except UserError as refusal:
            refusals.append(refusal)
            continue
        used[key] = used.get(key, 0) + len(kudos.recipients)
        refusals.append(None)
        accepted.append(kudos)
    new_ids = await _insert(connection, accepted, ids) if accepted else []
    stored = iter(new_ids)
    return [next(stored) if refusal is None else refusal for refusal in refusals]


async def _insert(
    connection: AsyncConnection, accepted: list[NewKudos], ids: dict[tuple[str, str, str], int]
) -> list[int]:
    """Insert the kudos and their recipients; the new kudos ids, in order."""
    inserted = await connection.execute(
        _INSERT_KUDOS,
        [
            {
                "platform": kudos.platform,
                "workspace_id": kudos.workspace_id,
                "giver_id": ids[kudos.giver.key],
                "reason": kudos.reason,
                "channel_id": kudos.channel_id,
                "delivery_id": kudos.delivery_id,
                "created_at": kudos.created_at,
            }
            for kudos in accepted
        ],
    )
    new_ids = list(inserted.scalars())
    # Queued with the kudos, not after it: a process stopped before posting leaves
    # the post for the retries instead of never posting it.
    await connection.execute(
        QUEUE_FIRST_ATTEMPTS,
        [
            first_attempt_row(kudos_id=kudos_id, platform=kudos.platform, given_at=kudos.created_at)
            for kudos, kudos_id in zip(accepted, new_ids, strict=True)
        ],
    )
    await connection.execute(
        _INSERT_RECIPIENTS,
        [
            {
                "kudos_id": kudos_id,
                "recipient_id": ids[user.key],
                "platform": kudos.platform,
                "workspace_id": kudos.workspace_id,
                "created_at": kudos.created_at,
            }
            for kudos, kudos_id in zip(accepted, new_ids, strict=True)
            for user in kudos.recipients
        ],
    )
    return new_ids


async def _given_today(
    connection: AsyncConnection, batch: list[NewKudos], ids: dict[tuple[str, str, str], int]
) -> dict[tuple[int, datetime], int]:
    """Kudos each giver of the batch gave on the batch's day(s), keyed (giver id, day)."""
    givers_by_day: dict[datetime, set[int]] = {}
    for kudos in batch:
        givers_by_day.setdefault(kudos.day_start, set()).add(ids[kudos.giver.key])
    used: dict[tuple[int, datetime], int] = {}
    for day_start, givers in givers_by_day.items():  # one day, except across midnight
        rows = await connection.execute(
            _GIVEN_SINCE, {"giver_ids": sorted(givers), "since": day_start}
        )
        used.update(((giver_id, day_start), count) for giver_id, count in rows)
    return used


async def _write_posts(connection: AsyncConnection, refs: list[_PostRef]) -> list[None]:
    rows = [
        {
            "kudos_id": ref.kudos_id,
            "post_channel": ref.posted.channel_id,
            "post_message": ref.posted.message_id,
        }
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


async def recipient_refs(session: AsyncSession, kudos_id: int) -> list[UserRef]:
    """The members a stored kudos recognised, by display name."""
    rows = await session.scalars(
        select(Member)
        .join(KudosRecipient, KudosRecipient.recipient_id == Member.id)
        .where(KudosRecipient.kudos_id == kudos_id)
        .order_by(Member.display_name)
    )
    return [member.ref() for member in rows]


def posted_message(kudos: Kudos, platform: str) -> PostedMessage | None:
    """Where a stored kudos was posted, or None when it has no saved post."""
    if kudos.posted_channel_id is None or kudos.posted_message_id is None:
        return None
    return PostedMessage(
        platform=platform, channel_id=kudos.posted_channel_id, message_id=kudos.posted_message_id
    )
