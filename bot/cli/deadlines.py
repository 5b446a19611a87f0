"""``memberbot deadlines [--today DATE] [--all]``: the deadlines and events ahead;
``memberbot deadlines ics [-o FILE]``: all of them as an .ics calendar file."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path

from bot.cli.common import EXIT_USAGE, load_cli_settings, parse_date
from bot.clock import SystemClock
from bot.date_wording import clock_time, long_date, short_date
from bot.errors import KnowledgeFileError
from bot.knowledge import Deadline, Knowledge, load_knowledge


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "deadlines",
        help="list upcoming deadlines and events (or: deadlines ics)",
        description="List the deadlines and events ahead, oldest first.",
    )
    parser.add_argument("--all", action="store_true", help="list past ones too")
    parser.add_argument("--today", type=parse_date, help="list as if today were YYYY-MM-DD")
    parser.add_argument("--knowledge", type=Path, help="knowledge file (default: KNOWLEDGE_FILE)")
    parser.set_defaults(func=run_list)
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    ics = actions.add_parser("ics", help="write every deadline and event as an iCalendar file")
    ics.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    ics.add_argument("--knowledge", type=Path, help="knowledge file (default: KNOWLEDGE_FILE)")
    ics.set_defaults(func=run_ics)


def _knowledge(args: argparse.Namespace) -> Knowledge:
    settings = load_cli_settings()
    return load_knowledge(
        args.knowledge or settings.knowledge_file, max_bytes=settings.knowledge_max_bytes
    )


def run_list(args: argparse.Namespace) -> int:
    try:
        knowledge = _knowledge(args)
    except KnowledgeFileError as error:
        print(f"{error}", file=sys.stderr)
        return EXIT_USAGE
    zone = knowledge.organisation.zone
    today = args.today or datetime.now(zone).date()
    items = sorted(knowledge.deadlines, key=lambda item: item.starts_at(zone))
    shown = items if args.all else [item for item in items if not item.has_passed(today)]
    if not shown:
        print(_nothing_ahead(items, today))
        return 0
    which = "All" if args.all else "Upcoming"
    print(f"{which} deadlines and events (today is {long_date(today)}, {zone.key}):")
    for item in shown:
        print(_line(item, knowledge, today))
    return 0


def _line(item: Deadline, knowledge: Knowledge, today: date) -> str:
    start = item.starts_at(knowledge.organisation.zone)
    when = short_date(item.date) + (f" {clock_time(start)}" if item.time else "")
    passed = " (passed)" if item.has_passed(today) else ""
    return f"  {when:<30} {item.kind:<8} {item.title}{passed}  [{item.id}]"


def _nothing_ahead(items: list[Deadline], today: date) -> str:
    text = f"No deadlines or events after {long_date(today)} in the knowledge file."
    if items:
        latest = items[-1]
        text += f" The most recent: {latest.title}, {long_date(latest.date)}."
    return text + " Use --all to list every one, or --today YYYY-MM-DD to look from another day."


def run_ics(args: argparse.Namespace) -> int:
    from bot.broadcasts.ics import calendar_bytes  # icalendar: only this command needs it

    try:
        knowledge = _knowledge(args)
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
