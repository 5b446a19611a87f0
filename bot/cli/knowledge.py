"""``memberbot check`` and ``memberbot knowledge export``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.answers import AnswerEngine
from bot.cli.common import EXIT_USAGE, load_cli_settings
from bot.errors import KnowledgeFileError
from bot.knowledge import load_knowledge
from bot.markup import parse_markup


def add_parsers(subparsers: argparse._SubParsersAction) -> None:
    check = subparsers.add_parser("check", help="validate a knowledge file")
    check.add_argument("file", nargs="?", type=Path, help="default: KNOWLEDGE_FILE")
    check.set_defaults(func=run_check)

    knowledge = subparsers.add_parser("knowledge", help="knowledge file tools")
    actions = knowledge.add_subparsers(dest="action", required=True)
    export = actions.add_parser("export", help="print every entry's answer text")
    export.add_argument("--json", action="store_true", required=True, help="JSON lines")
    export.add_argument("file", nargs="?", type=Path, help="default: KNOWLEDGE_FILE")
    export.set_defaults(func=run_export)


def _load(args: argparse.Namespace):  # -> Knowledge
    path = args.file or load_cli_settings().knowledge_file
    return path, load_knowledge(path)


def run_check(args: argparse.Namespace) -> int:
    try:
        path, knowledge = _load(args)
    except KnowledgeFileError as error:
        print(f"{error}", file=sys.stderr)
        return EXIT_USAGE
    print(
        f"{path}: OK ({len(knowledge.entries)} entries, {len(knowledge.deadlines)} "
        f"deadlines and events, {len(knowledge.contacts)} contacts)"
    )
    return 0


def run_export(args: argparse.Namespace) -> int:
    try:
        _, knowledge = _load(args)
    except KnowledgeFileError as error:
        print(f"{error}", file=sys.stderr)
        return EXIT_USAGE
    engine = AnswerEngine(knowledge=knowledge)
    for entry in knowledge.entries:
        text = parse_markup(engine.entry_text(entry.id)).plain_text()
        print(json.dumps({"id": entry.id, "title": entry.title, "text": text}, ensure_ascii=False))
    return 0
