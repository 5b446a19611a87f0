"""Platform delivery ids: claimed once per delivery, released on failure, pruned later.

``processed_deliveries`` remembers every delivery id the core acted on, so a
platform's retry of the same delivery (Slack re-sends an event up to three
times, a member may double-submit) is acted on once. Claiming is on the path of
every command, so it is one statement, ``INSERT ... ON CONFLICT DO NOTHING``, shared
by the claims that arrive together (the write batcher, private to this module).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, delete
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage.models import ProcessedDelivery
from bot.storage.statements import dialect_insert

if TYPE_CHECKING:
    from sqlalchemy.sql.dml import ReturningInsert

    from bot.storage.database import Database


# Built once per dialect in use: a prebuilt statement with bound parameters skips
# most of SQLAlchemy's per-call work (its compiled form is cached).
@cache
def _claim_statement(dialect: str) -> ReturningInsert[str, str]:
    return (
        dialect_insert(dialect)(ProcessedDelivery)
        .on_conflict_do_nothing()
        .returning(ProcessedDelivery.platform, ProcessedDelivery.delivery_id)
    )


_RELEASE = delete(ProcessedDelivery).where(
    ProcessedDelivery.platform == bindparam("platform"),
    ProcessedDelivery.delivery_id == bindparam("delivery_id"),
)


@dataclass(frozen=True, slots=True)
class _Claim:
    platform: str
    delivery_id: str
    command: str
    received_at: datetime


async def claim_delivery(
    database: Database, *, platform: str, delivery_id: str, command: str, now: datetime
) -> bool:
    """Record a delivery id; False when it was already recorded (a retried delivery).

    Claims arriving together are written together, in one statement (see
    :mod:`bot.storage.batching`). Two copies of one delivery are safe whether they
    share a statement (the first wins) or not (PostgreSQL makes the second insert
    wait for the first one's commit; SQLite writes one after the other).
    """
    claims = database.batcher("delivery_ids", _write_claims, single_statement=True)
    return await claims.submit(_Claim(platform, delivery_id, command, now))


async def _write_claims(connection: AsyncConnection, claims: list[_Claim]) -> list[bool]:
    inserted = await connection.execute(
        _claim_statement(connection.dialect.name),
        [
            {
                "platform": claim.platform,
                "delivery_id": claim.delivery_id,
                "command": claim.command,
                "received_at": claim.received_at,
            }
            for claim in claims
        ],
    )
    new = {(platform, delivery_id) for platform, delivery_id in inserted}
    granted: list[bool] = []
    for claim in claims:
        key = (claim.platform, claim.delivery_id)
        granted.append(key in new)
        new.discard(key)  # a second copy in the same batch is a retry
    return granted


async def release_delivery(database: Database, *, platform: str, delivery_id: str) -> None:
    """Forget a delivery id, so the platform's retry of a failed command can act."""
    async with database.single_statement() as connection:
        await connection.execute(_RELEASE, {"platform": platform, "delivery_id": delivery_id})


async def prune_processed_deliveries(database: Database, *, now: datetime, keep: timedelta) -> int:
    """Delete delivery ids received before ``now - keep``; returns how many."""
    async with database.transaction() as connection:
        result = await connection.execute(
            delete(ProcessedDelivery).where(ProcessedDelivery.received_at < now - keep)
        )
    return result.rowcount or 0
