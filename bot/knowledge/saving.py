"""Saving a new version of the knowledge file without ever losing anyone's edit.

The bot writes the file only through :func:`save_if_unchanged`:

- writers inside memberbot (any process) take an exclusive lock on a lock file
  beside the knowledge file (``.knowledge.yaml.lock``), so they queue up;
- the new text goes to a temporary file in the same directory, is flushed to
  disk, and then takes the file's place in one rename, so a reader (the bot's
  reload, an editor) sees the old version or the new one, never half of one;
- the file must still be exactly the version the change was made from (same
  SHA-256): an edit saved by hand in the meantime is never overwritten. On Linux
  the rename *exchanges* the two files and the displaced one is checked after
  the swap, so even a save landing in the instant between the check and the
  rename is caught and put back; elsewhere a plain rename follows the check;
- the version replaced is kept in ``DATA_DIR/knowledge-history/`` (the newest
  :data:`HISTORY_KEPT`);
- the new version's SHA-256 is noted beside the file (``.knowledge.yaml.written``),
  so running bots in other processes load it at their next check without waiting
  for it to settle (a file saved in one rename is never half-written).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import logging
import os
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from bot.errors import UserError
from bot.knowledge_hold import digest_of

log = logging.getLogger(__name__)

HISTORY_DIR = "knowledge-history"
#: Copies of earlier versions kept; the oldest go first.
HISTORY_KEPT = 50
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class ChangedOnDisk(UserError):
    """The file was saved by someone else since it was read: nothing was written."""


def lock_path(path: Path) -> Path:
    """The lock file every memberbot writer of ``path`` takes first."""
    return path.with_name(f".{path.name}.lock")


@contextlib.contextmanager
def writer_lock(path: Path) -> Iterator[None]:
    """Hold the exclusive writer lock of ``path`` (blocks until it is free).

    An advisory ``flock`` on a separate file: it works across processes, is
    released by the kernel if the holder dies, and is never replaced by a save.
    """
    lock = lock_path(path)
    descriptor = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def save_if_unchanged(
    path: Path,
    new_text: str,
    *,
    expected_digest: str,
    history_dir: Path | None,
    note_as_memberbot: bool = True,
) -> Path | None:
    """Replace ``path`` with ``new_text`` if it is still the version with ``expected_digest``.

    Call it while holding :func:`writer_lock`.

    Args:
        path: The knowledge file.
        new_text: Its new content.
        expected_digest: SHA-256 of the text the change was made from.
        history_dir: Where to keep a copy of the replaced version (None: no copy).
        note_as_memberbot: Note the new version as saved by memberbot (see
            :func:`saved_by_memberbot`); tests standing in for a staff editor say False.

    Returns:
        The copy of the previous version, or None when none was kept.

    Raises:
        ChangedOnDisk: the file is not that version any more; nothing was written.
        OSError: the disk refused the write; the file is untouched.
    """
    current = _read_bytes(path)
    if current is None or digest_of(current.decode("utf-8", "replace")) != expected_digest:
        raise _changed(path)
    kept = _keep_copy(current, history_dir) if history_dir is not None else None
    temporary = _write_temporary(path, new_text)
    try:
        if _exchange(temporary, path):
            # ``temporary`` now names the displaced version: was it still ours to replace?
            displaced = _read_bytes(temporary)
            if displaced is None or digest_of(displaced.decode("utf-8", "replace")) != (
                expected_digest
            ):
                _exchange(temporary, path)  # put the hand-saved version back
                raise _changed(path)
        else:
            os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    _sync_directory(path.parent)
    if note_as_memberbot:
        _record_written(path, new_text)
    return kept


def written_marker(path: Path) -> Path:
    """Where the digest of the last version memberbot saved of ``path`` is noted."""
    return path.with_name(f".{path.name}.written")


def saved_by_memberbot(path: Path) -> bool:
    """True when ``path`` is exactly the version memberbot last saved (atomically, so a
    running bot can load it without waiting for it to settle)."""
    try:
        noted = written_marker(path).read_text(encoding="utf-8").strip()
        current = path.read_bytes()
    except (OSError, UnicodeDecodeError):
        return False
    return noted == digest_of(current.decode("utf-8", "replace"))


def _record_written(path: Path, text: str) -> None:
    marker = written_marker(path)
    try:
        temporary = _write_temporary(marker, digest_of(text))
        os.replace(temporary, marker)
    except OSError as error:  # only costs running bots the settle wait
        log.warning("could not note the saved version: %s", error)


def _changed(path: Path) -> ChangedOnDisk:
    return ChangedOnDisk(
        f"{path.name} was changed by someone else since it was read, so nothing was written "
        "(their edit is kept). Please try again: the change is made on the new version."
    )


def _read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _write_temporary(path: Path, text: str) -> Path:
    descriptor, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".new", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(text.encode("utf-8"))
            file.flush()
            os.fsync(file.fileno())
        with contextlib.suppress(OSError):  # keep the permissions staff gave the file
            os.chmod(name, path.stat().st_mode & 0o777)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)
        raise
    return Path(name)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2``); False where it is not available."""
    if _RENAMEAT2 is None:
        return False
    result = _RENAMEAT2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), 2)
    if result == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EXDEV):
        return False  # this filesystem cannot swap: fall back to a plain rename
    raise OSError(error, os.strerror(error), str(second))


def _find_renameat2() -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    function.restype = ctypes.c_int
    return function


_RENAMEAT2 = _find_renameat2()


def _sync_directory(directory: Path) -> None:
    # the rename itself must reach the disk, or a crash could bring the old name back
    with contextlib.suppress(OSError):
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _keep_copy(content: bytes, history_dir: Path) -> Path:
    history_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = history_dir / f"knowledge-{stamp}.yaml"
    temporary = _write_temporary(target, content.decode("utf-8", "replace"))
    os.replace(temporary, target)
    _prune(history_dir)
    return target


def _prune(history_dir: Path) -> None:
    copies = sorted(history_dir.glob("knowledge-*.yaml"))
    for old in copies[:-HISTORY_KEPT]:
        with contextlib.suppress(OSError):
            old.unlink()
