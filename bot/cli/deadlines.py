"""``memberbot deadlines ics [-o FILE]``: the deadlines calendar as an .ics file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.cli.common import EXIT_USAGE, load_cli_settings
from bot.clock import SystemClock
from bot.errors import KnowledgeFileError
from bot.knowledge import load_knowledge


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("deadlines", help="deadline tools")
    actions = parser.add_subparsers(dest="action", required=True)
    ics = actions.add_parser("ics", help="write every deadline and event as an iCalendar file")
    ics.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    ics.add_argument("--knowledge", type=Path, help="knowledge file (default: KNOWLEDGE_FILE)")
    ics.set_defaults(func=run_ics)


def run_ics(args: argparse.Namespace) -> int:
    from bot.broadcasts.ics import calendar_bytes  # icalendar: only this command needs it

    path = args.knowledge or load_cli_settings().knowledge_file
    try:
        knowledge = load_knowledge(path)
    except KnowledgeFileError as error:
        print(f"{error}", file=sys.stderr)
        return EXIT_USAGE
    data = calendar_bytes(knowledge, now=SystemClock().now())
    if args.output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return 0
    try:
        args.output.write_bytes(data)
    except OSError as error:
        print(f"cannot write {args.output}: {error.strerror}", file=sys.stderr)
        return EXIT_USAGE
    count = len(knowledge.deadlines)
    print(f"wrote {count} deadlines and events to {args.output}", file=sys.stderr)
    return 0
