"""What the 👍/👎 buttons and the staff answer loop use: asked questions, the staff list,
the staff channel, DMs to members and teaching.

Handlers get one :class:`StaffLoop`, built once per core; it wraps the storage and
review functions so handlers name what they want (rate this answer, claim this
question), never a database.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.actions import Action
from bot.answers import review
from bot.answers.review import EntryFeedback, ReviewItem
from bot.errors import DeliveryError
from bot.knowledge.teach import Draft, TeachResult, teach_and_reload
from bot.knowledge_store import KnowledgeStore
from bot.outbound import ChannelPurpose, ChannelTarget, DeliveryKey, OutboundSender
from bot.replies import Message
from bot.requests import Request, UserRef
from bot.storage import Database
from bot.storage.models.asked import AskedQuestion, Rating
from bot.storage.repositories.questions import link_asked_to_review, rate_asked

log = logging.getLogger(__name__)

#: How many of the engine's best guesses the Answer form offers to teach to.
GUESSES = 5
#: What a staff answer's 👍 counts against in the helpful rates (``memberbot unanswered
#: --feedback``), as ``calendar`` stands for calendar answers.
STAFF_ANSWER_ENTRY = "staff-answer"


@dataclass(frozen=True, slots=True)
class Asked:
    """One question a member asked in chat, and what the bot said."""

    id: int
    asker: UserRef
    channel_id: str | None
    is_direct: bool
    question: str
    answer_text: str
    entry_id: str | None
    review_question_id: int | None
    rating: str | None


def _asked(row: AskedQuestion) -> Asked:
    return Asked(
        id=row.id,
        asker=UserRef(row.platform, row.workspace_id, row.user_id, row.user_name),
        channel_id=row.channel_id,
        is_direct=row.is_direct,
        question=row.question,
        answer_text=row.answer_text,
        entry_id=row.entry_id,
        review_question_id=row.review_question_id,
        rating=row.rating,
    )


@dataclass(frozen=True, slots=True)
class StaffLoop:
    """Ratings, the staff list, the staff channel and teaching, for chat handlers."""

    database: Database
    knowledge: KnowledgeStore
    outbound: OutboundSender | None
    data_dir: Path | None

    # -- questions asked in chat --------------------------------------------------

    async def record_asked(
        self,
        request: Request,
        *,
        question: str,
        answer_text: str,
        entry_id: str | None,
        now: datetime,
        review_question_id: int | None = None,
    ) -> int:
        """Store who asked what and what the bot said; the id the buttons carry."""
        sender = request.sender
        async with self.database.unit_of_work() as work:
            return await work.questions.add_asked(
                platform=sender.platform,
                workspace_id=sender.workspace_id,
                user_id=sender.user_id,
                user_name=sender.name[:200],
                channel_id=request.channel_id,
                is_direct=request.is_direct,
                question=question,
                answer_text=answer_text,
                entry_id=entry_id,
                asked_at=now,
                review_question_id=review_question_id,
            )

    async def record_staff_answer(self, asked: Asked, *, answer_text: str, now: datetime) -> int:
        """Store the staff answer sent to ``asked``'s member as an answer of its own, so
        its 👍 Thanks is theirs alone and counts once (:meth:`rate`); the id it carries.

        It is not linked to the staff list's question, so it never counts as asking it.
        """
        async with self.database.unit_of_work() as work:
            return await work.questions.add_asked(
                platform=asked.asker.platform,
                workspace_id=asked.asker.workspace_id,
                user_id=asked.asker.user_id,
                user_name=asked.asker.name[:200],
                channel_id=None,
                is_direct=True,
                question=asked.question,
                answer_text=answer_text,
                entry_id=STAFF_ANSWER_ENTRY,
                asked_at=now,
            )

    async def asked(self, asked_id: int) -> Asked | None:
        async with self.database.unit_of_work() as work:
            row = await work.questions.asked(asked_id)
            return _asked(row) if row is not None else None

    async def rate(self, asked_id: int, *, helpful: bool, now: datetime) -> bool:
        """Set the member's rating once: False when it was already rated (a double click)."""
        rating = Rating.HELPFUL if helpful else Rating.UNHELPFUL
        return await rate_asked(self.database, asked_id, rating=rating, now=now)

    async def link_review(self, asked_id: int, question_id: int) -> None:
        """Note the staff list's question for an asked one (so its answer reaches them)."""
        await link_asked_to_review(self.database, asked_id, question_id)

    async def askers(self, question_ids: Sequence[int]) -> list[Asked]:
        """Who asked the staff list's questions ``question_ids`` in chat, oldest first."""
        if not question_ids:
            return []
        async with self.database.unit_of_work() as work:
            rows = await work.questions.asked_for_review(question_ids)
            return [_asked(row) for row in rows]

    # -- the staff list ---------------------------------------------------------------

    async def record_feedback(
        self, asked: Asked, *, helpful: bool, now: datetime, comment: str | None = None
    ) -> int | None:
        return await review.record_feedback(
            self.database,
            entry_id=asked.entry_id or "unknown",
            helpful=helpful,
            question=asked.question,
            answer_text=asked.answer_text,
            comment=comment,
            now=now,
            platform=asked.asker.platform,
        )

    async def add_comment(self, question_id: int, comment: str) -> None:
        await review.add_comment(self.database, question_id, comment)

    async def add_question(
        self, question: str, *, platform: str, now: datetime, bot_answer: str | None
    ) -> int:
        return await review.add_question(
            self.database, question, platform=platform, now=now, bot_answer=bot_answer
        )

    async def item(self, question_id: int) -> ReviewItem | None:
        return await review.find_item(self.database, question_id)

    async def bot_answer(self, question_id: int) -> str | None:
        """What the bot told the member who asked question ``question_id``."""
        item = await review.find_item(self.database, question_id)
        return item.bot_answer if item is not None else None

    async def waiting(self, *, limit: int) -> list[ReviewItem]:
        return await review.review_list(self.database, limit=limit)

    async def claim(self, question_id: int, *, who: str, now: datetime) -> ReviewItem:
        return await review.claim(self.database, question_id, who=who, now=now)

    async def answer(
        self, question_id: int, *, who: str, text: str, now: datetime, taught: str | None
    ) -> tuple[ReviewItem, list[int]]:
        """Record the answer; the item and every question id it closed (its repeats)."""
        item = await review.answer(
            self.database, question_id, who=who, text=text, now=now, taught_entry=taught
        )
        return item, await review.closed_together(self.database, question_id)

    async def dismiss(self, question_id: int, *, who: str, now: datetime) -> ReviewItem:
        return await review.dismiss(self.database, question_id, who=who, now=now)

    async def feedback_counts(self) -> list[EntryFeedback]:
        return await review.feedback_report(self.database)

    async def staff_name(self, user: UserRef) -> str:
        """How a staff member is named on the list: their display name as the bot knows it.

        A member picked in a form may come without a name; the name the bot saw on
        their own commands is used then, so a claim made for them is theirs.
        """
        if user.display_name:
            return user.display_name
        async with self.database.unit_of_work() as work:
            name = await work.members.stored_name(user)
        return name or user.user_id

    # -- delivery ---------------------------------------------------------------------

    async def post_to_staff(
        self, message: Message, *, key: str, actions: tuple[Action, ...] = ()
    ) -> bool:
        """Post in the staff channel (with ``actions`` under it); False when it could not
        be posted (logged)."""
        return await post_to_staff_channel(self.outbound, message, key=key, actions=actions)

    async def send_dm(
        self, user: UserRef, message: Message, *, key: str, actions: tuple[Action, ...] = ()
    ) -> str | None:
        """DM ``user`` (with ``actions`` under it); ``None`` when sent, else why not (for
        staff to read)."""
        if self.outbound is None:
            return "no platform to send through"
        try:
            await self.outbound.send_dm(
                user=user, message=message, key=DeliveryKey(key), actions=actions
            )
        except DeliveryError as error:
            log.warning(
                "staff answer not delivered",
                extra={"user": user.user_id, "key": key, "reason": error.reason},
            )
            return str(error.reason)
        return None

    # -- teaching ---------------------------------------------------------------------

    def best_guesses(self, question: str) -> list[str]:
        """The entries the engine thinks closest to ``question``, best first."""
        hits = self.knowledge.engine.search(question, limit=GUESSES)
        known = {entry.id for entry in self.knowledge.knowledge.entries}
        return [hit.key for hit in hits if hit.key in known]

    def entry_ids(self) -> set[str]:
        return {entry.id for entry in self.knowledge.knowledge.entries}

    @property
    def knowledge_path(self) -> str:
        return str(self.knowledge.path)

    async def teach(self, make: Callable[[str], Draft], *, who: str, now: datetime) -> TeachResult:
        """Save the change to the knowledge file and load it at once (see teach_and_reload).

        Raises:
            TeachRefused: nothing was written; the message says why.
        """
        return await teach_and_reload(
            make,
            who=who,
            store=self.knowledge,
            database=self.database,
            data_dir=self.data_dir,
            now=now,
        )


async def post_to_staff_channel(
    outbound: OutboundSender | None,
    message: Message,
    *,
    key: str,
    actions: tuple[Action, ...] = (),
) -> bool:
    """Post in the staff channel, once per ``key``; False when it could not be (logged)."""
    if outbound is None:
        return False
    try:
        await outbound.post(
            target=ChannelTarget(purpose=ChannelPurpose.STAFF),
            message=message,
            key=DeliveryKey(key),
            actions=actions,
        )
    except DeliveryError as error:
        log.warning("staff channel post failed", extra={"key": key, "reason": error.reason})
        return False
    return True
