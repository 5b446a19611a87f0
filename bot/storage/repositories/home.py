"""What a member's home reads that belongs to no one feature's repository."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func, select

from bot.storage.models import UnansweredQuestion
from bot.storage.models.questions import QuestionStatus
from bot.storage.repositories.base import Repository

if TYPE_CHECKING:
    from bot.storage.database import Database


class HomeQueries(Repository):
    """Counts shown on the App Home."""

    async def open_questions(self, platform: str) -> int:
        """Unanswered questions still open on ``platform`` (staff's to-do)."""
        count = await self._session.scalar(
            select(func.count())
            .select_from(UnansweredQuestion)
            .where(
                UnansweredQuestion.status == QuestionStatus.OPEN,
                UnansweredQuestion.platform == platform,
            )
        )
        return int(count or 0)


async def open_question_count(database: Database, *, platform: str) -> int:
    """:meth:`HomeQueries.open_questions` in a short transaction of its own."""
    async with database.session() as session:
        return await HomeQueries(session).open_questions(platform)
