"""What a failed send does to its row: tried again after a backoff, or failed for good.

Permanent failures (user gone, DMs closed) are final at once; transient ones (5xx,
timeouts, network, unconfirmed) are retried with capped exponential backoff until
the row's due time plus the grace period, and only then recorded as failed with
the last error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.broadcasts.claims import PENDING, ClaimedDelivery
from bot.broadcasts.overdue import gave_up_reason
from bot.broadcasts.policy import DispatchPolicy
from bot.errors import DeliveryError, DeliveryReason
from bot.storage.models.broadcasts import DeliveryStatus

#: Failures after which the message may be on the platform although unconfirmed.
_MAY_HAVE_ARRIVED = frozenset({DeliveryReason.UNCONFIRMED, DeliveryReason.PLATFORM_ERROR})


@dataclass(frozen=True, slots=True)
class FailedAttempt:
    """The row's new values after a failed try, and whether it is failed for good."""

    values: dict[str, object]
    attempts: int
    final: bool


def after_failure(
    row: ClaimedDelivery, error: DeliveryError, *, now: datetime, policy: DispatchPolicy
) -> FailedAttempt:
    """The claimed ``row`` released after ``error``: pending again, or failed."""
    attempts = row.attempts + 1
    give_up_at = policy.give_up_at(row.due_at)
    values: dict[str, object] = {
        "attempts": attempts,
        "claimed_by": None,
        "claimed_at": None,
        # A lost answer or a server error may hide a message that arrived: the
        # next attempt checks first. A refusal (429, unreachable) sent nothing.
        "maybe_sent": error.reason in _MAY_HAVE_ARRIVED,
    }
    if error.permanent or now >= give_up_at:
        reason = (
            describe(error)
            if error.permanent
            else gave_up_reason(attempts=attempts, last_error=str(error))
        )
        values.update(status=DeliveryStatus.FAILED.value, failure_reason=reason[:500])
        return FailedAttempt(values=values, attempts=attempts, final=True)
    # The last try lands exactly at the end of the grace period.
    next_try = min(now + policy.backoff(attempts), give_up_at)
    values.update(status=PENDING, next_attempt_at=next_try, failure_reason=str(error)[:500])
    return FailedAttempt(values=values, attempts=attempts, final=False)


def describe(error: DeliveryError) -> str:
    """What staff read for a permanent failure: the reason, and the platform's code."""
    if error.detail and error.detail != error.reason:
        return f"{error.reason.value} ({error.detail})"
    return error.reason.value
