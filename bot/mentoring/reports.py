"""Staff reports: every applicant of a cohort with their matches, as rows or CSV.

Private answers (demographics, preferences, funding interest) are read from the
database only when staff name the fields; a default report cannot contain them.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from typing import TextIO

from bot.errors import UserError
from bot.mentoring import proposals
from bot.mentoring.eligibility import mentee_problem, mentor_problem
from bot.mentoring.models import DEMOGRAPHIC_FIELDS, Applicant
from bot.storage.models.mentoring import MentoringCohort, MentoringPrivateAnswers
from bot.storage.repositories.mentoring_rules import to_applicant
from bot.storage.unit_of_work import UnitOfWork

COLUMNS = (
    "name",
    "email",
    "role",
    "member",
    "adult",
    "region",
    "interests",
    "capacity",
    "eligible",
    "match_status",
    "matched_with",
)
# A cell starting with one of these is run as a formula by spreadsheet programs.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Report:
    """One cohort's applicants.

    Attributes:
        match_status: ``confirmed``, ``proposed`` (a preview only) or ``none``.
        demographic_fields: The private fields staff asked for (columns after COLUMNS).
    """

    cohort: str
    state: str
    match_status: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    demographic_fields: tuple[str, ...]
    matched_mentees: int
    eligible_mentees: int

    def write_csv(self, stream: TextIO) -> None:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(self.columns)
        writer.writerows([spreadsheet_safe(cell) for cell in row] for row in self.rows)


def spreadsheet_safe(text: str) -> str:
    """Prefix text a spreadsheet would evaluate with an apostrophe (shown as text)."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _eligibility(person: Applicant) -> str:
    problems = []
    if person.offers_mentoring and (problem := mentor_problem(person)):
        problems.append(f"not as a mentor: {problem}")
    if person.wants_mentor and (problem := mentee_problem(person)):
        problems.append(f"not as a mentee: {problem}")
    return "; ".join(problems) or "yes"


def check_fields(include: tuple[str, ...]) -> tuple[str, ...]:
    """The demographic fields asked for, in order, each once.

    Raises:
        UserError: a field that is not a private answer.
    """
    unknown = [name for name in include if name not in DEMOGRAPHIC_FIELDS]
    if unknown:
        raise UserError(
            f"'{unknown[0]}' is not a private answer; name one of {', '.join(DEMOGRAPHIC_FIELDS)}"
        )
    return tuple(dict.fromkeys(include))


async def build_report(
    work: UnitOfWork, cohort: MentoringCohort, *, include: tuple[str, ...] = ()
) -> Report:
    """Every applicant of ``cohort``, with confirmed matches (or else the preview)."""
    fields = check_fields(include)
    rows = await work.mentoring.applications(cohort)
    people = {row.id: to_applicant(row, None) for row in rows}
    status = proposals.CONFIRMED
    matches = await work.mentoring_pairs.matches(cohort, status=proposals.CONFIRMED)
    if not matches:
        matches = await work.mentoring_pairs.matches(cohort, status=proposals.PROPOSED)
        status = proposals.PROPOSED if matches else "none"
    partners: dict[int, list[str]] = {row.id: [] for row in rows}
    for match in matches:
        mentor, mentee = match.mentor_application_id, match.mentee_application_id
        partners[mentor].append(f"mentee {people[mentee].email}")
        partners[mentee].append(f"mentor {people[mentor].email}")
    private: dict[int, MentoringPrivateAnswers] = {}
    if fields:  # read only when asked for, by name
        private = await work.mentoring.named_private_answers(people)
    table = []
    for row in rows:
        person = people[row.id]
        cells = [
            row.name,
            row.email,
            row.role,
            _yes_no(row.is_member),
            row.adult,
            row.region,
            "; ".join(row.interests),
            str(row.capacity) if person.offers_mentoring and row.capacity else "",
            _eligibility(person),
            status if partners[row.id] else ("unmatched" if matches else "none"),
            "; ".join(partners[row.id]),
        ]
        answers = private.get(row.id)
        for name in fields:
            value = getattr(answers, name) if answers is not None else None
            cells.append(
                "" if value is None else _yes_no(value) if isinstance(value, bool) else value
            )
        table.append(tuple(cells))
    return Report(
        cohort=cohort.name,
        state=cohort.state,
        match_status=status,
        columns=COLUMNS + fields,
        rows=tuple(table),
        demographic_fields=fields,
        matched_mentees=len({m.mentee_application_id for m in matches}),
        eligible_mentees=sum(mentee_problem(p) is None for p in people.values()),
    )
