"""Answering a member's question and remembering the ones the knowledge cannot answer."""

from __future__ import annotations

import logging
from contextlib import AbstractAsyncContextManager
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

from bot.answers.engine import Answer
from bot.answers.text import normalize_question
from bot.errors import StorageUnavailable, UserError
from bot.knowledge_store import KnowledgeStore
from bot.requests import clean_member_text

if TYPE_CHECKING:
    from bot.storage import Database
    from bot.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

MAX_QUESTION_LENGTH = 1000


class WorkSource(Protocol):
    """Opens units of work: a :class:`~bot.storage.Database`, or a stand-in that opens
    one on first use (``memberbot ask``)."""

    def unit_of_work(self) -> AbstractAsyncContextManager[UnitOfWork]:
        """One transaction, committed when the block ends without an error."""
        ...


async def answer_question(
    *,
    knowledge: KnowledgeStore,
    database: WorkSource | None,
    question: str,
    today: date,
    now: datetime,
    platform: str,
) -> Answer:
    """Answer ``question`` as of ``today``; store it when the bot had to abstain.

    A database outage never costs the member their answer: the miss is logged
    instead of stored.
    """
    # Typed text may hold bytes that were not UTF-8 (a terminal, a pipe): cleaned here,
    # where every caller passes, so storing a miss never fails on them.
    question = clean_member_text(question).strip()
    if not question:
        raise UserError(
            "Ask me a question after the command, for example: "
            "/ask When do mentoring applications close?"
        )
    if len(question) > MAX_QUESTION_LENGTH:
        raise UserError(
            f"That question is {len(question):,} characters long; please keep it under "
            f"{MAX_QUESTION_LENGTH:,} characters."
        )
    answer = knowledge.engine.answer(question, today=today)
    if database is not None:
        for missed in _to_store(question, answer):
            await _store_unanswered(database, missed, answer, platform, now)
    return answer


def _to_store(question: str, answer: Answer) -> tuple[str, ...]:
    """The questions staff should see: a miss, or the unanswered parts of a longer message."""
    if answer.kind == "small_talk":
        return ()
    if not answer.answered:
        return (question,)
    return answer.unanswered_parts


async def _store_unanswered(
    database: WorkSource, question: str, answer: Answer, platform: str, now: datetime
) -> None:
    # The storage layer loads only for a miss: `memberbot ask` answers without it
    # (nothing here imports it; the unit of work brings it).
    try:
        async with database.unit_of_work() as work:
            await work.questions.add_unanswered(
                question,
                normalized=normalize_question(question),
                platform=platform,
                score=float(answer.score),
                asked_at=now,
                bot_answer=answer.text,  # staff see what the member was told
            )
    except StorageUnavailable:
        log.warning("could not store unanswered question", extra={"question": question})


async def most_frequent_unanswered(
    database: Database, *, limit: int = 100
) -> list[tuple[str, int, datetime]]:
    """Questions waiting for staff, grouped by normalised text: (a wording, count, last asked).

    Answered ones and those marked "not for us" are left out (see
    :func:`bot.answers.review.review_list` for their state).
    """
    from bot.answers.review import review_list

    items = await review_list(database, limit=limit)
    return [(item.question, item.count, item.last_asked) for item in items]
