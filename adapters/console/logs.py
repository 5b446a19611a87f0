"""The console's log: a file in the data directory, one line per record.

The chat is the terminal, so log lines must not land between the replies; and a
database error's text can run to many lines of SQL, which has no place in a log
line either. Each record is written as one line: its message up to the first
line break, and for an error only the exception's type and first line.
"""

from __future__ import annotations

import logging
from pathlib import Path

from bot.log_format import KeyValueFormatter

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class OneLineFormatter(KeyValueFormatter):
    """``KeyValueFormatter`` output folded to a single line."""

    def format(self, record: logging.LogRecord) -> str:
        record = logging.makeLogRecord(vars(record))  # other handlers see the original
        record.msg, record.args = first_line(record.getMessage()), None
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            record.msg = f"{record.msg} ({type(error).__name__}: {first_line(str(error))})"
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return super().format(record)


def first_line(text: str) -> str:
    """The first non-blank line of ``text``, with an ellipsis when more was cut."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return ""
    return lines[0] + (" …" if len(lines) > 1 else "")


def log_to_file(path: Path) -> None:
    """Send every log record (at the level already set) to ``path``, one line each."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        handler = logging.StreamHandler()  # stderr, still one line per record
    handler.setFormatter(OneLineFormatter(FORMAT))
    logging.getLogger().handlers[:] = [handler]
