"""One transaction, and each feature's repository working in it."""

from __future__ import annotations

from functools import cached_property

from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.repositories.audit import AuditRepository
from bot.storage.repositories.broadcasts import BroadcastRepository
from bot.storage.repositories.kudos import KudosRepository
from bot.storage.repositories.members import MemberRepository
from bot.storage.repositories.mentoring import MentoringRepository
from bot.storage.repositories.mentoring_pairs import MentoringPairRepository
from bot.storage.repositories.mentoring_rules import MentoringRuleRepository
from bot.storage.repositories.notes import NoteRepository
from bot.storage.repositories.questions import QuestionRepository
from bot.storage.repositories.reminders import ReminderRepository


class UnitOfWork:
    """What one ``async with database.unit_of_work() as work:`` block reads and writes.

    Everything done through its repositories commits together when the block ends
    without an error, and is rolled back otherwise. Repositories are made on first
    use; they share the one session.
    """

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @cached_property
    def members(self) -> MemberRepository:
        return MemberRepository(self._session)

    @cached_property
    def audit(self) -> AuditRepository:
        return AuditRepository(self._session)

    @cached_property
    def kudos(self) -> KudosRepository:
        return KudosRepository(self._session)

    @cached_property
    def notes(self) -> NoteRepository:
        return NoteRepository(self._session)

    @cached_property
    def broadcasts(self) -> BroadcastRepository:
        return BroadcastRepository(self._session)

    @cached_property
    def reminders(self) -> ReminderRepository:
        return ReminderRepository(self._session)

    @cached_property
    def questions(self) -> QuestionRepository:
        return QuestionRepository(self._session)

    @cached_property
    def mentoring(self) -> MentoringRepository:
        return MentoringRepository(self._session)

    @cached_property
    def mentoring_pairs(self) -> MentoringPairRepository:
        return MentoringPairRepository(self._session)

    @cached_property
    def mentoring_rules(self) -> MentoringRuleRepository:
        return MentoringRuleRepository(self._session)

    async def flush(self) -> None:
        """Send pending writes now (ids assigned, constraints checked) without committing."""
        await self._session.flush()
