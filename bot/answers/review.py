"""The staff review list: questions the bot could not answer well, and what staff did with them.

Platform-neutral: ``memberbot unanswered`` uses it today, the chat buttons
(Answer, Not for us, Assign) will call the same functions. Repeats of a question
(same words once case, accents and punctuation are set aside) are one item on the
list, and acting on an item acts on every repeat still waiting.

Claiming, answering and dismissing are each one conditional UPDATE on the row
staff picked (``WHERE status = 'open'``, or claimed by the same person), so of
two staff members acting at once exactly one succeeds and the other is told who
has it, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from bot.answers.text import normalize_question
from bot.errors import UserError
from bot.storage.models.questions import QuestionReason, QuestionStatus, UnansweredQuestion
from bot.storage.repositories.questions import EntryFeedback as EntryFeedback  # re-exported
from bot.storage.repositories.questions import add_unhelpful_comment, change_waiting

if TYPE_CHECKING:
    from bot.storage import Database

log = logging.getLogger(__name__)

MAX_STAFF_ANSWER_LENGTH = 4000
MAX_COMMENT_LENGTH = 1000
#: Shown on the list: waiting for an answer (claimed ones say by whom).
WAITING = (QuestionStatus.OPEN, QuestionStatus.CLAIMED)


class TakenByOther(UserError):
    """Someone else has the question (claimed, answered or marked not for us)."""


@dataclass(frozen=True)
class ReviewItem:
    """One question on the staff list (with its repeats).

    Attributes:
        id: The newest repeat's id: what staff type to act on it.
        question: Its wording (the newest repeat's).
        count: How many times it was asked.
        last_asked: When it was last asked (UTC).
        status: open, claimed, answered or dismissed.
        claimed_by: Who claimed it, when claimed.
        reason: abstained (the bot did not know) or unhelpful (a 👎).
        entry_id: The entry whose answer was marked unhelpful.
        bot_answer: What the bot said.
        comment: What the member said was wrong.
    """

    id: int
    question: str
    count: int
    last_asked: datetime
    status: str
    claimed_by: str | None
    reason: str
    entry_id: str | None
    bot_answer: str | None
    comment: str | None


async def review_list(
    database: Database, *, limit: int = 50, include_closed: bool = False
) -> list[ReviewItem]:
    """The questions waiting for staff, most asked first (then most recent).

    Args:
        database: Where they are stored.
        limit: At most this many items.
        include_closed: Also list answered ones ("not for us" never comes back).
    """
    statuses = [*WAITING, QuestionStatus.ANSWERED] if include_closed else list(WAITING)
    async with database.unit_of_work() as work:
        rows = await work.questions.with_status(statuses)
    groups: dict[tuple[str, bool], list[UnansweredQuestion]] = defaultdict(list)
    for row in rows:
        groups[(row.normalized, row.status == QuestionStatus.ANSWERED)].append(row)
    items = [_item(repeats) for repeats in groups.values()]
    items.sort(key=lambda item: (-item.count, -item.last_asked.timestamp(), -item.id))
    return items[:limit]


def _item(repeats: list[UnansweredQuestion]) -> ReviewItem:
    newest = repeats[-1]
    claimed = next((row for row in repeats if row.status == QuestionStatus.CLAIMED), None)
    unhelpful = next((row for row in reversed(repeats) if row.entry_id), None)
    return ReviewItem(
        id=newest.id,
        question=newest.question,
        count=len(repeats),
        last_asked=max(row.asked_at for row in repeats),
        status=claimed.status if claimed else newest.status,
        claimed_by=claimed.claimed_by if claimed else None,
        reason=unhelpful.reason if unhelpful else newest.reason,
        entry_id=unhelpful.entry_id if unhelpful else None,
        bot_answer=newest.bot_answer,
        comment=next((row.comment for row in reversed(repeats) if row.comment), None),
    )


async def claim(database: Database, question_id: int, *, who: str, now: datetime) -> ReviewItem:
    """``who`` takes the question (and its waiting repeats); nobody else can act on it.

    Raises:
        TakenByOther: someone else has it, or it was answered or set aside.
        UserError: no such question.
    """
    values = {"status": QuestionStatus.CLAIMED, "claimed_by": who[:300], "claimed_at": now}
    await _change(database, question_id, who=who, values=values, claiming=True)
    return await _reviewed(database, question_id)


async def answer(
    database: Database,
    question_id: int,
    *,
    who: str,
    text: str,
    now: datetime,
    taught_entry: str | None = None,
) -> ReviewItem:
    """Record staff's answer: the question (and its waiting repeats) is answered.

    Raises:
        TakenByOther: someone else claimed it, or it was already answered or set aside.
        UserError: no such question, or an empty or too long answer.
    """
    text = text.strip()
    if not text:
        raise UserError("Write the answer to send to the member.")
    if len(text) > MAX_STAFF_ANSWER_LENGTH:
        raise UserError(
            f"The answer is {len(text):,} characters long; keep it under "
            f"{MAX_STAFF_ANSWER_LENGTH:,} (link to a page for the rest)."
        )
    values = {
        "status": QuestionStatus.ANSWERED,
        "closed_by": who[:300],
        "closed_at": now,
        "staff_answer": text,
        "taught_entry": taught_entry,
    }
    await _change(database, question_id, who=who, values=values)
    return await _reviewed(database, question_id)


async def dismiss(database: Database, question_id: int, *, who: str, now: datetime) -> ReviewItem:
    """Mark the question "not for us": it leaves the list, with its waiting repeats.

    Raises:
        TakenByOther: someone else claimed it, or it was already answered or set aside.
        UserError: no such question.
    """
    values = {"status": QuestionStatus.DISMISSED, "closed_by": who[:300], "closed_at": now}
    await _change(database, question_id, who=who, values=values)
    return await _reviewed(database, question_id)


async def _change(
    database: Database,
    question_id: int,
    *,
    who: str,
    values: dict[str, object],
    claiming: bool = False,
) -> None:
    outcome = await change_waiting(database, question_id, who=who, values=values)
    if outcome.changed:
        log.info(
            "review question changed",
            extra={"question_id": question_id, "who": who, "status": values["status"]},
        )
        return
    row = outcome.holder
    if row is None:
        raise UserError(f"There is no question {question_id} (see memberbot unanswered).")
    if row.status == QuestionStatus.CLAIMED:
        raise TakenByOther(f"Question {question_id} is taken by {row.claimed_by}.")
    if row.status == QuestionStatus.ANSWERED:
        raise TakenByOther(f"Question {question_id} was already answered by {row.closed_by}.")
    if row.status == QuestionStatus.DISMISSED:
        raise TakenByOther(f"Question {question_id} was marked not for us by {row.closed_by}.")
    raise TakenByOther(f"Question {question_id} cannot be changed now (status {row.status}).")


async def _reviewed(database: Database, question_id: int) -> ReviewItem:
    async with database.unit_of_work() as work:
        row = await work.questions.get(question_id)
        assert row is not None
        repeats = await work.questions.repeats_in_state(row)
    return _item(repeats)


async def record_feedback(
    database: Database,
    *,
    entry_id: str,
    helpful: bool,
    question: str,
    answer_text: str,
    now: datetime,
    platform: str = "unknown",
    comment: str | None = None,
) -> int | None:
    """Count a 👍 or 👎 on an entry's answer; a 👎 also puts the question on the review list.

    Args:
        database: Where feedback is stored.
        entry_id: The entry that answered.
        helpful: 👍 (True) or 👎 (False).
        question: What the member asked.
        answer_text: What the bot replied.
        now: When (UTC).
        platform: Where the member asked.
        comment: What the member said was wrong (optional).

    Returns:
        The review list's new question id for a 👎 (``None`` for a 👍).
    """
    comment = (comment or "").strip()[:MAX_COMMENT_LENGTH] or None
    async with database.unit_of_work() as work:
        await work.questions.add_feedback(
            entry_id=entry_id,
            helpful=helpful,
            question=question,
            answer_text=answer_text,
            comment=comment,
            given_at=now,
        )
        if helpful:
            return None
        return await work.questions.add_unanswered(
            question,
            normalized=normalize_question(question),
            platform=platform,
            score=0.0,
            asked_at=now,
            reason=QuestionReason.UNHELPFUL,
            entry_id=entry_id,
            bot_answer=answer_text,
            comment=comment,
        )


async def add_question(
    database: Database, question: str, *, platform: str, now: datetime, bot_answer: str | None
) -> int:
    """Put a question on the list as a member asked it (``/ask-staff``); its id."""
    async with database.unit_of_work() as work:
        return await work.questions.add_unanswered(
            question,
            normalized=normalize_question(question),
            platform=platform,
            score=0.0,
            asked_at=now,
            reason=QuestionReason.ABSTAINED,
            bot_answer=bot_answer,
        )


async def add_comment(database: Database, question_id: int, comment: str) -> None:
    """Note what the member said was wrong on a 👎 already on the list."""
    comment = comment.strip()[:MAX_COMMENT_LENGTH]
    if not comment:
        return
    await add_unhelpful_comment(database, question_id, comment)


async def find_item(database: Database, question_id: int) -> ReviewItem | None:
    """The list's item for question ``question_id`` (with its repeats in the same state)."""
    async with database.unit_of_work() as work:
        if await work.questions.get(question_id) is None:
            return None
    return await _reviewed(database, question_id)


async def closed_together(database: Database, question_id: int) -> list[int]:
    """The ids answered or dismissed in the same step as ``question_id`` (it included)."""
    async with database.unit_of_work() as work:
        row = await work.questions.get(question_id)
        if row is None or row.closed_at is None:
            return []
        return await work.questions.closed_together(row)


async def feedback_report(database: Database) -> list[EntryFeedback]:
    """👍/👎 per entry, the least helpful first."""
    async with database.unit_of_work() as work:
        counts = await work.questions.feedback_counts()
    counts.sort(key=lambda item: (item.helpful_rate, -item.unhelpful, item.entry_id))
    return counts
