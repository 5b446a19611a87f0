"""What the service hands back: cohort summaries, import counts, a member's own status.

None of them holds a private answer except :class:`ApplicationInput` from
``MentoringService.my_answers`` (for the member concerned only).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.mentoring import proposals
from bot.mentoring.eligibility import mentee_problem, mentor_problem
from bot.mentoring.import_csv import ApplicationInput
from bot.mentoring.models import CohortState, Criteria, PrivateAnswers
from bot.storage.models.mentoring import MentoringApplication, MentoringCohort
from bot.storage.repositories.mentoring_rules import FORBID, PIN, to_applicant
from bot.storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class CohortSummary:
    """A cohort at a glance (for staff): no e-mail, no private answer."""

    name: str
    state: CohortState
    opens_on: date | None
    closes_on: date | None
    criteria: Criteria
    allow_repeat_pairs: bool
    applicants: int
    mentors: int
    mentees: int
    eligible_mentors: int
    mentor_slots: int
    eligible_mentees: int
    pins: int
    forbidden_pairs: int
    proposed_matches: int
    confirmed_matches: int


@dataclass(frozen=True)
class ImportSummary:
    cohort: str
    created_cohort: bool
    added: int
    updated: int


@dataclass(frozen=True)
class ApplicationStatus:
    """What a member sees of their own application (private answers only as a flag)."""

    cohort: str
    cohort_state: CohortState
    application: ApplicationInput
    has_private_answers: bool
    matched_with: tuple[str, ...]


async def summarise(work: UnitOfWork, cohort: MentoringCohort) -> CohortSummary:
    """The cohort's counts (one read of its applications, rules and matches)."""
    people = [to_applicant(row, None) for row in await work.mentoring.applications(cohort)]
    mentors = [p for p in people if mentor_problem(p) is None]
    rules = await work.mentoring_rules.count_rules(cohort)
    proposed = await work.mentoring_pairs.matches(cohort, status=proposals.PROPOSED)
    confirmed = await work.mentoring_pairs.matches(cohort, status=proposals.CONFIRMED)
    return CohortSummary(
        name=cohort.name,
        state=CohortState(cohort.state),
        opens_on=cohort.opens_on,
        closes_on=cohort.closes_on,
        criteria=Criteria.from_mapping(cohort.criteria),
        allow_repeat_pairs=cohort.allow_repeat_pairs,
        applicants=len(people),
        mentors=sum(p.offers_mentoring for p in people),
        mentees=sum(p.wants_mentor for p in people),
        eligible_mentors=len(mentors),
        mentor_slots=sum(m.capacity for m in mentors),
        eligible_mentees=sum(mentee_problem(p) is None for p in people),
        pins=rules.get(PIN, 0),
        forbidden_pairs=rules.get(FORBID, 0),
        proposed_matches=len(proposed),
        confirmed_matches=len(confirmed),
    )


def as_input(row: MentoringApplication, private: PrivateAnswers | None) -> ApplicationInput:
    applicant = to_applicant(row, None)
    return ApplicationInput(
        email=row.email,
        name=row.name,
        role=applicant.role,
        is_member=row.is_member,
        adult=applicant.adult,
        region=row.region,
        interests=tuple(row.interests),
        goals=row.goals,
        capacity=row.capacity,
        private=private,
    )
