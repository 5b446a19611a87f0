"""``memberbot console``: chat with the bot in the terminal."""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
from collections.abc import Iterator
from datetime import date

from bot.cli.common import clock_for, load_cli_settings, parse_date, run_async
from bot.date_wording import long_date

#: Under ``DATA_DIR``: what was typed (Up/Down brings it back) and the console's log.
HISTORY_FILE = "console_history"
LOG_FILE = "console.log"


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("console", help="chat with the bot in this terminal")
    parser.add_argument(
        "--as", dest="user", type=chat_name, default="you", help="your name in the chat"
    )
    parser.add_argument("--staff", action="store_true", help="act as association staff")
    parser.add_argument("--today", type=parse_date, help="pretend today is YYYY-MM-DD")
    parser.set_defaults(func=run)


def chat_name(value: str) -> str:
    """argparse type: a name others can mention (not empty, no spaces or @)."""
    name = value.strip().lstrip("@")
    if not name or any(char.isspace() for char in name):
        raise argparse.ArgumentTypeError(f"'{value}' is not a name: use one word, like --as ana")
    return name


def run(args: argparse.Namespace) -> int:
    from adapters.console.app import ConsoleAdapter
    from adapters.console.logs import log_to_file
    from adapters.console.terminal import LineReader, Terminal, load_readline
    from adapters.console.translate import console_user
    from bot.runner import Runner

    settings = load_cli_settings(quiet=True)
    # Log lines belong in a file, not between the replies of the chat.
    log_to_file(settings.data_dir / LOG_FILE)
    # Bytes that are not UTF-8 arrive as text with stand-ins, never as a traceback.
    if isinstance(sys.stdin, io.TextIOWrapper):  # not a replaced stdin (tests, pipes in-process)
        with contextlib.suppress(ValueError):
            sys.stdin.reconfigure(errors="surrogateescape")
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    history = settings.data_dir / HISTORY_FILE
    terminal = Terminal(
        sys.stdout,
        interactive=interactive,
        readline=load_readline(history) if interactive else None,
    )
    adapter = ConsoleAdapter(
        user=console_user(args.user),
        stdin=sys.stdin,
        stdout=sys.stdout,
        terminal=terminal,
        reader=LineReader(sys.stdin, terminal, history_file=history),
        is_staff=args.staff,
        interactive=interactive,
        files_dir=settings.data_dir,
        banner=banner_for(args.today),
    )
    runner = Runner(settings=settings, adapter=adapter, clock=clock_for(args.today, settings))
    with _terminal_restored():
        return run_async(runner.run)


def banner_for(today: date | None) -> str:
    """The console's banner, saying which day it pretends it is (``--today``)."""
    from adapters.console.app import BANNER

    if today is None:
        return BANNER
    return (
        f"{BANNER}\nPretending today is {long_date(today)} (--today), "
        "for answers and listings only: what you do here is stored with the real time."
    )


@contextlib.contextmanager
def _terminal_restored() -> Iterator[None]:
    """Put the terminal back as it was: leaving with Ctrl-C while readline is
    reading a line must not leave it without echo."""
    try:
        import termios
    except ImportError:  # Windows
        yield
        return
    try:
        fd = sys.stdin.fileno()
        saved = termios.tcgetattr(fd)
    except (termios.error, OSError, ValueError, AttributeError):  # not a terminal
        yield
        return
    try:
        yield
    finally:
        with contextlib.suppress(OSError, termios.error):
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)
