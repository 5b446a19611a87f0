"""Shared CLI plumbing: settings, logging, the database, and errors as one line."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable, Coroutine
from datetime import date
from typing import TYPE_CHECKING, Any

from bot.clock import Clock, PretendToday, SystemClock
from bot.config import Settings, load_settings
from bot.errors import BotError
from bot.exits import EXIT_UNAVAILABLE, EXIT_USAGE, failure_for
from bot.log_format import configure_logging

if TYPE_CHECKING:
    from bot.storage import Database

__all__ = [
    "EXIT_UNAVAILABLE",
    "EXIT_USAGE",
    "clock_for",
    "load_cli_settings",
    "open_database",
    "parse_date",
    "run_async",
]


def load_cli_settings(*, quiet: bool = False, **overrides: object) -> Settings:
    """Settings from the environment and ``.env``; logging set up to match.

    Args:
        quiet: Log warnings and errors only, unless ``LOG_LEVEL`` is set: for the
            chat in the terminal, where log lines would land between the replies.
    """
    settings = load_settings(Settings, **overrides)
    explicit = "log_level" in settings.model_fields_set
    configure_logging(settings.log_level if explicit or not quiet else "WARNING")
    return settings


def clock_for(today: date | None, settings: Settings) -> Clock:
    """The real clock; with ``--today``, one whose "today" (for answers and listings
    only) is that date, while stored and scheduled times stay real."""
    if today is None:
        return SystemClock()
    return PretendToday(today)


def open_database(settings: Settings, *, wait_at_start: bool = True) -> Database:
    """The configured database (its engine; nothing is connected yet).

    Args:
        wait_at_start: Let :meth:`~bot.storage.Database.upgrade` wait up to
            ``DATABASE_START_TIMEOUT_SECONDS`` for a database that is still starting.

    Raises:
        ConfigError: ``DATABASE_URL`` cannot work, or the SQLite file's directory
            is missing (other than ``DATA_DIR``), a file, or not writable.
    """
    from bot.storage import Database

    return Database(
        url=settings.resolved_database_url,
        data_dir=settings.data_dir,
        start_timeout=settings.database_start_timeout_seconds if wait_at_start else 0.0,
    )


def parse_date(value: str) -> date:
    """argparse type for YYYY-MM-DD."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        import argparse

        raise argparse.ArgumentTypeError(f"'{value}' is not a date like 2026-01-31") from None


def run_async(main: Callable[[], Coroutine[Any, Any, int]]) -> int:
    """Run a CLI coroutine; known errors become one line on stderr and an exit code."""
    try:
        return asyncio.run(main())
    except BotError as error:
        failure = failure_for(error)
        print(failure, file=sys.stderr)
        return failure.exit_code
    except KeyboardInterrupt:
        return 130


def log() -> logging.Logger:
    return logging.getLogger("bot.cli")
