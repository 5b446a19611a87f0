"""Staff reports on matched pairs' year: meeting rates from the monthly check-ins, and
the end-of-year feedback.

A pair's month is the answer of whichever of the two said the most: ``met`` if either
met, else ``need help`` if either asked for help, else ``not yet``, else ``no
answer``. Only months whose check-in reached someone count as asked. The meeting
rate is met months ÷ months asked.

Private answers (demographics, preferences) are read only when staff name the fields,
and then become columns for the people concerned; nothing here logs a value.
"""

from __future__ import annotations

import csv
import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TextIO

from bot.mentoring import proposals
from bot.mentoring.pairs import CHECKIN, FEEDBACK, LEFT, PAUSED
from bot.mentoring.reports import check_fields, spreadsheet_safe
from bot.storage import Database
from bot.storage.models.mentoring import MentoringApplication, MentoringMatch
from bot.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

MET, NOT_YET, NEED_HELP, NO_ANSWER = "met", "not_yet", "need_help", "no_answer"
#: A month's answer for the pair: the first of these either person gave.
_PRECEDENCE = (MET, NEED_HELP, NOT_YET)
CHECKIN_COLUMNS = (
    "mentor_name",
    "mentor_email",
    "mentee_name",
    "mentee_email",
    "match",
    "taking_part",
    "months_asked",
    "met",
    "not_yet",
    "need_help",
    "no_answer",
    "meeting_rate",
    "last_answer",
    "last_answer_month",
)
FEEDBACK_COLUMNS = ("name", "email", "role", "matched_with", "rating", "comment", "answered_on")


@dataclass(frozen=True)
class PairYear:
    """One match's check-ins (no private answer: those are in ``extra`` when asked)."""

    mentor_name: str
    mentor_email: str
    mentee_name: str
    mentee_email: str
    current: bool
    taking_part: str
    months_asked: int
    counts: dict[str, int]
    last_answer: str
    last_answer_month: str
    extra: tuple[str, ...] = ()
    #: nobody answered the last two months asked
    recent_silence: bool = False

    @property
    def meeting_rate(self) -> float | None:
        return self.counts[MET] / self.months_asked if self.months_asked else None

    @property
    def needs_attention(self) -> bool:
        """Asked for help, someone left, or nobody answered the last two months."""
        return self.counts[NEED_HELP] > 0 or LEFT in self.taking_part or self.recent_silence

    def cells(self) -> tuple[str, ...]:
        rate = self.meeting_rate
        return (
            self.mentor_name,
            self.mentor_email,
            self.mentee_name,
            self.mentee_email,
            "current" if self.current else "ended",
            self.taking_part,
            str(self.months_asked),
            *(str(self.counts[k]) for k in (MET, NOT_YET, NEED_HELP, NO_ANSWER)),
            "" if rate is None else f"{rate:.2f}",
            self.last_answer,
            self.last_answer_month,
            *self.extra,
        )


@dataclass(frozen=True)
class CheckinTotals:
    matches: int
    meeting_monthly: int
    need_help: int
    paused: int
    left: int
    months_asked: int
    months_met: int


@dataclass(frozen=True)
class CheckinReport:
    cohort: str
    pairs: tuple[PairYear, ...]
    totals: CheckinTotals
    columns: tuple[str, ...]
    demographic_fields: tuple[str, ...]

    def attention(self) -> list[PairYear]:
        """Current pairs needing a look, those who asked for help first."""
        flagged = [p for p in self.pairs if p.current and p.needs_attention]
        return sorted(flagged, key=lambda p: (-p.counts[NEED_HELP], p.meeting_rate or 0.0))

    def write_csv(self, stream: TextIO) -> None:
        _write(stream, self.columns, [p.cells() for p in self.pairs])


@dataclass(frozen=True)
class FeedbackReport:
    cohort: str
    rows: tuple[tuple[str, ...], ...]
    columns: tuple[str, ...]
    demographic_fields: tuple[str, ...]
    asked: int
    ratings: dict[str, int]

    def write_csv(self, stream: TextIO) -> None:
        _write(stream, self.columns, self.rows)


def _write(stream: TextIO, columns: tuple[str, ...], rows: Iterable[tuple[str, ...]]) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([spreadsheet_safe(cell) for cell in row] for row in rows)


def _month_answer(answers: list[str | None]) -> str:
    return next((kind for kind in _PRECEDENCE if kind in answers), NO_ANSWER)


def _counts(answers: Iterable[str]) -> dict[str, int]:
    tally = Counter(answers)
    return {kind: tally[kind] for kind in (MET, NOT_YET, NEED_HELP, NO_ANSWER)}


async def _private_cells(
    work: UnitOfWork, ids: list[int], fields: tuple[str, ...]
) -> dict[int, tuple[str, ...]]:
    """The named private answers per application (read only when some are named)."""
    if not fields:
        return {}
    rows = (await work.mentoring.named_private_answers(ids)).values()
    cells: dict[int, tuple[str, ...]] = {}
    for row in rows:
        values = [getattr(row, name) for name in fields]
        cells[row.application_id] = tuple(
            "" if v is None else ("yes" if v else "no") if isinstance(v, bool) else v
            for v in values
        )
    return cells


async def _people(
    work: UnitOfWork, matches: list[MentoringMatch]
) -> tuple[dict[int, MentoringApplication], dict[int, str]]:
    ids = {i for m in matches for i in (m.mentor_application_id, m.mentee_application_id)}
    people = await work.mentoring.applications_by_id(ids)
    states = await work.mentoring_pairs.participation_states(ids)
    return people, states


async def checkin_report(
    database: Database, cohort_name: str, *, include: tuple[str, ...] = ()
) -> CheckinReport:
    """Every match of the cohort with its months asked, answers and meeting rate.

    Raises:
        UserError: No such cohort, or a field that is not a private answer.
    """
    fields = check_fields(include)
    async with database.unit_of_work() as work:
        cohort = await work.mentoring.require_cohort(cohort_name)
        matches = await work.mentoring_pairs.matches_made(cohort)
        people, states = await _people(work, matches)
        messages = await work.mentoring_pairs.sent_messages([m.id for m in matches], kind=CHECKIN)
        private = await _private_cells(work, list(people), fields)
    months: dict[int, dict[str, list[str | None]]] = {m.id: {} for m in matches}
    for message in messages:
        months[message.match_id].setdefault(message.period, []).append(message.answer)
    blank = ("",) * len(fields)
    pairs = []
    for match in matches:
        mentor, mentee = people[match.mentor_application_id], people[match.mentee_application_id]
        by_month = {period: _month_answer(a) for period, a in sorted(months[match.id].items())}
        answered = [(p, a) for p, a in by_month.items() if a != NO_ANSWER]
        latest_two = list(by_month.values())[-2:]
        taking_part = ", ".join(
            f"{role} {states[person.id]}"
            for role, person in (("mentor", mentor), ("mentee", mentee))
            if person.id in states
        )
        pairs.append(
            PairYear(
                mentor_name=mentor.name,
                mentor_email=mentor.email,
                mentee_name=mentee.name,
                mentee_email=mentee.email,
                current=match.status == proposals.CONFIRMED,
                taking_part=taking_part or "yes",
                months_asked=len(by_month),
                counts=_counts(by_month.values()),
                last_answer=answered[-1][1] if answered else "",
                last_answer_month=answered[-1][0] if answered else "",
                extra=private.get(mentor.id, blank) + private.get(mentee.id, blank),
                recent_silence=latest_two == [NO_ANSWER, NO_ANSWER],
            )
        )
    current = [p for p in pairs if p.current]
    totals = CheckinTotals(
        matches=len(current),
        meeting_monthly=sum(p.months_asked > 0 and p.meeting_rate == 1 for p in current),
        need_help=sum(p.counts[NEED_HELP] > 0 for p in current),
        paused=sum(PAUSED in p.taking_part for p in current),
        left=sum(LEFT in p.taking_part for p in current),
        months_asked=sum(p.months_asked for p in current),
        months_met=sum(p.counts[MET] for p in current),
    )
    columns = CHECKIN_COLUMNS + tuple(f"mentor_{f}" for f in fields)
    columns += tuple(f"mentee_{f}" for f in fields)
    log.info(
        "mentoring check-in report",
        extra={"cohort": cohort.name, "matches": totals.matches, "named_fields": len(fields)},
    )
    return CheckinReport(cohort.name, tuple(pairs), totals, columns, fields)


async def feedback_report(
    database: Database, cohort_name: str, *, include: tuple[str, ...] = ()
) -> FeedbackReport:
    """Each end-of-year feedback form sent, with its rating and comment as given.

    Raises:
        UserError: No such cohort, or a field that is not a private answer.
    """
    fields = check_fields(include)
    async with database.unit_of_work() as work:
        cohort = await work.mentoring.require_cohort(cohort_name)
        matches = await work.mentoring_pairs.matches_made(cohort)
        people, _states = await _people(work, matches)
        by_id = {m.id: m for m in matches}
        messages = await work.mentoring_pairs.sent_messages(list(by_id), kind=FEEDBACK)
        private = await _private_cells(work, list(people), fields)
    rows = []
    for message in messages:
        match = by_id[message.match_id]
        mentoring = message.application_id == match.mentor_application_id
        other_id = match.mentee_application_id if mentoring else match.mentor_application_id
        person, other = people[message.application_id], people[other_id]
        rows.append(
            (
                person.name,
                person.email,
                "mentor" if mentoring else "mentee",
                f"{other.name} <{other.email}>",
                message.answer or "",
                message.comment or "",
                f"{message.answered_at:%Y-%m-%d}" if message.answered_at else "",
                *private.get(person.id, ("",) * len(fields)),
            )
        )
    ratings = Counter(row[4] for row in rows if row[4])
    log.info(
        "mentoring feedback report",
        extra={"cohort": cohort.name, "asked": len(rows), "named_fields": len(fields)},
    )
    return FeedbackReport(
        cohort.name, tuple(rows), FEEDBACK_COLUMNS + fields, fields, len(rows), dict(ratings)
    )
