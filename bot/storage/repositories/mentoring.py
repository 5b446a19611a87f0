"""Storage of the mentoring program: cohorts, applications, private answers.

Every method runs in the unit of work's one transaction (see
:meth:`bot.storage.Database.unit_of_work`), so a caller that writes several things
commits all of them or none. Private answers are read only by
:meth:`MentoringRepository.private_answers` and :meth:`MentoringRepository.cohort_input`
(for matching), never by default; staff reports read the fields staff name through
:meth:`MentoringRepository.named_private_answers`, and only when some are named.

Matches, the pairs' messages and their taking part are in
:mod:`bot.storage.repositories.mentoring_pairs`; pair rules and the pairs of earlier
rounds in :mod:`bot.storage.repositories.mentoring_rules`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import delete, select

from bot.errors import UserError
from bot.mentoring.import_csv import ApplicationInput
from bot.mentoring.models import CohortInput, CohortState, Criteria, PrivateAnswers
from bot.requests import UserRef
from bot.storage.models import Member
from bot.storage.models.mentoring import (
    MentoringApplication,
    MentoringCohort,
    MentoringPrivateAnswers,
)
from bot.storage.repositories.base import Repository
from bot.storage.repositories.mentoring_rules import MentoringRuleRepository, _private, to_applicant
from bot.storage.results import changed_rows


class MentoringRepository(Repository):
    """The mentoring program: cohorts, applications, private answers."""

    # -- cohorts -----------------------------------------------------------------------

    async def find_cohort(self, name: str) -> MentoringCohort | None:
        return await self._session.scalar(
            select(MentoringCohort).where(MentoringCohort.name == name)
        )

    async def require_cohort(self, name: str) -> MentoringCohort:
        """The cohort called ``name``.

        Raises:
            UserError: there is none (naming how to open one).
        """
        cohort = await self.find_cohort(name)
        if cohort is None:
            raise UserError(
                f"there is no cohort called '{name}'",
                hint=f"open one with: memberbot mentoring cohort open '{name}'",
            )
        return cohort

    async def cohort_by_id(self, cohort_id: int) -> MentoringCohort | None:
        return await self._session.get(MentoringCohort, cohort_id)

    async def list_cohorts(self) -> list[MentoringCohort]:
        return list(
            await self._session.scalars(select(MentoringCohort).order_by(MentoringCohort.id))
        )

    async def create_cohort(
        self,
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
        self._session.add(cohort)
        await self._session.flush()
        return cohort

    async def newest_application_cohort(self, member_id: int) -> MentoringCohort | None:
        """The cohort of the member's newest application, if they made one."""
        cohort_id = await self._session.scalar(
            select(MentoringApplication.cohort_id)
            .where(MentoringApplication.member_id == member_id)
            .order_by(MentoringApplication.id.desc())
            .limit(1)
        )
        return await self._session.get(MentoringCohort, cohort_id) if cohort_id else None

    # -- applications ------------------------------------------------------------------

    async def find_application(
        self, cohort: MentoringCohort, email: str
    ) -> MentoringApplication | None:
        return await self._session.scalar(
            select(MentoringApplication).where(
                MentoringApplication.cohort_id == cohort.id, MentoringApplication.email == email
            )
        )

    async def find_member_application(
        self, cohort: MentoringCohort, member_id: int
    ) -> MentoringApplication | None:
        """The application a chat member made to ``cohort`` (the newest, should there be two)."""
        return await self._session.scalar(
            select(MentoringApplication)
            .where(
                MentoringApplication.cohort_id == cohort.id,
                MentoringApplication.member_id == member_id,
            )
            .order_by(MentoringApplication.id.desc())
            .limit(1)
        )

    async def application(self, application_id: int) -> MentoringApplication | None:
        return await self._session.get(MentoringApplication, application_id)

    async def applications(self, cohort: MentoringCohort) -> list[MentoringApplication]:
        return list(
            await self._session.scalars(
                select(MentoringApplication)
                .where(MentoringApplication.cohort_id == cohort.id)
                .order_by(MentoringApplication.id)
            )
        )

    async def applications_by_id(self, ids: Iterable[int]) -> dict[int, MentoringApplication]:
        rows = await self._session.scalars(
            select(MentoringApplication).where(MentoringApplication.id.in_(list(ids)))
        )
        return {row.id: row for row in rows}

    async def member_applications(self, member_id: int) -> list[MentoringApplication]:
        """Every application a chat member made, in any cohort."""
        return list(
            await self._session.scalars(
                select(MentoringApplication).where(MentoringApplication.member_id == member_id)
            )
        )

    async def newest_in_matched_cohort(
        self, who: str | int
    ) -> tuple[MentoringApplication, MentoringCohort] | None:
        """The newest application, in a matched cohort, of a member id or an e-mail."""
        query = select(MentoringApplication, MentoringCohort).join(
            MentoringCohort, MentoringCohort.id == MentoringApplication.cohort_id
        )
        if isinstance(who, int):
            query = query.where(MentoringApplication.member_id == who)
        else:
            query = query.where(MentoringApplication.email == who.strip().lower())
        rows = (
            await self._session.execute(
                query.where(MentoringCohort.state == CohortState.MATCHED.value).order_by(
                    MentoringApplication.id.desc()
                )
            )
        ).first()
        return None if rows is None else (rows[0], rows[1])

    async def save_application(
        self,
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
        session = self._session
        row = await self.find_application(cohort, application.email)
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
        await self.delete_private_answers(row)
        if application.private is not None:
            session.add(
                MentoringPrivateAnswers(application_id=row.id, **application.private.as_dict())
            )
        return created

    async def delete_application(self, row: MentoringApplication) -> None:
        await self._session.execute(
            delete(MentoringApplication).where(MentoringApplication.id == row.id)
        )

    async def chat_user(self, row: MentoringApplication) -> UserRef | None:
        """The chat member who made the application, or None (imported from a CSV)."""
        if row.member_id is None:
            return None
        member = await self._session.get(Member, row.member_id)
        if member is None:
            return None
        return UserRef(member.platform, member.workspace_id, member.user_id, member.display_name)

    # -- private answers ---------------------------------------------------------------

    async def delete_private_answers(self, row: MentoringApplication) -> bool:
        """Forget an applicant's private answers; True when there were some."""
        result = await self._session.execute(
            delete(MentoringPrivateAnswers).where(MentoringPrivateAnswers.application_id == row.id)
        )
        return bool(changed_rows(result))

    async def private_answers(self, row: MentoringApplication) -> PrivateAnswers | None:
        found = await self._session.get(MentoringPrivateAnswers, row.id)
        return None if found is None else _private(found)

    async def named_private_answers(
        self, application_ids: Iterable[int]
    ) -> dict[int, MentoringPrivateAnswers]:
        """The private answers of these applications, for a staff report that names
        fields: call it only when staff named some."""
        return {
            answers.application_id: answers
            for answers in await self._session.scalars(
                select(MentoringPrivateAnswers).where(
                    MentoringPrivateAnswers.application_id.in_(list(application_ids))
                )
            )
        }

    # -- matching input ----------------------------------------------------------------

    async def cohort_input(self, cohort: MentoringCohort) -> CohortInput:
        """Everything matching needs, private answers included (they never leave matching)."""
        rows = await self.applications(cohort)
        answers = {
            row.application_id: _private(row)
            for row in await self._session.scalars(
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
            rules=await MentoringRuleRepository(self._session).pair_rules(cohort),
        )
