"""A confirmed pair's year: introductions, monthly check-ins, feedback, pauses, rematches.

Every message to one person of a match is a :class:`MentoringPairMessage` row,
claimed (inserted) before it is sent: a row already sent is never sent again, and
one whose send was cut short goes again with ``maybe_sent`` so the platform drops a
repeat. A claim that loses a race to another process is skipped.

Nothing here puts a private answer into a message or a log line.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.actions import Action
from bot.clock import Clock
from bot.errors import DeliveryError, DeliveryReason, UserError
from bot.mentoring import people, proposals
from bot.outbound import (
    ChannelPurpose,
    ChannelTarget,
    DeliveryKey,
    GroupMessenger,
    OutboundSender,
)
from bot.replies import Message, text_message
from bot.requests import UserRef
from bot.storage import Database
from bot.storage.models.mentoring import MentoringApplication, MentoringCohort, MentoringMatch
from bot.storage.models.mentoring_pairs import MentoringPairMessage
from bot.storage.repositories.mentoring_pairs import claim_new_message

log = logging.getLogger(__name__)

INTRO = "intro"
CHECKIN = "checkin"
FEEDBACK = "feedback"
PAUSED = "paused"
LEFT = "left"
#: A claimed message not recorded as sent after this long was cut short (a crash, a
#: failed send): the next pass sends it again, checking it did not arrive.
STALE_CLAIM = timedelta(minutes=10)


def ended_status(match_id: int) -> str:
    """The status of a match staff replaced with a rematch (no longer checked in on).

    Unique per match: a mentee may be rematched more than once, and a cohort holds one
    match per mentee per status.
    """
    return f"ended {match_id}"


@dataclass
class SendOutcome:
    """How many messages went out, and who could not be reached (names, for staff)."""

    sent: int = 0
    unreachable: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Claim:
    message_id: int
    maybe_sent: bool


class PairMessages:
    """Claims, sends and answers of the messages a pair gets."""

    def __init__(
        self, database: Database, outbound: OutboundSender | None, clock: Clock, zone: ZoneInfo
    ) -> None:
        self.database = database
        self.outbound = outbound
        self.clock = clock
        self.zone = zone

    # -- sending -----------------------------------------------------------------------

    async def claim(
        self, match_id: int, application_id: int, kind: str, period: str
    ) -> Claim | None:
        """The message's row, inserted now; None when it was sent already or another
        process is sending it. A claim older than :data:`STALE_CLAIM` whose send never
        finished is taken over, to be sent with ``maybe_sent``."""
        async with self.database.unit_of_work() as work:
            row = await work.mentoring_pairs.find_message(match_id, application_id, kind, period)
            if row is not None:
                now = self.clock.now()
                # one process wins a stale claim
                taken_over = await work.mentoring_pairs.take_over_stale_claim(
                    row.id, now=now, claimed_before=now - STALE_CLAIM
                )
                if not taken_over:
                    return None  # sent, or being sent right now by someone else
                return Claim(row.id, True)
        message_id = await claim_new_message(
            self.database,
            match_id=match_id,
            application_id=application_id,
            kind=kind,
            period=period,
            now=self.clock.now(),
        )
        if message_id is None:
            return None  # another process claimed it a moment ago
        return Claim(message_id, False)

    async def deliver(
        self,
        claim: Claim,
        user: UserRef,
        message: Message,
        *,
        key: str,
        actions: tuple[Action, ...] = (),
    ) -> bool:
        """Send a claimed message; True once the platform took it (recorded as sent)."""
        if self.outbound is None:
            return False
        try:
            await self.outbound.send_dm(
                user=user,
                message=message,
                key=DeliveryKey(key, maybe_sent=claim.maybe_sent),
                actions=actions,
            )
        except DeliveryError as error:
            log.warning(
                "mentoring message not delivered",
                extra={"message_id": claim.message_id, "reason": error.reason},
            )
            return False
        await self.mark_sent(claim)
        return True

    async def mark_sent(self, claim: Claim) -> None:
        async with self.database.unit_of_work() as work:
            await work.mentoring_pairs.mark_sent(claim.message_id, now=self.clock.now())

    def reaches(self, user: UserRef) -> bool:
        """Whether this process's sender delivers to ``user`` (one process per platform)."""
        return self.outbound is not None and self.outbound.platform == user.platform

    async def alert_staff(self, text: str, *, key: str) -> bool:
        """A post in the staff channel (sent once per ``key``); False when it failed."""
        if self.outbound is None:
            return False
        try:
            await self.outbound.post(
                target=ChannelTarget(purpose=ChannelPurpose.STAFF),
                message=text_message(text),
                key=DeliveryKey(key),
            )
        except DeliveryError as error:
            log.warning("mentoring staff alert failed", extra={"key": key, "reason": error.reason})
            return False
        return True

    # -- introductions -----------------------------------------------------------------

    async def introduce(self, cohort_name: str) -> SendOutcome:
        """Introduce every confirmed pair of the cohort to each other, once each."""
        outcome = SendOutcome()
        async with self.database.unit_of_work() as work:
            cohort = await work.mentoring.require_cohort(cohort_name)
            matches = await work.mentoring_pairs.matches(cohort, status=proposals.CONFIRMED)
        for match in matches:
            await self.introduce_match(cohort.name, match, outcome)
        log.info(
            "mentoring introductions sent",
            extra={
                "cohort": cohort.name,
                "sent": outcome.sent,
                "unreachable": len(outcome.unreachable),
            },
        )
        return outcome

    async def introduce_match(
        self, cohort_name: str, match: MentoringMatch, outcome: SendOutcome
    ) -> None:
        async with self.database.unit_of_work() as work:
            rows = await work.mentoring.applications_by_id(
                [match.mentor_application_id, match.mentee_application_id]
            )
            mentor, mentee = rows[match.mentor_application_id], rows[match.mentee_application_id]
            users = {row.id: await work.mentoring.chat_user(row) for row in (mentor, mentee)}
        shared = people.shared_interests(mentee.interests, mentor.interests)
        mentor_user, mentee_user = users[mentor.id], users[mentee.id]
        if self.shares_group_dm(mentor_user, mentee_user):
            assert mentor_user is not None and mentee_user is not None
            together = await self.introduce_together(
                cohort_name, match, (mentor, mentor_user), (mentee, mentee_user), shared, outcome
            )
            if together:
                return
        for own, other, role in ((mentor, mentee, "mentor"), (mentee, mentor, "mentee")):
            user = users[own.id]
            if user is None or not self.reaches(user):
                outcome.unreachable.append(own.name)
                continue
            claim = await self.claim(match.id, own.id, INTRO, "")
            if claim is None:
                continue
            message = people.introduction(
                cohort=cohort_name,
                own_role=role,
                other_name=other.name,
                other_user=users[other.id],
                shared=shared,
            )
            if await self.deliver(claim, user, message, key=f"mi{match.id}-{role}"):
                outcome.sent += 1
            else:
                outcome.unreachable.append(own.name)

    def shares_group_dm(self, *users: UserRef | None) -> bool:
        """Whether the sender can put ``users`` in one conversation together (Slack)."""
        return (
            isinstance(self.outbound, GroupMessenger)
            and self.outbound.group_dm_shared
            and all(user is not None and self.reaches(user) for user in users)
        )

    async def introduce_together(
        self,
        cohort_name: str,
        match: MentoringMatch,
        mentor: tuple[MentoringApplication, UserRef],
        mentee: tuple[MentoringApplication, UserRef],
        shared: list[str],
        outcome: SendOutcome,
    ) -> bool:
        """One group DM naming both; claimed as the mentor's introduction row, so it
        goes once per match (key ``mi{match}``). False when the platform refused the
        group DM outright (Slack without the ``mpim:write`` scope): nothing was sent, the
        claim is let go, and the caller introduces each person by DM instead."""
        assert isinstance(self.outbound, GroupMessenger)
        claim = await self.claim(match.id, mentor[0].id, INTRO, "")
        if claim is None:
            return True
        message = people.group_introduction(
            cohort=cohort_name,
            mentor=(mentor[0].name, mentor[1]),
            mentee=(mentee[0].name, mentee[1]),
            shared=shared,
        )
        try:
            await self.outbound.send_group_dm(
                users=(mentor[1], mentee[1]),
                message=message,
                key=DeliveryKey(f"mi{match.id}", maybe_sent=claim.maybe_sent),
            )
        except DeliveryError as error:
            log.warning(
                "mentoring introduction not delivered",
                extra={"message_id": claim.message_id, "reason": error.reason},
            )
            if error.reason == DeliveryReason.FORBIDDEN:
                await self.release(claim)
                return False
            outcome.unreachable.extend([mentor[0].name, mentee[0].name])
            return True
        await self.mark_sent(claim)
        outcome.sent += 1
        return True

    async def release(self, claim: Claim) -> None:
        """Forget a claim whose message certainly never left (the platform refused it)."""
        async with self.database.unit_of_work() as work:
            await work.mentoring_pairs.release(claim.message_id)

    # -- answers -----------------------------------------------------------------------

    async def own_message(
        self, message_id: int, presser: UserRef, kind: str
    ) -> tuple[MentoringPairMessage, MentoringApplication, MentoringCohort]:
        """The message a button names, checked to be the presser's own.

        Raises:
            UserError: No such message, or it was sent to someone else.
        """
        async with self.database.unit_of_work() as work:
            row = await work.mentoring_pairs.message(message_id)
            application = await work.mentoring.application(row.application_id) if row else None
            user = await work.mentoring.chat_user(application) if application else None
            if row is None or row.kind != kind or application is None:
                raise UserError(
                    "I can't find that mentoring message any more, so nothing was recorded."
                )
            if user is None or not user.same_member(presser):
                raise UserError(
                    "That button belongs to someone else's mentoring message, so nothing was "
                    "recorded. Your own check-ins come to you as direct messages."
                )
            cohort = await work.mentoring.cohort_by_id(application.cohort_id)
            assert cohort is not None
            return row, application, cohort

    async def record_answer(
        self, message_id: int, *, answer: str, comment: str | None = None
    ) -> bool:
        """Store the first answer to a message; False when it had one already."""
        async with self.database.unit_of_work() as work:
            return await work.mentoring_pairs.record_answer(
                message_id, answer=answer, comment=comment, now=self.clock.now()
            )

    async def other_name(self, message: MentoringPairMessage) -> str:
        async with self.database.unit_of_work() as work:
            match = await work.mentoring_pairs.match(message.match_id)
            assert match is not None
            other_id = (
                match.mentee_application_id
                if match.mentor_application_id == message.application_id
                else match.mentor_application_id
            )
            other = await work.mentoring.application(other_id)
            return other.name if other else "your match"

    # -- taking part -------------------------------------------------------------------

    async def set_participation(self, member_id: int, state: str | None) -> list[str]:
        """Pause, leave or resume (``state`` None) every confirmed match of a member's
        applications; the cohorts' names."""
        now = self.clock.now()
        async with self.database.unit_of_work() as work:
            rows = await work.mentoring.member_applications(member_id)
            cohorts: list[str] = []
            for row in rows:
                cohort = await work.mentoring.cohort_by_id(row.cohort_id)
                if cohort is None or cohort.state != "matched":
                    continue
                current = await work.mentoring_pairs.participation(row.id)
                if state is None:
                    if current is not None and current.state == PAUSED:
                        await work.mentoring_pairs.remove_participation(current)
                        cohorts.append(cohort.name)
                    continue
                if current is None:
                    await work.mentoring_pairs.add_participation(row.id, state=state, now=now)
                elif current.state != LEFT:
                    current.state, current.changed_at = state, now
                else:
                    continue
                cohorts.append(cohort.name)
            return cohorts
