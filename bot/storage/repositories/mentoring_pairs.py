"""Storage of the mentoring program's matches and of a confirmed pair's year.

Matches: the proposal staff review (``proposed``), the confirmed ones, and those a
rematch ended. A pair's year: each message to one person of a match
(:class:`MentoringPairMessage`, claimed before it is sent, holding their answer) and
a person's pause or leaving (:class:`MentoringParticipation`). Nothing here reads a
private answer.

Methods run in the unit of work's one transaction. :func:`claim_new_message` takes
the :class:`~bot.storage.Database` itself: a claim that loses a race to another
process ends its own transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from bot.mentoring.models import CohortState
from bot.mentoring.proposals import CONFIRMED, PROPOSED
from bot.storage.models.mentoring import (
    MentoringApplication,
    MentoringCohort,
    MentoringMatch,
    MentoringPastPair,
)
from bot.storage.models.mentoring_pairs import MentoringPairMessage, MentoringParticipation
from bot.storage.repositories.base import Repository
from bot.storage.results import changed_rows

if TYPE_CHECKING:
    from bot.mentoring.matching import MatchResult, ProposedMatch
    from bot.storage.database import Database


async def claim_new_message(
    database: Database,
    *,
    match_id: int,
    application_id: int,
    kind: str,
    period: str,
    now: datetime,
) -> int | None:
    """Insert a message's claim row in its own transaction; its id, or None when
    another process claimed it a moment ago."""
    try:
        async with database.session() as session:
            row = MentoringPairMessage(
                match_id=match_id,
                application_id=application_id,
                kind=kind,
                period=period,
                claimed_at=now,
            )
            session.add(row)
            await session.flush()
            return row.id
    except IntegrityError:
        return None  # another process claimed it a moment ago


class MentoringPairRepository(Repository):
    """Matches, introductions, check-ins, feedback, and who paused or left."""

    # -- matches -----------------------------------------------------------------------

    async def matches(self, cohort: MentoringCohort, *, status: str) -> list[MentoringMatch]:
        """The cohort's matches with ``status``, oldest first."""
        return list(
            await self._session.scalars(
                select(MentoringMatch)
                .where(MentoringMatch.cohort_id == cohort.id, MentoringMatch.status == status)
                .order_by(MentoringMatch.id)
            )
        )

    async def matches_made(self, cohort: MentoringCohort) -> list[MentoringMatch]:
        """Confirmed matches and those a rematch ended (their months still count)."""
        return list(
            await self._session.scalars(
                select(MentoringMatch)
                .where(
                    MentoringMatch.cohort_id == cohort.id,
                    MentoringMatch.status != PROPOSED,
                )
                .order_by(MentoringMatch.id)
            )
        )

    async def all_matches(self, *, status: str) -> list[MentoringMatch]:
        """Every cohort's matches with ``status``, oldest first."""
        return list(
            await self._session.scalars(
                select(MentoringMatch)
                .where(MentoringMatch.status == status)
                .order_by(MentoringMatch.id)
            )
        )

    async def match(self, match_id: int) -> MentoringMatch | None:
        return await self._session.get(MentoringMatch, match_id)

    async def proposed_match(self, mentor_id: int, mentee_id: int) -> MentoringMatch | None:
        """The pair (by application ids) in the latest proposal, if it is there."""
        return await self._session.scalar(
            select(MentoringMatch).where(
                MentoringMatch.mentor_application_id == mentor_id,
                MentoringMatch.mentee_application_id == mentee_id,
                MentoringMatch.status == PROPOSED,
            )
        )

    async def confirmed_matches_of(
        self, cohort: MentoringCohort, application_id: int
    ) -> list[MentoringMatch]:
        """The cohort's confirmed matches with this person as mentor or mentee."""
        return list(
            await self._session.scalars(
                select(MentoringMatch).where(
                    MentoringMatch.cohort_id == cohort.id,
                    MentoringMatch.status == CONFIRMED,
                    (MentoringMatch.mentor_application_id == application_id)
                    | (MentoringMatch.mentee_application_id == application_id),
                )
            )
        )

    async def confirmed_mentees_per_mentor(self, cohort: MentoringCohort) -> dict[int, int]:
        """How many confirmed mentees each mentor (application id) of the cohort has."""
        return dict(
            (
                await self._session.execute(
                    select(MentoringMatch.mentor_application_id, func.count())
                    .where(
                        MentoringMatch.cohort_id == cohort.id,
                        MentoringMatch.status == CONFIRMED,
                    )
                    .group_by(MentoringMatch.mentor_application_id)
                )
            ).all()
        )

    async def add_confirmed_match(
        self, cohort: MentoringCohort, proposed: ProposedMatch, *, now: datetime
    ) -> MentoringMatch:
        """A match confirmed at once (a rematch); its id is assigned at the next flush."""
        row = MentoringMatch(
            cohort_id=cohort.id,
            mentor_application_id=proposed.mentor.id,
            mentee_application_id=proposed.mentee.id,
            status=CONFIRMED,
            score=proposed.score,
            reasons=list(proposed.reasons),
            created_at=now,
            confirmed_at=now,
        )
        self._session.add(row)
        return row

    async def store_proposal(
        self,
        cohort: MentoringCohort,
        result: MatchResult,
        *,
        digest: str,
        now: datetime,
    ) -> None:
        """Replace the cohort's proposal with ``result`` (confirmed matches stay)."""
        session = self._session
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

    async def confirm_proposal(self, cohort: MentoringCohort, *, now: datetime) -> int:
        """Turn the stored proposal into the cohort's matches; record them as past pairs."""
        session = self._session
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

    # -- the pairs' messages -----------------------------------------------------------

    async def message(self, message_id: int) -> MentoringPairMessage | None:
        return await self._session.get(MentoringPairMessage, message_id)

    async def find_message(
        self, match_id: int, application_id: int, kind: str, period: str
    ) -> MentoringPairMessage | None:
        """The claim row of one message to one person of a match, if claimed."""
        return await self._session.scalar(
            select(MentoringPairMessage).where(
                MentoringPairMessage.match_id == match_id,
                MentoringPairMessage.application_id == application_id,
                MentoringPairMessage.kind == kind,
                MentoringPairMessage.period == period,
            )
        )

    async def take_over_stale_claim(
        self, message_id: int, *, now: datetime, claimed_before: datetime
    ) -> bool:
        """Claim again a message never recorded as sent and claimed at ``claimed_before``
        or earlier; False when it was sent, or is being sent by someone else."""
        result = await self._session.execute(
            update(MentoringPairMessage)
            .where(
                MentoringPairMessage.id == message_id,
                MentoringPairMessage.sent_at.is_(None),
                MentoringPairMessage.claimed_at <= claimed_before,
            )
            .values(claimed_at=now)
        )
        return bool(changed_rows(result))

    async def mark_sent(self, message_id: int, *, now: datetime) -> None:
        await self._session.execute(
            update(MentoringPairMessage)
            .where(MentoringPairMessage.id == message_id)
            .values(sent_at=now)
        )

    async def release(self, message_id: int) -> None:
        """Forget a claim (its message certainly never left)."""
        await self._session.execute(
            delete(MentoringPairMessage).where(MentoringPairMessage.id == message_id)
        )

    async def record_answer(
        self, message_id: int, *, answer: str, comment: str | None, now: datetime
    ) -> bool:
        """Store the first answer to a message; False when it had one already."""
        result = await self._session.execute(
            update(MentoringPairMessage)
            .where(MentoringPairMessage.id == message_id, MentoringPairMessage.answer.is_(None))
            .values(answer=answer, comment=comment, answered_at=now)
        )
        return bool(changed_rows(result))

    async def sent_before(
        self, match_id: int, application_id: int, *, kind: str, period: str, limit: int
    ) -> list[MentoringPairMessage]:
        """The latest ``limit`` messages of ``kind`` sent to one person of a match for
        periods before ``period``, newest first."""
        return list(
            await self._session.scalars(
                select(MentoringPairMessage)
                .where(
                    MentoringPairMessage.match_id == match_id,
                    MentoringPairMessage.application_id == application_id,
                    MentoringPairMessage.kind == kind,
                    MentoringPairMessage.period < period,
                    MentoringPairMessage.sent_at.is_not(None),
                )
                .order_by(MentoringPairMessage.period.desc())
                .limit(limit)
            )
        )

    async def sent_messages(
        self, match_ids: Sequence[int], *, kind: str
    ) -> list[MentoringPairMessage]:
        """The messages of ``kind`` the platform took for these matches, in claim order."""
        return list(
            await self._session.scalars(
                select(MentoringPairMessage)
                .where(
                    MentoringPairMessage.match_id.in_(list(match_ids)),
                    MentoringPairMessage.kind == kind,
                    MentoringPairMessage.sent_at.is_not(None),
                )
                .order_by(MentoringPairMessage.id)
            )
        )

    # -- taking part -------------------------------------------------------------------

    async def participation(self, application_id: int) -> MentoringParticipation | None:
        return await self._session.get(MentoringParticipation, application_id)

    async def participation_states(self, application_ids: Iterable[int]) -> dict[int, str]:
        """Who of these applications paused or left (application id -> state)."""
        return {
            row.application_id: row.state
            for row in await self._session.scalars(
                select(MentoringParticipation).where(
                    MentoringParticipation.application_id.in_(list(application_ids))
                )
            )
        }

    async def applications_in_state(self, state: str) -> set[int]:
        """The application ids, in any cohort, whose taking part is ``state``."""
        return set(
            await self._session.scalars(
                select(MentoringParticipation.application_id).where(
                    MentoringParticipation.state == state
                )
            )
        )

    async def add_participation(self, application_id: int, *, state: str, now: datetime) -> None:
        self._session.add(
            MentoringParticipation(application_id=application_id, state=state, changed_at=now)
        )

    async def remove_participation(self, row: MentoringParticipation) -> None:
        await self._session.delete(row)
