"""Monthly check-ins and the end-of-year feedback form, as a background service.

Each pass first introduces pairs confirmed in the last week that were not
introduced yet (a cohort confirmed with ``memberbot mentoring confirm``, or a DM that
failed). Once a month (in the organisation's time zone) each person of every confirmed match
is asked "Did you meet this month?" with Met / Not yet / Need help, from the month
after the match was confirmed until its year is up; then each gets the feedback
form instead. Each message is claimed before it is sent, so a month's check-in
goes once per person however often the pass runs or how many processes run it.
People who paused or left (and the partner of someone who left) are not asked.
Staff hear of "Need help" at once, and of a person who left two check-ins in a
row unanswered when the next one goes out.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from bot.background import every
from bot.date_wording import month_and_year
from bot.mentoring import people
from bot.mentoring.pairs import CHECKIN, FEEDBACK, LEFT, Claim, PairMessages, SendOutcome
from bot.requests import UserRef
from bot.storage.models.mentoring import MentoringApplication, MentoringMatch

log = logging.getLogger(__name__)

#: Months a pair is checked on; then the feedback form.
YEAR_MONTHS = 12
PASS_INTERVAL_SECONDS = 3600.0
#: How long after confirming a pass still introduces a pair not introduced yet.
INTRODUCTION_DAYS = timedelta(days=7)
FIRST_PASS_DELAY_SECONDS = 60.0


def month_key(day: date) -> str:
    return f"{day:%Y-%m}"


def months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


class MentoringCheckins:
    """The background service: one pass an hour sends whatever this month still owes."""

    name = "mentoring check-ins"

    def __init__(
        self,
        messages: PairMessages,
        *,
        interval: float = PASS_INTERVAL_SECONDS,
        first_delay: float = FIRST_PASS_DELAY_SECONDS,
    ) -> None:
        self.messages = messages
        self.interval = interval
        self.first_delay = first_delay

    async def run(self) -> None:
        await every(
            self.interval, self.run_pass, what="mentoring check-ins", first_delay=self.first_delay
        )

    async def run_pass(self) -> SendOutcome:
        """Send this month's check-ins (or feedback forms) still owed; what went out."""
        messages = self.messages
        today = messages.clock.now().astimezone(messages.zone).date()
        outcome = SendOutcome()
        async with messages.database.unit_of_work() as work:
            matches = await work.mentoring_pairs.all_matches(status="confirmed")
        now = messages.clock.now()
        for match in matches:
            assert match.confirmed_at is not None
            if now - match.confirmed_at <= INTRODUCTION_DAYS:
                await self._introduce(match, outcome)
            age = months_between(match.confirmed_at.astimezone(messages.zone).date(), today)
            if age < 1:
                continue
            kind, period = (CHECKIN, month_key(today)) if age < YEAR_MONTHS else (FEEDBACK, "")
            await self._ask_pair(match, kind, period, today, outcome)
        if outcome.sent:
            log.info("mentoring check-ins sent", extra={"sent": outcome.sent})
        return outcome

    async def _introduce(self, match: MentoringMatch, outcome: SendOutcome) -> None:
        """Introductions not sent yet: a cohort confirmed from the command line, or a
        send that failed (each is claimed, so none goes twice)."""
        async with self.messages.database.unit_of_work() as work:
            cohort = await work.mentoring.cohort_by_id(match.cohort_id)
        assert cohort is not None
        introduced = SendOutcome()
        await self.messages.introduce_match(cohort.name, match, introduced)
        outcome.sent += introduced.sent

    async def _ask_pair(
        self, match: MentoringMatch, kind: str, period: str, today: date, outcome: SendOutcome
    ) -> None:
        messages = self.messages
        async with messages.database.unit_of_work() as work:
            rows = await work.mentoring.applications_by_id(
                [match.mentor_application_id, match.mentee_application_id]
            )
            taking_part = await work.mentoring_pairs.participation_states(rows)
            if LEFT in taking_part.values():
                return  # the match is over; staff were told when they left
            cohort = await work.mentoring.cohort_by_id(match.cohort_id)
            users = {id_: await work.mentoring.chat_user(row) for id_, row in rows.items()}
        assert cohort is not None
        pair = (match.mentor_application_id, match.mentee_application_id)
        for own_id, other_id in (pair, pair[::-1]):
            user = users[own_id]
            if own_id in taking_part or user is None or not messages.reaches(user):
                continue
            claim = await messages.claim(match.id, own_id, kind, period)
            if claim is None:
                continue
            other = rows[other_id].name
            if kind == CHECKIN:
                await self._alert_if_missed_twice(match, rows[own_id], cohort.name, period)
                sent = await messages.deliver(
                    claim,
                    user,
                    people.checkin_message(month_and_year(today), other),
                    key=f"mc{claim.message_id}",
                    actions=people.checkin_buttons(claim.message_id),
                )
            else:
                sent = await self._send_feedback(claim, user, cohort.name, other)
            outcome.sent += sent

    async def _send_feedback(self, claim: Claim, user: UserRef, cohort: str, other: str) -> bool:
        return await self.messages.deliver(
            claim,
            user,
            people.feedback_message(cohort, other),
            key=f"mf{claim.message_id}",
            actions=people.feedback_buttons(claim.message_id),
        )

    async def _alert_if_missed_twice(
        self, match: MentoringMatch, person: MentoringApplication, cohort: str, period: str
    ) -> None:
        """Staff hear when the two check-ins before this one went unanswered (once per
        run of misses: not when the one before those was missed too)."""
        async with self.messages.database.unit_of_work() as work:
            earlier = await work.mentoring_pairs.sent_before(
                match.id, person.id, kind=CHECKIN, period=period, limit=3
            )
        missed = [row.answer is None for row in earlier]
        if missed[:2] != [True, True] or missed[2:3] == [True]:
            return
        await self.messages.alert_staff(
            f"Mentoring ({cohort}): {person.name} ({person.email}) has not answered the last "
            "two monthly check-ins. You may want to get in touch.",
            key=f"mm{match.id}-{person.id}-{period}",
        )
