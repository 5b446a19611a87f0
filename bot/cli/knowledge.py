"""``memberbot check`` and ``memberbot knowledge export|reload|add-question``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.cli.common import EXIT_USAGE, load_cli_settings
from bot.config import zone_mismatch
from bot.errors import KnowledgeFileError
from bot.knowledge import Knowledge, load_knowledge
from bot.knowledge.loader import check_knowledge_text, read_knowledge_text
from bot.replies import counted

#: ``memberbot check`` found formatting members would see verbatim; the file loads.
EXIT_FORMATTING = 1


def add_parsers(subparsers: argparse._SubParsersAction) -> None:
    check = subparsers.add_parser(
        "check",
        help="validate a knowledge file",
        description=(
            "Validate a knowledge file. Exit 0: fine. Exit 1: it loads, but has formatting "
            "members would see verbatim. Exit 2: the bot would refuse it."
        ),
    )
    check.add_argument("file", nargs="?", type=Path, help="default: KNOWLEDGE_FILE")
    check.add_argument("--all", action="store_true", help="list every problem, not only the first")
    check.set_defaults(func=run_check)

    knowledge = subparsers.add_parser("knowledge", help="knowledge file tools")
    actions = knowledge.add_subparsers(dest="action", required=True)
    export = actions.add_parser("export", help="print every entry's answer text as JSON lines")
    export.add_argument("--json", action="store_true", help="JSON lines (the only format)")
    export.add_argument("file", nargs="?", type=Path, help="default: KNOWLEDGE_FILE")
    export.set_defaults(func=run_export)

    from bot.cli.knowledge_reload import add_reload_parser  # the running bot's side

    add_reload_parser(actions)

    add_question = actions.add_parser(
        "add-question",
        help="add a wording members use to an entry's questions (the file gains one line)",
    )
    add_question.add_argument("entry_id")
    add_question.add_argument("question")
    add_question.add_argument("--as", dest="who", required=True, metavar="NAME")
    add_question.set_defaults(func=run_add_question)


def _path(args: argparse.Namespace) -> tuple[Path, int]:
    settings = load_cli_settings()
    return (args.file or settings.knowledge_file), settings.knowledge_max_bytes


def run_check(args: argparse.Namespace) -> int:
    path, max_bytes = _path(args)
    try:
        text = read_knowledge_text(path, max_bytes=max_bytes)
    except KnowledgeFileError as error:
        print(f"{error}", file=sys.stderr)
        return EXIT_USAGE
    report = check_knowledge_text(text, path=str(path))
    if report.errors:
        _print_problems(report.errors, show_all=args.all)
        count = len(report.errors)
        print(
            f"{path}: {count} problem{'s' if count != 1 else ''}; the bot would not load this file",
            file=sys.stderr,
        )
        return EXIT_USAGE
    assert report.knowledge is not None
    # A file the bot would refuse to start with is not OK, even if it loads.
    setting = load_cli_settings().bot_timezone
    zone = report.knowledge.organisation.timezone
    if setting is not None and setting != zone:
        print(zone_mismatch(setting, zone, path), file=sys.stderr)
        return EXIT_USAGE
    summary = _summary(report.knowledge)
    if report.warnings:
        _print_problems(report.warnings, show_all=args.all)
        count = len(report.warnings)
        print(
            f"{path}: loads ({summary}), but {count} formatting problem"
            f"{'s' if count != 1 else ''} would show to members as typed",
            file=sys.stderr,
        )
        return EXIT_FORMATTING
    print(f"{path}: OK ({summary})")
    return 0


def _print_problems(problems: list[KnowledgeFileError], *, show_all: bool) -> None:
    shown = problems if show_all else problems[:1]
    for problem in shown:
        print(f"{problem}", file=sys.stderr)
    hidden = len(problems) - len(shown)
    if hidden:
        print(f"... and {hidden} more (memberbot check --all lists every problem)", file=sys.stderr)


def _summary(knowledge: Knowledge) -> str:
    return ", ".join(
        (
            counted(len(knowledge.entries), "entry", "entries"),
            counted(len(knowledge.deadlines), "deadline or event", "deadlines and events"),
            counted(len(knowledge.contacts), "contact"),
        )
    )


def run_export(args: argparse.Namespace) -> int:
    from bot.answers import AnswerEngine
    from bot.markup import parse_markup

    path, max_bytes = _path(args)
    try:
        knowledge = load_knowledge(path, max_bytes=max_bytes)
    except KnowledgeFileError as error:
        print(f"{error}", file=sys.stderr)
        return EXIT_USAGE
    engine = AnswerEngine(knowledge=knowledge)
    for entry in knowledge.entries:
        text = parse_markup(engine.entry_text(entry.id)).plain_text()
        print(json.dumps({"id": entry.id, "title": entry.title, "text": text}, ensure_ascii=False))
    return 0


def run_add_question(args: argparse.Namespace) -> int:
    """Teach a wording to an entry as ``memberbot unanswered answer --teach-to`` does."""
    from datetime import UTC, datetime
    from functools import partial

    from bot.cli.common import open_database, run_async
    from bot.knowledge.saving import HISTORY_DIR
    from bot.knowledge.teach import TeachRefused, draft_question, record_teach, teach

    settings = load_cli_settings()
    path = settings.knowledge_file
    make = partial(draft_question, entry_id=args.entry_id, question=args.question, path=str(path))
    try:
        result = teach(
            path,
            make,
            history_dir=settings.data_dir / HISTORY_DIR,
            max_bytes=settings.knowledge_max_bytes,
        )
    except TeachRefused as error:
        print(error.message, file=sys.stderr)
        return EXIT_USAGE

    async def audit() -> int:
        database = open_database(settings)
        try:
            await database.upgrade()
            await record_teach(database, result, who=args.who, at=datetime.now(UTC))
        finally:
            await database.dispose()
        return 0

    print(f"Taught: {result.summary}. Running bots load it within seconds.")
    return run_async(audit)
