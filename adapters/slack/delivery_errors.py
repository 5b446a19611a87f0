"""Slack's answers as the core's :class:`~bot.errors.DeliveryError`: the error-code map
and the refused / unreachable / may-have-arrived readings the Slack sender uses.
"""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from adapters.slack.directory import slack_error
from bot.errors import DeliveryError, DeliveryReason

#: The sender's log lines keep the sender's logger name, wherever their code sits.
log = logging.getLogger("adapters.slack.sender")

#: Slack error codes mapped to the core's closed set of reasons; any other code
#: is a temporary platform error (retried).
SLACK_ERROR_REASONS: dict[str, DeliveryReason] = {
    "user_not_found": DeliveryReason.RECIPIENT_GONE,
    "users_not_found": DeliveryReason.RECIPIENT_GONE,
    "user_disabled": DeliveryReason.RECIPIENT_INACTIVE,
    "account_inactive": DeliveryReason.RECIPIENT_INACTIVE,
    "cannot_dm_bot": DeliveryReason.BOT_RECIPIENT,
    "channel_not_found": DeliveryReason.CHANNEL_GONE,
    "not_in_channel": DeliveryReason.CHANNEL_GONE,
    "is_archived": DeliveryReason.CHANNEL_GONE,
    "msg_too_long": DeliveryReason.INVALID_MESSAGE,
    "no_text": DeliveryReason.INVALID_MESSAGE,
    "invalid_blocks": DeliveryReason.INVALID_MESSAGE,
    "invalid_metadata_format": DeliveryReason.INVALID_MESSAGE,
    "restricted_action": DeliveryReason.FORBIDDEN,
    "message_not_found": DeliveryReason.NOT_FOUND,
    "cant_delete_message": DeliveryReason.NOT_FOUND,
    "not_authed": DeliveryReason.FORBIDDEN,
    "invalid_auth": DeliveryReason.FORBIDDEN,
    "token_revoked": DeliveryReason.FORBIDDEN,
    "missing_scope": DeliveryReason.FORBIDDEN,
    "ekm_access_denied": DeliveryReason.FORBIDDEN,
    "ratelimited": DeliveryReason.RATE_LIMITED,
}


def post_may_have_arrived(error: SlackApiError) -> bool:
    """A 5xx (or an answer that was not Slack's JSON) may follow an accepted post."""
    code, status = slack_error(error)
    return status is None or status >= 500 or code.startswith("http_")


def unreachable(method: str, error: BaseException) -> DeliveryError:
    log.warning("Slack unreachable", extra={"slack_method": method, "error": repr(error)})
    return DeliveryError(
        f"Slack could not be reached for {method}",
        reason=DeliveryReason.UNREACHABLE,
        detail=type(error).__name__,
    )


def delivery_error(method: str, error: SlackApiError) -> DeliveryError:
    """Slack's refusal as a DeliveryError; never fails, whatever Slack answered."""
    code, status = slack_error(error)
    reason = SLACK_ERROR_REASONS.get(code, DeliveryReason.PLATFORM_ERROR)
    error_out = DeliveryError(f"Slack {method} failed: {code}", reason=reason, detail=code)
    log.warning(
        "Slack refused a call",
        extra={
            "slack_method": method,
            "slack_error": code,
            "status": status,
            "reason": reason.value,
            "permanent": error_out.permanent,
        },
    )
    return error_out
