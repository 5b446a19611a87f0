"""Logging setup: one line per record, with structured ``key=value`` context."""

from __future__ import annotations

import logging
import sys

# Attributes every LogRecord has; anything else came in through ``extra=``.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


class KeyValueFormatter(logging.Formatter):
    """``2026-11-23 10:00:00 INFO bot.core: message key=value ...``"""

    def format(self, record: logging.LogRecord) -> str:
        base = super().format(record)
        extras = {k: v for k, v in vars(record).items() if k not in _STANDARD}
        if not extras:
            return base
        context = " ".join(f"{key}={value!r}" for key, value in sorted(extras.items()))
        head, sep, tail = base.partition("\n")  # keep tracebacks after the context
        return f"{head} {context}{sep}{tail}"


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(KeyValueFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # SQLAlchemy and Alembic are chatty at INFO
    logging.getLogger("alembic").setLevel(max(logging.WARNING, root.level))
    # aiosqlite's DEBUG lines repeat every statement with its parameters: member text and
    # private answers (mentoring demographics) must not reach a log line, even at DEBUG
    logging.getLogger("aiosqlite").setLevel(max(logging.INFO, root.level))
