"""Services the buttons' handlers use: one-time claims, own drafts, forwarded questions.

A button can be pressed twice, by two people, or replayed days later. Handlers
check the reference it carries against the member who pressed it with these
services, and act once: a guarded claim per action (a digest is posted once, a
question forwarded once), a draft only its author may edit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.commands.staff_messages import question_buttons
from bot.commands.staff_services import post_to_staff_channel
from bot.errors import UserError
from bot.knowledge_store import KnowledgeStore
from bot.outbound import OutboundSender
from bot.replies import Message
from bot.requests import Request, UserRef
from bot.storage import Database
from bot.storage.models import Broadcast
from bot.storage.models.broadcasts import BroadcastKind, BroadcastStatus
from bot.storage.repositories.deliveries import claim_delivery, release_delivery

log = logging.getLogger(__name__)

#: How long after asking a member can still have their question passed on.
FORWARD_WINDOW = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class OnceClaims:
    """Claims that succeed once per key (kept as long as delivery ids, a day).

    A double click, or two staff pressing the same button, acts once: the first
    claim wins and the others are told it was done.
    """

    database: Database

    async def claim(self, *, platform: str, key: str, command: str, now: datetime) -> bool:
        return await claim_delivery(
            self.database, platform=platform, delivery_id=key, command=command, now=now
        )

    async def release(self, *, platform: str, key: str) -> None:
        """Let the action be tried again (it failed before doing anything)."""
        await release_delivery(self.database, platform=platform, delivery_id=key)


@dataclass(frozen=True, slots=True)
class BroadcastDrafts:
    """Drafts as their author sees them, for Edit."""

    database: Database

    async def own_draft(self, member: UserRef, broadcast_id: int, *, now: datetime) -> Broadcast:
        """Broadcast ``broadcast_id`` if it is a draft ``member`` wrote in this workspace.

        Raises:
            UserError: No such broadcast here, someone else's, or no longer a draft.
        """
        async with self.database.unit_of_work() as work:
            author = await work.members.ensure(member, now=now)
            broadcast = await work.broadcasts.get(broadcast_id)
            if (
                broadcast is None
                or broadcast.platform != member.platform
                or broadcast.workspace_id != member.workspace_id
                or broadcast.kind != BroadcastKind.STAFF
            ):
                raise UserError(f"There is no broadcast #{broadcast_id} to edit. Nothing changed.")
            if broadcast.created_by_member_id not in {None, author.id}:
                raise UserError(
                    f"Broadcast #{broadcast_id} was drafted by someone else; only they can "
                    "edit it. Nothing changed."
                )
            if broadcast.status != BroadcastStatus.DRAFT:
                raise UserError(
                    f"Broadcast #{broadcast_id} is already {broadcast.status}, so it can no "
                    "longer be edited. Nothing changed."
                )
            return broadcast  # detached when the unit of work ends, its fields loaded


@dataclass(frozen=True, slots=True)
class ForwardedQuestion:
    """A question passed on to staff: its text and who the member was told to expect."""

    question: str
    contact: str


@dataclass(frozen=True, slots=True)
class QuestionForwarding:
    """Passes a question the bot could not answer on to staff (Ask someone)."""

    database: Database
    knowledge: KnowledgeStore
    outbound: OutboundSender | None

    async def recorded_id(self, question: str, *, platform: str, now: datetime) -> int | None:
        """The id of the unanswered question just stored for ``question`` (``None``: none)."""
        async with self.database.unit_of_work() as work:
            return await work.questions.latest_id_asked(
                question.strip(), platform=platform, asked_at=now
            )

    async def load(self, question_id: int, *, platform: str, now: datetime) -> str:
        """The question's text, if it may still be passed on from ``platform``.

        Raises:
            UserError: No such question here, or asked too long ago.
        """
        async with self.database.unit_of_work() as work:
            row = await work.questions.get(question_id)
        if row is None or row.platform != platform:
            raise UserError(
                "I could not find that question any more, so nothing was passed on. "
                "Please ask it again."
            )
        if now - row.asked_at > FORWARD_WINDOW:
            raise UserError(
                "That question was asked more than a day ago, so I did not pass it on. "
                "Please ask it again and press Ask someone on the new answer."
            )
        return row.question

    def contact_line(self) -> str:
        """The knowledge file's default contact, as members are told about them."""
        knowledge = self.knowledge.knowledge
        wanted = knowledge.organisation.default_contact
        contact = next((c for c in knowledge.contacts if c.id == wanted), None)
        return contact.introduction() if contact is not None else "the staff"

    async def post(self, *, request: Request, message: Message, question_id: int) -> bool:
        """Post ``message`` in the staff channel, with the staff list's buttons for the
        question; False when it could not be posted."""
        return await post_to_staff_channel(
            self.outbound, message, key=f"q{question_id}", actions=question_buttons(question_id)
        )


@dataclass(frozen=True, slots=True)
class Interactions:
    """What button and form handlers use, beside the services commands use."""

    once: OnceClaims
    drafts: BroadcastDrafts
    forwarding: QuestionForwarding
    outbound: OutboundSender | None


def build_interactions(
    *, database: Database, knowledge: KnowledgeStore, outbound: OutboundSender | None
) -> Interactions:
    return Interactions(
        once=OnceClaims(database),
        drafts=BroadcastDrafts(database),
        forwarding=QuestionForwarding(database=database, knowledge=knowledge, outbound=outbound),
        outbound=outbound,
    )
