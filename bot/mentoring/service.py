"""The mentoring program's service API: what the CLI calls, and later ``/mentoring``.

Every method is one transaction and raises :class:`~bot.errors.UserError` with a
message safe to show (staff or the member concerned) for anything it refuses.
A chat command and its forms can call the same methods: ``apply`` (a form's
submission, with the member's id), ``status``, ``my_answers`` and
``forget_private_answers`` (the member's own view and deletion), ``withdraw`` (each
by e-mail or by member id); staff: ``open_cohort``,
``close_cohort``, ``summary``, ``preview``, ``pin``, ``forbid``, ``confirm``,
``report``.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.clock import Clock, local_today
from bot.errors import UserError
from bot.mentoring import proposals
from bot.mentoring.import_csv import (
    ApplicationInput,
    parse_applications,
    parse_past_pairs,
    read_csv_file,
)
from bot.mentoring.matching import MatchResult, fingerprint, match_cohort
from bot.mentoring.models import (
    CohortState,
    Criteria,
    clean_cohort_name,
    clean_email,
    normalise_email,
)
from bot.mentoring.pins import check_pin
from bot.mentoring.reports import Report, build_report
from bot.mentoring.views import (
    ApplicationStatus,
    CohortSummary,
    ImportSummary,
    as_input,
    summarise,
)
from bot.storage import Database
from bot.storage.models.mentoring import MentoringApplication, MentoringCohort
from bot.storage.repositories.mentoring_rules import FORBID, PIN
from bot.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

#: Whose application: an e-mail (staff, the CLI) or a member's id (``members.id``, from
#: chat, where the member applied with ``apply(..., member_id=...)``).
Who = str | int


def _not_matched(cohort: MentoringCohort, doing: str) -> None:
    if cohort.state == CohortState.MATCHED:
        raise UserError(f"cohort '{cohort.name}' is already matched; {doing} no longer applies")


class MentoringService:
    """Cohorts, applications, matching and reports over one database."""

    def __init__(self, database: Database, clock: Clock, *, zone: ZoneInfo | None = None) -> None:
        """Create the service.

        Args:
            zone: The organisation's time zone: an application window's last day
                ends at midnight there (UTC when not given).
        """
        self.database = database
        self.clock = clock
        self.zone = zone or ZoneInfo("UTC")

    # -- cohorts ---------------------------------------------------------------------

    async def open_cohort(
        self,
        name: str,
        *,
        opens_on: date | None = None,
        closes_on: date | None = None,
        weights: Mapping[str, float] | None = None,
        allow_repeat_pairs: bool | None = None,
    ) -> tuple[CohortSummary, bool]:
        """Open a new cohort, or reopen/update a closed or open one.

        Returns:
            The cohort, and True when it was created.
        """
        name = clean_cohort_name(name)
        if opens_on and closes_on and closes_on < opens_on:
            raise UserError("the application window closes before it opens")
        now = self.clock.now()
        async with self.database.unit_of_work() as work:
            cohort = await work.mentoring.find_cohort(name)
            created = cohort is None
            if cohort is None:
                criteria = Criteria.from_mapping(weights)
                cohort = await work.mentoring.create_cohort(
                    name=name,
                    now=now,
                    opens_on=opens_on,
                    closes_on=closes_on,
                    criteria=criteria,
                    allow_repeat_pairs=bool(allow_repeat_pairs),
                )
            else:
                _not_matched(cohort, "reopening it")
                merged = {**cohort.criteria, **(weights or {})}
                cohort.criteria = Criteria.from_mapping(merged).as_dict()
                cohort.opens_on = opens_on or cohort.opens_on
                cohort.closes_on = closes_on or cohort.closes_on
                if allow_repeat_pairs is not None:
                    cohort.allow_repeat_pairs = allow_repeat_pairs
                cohort.state = CohortState.OPEN.value
                cohort.updated_at = now
            log.info("mentoring cohort opened", extra={"cohort": name, "new_cohort": created})
            return await summarise(work, cohort), created

    async def close_cohort(self, name: str) -> CohortSummary:
        async with self.database.unit_of_work() as work:
            cohort = await work.mentoring.require_cohort(name)
            _not_matched(cohort, "closing it")
            cohort.state = CohortState.CLOSED.value
            cohort.updated_at = self.clock.now()
            log.info("mentoring cohort closed", extra={"cohort": name})
            return await summarise(work, cohort)

    async def summary(self, name: str) -> CohortSummary:
        async with self.database.unit_of_work() as work:
            return await summarise(work, await work.mentoring.require_cohort(name))

    async def cohorts(self) -> list[CohortSummary]:
        async with self.database.unit_of_work() as work:
            return [await summarise(work, c) for c in await work.mentoring.list_cohorts()]

    # -- applications ----------------------------------------------------------------

    async def apply(
        self, cohort_name: str, application: ApplicationInput, *, member_id: int | None = None
    ) -> bool:
        """A member's application (new, or an edit); True when new.

        Raises:
            UserError: the cohort is not open, or its window has closed.
        """
        now = self.clock.now()
        async with self.database.unit_of_work() as work:
            cohort = await work.mentoring.require_cohort(cohort_name)
            if cohort.state != CohortState.OPEN:
                raise UserError(f"cohort '{cohort.name}' is not taking applications")
            if cohort.closes_on and local_today(self.clock, self.zone) > cohort.closes_on:
                raise UserError(
                    f"applications to '{cohort.name}' closed on {cohort.closes_on:%Y-%m-%d}"
                )
            created = await work.mentoring.save_application(
                cohort, application, now=now, member_id=member_id
            )
            log.info("mentoring application saved", extra={"cohort": cohort.name, "new": created})
            return created

    async def import_csv(self, path: Path, cohort_name: str) -> ImportSummary:
        """Import a CSV of applications, creating the cohort if needed: all or nothing.

        Raises:
            CsvImportError: bad rows (each with its line); nothing was stored.
            UserError: unreadable file, or the cohort is already matched.
        """
        rows = parse_applications(read_csv_file(path))
        return await self.import_applications([app for _line, app in rows], cohort_name)

    async def import_applications(
        self, applications: Sequence[ApplicationInput], cohort_name: str
    ) -> ImportSummary:
        name = clean_cohort_name(cohort_name)
        now = self.clock.now()
        async with self.database.unit_of_work() as work:  # one transaction: all or nothing
            cohort = await work.mentoring.find_cohort(name)
            created_cohort = cohort is None
            if cohort is None:
                cohort = await work.mentoring.create_cohort(name=name, now=now)
            _not_matched(cohort, "importing applications")
            outcome: Counter[bool] = Counter()
            for application in applications:
                outcome[await work.mentoring.save_application(cohort, application, now=now)] += 1
            log.info(
                "mentoring applications imported",
                extra={"cohort": name, "added": outcome[True], "updated": outcome[False]},
            )
            return ImportSummary(name, created_cohort, outcome[True], outcome[False])

    async def import_past_pairs(self, path: Path) -> tuple[int, int]:
        """Record pairs from rounds run before (CSV ``mentor,mentee,cohort``), so
        matching does not repeat them: all or nothing.

        Returns:
            (pairs new, pairs already recorded).

        Raises:
            CsvImportError: bad rows (each with its line); nothing was stored.
        """
        pairs = [pair for _line, pair in parse_past_pairs(read_csv_file(path))]
        async with self.database.unit_of_work() as work:
            added = await work.mentoring_rules.add_past_pairs(pairs, now=self.clock.now())
        log.info("mentoring past pairs imported", extra={"added": added})
        return added, len(set(pairs)) - added

    async def status(self, cohort_name: str, who: Who) -> ApplicationStatus:
        """The member's own application (their private answers appear only as a flag)."""
        async with self.database.unit_of_work() as work:
            cohort, row = await self._application(work, cohort_name, who)
            private = await work.mentoring.private_answers(row)
            confirmed = await work.mentoring_pairs.matches(cohort, status=proposals.CONFIRMED)
            emails = {r.id: r.email for r in await work.mentoring.applications(cohort)}
            partners = tuple(
                emails[m.mentee_application_id]
                if m.mentor_application_id == row.id
                else emails[m.mentor_application_id]
                for m in confirmed
                if row.id in (m.mentor_application_id, m.mentee_application_id)
            )
            return ApplicationStatus(
                cohort=cohort.name,
                cohort_state=CohortState(cohort.state),
                application=as_input(row, None),
                has_private_answers=private is not None,
                matched_with=partners,
            )

    async def my_answers(self, cohort_name: str, who: Who) -> ApplicationInput:
        """Everything the member told the program, private answers included: show it
        to that member only (never in a channel)."""
        async with self.database.unit_of_work() as work:
            _cohort, row = await self._application(work, cohort_name, who)
            return as_input(row, await work.mentoring.private_answers(row))

    async def forget_private_answers(self, cohort_name: str, who: Who) -> bool:
        """Delete the member's private answers (any time); True when there were some."""
        async with self.database.unit_of_work() as work:
            cohort, row = await self._application(work, cohort_name, who)
            deleted = await work.mentoring.delete_private_answers(row)
            log.info("mentoring private answers deleted", extra={"cohort": cohort.name})
            return deleted

    async def withdraw(self, cohort_name: str, who: Who) -> None:
        """Remove an application while its cohort is open."""
        async with self.database.unit_of_work() as work:
            cohort, row = await self._application(work, cohort_name, who)
            if cohort.state != CohortState.OPEN:
                raise UserError(
                    f"cohort '{cohort.name}' is closed; ask staff to take you out of it"
                )
            await work.mentoring.delete_application(row)
            log.info("mentoring application withdrawn", extra={"cohort": cohort.name})

    async def _application(
        self, work: UnitOfWork, cohort_name: str, who: Who
    ) -> tuple[MentoringCohort, MentoringApplication]:
        cohort = await work.mentoring.require_cohort(cohort_name)
        if isinstance(who, int):
            row = await work.mentoring.find_member_application(cohort, who)
            if row is None:
                raise UserError(f"you have no application in '{cohort.name}'")
            return cohort, row
        row = await work.mentoring.find_application(cohort, clean_email(who))
        if row is None:
            raise UserError(f"{normalise_email(who)} has no application in '{cohort.name}'")
        return cohort, row

    # -- matching --------------------------------------------------------------------

    async def preview(self, cohort_name: str) -> MatchResult:
        """Match the whole cohort and store it as the proposal staff review."""
        async with self.database.unit_of_work() as work:
            cohort = await work.mentoring.require_cohort(cohort_name)
            _not_matched(cohort, "a new preview")
            cohort_input = await work.mentoring.cohort_input(cohort)
            result = match_cohort(cohort_input)
            await work.mentoring_pairs.store_proposal(
                cohort, result, digest=fingerprint(cohort_input), now=self.clock.now()
            )
            return result

    async def pin(
        self, cohort_name: str, mentor: str, mentee: str, *, remove: bool = False
    ) -> bool:
        """Pin a pair (matched first, whatever the scores); ``remove`` unpins it.

        Raises:
            UserError: the pair breaks a hard rule, or the mentor's pins fill them up.
        """
        mentor, mentee = clean_email(mentor), clean_email(mentee)
        async with self.database.unit_of_work() as work:
            cohort = await work.mentoring.require_cohort(cohort_name)
            _not_matched(cohort, "pinning")
            if not remove:
                check_pin(await work.mentoring.cohort_input(cohort), cohort.name, mentor, mentee)
            return await work.mentoring_rules.set_rule(
                cohort,
                kind=PIN,
                mentor_email=mentor,
                mentee_email=mentee,
                now=self.clock.now(),
                remove=remove,
            )

    async def forbid(
        self, cohort_name: str, first: str, second: str, *, remove: bool = False
    ) -> tuple[bool, bool]:
        """Never match these two (either way round); ``remove`` lifts the rule.

        Returns:
            (the rule changed, a pin of the same pair was removed).
        """
        first, second = clean_email(first), clean_email(second)
        if first == second:
            raise UserError("a do-not-match needs two different people")
        now = self.clock.now()
        async with self.database.unit_of_work() as work:
            cohort = await work.mentoring.require_cohort(cohort_name)
            _not_matched(cohort, "a do-not-match")
            changed = await work.mentoring_rules.set_rule(
                cohort,
                kind=FORBID,
                mentor_email=first,
                mentee_email=second,
                now=now,
                remove=remove,
            )
            unpinned = False
            if not remove:
                for mentor, mentee in ((first, second), (second, first)):
                    unpinned |= await work.mentoring_rules.set_rule(
                        cohort,
                        kind=PIN,
                        mentor_email=mentor,
                        mentee_email=mentee,
                        now=now,
                        remove=True,
                    )
            return changed, unpinned

    async def confirm(self, cohort_name: str) -> int:
        """Record the reviewed proposal as the cohort's matches (nothing is sent here).

        Raises:
            UserError: the cohort is still open, has no preview, or changed since.
        """
        async with self.database.unit_of_work() as work:
            cohort = await work.mentoring.require_cohort(cohort_name)
            _not_matched(cohort, "confirming again")
            if cohort.state == CohortState.OPEN:
                raise UserError(
                    f"close cohort '{cohort.name}' before confirming, so no application "
                    "changes under the matches"
                )
            if cohort.proposal_fingerprint is None:
                raise UserError(f"preview the matches of '{cohort.name}' first (match)")
            digest = fingerprint(await work.mentoring.cohort_input(cohort))
            if digest != cohort.proposal_fingerprint:
                raise UserError(
                    "applications, pins or do-not-match rules changed since the last preview; "
                    "run match again and review it"
                )
            confirmed = await work.mentoring_pairs.confirm_proposal(cohort, now=self.clock.now())
            log.info(
                "mentoring matches confirmed", extra={"cohort": cohort.name, "matches": confirmed}
            )
            return confirmed

    # -- reports ---------------------------------------------------------------------

    async def report(self, cohort_name: str, *, include: Iterable[str] = ()) -> Report:
        """Applicants and matches; private answers only for the fields named."""
        async with self.database.unit_of_work() as work:
            cohort = await work.mentoring.require_cohort(cohort_name)
            report = await build_report(work, cohort, include=tuple(include))
            if report.demographic_fields:
                log.info(
                    "mentoring report with private answers",
                    extra={"cohort": cohort.name, "fields": ",".join(report.demographic_fields)},
                )
            return report
