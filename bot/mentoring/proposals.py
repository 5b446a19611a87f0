"""Stored matches: the proposal staff review (``proposed``) and the confirmed ones.

Like :mod:`bot.mentoring.repository`, every function runs inside the caller's session.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.mentoring.matching import MatchResult
from bot.mentoring.models import CohortState
from bot.storage.models.mentoring import (
    MentoringApplication,
    MentoringCohort,
    MentoringMatch,
    MentoringPastPair,
)

PROPOSED = "proposed"
CONFIRMED = "confirmed"


async def store_proposal(
    session: AsyncSession,
    cohort: MentoringCohort,
    result: MatchResult,
    *,
    digest: str,
    now: datetime,
) -> None:
    """Replace the cohort's proposal with ``result`` (confirmed matches stay)."""
    await session.execute(
        delete(MentoringMatch).where(
            MentoringMatch.cohort_id == cohort.id, MentoringMatch.status == PROPOSED
        )
    )
    session.add_all(
        MentoringMatch(
            cohort_id=cohort.id,
            mentor_application_id=match.mentor.id,
            mentee_application_id=match.mentee.id,
            status=PROPOSED,
            score=match.score,
            reasons=list(match.reasons),
            pinned=match.pinned,
            created_at=now,
        )
        for match in result.matches
    )
    cohort.proposal_fingerprint = digest
    cohort.updated_at = now
    await session.flush()


async def confirm_proposal(session: AsyncSession, cohort: MentoringCohort, *, now: datetime) -> int:
    """Turn the stored proposal into the cohort's matches; record them as past pairs."""
    pairs = (
        await session.execute(
            select(MentoringMatch.id, MentoringApplication.email)
            .join(
                MentoringApplication,
                MentoringApplication.id == MentoringMatch.mentor_application_id,
            )
            .where(MentoringMatch.cohort_id == cohort.id, MentoringMatch.status == PROPOSED)
        )
    ).all()
    mentees = dict(
        (
            await session.execute(
                select(MentoringMatch.id, MentoringApplication.email)
                .join(
                    MentoringApplication,
                    MentoringApplication.id == MentoringMatch.mentee_application_id,
                )
                .where(MentoringMatch.cohort_id == cohort.id, MentoringMatch.status == PROPOSED)
            )
        ).all()
    )
    await session.execute(
        update(MentoringMatch)
        .where(MentoringMatch.cohort_id == cohort.id, MentoringMatch.status == PROPOSED)
        .values(status=CONFIRMED, confirmed_at=now)
    )
    session.add_all(
        MentoringPastPair(
            mentor_email=mentor_email,
            mentee_email=mentees[match_id],
            cohort_name=cohort.name,
            recorded_at=now,
        )
        for match_id, mentor_email in pairs
    )
    cohort.state = CohortState.MATCHED.value
    cohort.updated_at = now
    await session.flush()
    return len(pairs)


async def match_rows(
    session: AsyncSession, cohort: MentoringCohort, *, status: str
) -> Sequence[MentoringMatch]:
    return list(
        await session.scalars(
            select(MentoringMatch)
            .where(MentoringMatch.cohort_id == cohort.id, MentoringMatch.status == status)
            .order_by(MentoringMatch.id)
        )
    )
