"""Storage of the mentoring program: queries and writes inside one session.

Every function takes an open :class:`~sqlalchemy.ext.asyncio.AsyncSession` (one
transaction, see :meth:`bot.storage.Database.session`), so a caller that writes
several things commits all of them or none. Private answers are read only by
:func:`private_answers` and :func:`cohort_input` (for matching), never by default.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import UserError
from bot.mentoring.import_csv import ApplicationInput, PastPair
from bot.mentoring.models import (
    Adult,
    Applicant,
    CohortInput,
    CohortState,
    Criteria,
    PairRules,
    PrivateAnswers,
    Role,
)
from bot.storage.models.mentoring import (
    MentoringApplication,
    MentoringCohort,
    MentoringPairRule,
    MentoringPastPair,
    MentoringPrivateAnswers,
)
from bot.storage.results import changed_rows

PIN = "pin"
FORBID = "forbid"


async def find_cohort(session: AsyncSession, name: str) -> MentoringCohort | None:
    return await session.scalar(select(MentoringCohort).where(MentoringCohort.name == name))


async def require_cohort(session: AsyncSession, name: str) -> MentoringCohort:
    """The cohort called ``name``.

    Raises:
        UserError: there is none (naming how to open one).
    """
    cohort = await find_cohort(session, name)
    if cohort is None:
        raise UserError(
            f"there is no cohort called '{name}'",
            hint=f"open one with: memberbot mentoring cohort open '{name}'",
        )
    return cohort


async def list_cohorts(session: AsyncSession) -> list[MentoringCohort]:
    return list(await session.scalars(select(MentoringCohort).order_by(MentoringCohort.id)))


async def create_cohort(
    session: AsyncSession,
    *,
    name: str,
    now: datetime,
    opens_on: date | None = None,
    closes_on: date | None = None,
    criteria: Criteria | None = None,
    allow_repeat_pairs: bool = False,
) -> MentoringCohort:
    cohort = MentoringCohort(
        name=name,
        state=CohortState.OPEN.value,
        opens_on=opens_on,
        closes_on=closes_on,
        criteria=(criteria or Criteria()).as_dict(),
        allow_repeat_pairs=allow_repeat_pairs,
        created_at=now,
        updated_at=now,
    )
    session.add(cohort)
    await session.flush()
    return cohort


async def find_application(
    session: AsyncSession, cohort: MentoringCohort, email: str
) -> MentoringApplication | None:
    return await session.scalar(
        select(MentoringApplication).where(
            MentoringApplication.cohort_id == cohort.id, MentoringApplication.email == email
        )
    )


async def find_member_application(
    session: AsyncSession, cohort: MentoringCohort, member_id: int
) -> MentoringApplication | None:
    """The application a chat member made to ``cohort`` (the newest, should there be two)."""
    return await session.scalar(
        select(MentoringApplication)
        .where(
            MentoringApplication.cohort_id == cohort.id,
            MentoringApplication.member_id == member_id,
        )
        .order_by(MentoringApplication.id.desc())
        .limit(1)
    )


async def save_application(
    session: AsyncSession,
    cohort: MentoringCohort,
    application: ApplicationInput,
    *,
    now: datetime,
    member_id: int | None = None,
) -> bool:
    """Add ``application`` to the cohort, or replace the one with its e-mail.

    Its private answers are replaced too (removed when it has none).

    Returns:
        True when it was new.
    """
    row = await find_application(session, cohort, application.email)
    created = row is None
    if row is None:
        row = MentoringApplication(cohort_id=cohort.id, email=application.email, created_at=now)
        session.add(row)
    row.name = application.name
    row.role = application.role.value
    row.is_member = application.is_member
    row.adult = application.adult.value
    row.region = application.region
    row.interests = list(application.interests)
    row.goals = application.goals
    row.capacity = application.capacity
    row.updated_at = now
    if member_id is not None:
        row.member_id = member_id
    await session.flush()
    await delete_private_answers(session, row)
    if application.private is not None:
        session.add(MentoringPrivateAnswers(application_id=row.id, **application.private.as_dict()))
    return created


async def delete_private_answers(session: AsyncSession, row: MentoringApplication) -> bool:
    """Forget an applicant's private answers; True when there were some."""
    result = await session.execute(
        delete(MentoringPrivateAnswers).where(MentoringPrivateAnswers.application_id == row.id)
    )
    return bool(changed_rows(result))


async def private_answers(
    session: AsyncSession, row: MentoringApplication
) -> PrivateAnswers | None:
    found = await session.get(MentoringPrivateAnswers, row.id)
    return None if found is None else _private(found)


def _private(row: MentoringPrivateAnswers) -> PrivateAnswers:
    return PrivateAnswers(
        gender=row.gender,
        race_ethnicity=row.race_ethnicity,
        prefer_same_region=row.prefer_same_region,
        prefer_same_gender=row.prefer_same_gender,
        prefer_same_race_ethnicity=row.prefer_same_race_ethnicity,
        bipoc_funding_interest=row.bipoc_funding_interest,
    )


async def applications(
    session: AsyncSession, cohort: MentoringCohort
) -> list[MentoringApplication]:
    return list(
        await session.scalars(
            select(MentoringApplication)
            .where(MentoringApplication.cohort_id == cohort.id)
            .order_by(MentoringApplication.id)
        )
    )


def to_applicant(row: MentoringApplication, private: PrivateAnswers | None) -> Applicant:
    role = Role(row.role)
    return Applicant(
        id=row.id,
        email=row.email,
        name=row.name,
        role=role,
        is_member=row.is_member,
        adult=Adult(row.adult),
        region=row.region,
        interests=tuple(row.interests),
        capacity=(row.capacity or 0) if role is not Role.MENTEE else 0,
        private=private or PrivateAnswers(),
    )


async def pair_rules(session: AsyncSession, cohort: MentoringCohort) -> PairRules:
    rules = (
        await session.execute(
            select(
                MentoringPairRule.kind,
                MentoringPairRule.mentor_email,
                MentoringPairRule.mentee_email,
            )
            .where(MentoringPairRule.cohort_id == cohort.id)
            .order_by(MentoringPairRule.id)
        )
    ).all()
    past = (
        await session.execute(
            select(MentoringPastPair.mentor_email, MentoringPastPair.mentee_email).where(
                MentoringPastPair.cohort_name != cohort.name
            )
        )
    ).all()
    return PairRules(
        pinned=tuple((mentor, mentee) for kind, mentor, mentee in rules if kind == PIN),
        forbidden=frozenset((mentor, mentee) for kind, mentor, mentee in rules if kind == FORBID),
        past=frozenset((mentor, mentee) for mentor, mentee in past),
        allow_repeat_pairs=cohort.allow_repeat_pairs,
    )


async def cohort_input(session: AsyncSession, cohort: MentoringCohort) -> CohortInput:
    """Everything matching needs, private answers included (they never leave matching)."""
    rows = await applications(session, cohort)
    answers = {
        row.application_id: _private(row)
        for row in await session.scalars(
            select(MentoringPrivateAnswers).where(
                MentoringPrivateAnswers.application_id.in_(
                    select(MentoringApplication.id).where(
                        MentoringApplication.cohort_id == cohort.id
                    )
                )
            )
        )
    }
    return CohortInput(
        applicants=tuple(to_applicant(row, answers.get(row.id)) for row in rows),
        criteria=Criteria.from_mapping(cohort.criteria),
        rules=await pair_rules(session, cohort),
    )


async def set_rule(
    session: AsyncSession,
    cohort: MentoringCohort,
    *,
    kind: str,
    mentor_email: str,
    mentee_email: str,
    now: datetime,
    remove: bool = False,
) -> bool:
    """Add (or with ``remove``, delete) a pin or do-not-match; True when it changed."""
    where = (
        MentoringPairRule.cohort_id == cohort.id,
        MentoringPairRule.kind == kind,
        MentoringPairRule.mentor_email == mentor_email,
        MentoringPairRule.mentee_email == mentee_email,
    )
    if remove:
        result = await session.execute(delete(MentoringPairRule).where(*where))
        return bool(changed_rows(result))
    if await session.scalar(select(MentoringPairRule.id).where(*where)) is not None:
        return False
    session.add(
        MentoringPairRule(
            cohort_id=cohort.id,
            kind=kind,
            mentor_email=mentor_email,
            mentee_email=mentee_email,
            created_at=now,
        )
    )
    await session.flush()
    return True


async def count_rules(session: AsyncSession, cohort: MentoringCohort) -> dict[str, int]:
    rows = await session.execute(
        select(MentoringPairRule.kind, func.count())
        .where(MentoringPairRule.cohort_id == cohort.id)
        .group_by(MentoringPairRule.kind)
    )
    return {kind: count for kind, count in rows.all()}


async def add_past_pairs(session: AsyncSession, pairs: Sequence[PastPair], *, now: datetime) -> int:
    """Record pairs from earlier rounds; ones already recorded are skipped.

    Returns:
        How many were new.
    """
    known = set(
        (
            await session.execute(
                select(
                    MentoringPastPair.mentor_email,
                    MentoringPastPair.mentee_email,
                    MentoringPastPair.cohort_name,
                )
            )
        ).all()
    )
    new = {(p.mentor, p.mentee, p.cohort) for p in pairs} - known
    session.add_all(
        MentoringPastPair(mentor_email=m, mentee_email=e, cohort_name=c, recorded_at=now)
        for m, e, c in sorted(new)
    )
    await session.flush()
    return len(new)
