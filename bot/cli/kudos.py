"""``memberbot kudos export [--csv] [--since DATE]``: every kudos as CSV, for award
nominations and annual reports."""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, TextIO
from zoneinfo import ZoneInfo

from bot.cli.common import load_cli_settings, open_database, parse_date, run_async

if TYPE_CHECKING:
    from bot.kudos.queries import ExportRow

COLUMNS = (
    "date",
    "giver",
    "giver_id",
    "recipients",
    "recipient_ids",
    "reason",
    "platform",
    "channel",
)
# A cell starting with one of these is run as a formula by spreadsheet programs;
# member text must stay text when staff open the export.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("kudos", help="kudos reports for staff")
    actions = parser.add_subparsers(dest="action", required=True)
    export = actions.add_parser("export", help="write every kudos to stdout")
    export.add_argument(
        "--csv", action="store_true", help="CSV with a header row (the only format; optional)"
    )
    export.add_argument(
        "--since",
        type=parse_date,
        metavar="DATE",
        help="only kudos given on or after this date (YYYY-MM-DD, organisation time zone)",
    )
    export.set_defaults(func=run_export)


def run_export(args: argparse.Namespace) -> int:
    from bot.kudos.queries import export_rows
    from bot.kudos.rules import day_start_utc

    settings = load_cli_settings()

    async def main() -> int:
        database = open_database(settings)
        since = day_start_utc(args.since, settings.timezone) if args.since else None
        try:
            await database.upgrade()
            rows = await export_rows(database, since=since)
        finally:
            await database.dispose()
        write_csv(rows, stream=sys.stdout, tz=settings.timezone)
        return 0

    return run_async(main)


def write_csv(rows: Iterable[ExportRow], *, stream: TextIO, tz: ZoneInfo) -> None:
    """Write the export: one row per kudos, recipients joined with "; "."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(
            [
                row.created_at.astimezone(tz).isoformat(timespec="seconds"),
                spreadsheet_safe(row.giver.name),
                row.giver.user_id,
                spreadsheet_safe("; ".join(user.name for user in row.recipients)),
                "; ".join(user.user_id for user in row.recipients),
                spreadsheet_safe(row.reason),
                row.platform,
                row.channel_id or "",
            ]
        )


def spreadsheet_safe(text: str) -> str:
    """Prefix text a spreadsheet would evaluate with an apostrophe (shown as text)."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text
