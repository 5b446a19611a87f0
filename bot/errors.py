"""Exception hierarchy for the core.

Every error the bot raises on purpose derives from :class:`BotError`. A
:class:`UserError` carries a message that is safe to show a member as is;
anything else is logged with context and the member gets a short apology.
"""

from __future__ import annotations


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


class DeliveryError(BotError):
    """A platform refused or failed to deliver an outbound message."""

    def __init__(self, message: str, *, permanent: bool, reason: str = "") -> None:
        super().__init__(message)
        self.permanent = permanent
        self.reason = reason or message
