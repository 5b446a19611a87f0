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

from bot.clock import Clock
from bot.errors import UserError
from bot.mentoring.matching import match_cohort
from bot.mentoring.models import CohortInput, CohortState, PairRules, Role
from bot.mentoring.pairs import LEFT, PairMessages, SendOutcome, ended_status
from bot.mentoring.service import MentoringService
from bot.outbound import OutboundSender
from bot.requests import UserRef
from bot.storage import Database
from bot.storage.models.mentoring import MentoringApplication, MentoringCohort, MentoringMatch
from bot.storage.unit_of_work import UnitOfWork

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
        async with self.service.database.unit_of_work() as work:
            return (await work.members.ensure(user, now=self.service.clock.now())).id

    async def open_cohort_for_applying(self, name: str | None) -> MentoringCohort:
        """The cohort a member applies to: the one named, else the only open one.

        Raises:
            UserError: None open, or several (the member names one).
        """
        async with self.service.database.unit_of_work() as work:
            if name:
                return await work.mentoring.require_cohort(name)
            cohorts = [
                c for c in await work.mentoring.list_cohorts() if c.state == CohortState.OPEN.value
            ]
        if not cohorts:
            raise UserError("No mentoring cohort is taking applications right now.")
        if len(cohorts) > 1:
            names = ", ".join(c.name for c in cohorts)
            raise UserError(f"Several cohorts are open ({names}); say which after apply.")
        return cohorts[0]

    async def cohort_by_id(self, cohort_id: int) -> MentoringCohort:
        async with self.service.database.unit_of_work() as work:
            cohort = await work.mentoring.cohort_by_id(cohort_id)
        if cohort is None:
            raise UserError("That mentoring cohort no longer exists, so nothing was saved.")
        return cohort

    async def members_cohort(self, member_id: int, name: str | None) -> str:
        """The cohort of the member's newest application (or the one named)."""
        if name:
            return name
        async with self.service.database.unit_of_work() as work:
            cohort = await work.mentoring.newest_application_cohort(member_id)
        if cohort is None:
            raise UserError("You have no mentoring application. /mentoring apply starts one.")
        return cohort.name

    async def proposed_match(self, mentor_id: int, mentee_id: int) -> tuple[str, str, str]:
        """(cohort, mentor e-mail, mentee e-mail) of a pair a preview's button names
        (by application ids, which are never reused), if it is still proposed.

        Raises:
            UserError: The latest proposal no longer has that pair.
        """
        async with self.service.database.unit_of_work() as work:
            match = await work.mentoring_pairs.proposed_match(mentor_id, mentee_id)
            if match is None:
                raise UserError(
                    "That proposal was replaced by a newer one; look at the latest match "
                    "preview. Nothing changed."
                )
            cohort = await work.mentoring.cohort_by_id(match.cohort_id)
            mentor = await work.mentoring.application(mentor_id)
            mentee = await work.mentoring.application(mentee_id)
            assert cohort and mentor and mentee
            return cohort.name, mentor.email, mentee.email

    async def cohort_id(self, name: str) -> int:
        async with self.service.database.unit_of_work() as work:
            return (await work.mentoring.require_cohort(name)).id

    async def rematch(self, who: str | int) -> tuple[str, Rematched]:
        """End the confirmed matches of one person (by e-mail or member id) in their
        newest matched cohort and match them (as mentee) or their mentees again.

        Raises:
            UserError: They have no confirmed match.
        """
        now = self.service.clock.now()
        async with self.service.database.unit_of_work() as work:
            person, cohort = await self._matched_person(work, who)
            current = await work.mentoring_pairs.confirmed_matches_of(cohort, person.id)
            if not current:
                raise UserError(f"{person.name} has no confirmed match in '{cohort.name}'.")
            ended = {(m.mentor_application_id, m.mentee_application_id) for m in current}
            for match in current:
                match.status = ended_status(match.id)
            await work.flush()
            cohort_input = await self._rematch_input(work, cohort, ended, person.id)
            mentees = {mentee for _mentor, mentee in ended}
            result = match_cohort(cohort_input)
            new: list[MentoringMatch] = []
            for proposed in result.matches:
                if proposed.mentee.id not in mentees:
                    continue
                new.append(
                    await work.mentoring_pairs.add_confirmed_match(cohort, proposed, now=now)
                )
            await work.flush()
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
        self, work: UnitOfWork, who: str | int
    ) -> tuple[MentoringApplication, MentoringCohort]:
        found = await work.mentoring.newest_in_matched_cohort(who)
        if found is None:
            raise UserError(f"No one by {who} has an application in a matched cohort.")
        return found

    async def _rematch_input(
        self,
        work: UnitOfWork,
        cohort: MentoringCohort,
        ended: set[tuple[int, int]],
        person_id: int,
    ) -> CohortInput:
        """The cohort as the solver sees it for a rematch: the mentees to place, and the
        mentors with room left (their capacity less their confirmed mentees), except
        the person rematched and anyone who left; the ended pairs may not be made again."""
        full = await work.mentoring.cohort_input(cohort)
        taken = await work.mentoring_pairs.confirmed_mentees_per_mentor(cohort)
        mentees = {mentee for _mentor, mentee in ended}
        gone = await work.mentoring_pairs.applications_in_state(LEFT)
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
