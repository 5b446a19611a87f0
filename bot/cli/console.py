"""``memberbot console``: chat with the bot in the terminal."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import sys

from bot.cli.common import build_core, clock_for, load_cli_settings, parse_date, run_async


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
    from adapters.console.app import ConsoleApp, ConsoleSender
    from adapters.console.translate import console_user

    settings = load_cli_settings(quiet=True)
    # Bytes that are not UTF-8 reach translation (which replaces them) instead of
    # failing the read: with a strict UTF-8 locale, \xff\xfe ended the chat.
    if isinstance(sys.stdin, io.TextIOWrapper):
        sys.stdin.reconfigure(errors="surrogateescape")

    async def main() -> int:
        sender = ConsoleSender(stdout=sys.stdout)
        core = build_core(settings, clock=clock_for(args.today, settings), outbound=sender)
        await core.start()
        app = ConsoleApp(
            core=core,
            user=console_user(args.user),
            stdin=sys.stdin,
            stdout=sys.stdout,
            is_staff=args.staff,
            interactive=sys.stdin.isatty(),
            files_dir=settings.data_dir,
        )
        # Broadcasts, reminders and knowledge reloads run as they do on Slack and Discord.
        background = asyncio.create_task(core.run_background(), name="memberbot-background")
        try:
            await app.run()
        finally:
            background.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await background
            await core.database.dispose()
        return 0

    return run_async(main)
