"""``memberbot unanswered``: what members asked that the knowledge could not answer."""

from __future__ import annotations

import argparse
import json

from bot.answers.service import most_frequent_unanswered
from bot.cli.common import load_cli_settings, open_database, run_async


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "unanswered", help="questions the bot could not answer, most frequent first"
    )
    parser.add_argument("--limit", type=int, default=50)
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = load_cli_settings()

    async def main() -> int:
        database = open_database(settings)
        try:
            await database.upgrade()
            rows = await most_frequent_unanswered(database, limit=args.limit)
        finally:
            await database.dispose()
        if not rows and not args.json:
            print("No unanswered questions stored yet.")
        for question, times, last_asked in rows:
            if args.json:
                record = {
                    "question": question,
                    "count": times,
                    "last_asked": last_asked.isoformat(),
                }
                print(json.dumps(record, ensure_ascii=False))
            else:
                print(f"{times:>5}  {last_asked:%Y-%m-%d}  {question}")
        return 0

    return run_async(main)
