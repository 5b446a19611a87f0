"""The ``memberbot`` command line.

Building the parser imports every subcommand module, so each one imports its heavy
dependencies (storage, the core and its commands, calendars, chat adapters) in the
function that runs it: ``memberbot ask`` must start in well under a second.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from importlib import import_module

from bot.cli.common import EXIT_USAGE
from bot.errors import ConfigError

#: Modules exposing ``add_parser(subparsers)`` (or ``add_parsers``), in help order.
SUBCOMMAND_MODULES = (
    "bot.cli.ask",
    "bot.cli.knowledge",
    "bot.cli.deadlines",
    "bot.cli.unanswered",
    "bot.cli.kudos",
    "bot.cli.console",
    "bot.cli.db",
    "bot.cli.run",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="memberbot", description="Member-engagement chatbot for associations."
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in SUBCOMMAND_MODULES:
        module = import_module(name)
        adder = getattr(module, "add_parsers", None) or module.add_parser
        adder(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader went away (`memberbot knowledge export | head`): stop quietly, and
        # point stdout at /dev/null so the interpreter's final flush does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
