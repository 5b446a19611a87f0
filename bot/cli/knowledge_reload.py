"""``memberbot knowledge reload [--confirm]``: what a running bot holds back, and
staff's confirmation that a much smaller knowledge file is intended.

Running bots load each saved version by themselves. They hold back a version that
drops more than half of the entries or of the upcoming deadlines (a save cut short
looks exactly like that), and keep serving the previous one until staff confirm.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.cli.common import EXIT_USAGE, load_cli_settings
from bot.errors import KnowledgeFileError
from bot.knowledge.loader import parse_knowledge, read_knowledge_text
from bot.knowledge_hold import HoldRecords, digest_of


def add_reload_parser(actions: argparse._SubParsersAction) -> None:
    reload = actions.add_parser(
        "reload",
        help="show a knowledge file the bot is holding back; --confirm loads it",
        description=(
            "Running bots reload the knowledge file when it is saved, but hold back a "
            "version that drops more than half of the entries or upcoming deadlines. "
            "Without --confirm: say what is held and why. With --confirm: tell running "
            "bots (sharing this DATA_DIR) to load the file as it is now."
        ),
    )
    reload.add_argument(
        "--confirm", action="store_true", help="the smaller file is intended: load it"
    )
    reload.add_argument("file", nargs="?", type=Path, help="default: KNOWLEDGE_FILE")
    reload.set_defaults(func=run_reload)


def run_reload(args: argparse.Namespace) -> int:
    settings = load_cli_settings()
    path = args.file or settings.knowledge_file
    records = HoldRecords(settings.data_dir)
    try:
        text = read_knowledge_text(path, max_bytes=settings.knowledge_max_bytes)
        knowledge = parse_knowledge(text, path=str(path))
    except KnowledgeFileError as error:
        print(f"{error}", file=sys.stderr)
        print("Fix the file first: the bot never loads a file with errors.", file=sys.stderr)
        return EXIT_USAGE
    digest = digest_of(text)
    held = records.held()
    counts = f"{len(knowledge.entries)} entries, {len(knowledge.deadlines)} deadlines and events"
    if not args.confirm:
        if held is not None and held.digest == digest:
            print(
                f"The bot is holding back {path} ({counts}): {held.reason}.\n"
                "It keeps serving the previous version and its reminders. If the file was "
                "saved incompletely, save it again in full. If the cut is intended, run:\n"
                "  memberbot knowledge reload --confirm"
            )
        else:
            print(
                f"Nothing is held back: running bots load {path} ({counts}) by themselves "
                "once it has been saved and left unchanged for a moment."
            )
        return 0
    try:
        target = records.confirm(digest)
    except OSError as error:
        print(f"cannot record the confirmation in {settings.data_dir}: {error}", file=sys.stderr)
        return EXIT_USAGE
    print(
        f"Confirmed {path} as it is now ({counts}; recorded in {target}). Running bots load it "
        "at their next check (KNOWLEDGE_RELOAD_SECONDS) and cancel the reminders of deadlines "
        "no longer in it."
    )
    return 0
