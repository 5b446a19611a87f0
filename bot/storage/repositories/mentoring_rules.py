"""Storage of the mentoring program's pair rules: staff pins and do-not-matches, and
pairs from earlier rounds; and the pure helpers that turn stored rows into records.

Every method runs in the unit of work's one transaction (see
:meth:`bot.storage.Database.unit_of_work`). Nothing here reads private answers:
:func:`_private` only converts a row the caller already read, and those reads stay in
:meth:`bot.storage.repositories.mentoring.MentoringRepository.private_answers` and
:meth:`bot.storage.repositories.mentoring.MentoringRepository.cohort_input`.

Cohorts, applications and private answers are in
:mod:`bot.storage.repositories.mentoring`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select

from bot.mentoring.import_csv import PastPair
from bot.mentoring.models import Adult, Applicant, PairRules, PrivateAnswers, Role
from bot.storage.models.mentoring import (
    MentoringApplication,
    MentoringCohort,
    MentoringPairRule,
    MentoringPastPair,
    MentoringPrivateAnswers,
)
from bot.storage.repositories.base import Repository
from bot.storage.results import changed_rows

PIN = "pin"
FORBID = "forbid"


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


def _private(row: MentoringPrivateAnswers) -> PrivateAnswers:
    return PrivateAnswers(
        gender=row.gender,
        race_ethnicity=row.race_ethnicity,
        prefer_same_region=row.prefer_same_region,
        prefer_same_gender=row.prefer_same_gender,
        prefer_same_race_ethnicity=row.prefer_same_race_ethnicity,
        bipoc_funding_interest=row.bipoc_funding_interest,
    )


class MentoringRuleRepository(Repository):
    """The mentoring program's pair rules and the pairs of earlier rounds."""

    async def pair_rules(self, cohort: MentoringCohort) -> PairRules:
        rules = (
            await self._session.execute(
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
            await self._session.execute(
                select(MentoringPastPair.mentor_email, MentoringPastPair.mentee_email).where(
                    MentoringPastPair.cohort_name != cohort.name
                )
            )
        ).all()
        return PairRules(
            pinned=tuple((mentor, mentee) for kind, mentor, mentee in rules if kind == PIN),
            forbidden=frozenset(
                (mentor, mentee) for kind, mentor, mentee in rules if kind == FORBID
            ),
            past=frozenset((mentor, mentee) for mentor, mentee in past),
            allow_repeat_pairs=cohort.allow_repeat_pairs,
        )

    async def set_rule(
        self,
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
            result = await self._session.execute(delete(MentoringPairRule).where(*where))
            return bool(changed_rows(result))
        if await self._session.scalar(select(MentoringPairRule.id).where(*where)) is not None:
            return False
        self._session.add(
            MentoringPairRule(
                cohort_id=cohort.id,
                kind=kind,
                mentor_email=mentor_email,
                mentee_email=mentee_email,
                created_at=now,
            )
        )
        await self._session.flush()
        return True

    async def count_rules(self, cohort: MentoringCohort) -> dict[str, int]:
        rows = await self._session.execute(
            select(MentoringPairRule.kind, func.count())
            .where(MentoringPairRule.cohort_id == cohort.id)
            .group_by(MentoringPairRule.kind)
        )
        return {kind: count for kind, count in rows.all()}

    async def add_past_pairs(self, pairs: Sequence[PastPair], *, now: datetime) -> int:
        """Record pairs from earlier rounds; ones already recorded are skipped.

        Returns:
            How many were new.
        """
        known = set(
            (
                await self._session.execute(
                    select(
                        MentoringPastPair.mentor_email,
                        MentoringPastPair.mentee_email,
                        MentoringPastPair.cohort_name,
                    )
                )
            ).all()
        )
        new = {(p.mentor, p.mentee, p.cohort) for p in pairs} - known
        self._session.add_all(
            MentoringPastPair(mentor_email=m, mentee_email=e, cohort_name=c, recorded_at=now)
            for m, e, c in sorted(new)
        )
        await self._session.flush()
        return len(new)
