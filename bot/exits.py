"""How the ``memberbot`` process ends when something stops it: one line and an exit code.

Every command, and the bot itself at start-up, reports a problem the same way:
one line on stderr, never a traceback, and an exit code a process manager can
act on: 2 for a setting (or file) to fix, 3 for something unavailable that may
come back (try again later).
"""

from __future__ import annotations

from bot.errors import BotError, ConfigError, KnowledgeFileError, StorageUnavailable

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_UNAVAILABLE = 3


class StartupFailure(BotError):
    """Why the bot cannot start (or go on), as one line for the admin, and the exit code."""

    def __init__(self, message: str, *, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def failure_for(error: BotError) -> StartupFailure:
    """The line and exit code for an error that ends a command or the bot."""
    if isinstance(error, StartupFailure):
        return error
    if isinstance(error, ConfigError):
        return StartupFailure(f"configuration error: {error}", exit_code=EXIT_USAGE)
    if isinstance(error, KnowledgeFileError):
        return StartupFailure(f"error: {error}", exit_code=EXIT_USAGE)
    if isinstance(error, StorageUnavailable):
        return StartupFailure(f"database unavailable: {error}", exit_code=EXIT_UNAVAILABLE)
    return StartupFailure(f"error: {error}", exit_code=EXIT_FAILED)
