"""What ``/mentoring`` uses: the service, the pairs' messages, and chat members' ids.

Applications made in chat are tied to the member (``members.id``); a member's
``status``, ``withdraw`` and ``forget`` act on their newest application. Staff's
``rematch`` replaces one person's confirmed match, reusing the whole-cohort solver on
that person and the mentors with room left.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.errors import UserError
from bot.members import ensure_member
from bot.mentoring import proposals
from bot.mentoring import repository as repo
from bot.mentoring.matching import match_cohort
from bot.mentoring.models import CohortInput, CohortState, PairRules, Role
from bot.mentoring.pairs import LEFT, PairMessages, SendOutcome, ended_status
from bot.mentoring.service import MentoringService
from bot.outbound import OutboundSender
from bot.requests import UserRef
from bot.storage import Database
from bot.storage.models.mentoring import MentoringApplication, MentoringCohort, MentoringMatch
from bot.storage.models.mentoring_pairs import MentoringParticipation

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rematched:
    """One rematch: the new pairs (mentor name, mentee name), who found no mentor (and
    why), and the introductions sent."""

    pairs: tuple[tuple[str, str], ...]
    unmatched: tuple[str, ...]
    introductions: SendOutcome


@dataclass(frozen=True)
class MentoringChat:
    """The mentoring program as chat commands see it."""

    service: MentoringService
    pairs: PairMessages

    async def member_id(self, user: UserRef) -> int:
        async with self.service.database.session() as session:
            return (await ensure_member(session, user, now=self.service.clock.now())).id

    async def open_cohort_for_applying(self, name: str | None) -> MentoringCohort:
        """The cohort a member applies to: the one named, else the only open one.

        Raises:
            UserError: None open, or several (the member names one).
        """
        async with self.service.database.session() as session:
            if name:
                return await repo.require_cohort(session, name)
            cohorts = [
                c for c in await repo.list_cohorts(session) if c.state == CohortState.OPEN.value
            ]
        if not cohorts:
            raise UserError("No mentoring cohort is taking applications right now.")
        if len(cohorts) > 1:
            names = ", ".join(c.name for c in cohorts)
            raise UserError(f"Several cohorts are open ({names}); say which after apply.")
        return cohorts[0]

    async def cohort_by_id(self, cohort_id: int) -> MentoringCohort:
        async with self.service.database.session() as session:
            cohort = await session.get(MentoringCohort, cohort_id)
        if cohort is None:
            raise UserError("That mentoring cohort no longer exists, so nothing was saved.")
        return cohort

    async def members_cohort(self, member_id: int, name: str | None) -> str:
        """The cohort of the member's newest application (or the one named)."""
        if name:
            return name
        async with self.service.database.session() as session:
            cohort_id = await session.scalar(
                select(MentoringApplication.cohort_id)
                .where(MentoringApplication.member_id == member_id)
                .order_by(MentoringApplication.id.desc())
                .limit(1)
            )
            cohort = await session.get(MentoringCohort, cohort_id) if cohort_id else None
        if cohort is None:
            raise UserError("You have no mentoring application. /mentoring apply starts one.")
        return cohort.name

    async def proposed_match(self, mentor_id: int, mentee_id: int) -> tuple[str, str, str]:
        """(cohort, mentor e-mail, mentee e-mail) of a pair a preview's button names
        (by application ids, which are never reused), if it is still proposed.

        Raises:
            UserError: The latest proposal no longer has that pair.
        """
        async with self.service.database.session() as session:
            match = await session.scalar(
                select(MentoringMatch).where(
                    MentoringMatch.mentor_application_id == mentor_id,
                    MentoringMatch.mentee_application_id == mentee_id,
                    MentoringMatch.status == proposals.PROPOSED,
                )
            )
            if match is None:
                raise UserError(
                    "That proposal was replaced by a newer one; look at the latest match "
                    "preview. Nothing changed."
                )
            cohort = await session.get(MentoringCohort, match.cohort_id)
            mentor = await session.get(MentoringApplication, mentor_id)
            mentee = await session.get(MentoringApplication, mentee_id)
            assert cohort and mentor and mentee
            return cohort.name, mentor.email, mentee.email

    async def cohort_id(self, name: str) -> int:
        async with self.service.database.session() as session:
            return (await repo.require_cohort(session, name)).id

    async def rematch(self, who: str | int) -> tuple[str, Rematched]:
        """End the confirmed matches of one person (by e-mail or member id) in their
        newest matched cohort and match them (as mentee) or their mentees again.

        Raises:
            UserError: They have no confirmed match.
        """
        now = self.service.clock.now()
        async with self.service.database.session() as session:
            person, cohort = await self._matched_person(session, who)
            current = list(
                await session.scalars(
                    select(MentoringMatch).where(
                        MentoringMatch.cohort_id == cohort.id,
                        MentoringMatch.status == proposals.CONFIRMED,
                        (MentoringMatch.mentor_application_id == person.id)
                        | (MentoringMatch.mentee_application_id == person.id),
                    )
                )
            )
            if not current:
                raise UserError(f"{person.name} has no confirmed match in '{cohort.name}'.")
            ended = {(m.mentor_application_id, m.mentee_application_id) for m in current}
            for match in current:
                match.status = ended_status(match.id)
            await session.flush()
            cohort_input = await self._rematch_input(session, cohort, ended, person.id)
            mentees = {mentee for _mentor, mentee in ended}
            result = match_cohort(cohort_input)
            new: list[MentoringMatch] = []
            for proposed in result.matches:
                if proposed.mentee.id not in mentees:
                    continue
                row = MentoringMatch(
                    cohort_id=cohort.id,
                    mentor_application_id=proposed.mentor.id,
                    mentee_application_id=proposed.mentee.id,
                    status=proposals.CONFIRMED,
                    score=proposed.score,
                    reasons=list(proposed.reasons),
                    created_at=now,
                    confirmed_at=now,
                )
                session.add(row)
                new.append(row)
            await session.flush()
            names = {a.id: a.name for a in cohort_input.applicants}
            pairs = tuple(
                (names[m.mentor_application_id], names[m.mentee_application_id]) for m in new
            )
            matched = {m.mentee_application_id for m in new}
            unmatched = tuple(
                f"{u.email}: {u.reason}"
                for u in result.unmatched
                if any(
                    a.email == u.email and a.id in mentees - matched
                    for a in cohort_input.applicants
                )
            )
            cohort_name = cohort.name
        outcome = SendOutcome()
        for row in new:
            await self.pairs.introduce_match(cohort_name, row, outcome)
        log.info("mentoring rematch", extra={"cohort": cohort_name, "matches": len(new)})
        return cohort_name, Rematched(pairs, unmatched, outcome)

    async def _matched_person(
        self, session: AsyncSession, who: str | int
    ) -> tuple[MentoringApplication, MentoringCohort]:
        query = select(MentoringApplication, MentoringCohort).join(
            MentoringCohort, MentoringCohort.id == MentoringApplication.cohort_id
        )
        if isinstance(who, int):
            query = query.where(MentoringApplication.member_id == who)
        else:
            query = query.where(MentoringApplication.email == who.strip().lower())
        rows = (
            await session.execute(
                query.where(MentoringCohort.state == CohortState.MATCHED.value).order_by(
                    MentoringApplication.id.desc()
                )
            )
        ).first()
        if rows is None:
            raise UserError(f"No one by {who} has an application in a matched cohort.")
        return rows[0], rows[1]

    async def _rematch_input(
        self,
        session: AsyncSession,
        cohort: MentoringCohort,
        ended: set[tuple[int, int]],
        person_id: int,
    ) -> CohortInput:
        """The cohort as the solver sees it for a rematch: the mentees to place, and the
        mentors with room left (their capacity less their confirmed mentees), except
        the person rematched and anyone who left; the ended pairs may not be made again."""
        full = await repo.cohort_input(session, cohort)
        taken = dict(
            (
                await session.execute(
                    select(MentoringMatch.mentor_application_id, func.count())
                    .where(
                        MentoringMatch.cohort_id == cohort.id,
                        MentoringMatch.status == proposals.CONFIRMED,
                    )
                    .group_by(MentoringMatch.mentor_application_id)
                )
            ).all()
        )
        mentees = {mentee for _mentor, mentee in ended}
        gone = set(
            await session.scalars(
                select(MentoringParticipation.application_id).where(
                    MentoringParticipation.state == LEFT
                )
            )
        )
        applicants = []
        for applicant in full.applicants:
            if applicant.id in mentees:
                applicants.append(replace(applicant, role=Role.MENTEE, capacity=0))
            elif applicant.offers_mentoring and applicant.id not in gone | {person_id}:
                room = applicant.capacity - taken.get(applicant.id, 0)
                if room > 0:
                    applicants.append(replace(applicant, role=Role.MENTOR, capacity=room))
        emails = {a.id: a.email for a in full.applicants}
        forbidden = full.rules.forbidden | {(emails[m], emails[e]) for m, e in ended}
        rules = PairRules(
            pinned=(),
            forbidden=frozenset(forbidden),
            past=full.rules.past,
            allow_repeat_pairs=full.rules.allow_repeat_pairs,
        )
        return CohortInput(tuple(applicants), full.criteria, rules)


def build_mentoring_chat(
    database: Database, outbound: OutboundSender | None, clock: Clock, zone: ZoneInfo
) -> MentoringChat:
    """The mentoring service and its pairs' messages over one database and sender."""
    return MentoringChat(
        service=MentoringService(database, clock, zone=zone),
        pairs=PairMessages(database, outbound, clock, zone),
    )
