"""Holding back a knowledge file that lost most of its content, until staff confirm.

A save cut short at an entry boundary is still valid YAML. Served as is, it
would answer from a fraction of the entries and cancel the reminders of every
deadline it lost. So a reload that drops more than half of the entries, or more
than half of the upcoming deadlines, is *held*: the bot keeps serving the
previous version (and its reminders), logs an error, and records what it holds
in ``DATA_DIR/knowledge-held.json``. If the cut is intended, staff run
``memberbot knowledge reload --confirm``, which records that exact file (by its
SHA-256) in ``DATA_DIR/knowledge-confirmed``; running bots load it at their next
check. A later save that is not a big cut loads as usual.

The same holds across a restart: a running bot keeps a copy of the version it
serves (``DATA_DIR/knowledge-served.yaml``), and a bot that starts with a file
that lost most of that copy serves the copy and holds the file.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from bot.knowledge import Knowledge

log = logging.getLogger(__name__)

HELD_FILE = "knowledge-held.json"
CONFIRMED_FILE = "knowledge-confirmed"
#: A copy of the version a running bot last served: after a restart, a file that lost
#: most of it is held against this copy just as it would be on a reload.
SERVED_FILE = "knowledge-served.yaml"
#: A cut smaller than this many items is an ordinary edit, whatever the share.
MIN_LOST_ENTRIES = 3
MIN_LOST_UPCOMING = 2


@dataclass(frozen=True)
class HeldVersion:
    """A version of the file the bot did not load, and why."""

    path: str
    digest: str
    reason: str


def digest_of(text: str) -> str:
    """The SHA-256 of the file's text, as staff and bots both compute it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def shrink_reason(old: Knowledge, new: Knowledge, *, today: date) -> str | None:
    """Why ``new`` looks like a cut-off copy of ``old``, or None when it does not.

    Held when it drops more than half of the entries (at least
    :data:`MIN_LOST_ENTRIES`), or more than half of the deadlines still ahead
    (at least :data:`MIN_LOST_UPCOMING`): their reminders would be cancelled.
    Removing past deadlines is ordinary housekeeping and never counts.
    """
    reasons = []
    new_entries = {entry.id for entry in new.entries}
    lost_entries = [entry.id for entry in old.entries if entry.id not in new_entries]
    if len(lost_entries) >= MIN_LOST_ENTRIES and 2 * len(lost_entries) > len(old.entries):
        reasons.append(f"{len(lost_entries)} of {len(old.entries)} entries")
    upcoming = [item.id for item in old.deadlines if item.date >= today]
    new_deadlines = {item.id for item in new.deadlines}
    lost_upcoming = [item_id for item_id in upcoming if item_id not in new_deadlines]
    if len(lost_upcoming) >= MIN_LOST_UPCOMING and 2 * len(lost_upcoming) > len(upcoming):
        reasons.append(
            f"{len(lost_upcoming)} of {len(upcoming)} upcoming deadlines "
            "(their reminders would be cancelled)"
        )
    if not reasons:
        return None
    return "the new version drops " + " and ".join(reasons)


class HoldRecords:
    """The two small files in ``DATA_DIR`` the bot and ``memberbot knowledge reload``
    share: what a bot holds, and what staff confirmed."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def confirmed_digest(self) -> str | None:
        try:
            return (self.directory / CONFIRMED_FILE).read_text(encoding="utf-8").strip() or None
        except OSError:
            return None

    def confirm(self, digest: str) -> Path:
        """Record staff's confirmation of the file with this digest."""
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.directory / CONFIRMED_FILE
        target.write_text(digest + "\n", encoding="utf-8")
        return target

    def served_text(self) -> str | None:
        """The text of the version last served, if a bot recorded one."""
        try:
            return (self.directory / SERVED_FILE).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def record_served(self, text: str) -> None:
        """Keep a copy of the version now served (written whole, then renamed)."""
        target = self.directory / SERVED_FILE
        partial = target.with_name(f".{SERVED_FILE}.{os.getpid()}")
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            partial.write_text(text, encoding="utf-8")
            partial.replace(target)
        except OSError as error:
            log.warning("cannot keep a copy of the served knowledge in %s: %s", target, error)

    def held(self) -> HeldVersion | None:
        try:
            data = json.loads((self.directory / HELD_FILE).read_text(encoding="utf-8"))
            return HeldVersion(path=data["path"], digest=data["digest"], reason=data["reason"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def record_held(self, held: HeldVersion | None) -> None:
        """Write (or, with None, remove) the held-version record; failures only log."""
        target = self.directory / HELD_FILE
        try:
            if held is None:
                target.unlink(missing_ok=True)
                return
            self.directory.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(asdict(held), indent=2) + "\n", encoding="utf-8")
        except OSError as error:
            log.warning("cannot record the held knowledge version in %s: %s", target, error)
