"""Exception hierarchy for the core.

Every error the bot raises on purpose derives from :class:`BotError`. A
:class:`UserError` carries a message that is safe to show a member as is;
anything else is logged with context and the member gets a short apology.
"""

from __future__ import annotations

from enum import StrEnum


class BotError(Exception):
    """Base class of every error raised on purpose by memberbot."""


class UserError(BotError):
    """A problem with what a member asked for; ``str(error)`` is safe to show them."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class PermissionDenied(UserError):
    """The member may not use this command (for example: staff only)."""


class ConfigError(BotError):
    """A missing or invalid setting; the message names the variable."""


class KnowledgeFileError(BotError):
    """A knowledge file that cannot be loaded.

    ``str(error)`` reads ``knowledge.yaml:LINE: what is wrong`` so staff can
    jump straight to the problem.
    """

    def __init__(self, *, path: str, line: int | None, problem: str) -> None:
        self.path = path
        self.line = line
        self.problem = problem
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {problem}")


class StorageUnavailable(BotError):
    """The database is locked or down; the operation can be retried later."""


class DeliveryReason(StrEnum):
    """Why a platform did not deliver: the closed set every adapter maps its errors to."""

    DMS_CLOSED = "dms_closed"  # the member does not accept DMs from the bot
    RECIPIENT_GONE = "recipient_gone"  # no such member (left, deleted, never existed)
    RECIPIENT_INACTIVE = "recipient_inactive"  # the account is deactivated
    BOT_RECIPIENT = "bot_recipient"  # bots take no DMs
    NO_CHANNEL = "no_channel"  # no channel configured or given
    CHANNEL_GONE = "channel_gone"  # the channel is missing, archived or closed to the bot
    NOT_FOUND = "not_found"  # the message (to delete) or another object is gone
    FORBIDDEN = "forbidden"  # the bot lacks a permission, scope or valid token
    INVALID_MESSAGE = "invalid_message"  # the platform refused the message itself
    REFUSED = "refused"  # refused for good, for a reason not listed above
    RATE_LIMITED = "rate_limited"  # still rate limited after the client's waits
    PLATFORM_ERROR = "platform_error"  # 5xx, a malformed answer or an unknown error code
    UNREACHABLE = "unreachable"  # the request never reached the platform
    UNCONFIRMED = "unconfirmed"  # it may have arrived and could not be checked yet
    NOT_CONFIGURED = "not_configured"  # no outbound sender in this process


#: Reasons retrying cannot fix.
PERMANENT_REASONS = frozenset(
    {
        DeliveryReason.DMS_CLOSED,
        DeliveryReason.RECIPIENT_GONE,
        DeliveryReason.RECIPIENT_INACTIVE,
        DeliveryReason.BOT_RECIPIENT,
        DeliveryReason.NO_CHANNEL,
        DeliveryReason.CHANNEL_GONE,
        DeliveryReason.NOT_FOUND,
        DeliveryReason.FORBIDDEN,
        DeliveryReason.INVALID_MESSAGE,
        DeliveryReason.REFUSED,
    }
)


class DeliveryError(BotError):
    """A platform refused or failed to deliver an outbound message.

    ``reason`` is always a :class:`DeliveryReason`; ``detail`` keeps the platform's
    own code (``user_disabled``, ``http_503``) for logs.
    """

    def __init__(
        self,
        message: str,
        *,
        permanent: bool | None = None,
        reason: DeliveryReason | str | None = None,
        detail: str = "",
    ) -> None:
        super().__init__(message)
        self.reason = _as_reason(reason, permanent=permanent)
        self.permanent = self.reason in PERMANENT_REASONS if permanent is None else permanent
        self.detail = detail or (str(reason) if reason and reason != self.reason else "")


def _as_reason(reason: DeliveryReason | str | None, *, permanent: bool | None) -> DeliveryReason:
    """A reason from the closed set; an unknown code becomes the catch-all for its kind."""
    catch_all = DeliveryReason.REFUSED if permanent else DeliveryReason.PLATFORM_ERROR
    if reason is None:
        return catch_all
    try:
        return DeliveryReason(reason)
    except ValueError:
        return catch_all
