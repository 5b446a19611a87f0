"""``memberbot mentoring ...``: run the mentoring program's cohorts from the terminal.

``cohort open|close|show``, ``import FILE.csv --cohort NAME``, ``past-pairs
FILE.csv``, ``match --cohort NAME [--json]``, ``pin``/``forbid`` (with ``--remove``
to undo), ``confirm``, ``report [--checkins | --feedback] [--csv]
[--include-demographics FIELD]`` and ``forget`` (a member's private answers).
Nothing here messages anyone: confirming records the matches; introductions belong
to the chat side.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from bot.cli.common import EXIT_USAGE, load_cli_settings, open_database, parse_date, run_async
from bot.errors import UserError

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.mentoring.matching import MatchResult
    from bot.mentoring.reports import Report
    from bot.mentoring.service import CohortSummary, MentoringService

#: Private answers staff may ask a report for, by name (kept in step with
#: bot.mentoring.models.DEMOGRAPHIC_FIELDS, which the report checks again).
DEMOGRAPHIC_CHOICES = (
    "gender",
    "race_ethnicity",
    "prefer_same_region",
    "prefer_same_gender",
    "prefer_same_race_ethnicity",
    "bipoc_funding_interest",
)


def _weight(text: str) -> tuple[str, float]:
    name, sep, value = text.partition("=")
    try:
        if not sep:
            raise ValueError
        return name.strip(), float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not NAME=NUMBER (like interests=2)"
        ) from None


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "mentoring", help="mentoring program: cohorts, applications, matching, reports"
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

    cohort = actions.add_parser("cohort", help="open, close or show a cohort")
    steps = cohort.add_subparsers(dest="step", required=True, metavar="open|close|show")
    opening = steps.add_parser("open", help="open a cohort (or reopen/update one)")
    opening.add_argument("name")
    opening.add_argument("--opens", type=parse_date, metavar="DATE")
    opening.add_argument(
        "--closes",
        type=parse_date,
        metavar="DATE",
        help="last day to apply (default: the next mentoring deadline in the knowledge file)",
    )
    opening.add_argument(
        "--weight",
        type=_weight,
        action="append",
        default=[],
        metavar="NAME=N",
        help="weight of a criterion (interests, region, preferences), 0-10; repeatable",
    )
    opening.add_argument(
        "--allow-repeat-pairs",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="may pairs from earlier cohorts be matched again (default: no)",
    )
    opening.set_defaults(func=_command(_open))
    closing = steps.add_parser("close", help="stop taking applications")
    closing.add_argument("name")
    closing.set_defaults(func=_command(_close))
    show = steps.add_parser("show", help="show a cohort (or, without NAME, every cohort)")
    show.add_argument("name", nargs="?")
    show.set_defaults(func=_command(_show))

    importing = actions.add_parser("import", help="import applications from a CSV file")
    importing.add_argument("file", metavar="FILE.csv")
    importing.add_argument("--cohort", required=True, metavar="NAME")
    importing.set_defaults(func=_command(_import))

    history = actions.add_parser(
        "past-pairs", help="record pairs from earlier rounds (CSV: mentor,mentee,cohort)"
    )
    history.add_argument("file", metavar="FILE.csv")
    history.set_defaults(func=_command(_past_pairs))

    match = actions.add_parser("match", help="match the whole cohort and show the proposal")
    match.add_argument("--cohort", required=True, metavar="NAME")
    match.add_argument("--json", action="store_true", help="print the proposal as JSON")
    match.set_defaults(func=_command(_match))

    for name, help_text, first, second in (
        ("pin", "always match this mentor and mentee", "MENTOR_EMAIL", "MENTEE_EMAIL"),
        ("forbid", "never match these two people", "EMAIL", "OTHER_EMAIL"),
    ):
        rule = actions.add_parser(name, help=help_text)
        rule.add_argument("--cohort", required=True, metavar="NAME")
        rule.add_argument("first", metavar=first)
        rule.add_argument("second", metavar=second)
        rule.add_argument("--remove", action="store_true", help="lift the rule instead")
        rule.set_defaults(func=_command(_pin if name == "pin" else _forbid))

    confirm = actions.add_parser("confirm", help="record the reviewed proposal as the matches")
    confirm.add_argument("--cohort", required=True, metavar="NAME")
    confirm.set_defaults(func=_command(_confirm))

    report = actions.add_parser(
        "report", help="applicants and matches, check-ins or feedback (no private answers)"
    )
    report.add_argument("--cohort", required=True, metavar="NAME")
    report.add_argument("--csv", action="store_true", help="the whole table as CSV")
    which = report.add_mutually_exclusive_group()
    which.add_argument(
        "--checkins",
        action="store_true",
        help="each match's monthly check-ins: months asked, answers, meeting rate",
    )
    which.add_argument(
        "--feedback", action="store_true", help="the end-of-year feedback, as each person gave it"
    )
    report.add_argument(
        "--include-demographics",
        action="append",
        default=[],
        choices=DEMOGRAPHIC_CHOICES,
        metavar="FIELD",
        help=f"add this private answer as a column (one of: {', '.join(DEMOGRAPHIC_CHOICES)})",
    )
    report.set_defaults(func=_command(_report))

    forget = actions.add_parser("forget", help="delete a member's private answers (on request)")
    forget.add_argument("--cohort", required=True, metavar="NAME")
    forget.add_argument("email")
    forget.set_defaults(func=_command(_forget))


Action = Callable[["MentoringService", argparse.Namespace, "Settings"], Awaitable[int]]


def _command(action: Action) -> Callable[[argparse.Namespace], int]:
    """Wrap an action: settings, a migrated database, the service, and one-line errors."""

    def run(args: argparse.Namespace) -> int:
        from bot.clock import SystemClock
        from bot.mentoring.import_csv import CsvImportError
        from bot.mentoring.service import MentoringService

        settings = load_cli_settings()

        async def main() -> int:
            database = open_database(settings)
            try:
                await database.upgrade()
                return await action(MentoringService(database, SystemClock()), args, settings)
            except CsvImportError as error:
                print(f"error: {error}", file=sys.stderr)
                for problem in error.errors:
                    print(f"  {args.file}:{problem.line}: {problem.message}", file=sys.stderr)
                return EXIT_USAGE
            except UserError as error:
                print(f"error: {error}", file=sys.stderr)
                if error.hint:
                    print(f"  {error.hint}", file=sys.stderr)
                return 1
            finally:
                await database.dispose()

        return run_async(main)

    return run


def _default_closing(settings: Settings) -> tuple[date, str] | None:
    """The next mentoring application deadline in the knowledge file, if any."""
    from bot.errors import KnowledgeFileError
    from bot.knowledge import load_knowledge

    try:
        knowledge = load_knowledge(settings.knowledge_file, max_bytes=settings.knowledge_max_bytes)
    except KnowledgeFileError:
        return None
    today = datetime.now(knowledge.organisation.zone).date()
    ahead = sorted(
        (
            item
            for item in knowledge.deadlines
            if item.kind == "deadline"
            and "mentoring" in f"{item.id} {item.entry or ''}"
            and not item.has_passed(today)
        ),
        key=lambda item: item.last_day,
    )
    return (ahead[0].last_day, ahead[0].title) if ahead else None


async def _open(service: MentoringService, args: argparse.Namespace, settings: Settings) -> int:
    closes, source = args.closes, None
    if closes is None:
        found = _default_closing(settings)
        if found is not None:
            closes, source = found
    summary, created = await service.open_cohort(
        args.name,
        opens_on=args.opens,
        closes_on=closes,
        weights=dict(args.weight),
        allow_repeat_pairs=args.allow_repeat_pairs,
    )
    print(f"{'Opened' if created else 'Reopened'} cohort '{summary.name}'.")
    if source:
        print(f"Applications close on {closes:%Y-%m-%d} (from the knowledge file: {source}).")
    _print_summary(summary)
    return 0


async def _close(service: MentoringService, args: argparse.Namespace, _s: Settings) -> int:
    summary = await service.close_cohort(args.name)
    print(f"Closed cohort '{summary.name}': no more applications.")
    _print_summary(summary)
    return 0


async def _show(service: MentoringService, args: argparse.Namespace, _s: Settings) -> int:
    if args.name:
        _print_summary(await service.summary(args.name))
        return 0
    cohorts = await service.cohorts()
    if not cohorts:
        print("No cohorts yet: memberbot mentoring cohort open NAME")
    for summary in cohorts:
        print(
            f"{summary.name}: {summary.state}, {summary.applicants} applicants, "
            f"{summary.confirmed_matches or summary.proposed_matches} matches"
            f"{'' if summary.confirmed_matches else ' proposed'}"
        )
    return 0


def _print_summary(summary: CohortSummary) -> None:
    window = (
        f"{summary.opens_on or 'now'} to {summary.closes_on or 'until closed'}"
        if summary.opens_on or summary.closes_on
        else "until closed"
    )
    weights = ", ".join(f"{k} {v:g}" for k, v in summary.criteria.as_dict().items())
    print(f"  cohort: {summary.name} ({summary.state})")
    print(f"  applications: {window}")
    repeats = "allowed" if summary.allow_repeat_pairs else "not allowed"
    print(f"  criteria: {weights}; repeat pairs {repeats}")
    print(
        f"  applicants: {summary.applicants} ({summary.mentors} as mentor, "
        f"{summary.mentees} as mentee)"
    )
    print(
        f"  eligible: {summary.eligible_mentors} mentors with {summary.mentor_slots} places, "
        f"{summary.eligible_mentees} mentees"
    )
    print(f"  staff rules: {summary.pins} pinned, {summary.forbidden_pairs} do-not-match")
    print(f"  matches: {summary.proposed_matches} proposed, {summary.confirmed_matches} confirmed")


async def _import(service: MentoringService, args: argparse.Namespace, _s: Settings) -> int:
    from pathlib import Path

    result = await service.import_csv(Path(args.file), args.cohort)
    created = " (new cohort)" if result.created_cohort else ""
    print(
        f"Imported into '{result.cohort}'{created}: {result.added} new, "
        f"{result.updated} updated application(s)."
    )
    return 0


async def _past_pairs(service: MentoringService, args: argparse.Namespace, _s: Settings) -> int:
    from pathlib import Path

    added, known = await service.import_past_pairs(Path(args.file))
    print(f"Recorded {added} past pair(s); {known} already known. Matching will not repeat them.")
    return 0


async def _match(service: MentoringService, args: argparse.Namespace, _s: Settings) -> int:
    result = await service.preview(args.cohort)
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    if args.json:
        json.dump(result.as_json(), sys.stdout, indent=2, ensure_ascii=False)
        print()
        return 0
    _print_proposal(args.cohort, result)
    return 0


def _print_proposal(cohort: str, result: MatchResult) -> None:
    print(
        f"Proposed matches for '{cohort}': {len(result.matches)}, "
        f"total score {result.total_score:g}"
    )
    for match in result.matches:
        print(
            f"  {match.mentor.email} -> {match.mentee.email}  score {match.score:g}  "
            f"({'; '.join(match.reasons)})"
        )
    if result.unmatched:
        print(f"Not matched: {len(result.unmatched)}")
        for person in result.unmatched:
            print(f"  {person.email}: {person.reason}")
    print(
        "Nothing is sent. Adjust with pin/forbid and match again, or record these with: "
        f"memberbot mentoring confirm --cohort '{cohort}'"
    )


async def _pin(service: MentoringService, args: argparse.Namespace, _s: Settings) -> int:
    changed = await service.pin(args.cohort, args.first, args.second, remove=args.remove)
    what = "Unpinned" if args.remove else "Pinned"
    print(f"{what} {args.first} -> {args.second}" + ("" if changed else " (no change)") + ".")
    print("Run match again to see the new proposal.")
    return 0


async def _forbid(service: MentoringService, args: argparse.Namespace, _s: Settings) -> int:
    changed, unpinned = await service.forbid(
        args.cohort, args.first, args.second, remove=args.remove
    )
    what = "Lifted the do-not-match of" if args.remove else "Do not match"
    print(f"{what} {args.first} and {args.second}" + ("" if changed else " (no change)") + ".")
    if unpinned:
        print("Their pin was removed.")
    print("Run match again to see the new proposal.")
    return 0


async def _confirm(service: MentoringService, args: argparse.Namespace, _s: Settings) -> int:
    count = await service.confirm(args.cohort)
    print(f"Confirmed {count} match(es) for '{args.cohort}'. Nothing was sent.")
    return 0


async def _report(service: MentoringService, args: argparse.Namespace, _s: Settings) -> int:
    if args.checkins or args.feedback:
        from bot.cli.mentoring_year import print_year_report

        return await print_year_report(service.database, args)
    report = await service.report(args.cohort, include=args.include_demographics)
    if args.csv:
        report.write_csv(sys.stdout)
        return 0
    _print_report(report)
    return 0


def _print_report(report: Report) -> None:
    print(
        f"Cohort '{report.cohort}' ({report.state}): {len(report.rows)} applicants; "
        f"{report.matched_mentees} of {report.eligible_mentees} eligible mentees matched "
        f"({report.match_status})"
    )
    index: dict[str, Any] = {name: i for i, name in enumerate(report.columns)}
    for row in report.rows:
        extra = "".join(f", {name} {row[index[name]]}" for name in report.demographic_fields)
        partners = row[index["matched_with"]] or row[index["match_status"]]
        print(f"  {row[index['email']]} ({row[index['role']]}): {partners}{extra}")


async def _forget(service: MentoringService, args: argparse.Namespace, _s: Settings) -> int:
    deleted = await service.forget_private_answers(args.cohort, args.email)
    print(
        f"Deleted the private answers of {args.email}."
        if deleted
        else f"{args.email} had no private answers stored."
    )
    return 0
