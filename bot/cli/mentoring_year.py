"""``memberbot mentoring report --checkins | --feedback``: a cohort's year as a text
table or CSV (private answers only as the columns named with
``--include-demographics``)."""

from __future__ import annotations

import argparse
import sys

from bot.mentoring.year_report import (
    NEED_HELP,
    CheckinReport,
    FeedbackReport,
    checkin_report,
    feedback_report,
)
from bot.storage import Database


async def print_year_report(database: Database, args: argparse.Namespace) -> int:
    """Print the check-in or the feedback report ``args`` asks for; the exit code."""
    include = tuple(args.include_demographics)
    report: CheckinReport | FeedbackReport
    if args.checkins:
        report = await checkin_report(database, args.cohort, include=include)
    else:
        report = await feedback_report(database, args.cohort, include=include)
    if args.csv:
        report.write_csv(sys.stdout)
    elif isinstance(report, CheckinReport):
        _print_checkins(report)
    else:
        _print_feedback(report)
    return 0


def _print_checkins(report: CheckinReport) -> None:
    totals = report.totals
    rate = f"{totals.months_met / totals.months_asked:.0%}" if totals.months_asked else "-"
    print(
        f"Check-ins for '{report.cohort}': {totals.matches} matches, "
        f"{totals.meeting_monthly} meeting every month, {totals.need_help} asked for help, "
        f"{totals.paused} paused, {totals.left} left; months met {totals.months_met} of "
        f"{totals.months_asked} asked ({rate})"
    )
    if not report.pairs:
        print("  No confirmed matches yet.")
        return
    names = report.columns[len(report.columns) - 2 * len(report.demographic_fields) :]
    print("  mentor -> mentee: asked, met / not yet / need help / no answer, rate, last answer")
    for pair in report.pairs:
        rate_text = "-" if pair.meeting_rate is None else f"{pair.meeting_rate:.0%}"
        counts = " / ".join(str(pair.counts[k]) for k in ("met", "not_yet", NEED_HELP, "no_answer"))
        last = f"{pair.last_answer} {pair.last_answer_month}" if pair.last_answer else "none"
        notes = "" if pair.current else " [ended]"
        if pair.taking_part != "yes":
            notes += f" [{pair.taking_part}]"
        extra = "".join(f", {n} {v}" for n, v in zip(names, pair.extra, strict=True))
        print(
            f"  {pair.mentor_name} <{pair.mentor_email}> -> {pair.mentee_name} "
            f"<{pair.mentee_email}>: {pair.months_asked}, {counts}, {rate_text}, "
            f"last {last}{notes}{extra}"
        )


def _print_feedback(report: FeedbackReport) -> None:
    answered = sum(1 for row in report.rows if row[4])
    ratings = ", ".join(f"{k} {v}" for k, v in sorted(report.ratings.items())) or "none"
    print(
        f"Feedback for '{report.cohort}': {answered} of {report.asked} answered "
        f"(ratings: {ratings})"
    )
    extra_names = report.columns[len(report.columns) - len(report.demographic_fields) :]
    for row in report.rows:
        name, email, role, other, rating, comment, day = row[:7]
        extra = "".join(f", {n} {v}" for n, v in zip(extra_names, row[7:], strict=True))
        when = f" on {day}" if day else ""
        print(f"  {name} <{email}> ({role}, with {other}): {rating or 'no answer'}{when}{extra}")
        if comment:
            for line in comment.splitlines():
                print(f"      {line}")
