"""Where a SQLite database file may live: checked before the engine opens it."""

from __future__ import annotations

import tempfile
from pathlib import Path

from sqlalchemy.engine import URL

from bot.errors import ConfigError


def check_sqlite_location(url: URL, data_dir: Path | None) -> None:
    """Make sure SQLite can create and write its file (and its -wal/-shm files).

    Only ``data_dir`` itself is created when missing: a typo in ``DATABASE_URL``
    must not silently create directories somewhere else on the machine.

    Raises:
        ConfigError: one line naming the setting, the path and what is wrong.
    """
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    directory = path.parent
    own_dir = data_dir is not None and directory == Path(data_dir).expanduser().absolute()
    setting = "DATA_DIR" if own_dir else "DATABASE_URL"
    if directory.exists() and not directory.is_dir():
        raise ConfigError(f"{setting}: {directory} is a file, not a directory")
    if not directory.exists():
        if not own_dir:
            raise ConfigError(
                f"{setting}: the directory {directory} does not exist; create it first "
                "(only DATA_DIR is created automatically)"
            )
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ConfigError(
                f"{setting}: cannot create {directory} ({error.strerror or error})"
            ) from None
    _check_writable(setting, directory, path)


def _check_writable(setting: str, directory: Path, path: Path) -> None:
    """Try what SQLite will do: create a file in ``directory``, open ``path`` for writing."""
    try:
        with tempfile.TemporaryFile(dir=directory):
            pass
    except OSError as error:
        raise ConfigError(
            f"{setting}: cannot write in {directory} ({error.strerror or error}); "
            "SQLite needs to create its database and journal files there"
        ) from None
    if path.is_dir():
        raise ConfigError(f"{setting}: {path} is a directory, not a database file")
    if path.exists():
        try:
            with path.open("r+b"):
                pass
        except OSError as error:
            raise ConfigError(
                f"{setting}: cannot write to {path} ({error.strerror or error})"
            ) from None
