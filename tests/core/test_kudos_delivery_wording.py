"""What a member is told when a thank-you note could not be delivered privately."""

from __future__ import annotations

import pytest

from bot.errors import DeliveryError, DeliveryReason
from bot.kudos.messages import thanks_outcome
from bot.requests import UserRef

BOB = UserRef("slack", "T1", "U2", display_name="bob")
GENERIC = "the chat platform refused the direct message"


def _why(reason: str | None) -> str:
    text = thanks_outcome(BOB, status="failed", reason=reason).plain_text()
    return text.split("by direct message: ", 1)[1].split(". Your note", 1)[0]


@pytest.mark.parametrize(
    ("reason", "why"),
    [
        (DeliveryReason.DMS_CLOSED, "they don't accept direct messages from me"),
        (DeliveryReason.FORBIDDEN, "they don't accept direct messages from me"),
        (DeliveryReason.RECIPIENT_GONE, "I couldn't find their account (they may have left)"),
        (DeliveryReason.NOT_FOUND, "I couldn't find their account (they may have left)"),
        (DeliveryReason.RECIPIENT_INACTIVE, "their account is no longer active"),
        (DeliveryReason.BOT_RECIPIENT, "their account is a bot, which takes no direct messages"),
        (DeliveryReason.REFUSED, GENERIC),
        (None, GENERIC),
    ],
)
def test_each_delivery_reason_is_said_in_plain_words(reason: str | None, why: str) -> None:
    assert _why(reason) == why


def test_running_out_of_retries_is_said_as_such() -> None:
    assert _why("gave up after 4 attempts: platform_error") == "the chat platform kept failing"


@pytest.mark.parametrize("code", ["cannot_dm_user", "user_disabled", "50007", "channel_not_found"])
def test_the_core_reads_reasons_not_platform_codes(code: str) -> None:
    # Adapters map their codes once; whatever reaches the core is a DeliveryReason.
    error = DeliveryError("refused", permanent=True, reason=code)
    assert error.reason is DeliveryReason.REFUSED and error.detail == code
    assert _why(error.reason.value) == GENERIC
