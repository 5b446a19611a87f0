"""``memberbot run slack|discord``: start the bot on a chat platform."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.cli.common import load_cli_settings, run_async

if TYPE_CHECKING:
    from bot.adapter import Adapter


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("run", help="run the bot on Slack or Discord")
    parser.add_argument("platform", choices=sorted(ADAPTERS))
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Load every setting (a bad one stops here, exit 2), then run the platform's adapter."""
    from bot.runner import Runner

    settings = load_cli_settings()
    adapter = ADAPTERS[args.platform]()
    return run_async(Runner(settings=settings, adapter=adapter).run)


# Each imports its platform library when called, so other commands never load one.
def _slack() -> Adapter:
    from adapters.slack.serve import SlackAdapter
    from adapters.slack.settings import SlackSettings
    from bot.config import load_settings

    return SlackAdapter(load_settings(SlackSettings))


def _discord() -> Adapter:
    from adapters.discord.app import DiscordAdapter
    from adapters.discord.settings import load_discord_settings

    return DiscordAdapter(load_discord_settings())


#: The platforms ``memberbot run`` knows, each with the function that builds its adapter.
ADAPTERS: dict[str, Callable[[], Adapter]] = {"slack": _slack, "discord": _discord}
