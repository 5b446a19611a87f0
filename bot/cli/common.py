"""Shared CLI plumbing: settings, logging and building the core."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable, Coroutine
from datetime import date
from typing import TYPE_CHECKING, Any

from bot.clock import Clock, PretendToday, SystemClock
from bot.config import Settings, load_settings
from bot.errors import BotError, ConfigError, KnowledgeFileError, StorageUnavailable
from bot.log_format import configure_logging

if TYPE_CHECKING:
    from bot.core import BotCore
    from bot.outbound import OutboundSender
    from bot.storage import Database

EXIT_USAGE = 2
EXIT_UNAVAILABLE = 3


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


def build_core(
    settings: Settings,
    *,
    clock: Clock | None = None,
    outbound: OutboundSender | None = None,
) -> BotCore:
    # The core loads storage and every command: only commands that need it pay for it.
    from bot.core import BotCore
    from bot.knowledge_store import KnowledgeStore

    return BotCore(
        settings=settings,
        database=open_database(settings),
        knowledge=KnowledgeStore.from_settings(settings, running_bot=True),
        clock=clock,
        outbound=outbound,
    )


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
    except KnowledgeFileError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except StorageUnavailable as error:
        print(f"database unavailable: {error}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    except BotError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def log() -> logging.Logger:
    return logging.getLogger("bot.cli")
