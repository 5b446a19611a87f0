"""The ``memberbot`` command line.

Building the parser imports every subcommand module, so each one imports its heavy
dependencies (storage, the core and its commands, calendars, chat adapters) in the
function that runs it: ``memberbot ask`` must start in well under a second.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from bot.cli import ask, console, db, deadlines, knowledge, kudos, mentoring, run, unanswered
from bot.errors import ConfigError
from bot.exits import failure_for

#: Each adds its sub-commands to the parser, in help order.
SUBCOMMANDS: tuple[Callable[[argparse._SubParsersAction], None], ...] = (
    ask.add_parser,
    knowledge.add_parsers,
    deadlines.add_parser,
    unanswered.add_parser,
    kudos.add_parser,
    mentoring.add_parser,
    console.add_parser,
    db.add_parser,
    run.add_parser,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="memberbot", description="Member-engagement chatbot for associations."
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add_subcommands in SUBCOMMANDS:
        add_subcommands(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except ConfigError as error:  # a setting read before anything started
        failure = failure_for(error)
        print(failure, file=sys.stderr)
        return failure.exit_code
    except BrokenPipeError:
        # The reader went away (`memberbot knowledge export | head`): stop quietly, and
        # point stdout at /dev/null so the interpreter's final flush does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
