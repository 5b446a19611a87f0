"""``memberbot run slack|discord``: start the bot on a chat platform."""

from __future__ import annotations

import argparse
from importlib import import_module

PLATFORMS = ("slack", "discord")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("run", help="run the bot on Slack or Discord")
    parser.add_argument("platform", choices=PLATFORMS)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # Imported here so the core and other commands never load a platform library.
    app = import_module(f"adapters.{args.platform}.app")
    return int(app.run())
