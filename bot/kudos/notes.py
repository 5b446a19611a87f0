"""Thank-you note delivery: the first DM, automatic retries, and undelivered notes.

A note is sent by DM **once**: every attempt carries the note's
:class:`~bot.outbound.DeliveryKey`, so a DM that may have arrived (the
connection dropped, the process stopped mid-send) is checked with the platform
before it is sent again. Notes in any unfinished state are retried, each
claimed by one worker with a conditional update before its DM goes out: those
the platform refused for a moment (``retry_later``) when their next attempt is
due, and those still ``pending`` after :data:`ATTEMPT_LEASE` (their attempt's
outcome was never recorded: a crash, or a database outage right after the
send). Whatever happens, the recipient can read every note that did not reach
them by DM in ``/kudos mine``, so nothing a member wrote is lost.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.errors import DeliveryError, DeliveryReason, StorageUnavailable
from bot.kudos import messages
from bot.outbound import DeliveryKey, OutboundSender
from bot.replies import Message
from bot.requests import UserRef
from bot.storage import Database
from bot.storage.repositories.notes import (
    NoteStatus,
    UndeliveredNote,
    quota_statuses,
    record_note_attempt,
)

__all__ = [
    "ATTEMPT_LEASE",
    "MAX_ATTEMPTS",
    "RETRY_BATCH",
    "RETRY_DELAYS",
    "STALE_PENDING",
    "UNDELIVERED_SHOWN",
    "Attempt",
    "NoteStatus",
    "UndeliveredNote",
    "attempt_dm",
    "quota_statuses",
    "record_attempt",
    "retry_due_notes",
    "undelivered_notes_for",
]

log = logging.getLogger(__name__)


#: Waits before the 2nd, 3rd... attempt: the last try is about nine hours after the first.
RETRY_DELAYS = (
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
#: A note still ``pending`` this long after its last attempt started lost its outcome.
STALE_PENDING = timedelta(minutes=10)
#: A ``pending`` note whose attempt started this long ago is tried again (checked
#: first): far longer than a send takes, well inside the minutes Discord
#: remembers a nonce.
ATTEMPT_LEASE = timedelta(minutes=2)
#: Notes retried per pass of the background worker.
RETRY_BATCH = 50
UNDELIVERED_SHOWN = 10


@dataclass(frozen=True, slots=True)
class Attempt:
    """How one DM attempt went and what the note becomes."""

    status: NoteStatus
    reason: str | None = None  # the platform's reason code when not delivered
    next_attempt_at: datetime | None = None


async def attempt_dm(
    outbound: OutboundSender | None,
    *,
    recipient: UserRef,
    message: Message,
    attempts: int,
    now: datetime,
    note_id: int | None = None,
    maybe_sent: bool = False,
) -> Attempt:
    """Send one DM; ``attempts`` counts this one. Never raises a delivery failure.

    ``note_id`` names the DM for the platform (so a repeat is recognised);
    ``maybe_sent`` says an earlier attempt may have arrived (checked first).
    """
    key = DeliveryKey.for_note(note_id, maybe_sent=maybe_sent) if note_id is not None else None
    try:
        if outbound is None:
            raise DeliveryError("no outbound sender", reason=DeliveryReason.NOT_CONFIGURED)
        try:
            await outbound.send_dm(user=recipient, message=message, key=key)
        except DeliveryError:
            raise
        except Exception as unexpected:  # an adapter bug must not lose the note
            log.exception("unexpected error sending a thank-you note")
            raise DeliveryError(
                "unexpected error", reason=DeliveryReason.UNCONFIRMED, detail=repr(unexpected)
            ) from unexpected
    except DeliveryError as error:
        reason = error.reason.value[:200]
        log.warning(
            "thank-you note not delivered",
            extra={
                "recipient": recipient.user_id,
                "reason": reason,
                "permanent": error.permanent,
                "attempt": attempts,
            },
        )
        if error.permanent:
            return Attempt(NoteStatus.FAILED, reason)
        if attempts >= MAX_ATTEMPTS:
            return Attempt(NoteStatus.FAILED, f"gave up after {attempts} attempts: {reason}"[:200])
        return Attempt(NoteStatus.RETRY_LATER, reason, now + RETRY_DELAYS[attempts - 1])
    return Attempt(NoteStatus.DELIVERED)


async def record_attempt(
    database: Database, note_id: int, attempt: Attempt, *, now: datetime
) -> None:
    """Store how an attempt went. Only a ``pending`` note changes: one the recipient
    read meanwhile stays ``read`` (and is never sent again)."""
    try:
        await record_note_attempt(
            database,
            note_id,
            status=attempt.status,
            reason=attempt.reason,
            next_attempt_at=attempt.next_attempt_at,
            delivered_at=now if attempt.status is NoteStatus.DELIVERED else None,
        )
    except StorageUnavailable:
        # The DM may have gone out; raising could let someone send it again.
        log.warning("thank-you note status not saved", extra={"note_id": note_id})


async def retry_due_notes(
    database: Database,
    outbound: OutboundSender,
    *,
    now: datetime,
    tz: ZoneInfo,
    limit: int = RETRY_BATCH,
) -> int:
    """Retry the unfinished notes of ``outbound.platform`` that are due; returns how many.

    Due are ``retry_later`` notes whose next attempt has come, and ``pending``
    notes whose attempt started more than :data:`ATTEMPT_LEASE` ago without an
    outcome (checked with the platform before sending). Several bot workers may
    run this at once: the claim is one conditional UPDATE, so each note is sent
    by exactly one of them.
    """
    async with database.unit_of_work() as work:
        claimed = await work.notes.claim_due(
            platform=outbound.platform, now=now, lease_start=now - ATTEMPT_LEASE, limit=limit
        )
    for due in claimed:
        note = due.note
        message = messages.thanks_dm(
            giver=due.giver,
            note=(note.note,),
            written_on=note.created_at.astimezone(tz).date(),
        )
        attempt = await attempt_dm(
            outbound,
            recipient=due.recipient,
            message=message,
            attempts=note.attempts,
            now=now,
            note_id=note.id,
            # Every retry may follow a DM that arrived unseen: check first.
            maybe_sent=True,
        )
        await record_attempt(database, note.id, attempt, now=now)
        log.info(
            "thank-you note retried",
            extra={"note_id": note.id, "status": attempt.status, "attempt": note.attempts},
        )
    return len(claimed)


async def undelivered_notes_for(
    database: Database, user: UserRef, *, now: datetime, limit: int = UNDELIVERED_SHOWN
) -> tuple[int, list[UndeliveredNote]]:
    """Notes to ``user`` that did not reach them by DM: how many, and the latest ``limit``.

    Showing them counts as delivering them: those still waiting for a retry become
    ``read``, so the recipient does not get the same note again later by DM.
    """
    async with database.unit_of_work() as work:
        return await work.notes.read_undelivered(
            user, stale_before=now - STALE_PENDING, limit=limit
        )
