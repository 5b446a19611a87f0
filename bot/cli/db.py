"""``memberbot db upgrade``: apply database migrations."""

from __future__ import annotations

import argparse

from bot.cli.common import load_cli_settings, open_database, run_async


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("db", help="database maintenance")
    actions = parser.add_subparsers(dest="action", required=True)
    upgrade = actions.add_parser("upgrade", help="apply all pending migrations")
    upgrade.set_defaults(func=run_upgrade)


def run_upgrade(args: argparse.Namespace) -> int:
    settings = load_cli_settings()

    async def main() -> int:
        database = open_database(settings)
        try:
            await database.upgrade()
        finally:
            await database.dispose()
        print(f"database is up to date ({database.url.render_as_string(hide_password=True)})")
        return 0

    return run_async(main)
