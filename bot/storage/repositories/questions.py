"""Questions members asked: unanswered ones for staff, feedback, what was asked."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import and_, case, func, or_, select, update

from bot.storage.models.asked import AskedQuestion
from bot.storage.models.questions import (
    AnswerFeedback,
    QuestionReason,
    QuestionStatus,
    UnansweredQuestion,
)
from bot.storage.repositories.base import Repository

if TYPE_CHECKING:
    from bot.storage.database import Database


@dataclass(frozen=True)
class EntryFeedback:
    """👍 and 👎 counts for one entry."""

    entry_id: str
    helpful: int
    unhelpful: int

    @property
    def helpful_rate(self) -> float:
        return self.helpful / (self.helpful + self.unhelpful)


@dataclass(frozen=True)
class QuestionHolder:
    """Where a question staff could not act on stands: its status and who has it."""

    status: str
    claimed_by: str | None
    closed_by: str | None


@dataclass(frozen=True)
class StatusChange:
    """What :func:`change_waiting` did.

    Attributes:
        changed: The question (and its waiting repeats) took the new values.
        holder: When not changed, the question as it stands (``None``: no such question).
    """

    changed: bool
    holder: QuestionHolder | None = None


class QuestionRepository(Repository):
    """Questions members asked: unanswered ones for staff, feedback, what was asked."""

    # -- the staff list (unanswered questions) -----------------------------------------

    async def add_unanswered(
        self,
        question: str,
        *,
        normalized: str,
        platform: str,
        score: float,
        asked_at: datetime,
        bot_answer: str | None,
        reason: str = QuestionReason.ABSTAINED,
        entry_id: str | None = None,
        comment: str | None = None,
    ) -> int:
        """Put a question on the staff list, open; its id."""
        row = UnansweredQuestion(
            question=question,
            normalized=normalized,
            platform=platform,
            score=score,
            asked_at=asked_at,
            status=QuestionStatus.OPEN,
            reason=reason,
            entry_id=entry_id,
            bot_answer=bot_answer,
            comment=comment,
        )
        self._session.add(row)
        await self._session.flush()
        return row.id

    async def get(self, question_id: int) -> UnansweredQuestion | None:
        return await self._session.get(UnansweredQuestion, question_id)

    async def with_status(self, statuses: Collection[str]) -> list[UnansweredQuestion]:
        """Every question in one of ``statuses``, oldest first."""
        rows = await self._session.scalars(
            select(UnansweredQuestion)
            .where(UnansweredQuestion.status.in_(list(statuses)))
            .order_by(UnansweredQuestion.id)
        )
        return list(rows.all())

    async def repeats_in_state(self, row: UnansweredQuestion) -> list[UnansweredQuestion]:
        """``row`` and its repeats in the same state, oldest first."""
        table = UnansweredQuestion
        # The row itself always counts: a colleague may change its state between the
        # two reads, and the repeats in the state first read may then be none.
        repeats = await self._session.scalars(
            select(table)
            .where(
                or_(
                    table.id == row.id,
                    and_(table.normalized == row.normalized, table.status == row.status),
                )
            )
            .order_by(table.id)
        )
        return list(repeats.all())

    async def closed_together(self, row: UnansweredQuestion) -> list[int]:
        """The ids answered or dismissed in the same step as ``row`` (it included), in order."""
        table = UnansweredQuestion
        ids = await self._session.scalars(
            select(table.id).where(
                table.normalized == row.normalized,
                table.status == row.status,
                table.closed_by == row.closed_by,
                table.closed_at == row.closed_at,
            )
        )
        return sorted(ids)

    async def latest_id_asked(
        self, question: str, *, platform: str, asked_at: datetime
    ) -> int | None:
        """The newest stored question with this exact text, platform and time (``None``: none)."""
        found = await self._session.scalar(
            select(func.max(UnansweredQuestion.id)).where(
                UnansweredQuestion.question == question,
                UnansweredQuestion.platform == platform,
                UnansweredQuestion.asked_at == asked_at,
            )
        )
        return int(found) if found is not None else None

    # -- 👍/👎 on answers ---------------------------------------------------------------

    async def open_count(self, platform: str) -> int:
        """Unanswered questions still open on ``platform`` (staff's to-do on the App Home)."""
        count = await self._session.scalar(
            select(func.count())
            .select_from(UnansweredQuestion)
            .where(
                UnansweredQuestion.status == QuestionStatus.OPEN,
                UnansweredQuestion.platform == platform,
            )
        )
        return int(count or 0)

    async def add_feedback(
        self,
        *,
        entry_id: str,
        helpful: bool,
        question: str,
        answer_text: str,
        comment: str | None,
        given_at: datetime,
    ) -> None:
        self._session.add(
            AnswerFeedback(
                entry_id=entry_id,
                helpful=helpful,
                question=question,
                answer_text=answer_text,
                comment=comment,
                given_at=given_at,
            )
        )

    async def feedback_counts(self) -> list[EntryFeedback]:
        """👍/👎 per entry, in no particular order."""
        helpful = func.sum(case((AnswerFeedback.helpful, 1), else_=0))
        rows = await self._session.execute(
            select(
                AnswerFeedback.entry_id, func.count().label("total"), helpful.label("good")
            ).group_by(AnswerFeedback.entry_id)
        )
        return [
            EntryFeedback(row.entry_id, int(row.good or 0), int(row.total) - int(row.good or 0))
            for row in rows
        ]

    # -- questions asked in chat ----------------------------------------------------------

    async def add_asked(
        self,
        *,
        platform: str,
        workspace_id: str,
        user_id: str,
        user_name: str,
        channel_id: str | None,
        is_direct: bool,
        question: str,
        answer_text: str,
        entry_id: str | None,
        asked_at: datetime,
        review_question_id: int | None = None,
    ) -> int:
        """Store who asked what and what the bot said; its id."""
        row = AskedQuestion(
            platform=platform,
            workspace_id=workspace_id,
            user_id=user_id,
            user_name=user_name,
            channel_id=channel_id,
            is_direct=is_direct,
            question=question,
            answer_text=answer_text,
            entry_id=entry_id,
            asked_at=asked_at,
            review_question_id=review_question_id,
        )
        self._session.add(row)
        await self._session.flush()
        return row.id

    async def asked(self, asked_id: int) -> AskedQuestion | None:
        return await self._session.get(AskedQuestion, asked_id)

    async def asked_for_review(self, question_ids: Sequence[int]) -> list[AskedQuestion]:
        """The asked questions linked to the staff list's ``question_ids``, oldest first."""
        rows = await self._session.scalars(
            select(AskedQuestion)
            .where(AskedQuestion.review_question_id.in_(list(question_ids)))
            .order_by(AskedQuestion.id)
        )
        return list(rows.all())


# -- single conditional writes, each its own Core transaction ---------------------------


async def change_waiting(
    database: Database, question_id: int, *, who: str, values: Mapping[str, object]
) -> StatusChange:
    """Give question ``question_id`` and its waiting repeats ``values``, if ``who`` may.

    ``who`` may while the question is open, or claimed by ``who``: one conditional
    UPDATE, so of two staff members acting at once exactly one wins.
    """
    table = UnansweredQuestion
    mine = or_(
        table.status == QuestionStatus.OPEN,
        and_(table.status == QuestionStatus.CLAIMED, table.claimed_by == who[:300]),
    )
    async with database.transaction() as connection:
        won = await connection.execute(
            update(table).where(table.id == question_id, mine).values(dict(values))
        )
        if won.rowcount == 1:
            # the repeats still waiting go along (their own claims by others excepted)
            normalized = select(table.normalized).where(table.id == question_id).scalar_subquery()
            await connection.execute(
                update(table)
                .where(table.normalized == normalized, table.id != question_id, mine)
                .values(dict(values))
            )
            return StatusChange(changed=True)
        row = (await connection.execute(select(table).where(table.id == question_id))).first()
    if row is None:
        return StatusChange(changed=False)
    return StatusChange(
        changed=False, holder=QuestionHolder(row.status, row.claimed_by, row.closed_by)
    )


async def add_unhelpful_comment(database: Database, question_id: int, comment: str) -> None:
    """Note what the member said was wrong on a 👎 already on the list."""
    table = UnansweredQuestion
    async with database.transaction() as connection:
        await connection.execute(
            update(table)
            .where(table.id == question_id, table.reason == QuestionReason.UNHELPFUL)
            .values(comment=comment)
        )


async def rate_asked(database: Database, asked_id: int, *, rating: str, now: datetime) -> bool:
    """Set an asked question's rating once: False when it was already rated."""
    table = AskedQuestion
    async with database.transaction() as connection:
        result = await connection.execute(
            update(table)
            .where(table.id == asked_id, table.rating.is_(None))
            .values(rating=rating, rated_at=now)
        )
    return result.rowcount == 1


async def link_asked_to_review(database: Database, asked_id: int, question_id: int) -> None:
    """Note the staff list's question for an asked one."""
    async with database.transaction() as connection:
        await connection.execute(
            update(AskedQuestion)
            .where(AskedQuestion.id == asked_id)
            .values(review_question_id=question_id)
        )
