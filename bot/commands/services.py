"""The narrow services command handlers are given, built once per core.

Handlers never reach for the core, its database or its settings: each gets the
few objects it uses, built when the core is, with their dependencies given
there. The read-side facades below wrap the feature query functions so a handler
names what it wants (a leaderboard, a member's history), not a database.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.answers.engine import Answer
from bot.answers.service import answer_question
from bot.broadcasts.service import BroadcastService
from bot.clock import Clock, SystemClock
from bot.commands.interaction_services import Interactions, build_interactions
from bot.commands.spec import Catalogue
from bot.commands.staff_services import StaffLoop
from bot.config import Settings
from bot.knowledge import Knowledge
from bot.knowledge_store import KnowledgeStore
from bot.kudos import KudosService
from bot.kudos.digest import DigestStats, digest_stats
from bot.kudos.notes import UndeliveredNote, undelivered_notes_for
from bot.kudos.queries import (
    KudosEntry,
    Standing,
    kudos_given,
    kudos_received,
    leaderboard,
    thanks_received_count,
)
from bot.kudos.removal import RemoveOutcome, remove_kudos
from bot.members import SeenMembers
from bot.mentoring.chat import MentoringChat, build_mentoring_chat
from bot.outbound import OutboundSender
from bot.reminders.service import MemberReminders
from bot.requests import Request, UserRef
from bot.storage import Database


@dataclass(frozen=True, slots=True)
class KudosRules:
    """The installation's kudos limits, as members are told them."""

    daily_quota: int
    max_length: int
    undo_minutes: int


@dataclass(frozen=True, slots=True)
class Answers:
    """Answers questions from the knowledge file; abstentions are stored for staff."""

    knowledge: KnowledgeStore
    database: Database

    @property
    def current(self) -> Knowledge:
        """The knowledge file being served now."""
        return self.knowledge.knowledge

    async def answer(self, question: str, *, today: date, now: datetime, platform: str) -> Answer:
        return await answer_question(
            knowledge=self.knowledge,
            database=self.database,
            question=question,
            today=today,
            now=now,
            platform=platform,
        )


@dataclass(frozen=True, slots=True)
class KudosHistory:
    """What members and staff can look up about kudos, and staff's removal."""

    database: Database
    outbound: OutboundSender | None

    async def leaderboard(
        self, *, platform: str, workspace_id: str, since: datetime | None
    ) -> list[Standing]:
        return await leaderboard(
            self.database, platform=platform, workspace_id=workspace_id, since=since
        )

    async def received(self, user: UserRef) -> tuple[int, list[KudosEntry]]:
        return await kudos_received(self.database, user)

    async def given(self, user: UserRef) -> tuple[int, list[KudosEntry]]:
        return await kudos_given(self.database, user)

    async def thanks_received(self, user: UserRef) -> int:
        return await thanks_received_count(self.database, user)

    async def undelivered_notes(
        self, user: UserRef, *, now: datetime
    ) -> tuple[int, list[UndeliveredNote]]:
        return await undelivered_notes_for(self.database, user, now=now)

    async def digest(
        self, *, platform: str, workspace_id: str, start: datetime, end: datetime
    ) -> DigestStats:
        return await digest_stats(
            self.database, platform=platform, workspace_id=workspace_id, start=start, end=end
        )

    async def remove(self, *, request: Request, kudos_id: int, now: datetime) -> RemoveOutcome:
        return await remove_kudos(
            self.database, self.outbound, request=request, kudos_id=kudos_id, now=now
        )


@dataclass(frozen=True, slots=True)
class BroadcastDmChoice:
    """A member's choice to get staff's broadcast DMs or not (``/reminders``)."""

    database: Database

    async def opted_out(self, member: UserRef, *, now: datetime) -> bool:
        async with self.database.unit_of_work() as work:
            row = await work.members.ensure(member, now=now)
            return row.reminders_opt_out

    async def choose(self, member: UserRef, *, opt_out: bool, now: datetime) -> None:
        async with self.database.unit_of_work() as work:
            row = await work.members.ensure(member, now=now)
            await work.members.set_reminders_opt_out(row.id, opt_out=opt_out)


@dataclass(frozen=True, slots=True)
class CommandServices:
    """Everything command handlers may use; built once, shared by every request.

    Attributes:
        broadcasts: ``None`` when the core has no platform to deliver through.
        deliveries_due: Set when deliveries fell due just now (a broadcast
            confirmed for "now"), so the dispatcher sends them at once.
    """

    catalogue: Catalogue
    answers: Answers
    kudos: KudosService
    kudos_history: KudosHistory
    kudos_rules: KudosRules
    broadcasts: BroadcastService | None
    dm_choice: BroadcastDmChoice
    interactions: Interactions
    member_reminders: MemberReminders
    staff: StaffLoop
    zone: ZoneInfo
    deliveries_due: asyncio.Event
    mentoring: MentoringChat


def build_services(
    *,
    catalogue: Catalogue,
    settings: Settings,
    database: Database,
    knowledge: KnowledgeStore,
    outbound: OutboundSender | None,
    seen: SeenMembers,
    deliveries_due: asyncio.Event,
    clock: Clock | None = None,
) -> CommandServices:
    """The services for one core, with their dependencies given here once."""
    zone = settings.timezone
    return CommandServices(
        catalogue=catalogue,
        answers=Answers(knowledge=knowledge, database=database),
        kudos=KudosService(database=database, settings=settings, outbound=outbound, seen=seen),
        kudos_history=KudosHistory(database=database, outbound=outbound),
        kudos_rules=KudosRules(
            daily_quota=settings.kudos_daily_quota,
            max_length=settings.kudos_max_length,
            undo_minutes=settings.kudos_undo_minutes,
        ),
        broadcasts=(
            BroadcastService(database=database, outbound=outbound, zone=zone)
            if outbound is not None
            else None
        ),
        dm_choice=BroadcastDmChoice(database=database),
        interactions=build_interactions(database=database, knowledge=knowledge, outbound=outbound),
        member_reminders=MemberReminders(
            database=database, knowledge=knowledge, at=settings.reminder_local_time
        ),
        staff=StaffLoop(
            database=database, knowledge=knowledge, outbound=outbound, data_dir=settings.data_dir
        ),
        zone=zone,
        deliveries_due=deliveries_due,
        mentoring=build_mentoring_chat(database, outbound, clock or SystemClock(), zone),
    )
