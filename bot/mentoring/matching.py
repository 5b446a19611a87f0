"""Whole-cohort matching: as many mentees matched as possible, then the best total score.

The solver is scipy's ``linear_sum_assignment`` (a Jonker-Volgenant assignment)
over mentor *slots*: a mentor who takes three mentees is three identical columns.
Every feasible pair weighs ``bonus + score`` and every infeasible one 0, with the
bonus larger than any matching's total score: so the best assignment first
matches the most mentees, then, among those, has the highest total score.
Infeasible pairs the solver had to fill a row with are dropped afterwards.

Staff-pinned pairs are fixed first (using up their mentor's capacity); the solver
matches the rest. Inputs are sorted by application id, so the same cohort always
gives the same matches.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.optimize import linear_sum_assignment

from bot.mentoring.eligibility import mentee_problem, mentor_problem, pair_block
from bot.mentoring.models import Applicant, CohortInput, PairRules, Role
from bot.mentoring.reasons import match_reasons, why_no_mentee, why_no_mentor
from bot.mentoring.scoring import pair_score, score_matrix

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ProposedMatch:
    mentor: Applicant
    mentee: Applicant
    score: float
    reasons: tuple[str, ...]
    pinned: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "mentor": self.mentor.email,
            "mentee": self.mentee.email,
            "score": self.score,
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True)
class Unmatched:
    email: str
    reason: str

    def as_json(self) -> dict[str, str]:
        return {"email": self.email, "reason": self.reason}


@dataclass(frozen=True)
class MatchResult:
    """The proposal: matches (by mentor, then mentee e-mail) and who is left, and why.

    Attributes:
        notes: For staff only: pins that could not be applied, and why.
    """

    matches: tuple[ProposedMatch, ...]
    unmatched: tuple[Unmatched, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def total_score(self) -> float:
        return round(sum(match.score for match in self.matches), 3)

    def as_json(self) -> dict[str, Any]:
        """Exactly ``{"matches": [...], "unmatched": [...]}`` (no private answer)."""
        return {
            "matches": [match.as_json() for match in self.matches],
            "unmatched": [person.as_json() for person in self.unmatched],
        }


def eligible_mentors(applicants: Sequence[Applicant]) -> list[Applicant]:
    return sorted((a for a in applicants if mentor_problem(a) is None), key=lambda a: a.id)


def eligible_mentees(applicants: Sequence[Applicant]) -> list[Applicant]:
    return sorted((a for a in applicants if mentee_problem(a) is None), key=lambda a: a.id)


def feasibility_mask(
    mentors: Sequence[Applicant], mentees: Sequence[Applicant], rules: PairRules
) -> npt.NDArray[np.bool_]:
    """[mentee, mentor] -> the pair breaks no hard rule (both already eligible)."""
    mask = np.ones((len(mentees), len(mentors)), dtype=bool)
    mentor_at = {mentor.email: column for column, mentor in enumerate(mentors)}
    mentee_at = {mentee.email: row for row, mentee in enumerate(mentees)}
    for email, row in mentee_at.items():  # no self-match ("both" applicants)
        if email in mentor_at:
            mask[row, mentor_at[email]] = False
    blocked = set(rules.forbidden) | {(b, a) for a, b in rules.forbidden}
    if not rules.allow_repeat_pairs:
        blocked |= rules.past
    for mentor_email, mentee_email in blocked:
        mentee_row, mentor_column = mentee_at.get(mentee_email), mentor_at.get(mentor_email)
        if mentee_row is not None and mentor_column is not None:
            mask[mentee_row, mentor_column] = False
    return mask


def _apply_pins(
    cohort: CohortInput, mentors: list[Applicant], capacity: dict[int, int]
) -> tuple[list[ProposedMatch], list[str]]:
    """Fix staff-pinned pairs first; a pin that breaks a hard rule becomes a note."""
    by_email = {applicant.email: applicant for applicant in cohort.applicants}
    fixed: list[ProposedMatch] = []
    notes: list[str] = []
    pinned_mentees: set[str] = set()
    for mentor_email, mentee_email in sorted(set(cohort.rules.pinned)):
        mentor, mentee = by_email.get(mentor_email), by_email.get(mentee_email)
        problem: str | None
        if mentor is None or mentee is None:
            problem = "one of them has no application in this cohort"
        else:
            problem = (
                mentor_problem(mentor)
                or mentee_problem(mentee)
                or (
                    f"that would pair {block}"
                    if (block := pair_block(mentor, mentee, cohort.rules, pinned=True))
                    else None
                )
            )
        if problem is None and mentee_email in pinned_mentees:
            problem = "the mentee is pinned to another mentor"
        if problem is None and mentor is not None and capacity.get(mentor.id, 0) <= 0:
            problem = "the mentor's capacity is used up by other pins"
        if problem is not None:
            notes.append(f"pin {mentor_email} -> {mentee_email} not applied: {problem}")
            continue
        assert mentor is not None and mentee is not None
        capacity[mentor.id] -= 1
        pinned_mentees.add(mentee_email)
        score = pair_score(mentor, mentee, cohort.criteria)
        reasons = tuple(match_reasons(mentor, mentee, pinned=True))
        fixed.append(ProposedMatch(mentor, mentee, score, reasons, pinned=True))
    return fixed, notes


def _solve(
    cohort: CohortInput,
    mentors: list[Applicant],
    mentees: list[Applicant],
    capacity: dict[int, int],
) -> list[ProposedMatch]:
    """The optimal matching of ``mentees`` into the mentors' remaining capacity."""
    if not mentors or not mentees:
        return []
    feasible = feasibility_mask(mentors, mentees, cohort.rules)
    left = np.array([capacity[mentor.id] for mentor in mentors], dtype=np.int64)
    feasible &= left[None, :] > 0
    # Rows and columns that can take part in no pair change nothing: drop them.
    rows = np.flatnonzero(feasible.any(axis=1))
    columns = np.flatnonzero(feasible.any(axis=0))
    if rows.size == 0:
        return []
    mentors = [mentors[c] for c in columns]
    mentees = [mentees[r] for r in rows]
    feasible = feasible[np.ix_(rows, columns)]
    scores = score_matrix(mentors, mentees, cohort.criteria)
    slot_mentor = np.repeat(np.arange(len(mentors)), left[columns])
    # Any matching's total score is below this, so one more pair always wins.
    bonus = cohort.criteria.max_pair_score * min(len(mentees), slot_mentor.size) + 1.0
    weights = np.where(feasible, scores + bonus, 0.0)[:, slot_mentor]
    chosen_rows, chosen_slots = linear_sum_assignment(weights, maximize=True)
    found: list[ProposedMatch] = []
    for row, slot in zip(chosen_rows.tolist(), chosen_slots.tolist(), strict=True):
        column = int(slot_mentor[slot])
        if not feasible[row, column]:
            continue  # a filler pair: this mentee is left unmatched
        mentor, mentee = mentors[column], mentees[row]
        reasons = tuple(match_reasons(mentor, mentee))
        found.append(ProposedMatch(mentor, mentee, float(scores[row, column]), reasons))
    return found


def _unmatched(
    cohort: CohortInput,
    matches: Sequence[ProposedMatch],
    mentors: Sequence[Applicant],
    mentees: Sequence[Applicant],
) -> list[Unmatched]:
    with_mentor = {match.mentee.id for match in matches}
    with_mentee = {match.mentor.id for match in matches}
    left: list[Unmatched] = []
    for person in sorted(cohort.applicants, key=lambda a: (a.email, a.id)):
        parts: list[tuple[str, str]] = []
        if person.wants_mentor and person.id not in with_mentor:
            parts.append(("as a mentee", why_no_mentor(person, mentors, cohort.rules)))
        if person.offers_mentoring and person.id not in with_mentee:
            parts.append(("as a mentor", why_no_mentee(person, mentees, cohort.rules)))
        if not parts:
            continue
        if person.role is Role.BOTH:
            reason = "; ".join(f"{role}: {text}" for role, text in parts)
        else:
            reason = parts[0][1]
        left.append(Unmatched(person.email, reason))
    return left


def match_cohort(cohort: CohortInput) -> MatchResult:
    """Match a whole cohort at once (see the module docstring for how)."""
    mentors = eligible_mentors(cohort.applicants)
    mentees = eligible_mentees(cohort.applicants)
    capacity = {mentor.id: mentor.capacity for mentor in mentors}
    fixed, notes = _apply_pins(cohort, mentors, capacity)
    pinned = {match.mentee.id for match in fixed}
    solved = _solve(cohort, mentors, [m for m in mentees if m.id not in pinned], capacity)
    matches = sorted(fixed + solved, key=lambda m: (m.mentor.email, m.mentee.email))
    unmatched = _unmatched(cohort, matches, mentors, mentees)
    log.info(
        "mentoring cohort matched",
        extra={
            "applicants": len(cohort.applicants),
            "matches": len(matches),
            "pinned": len(fixed),
            "unmatched": len(unmatched),
        },
    )
    return MatchResult(tuple(matches), tuple(unmatched), tuple(notes))


def fingerprint(cohort: CohortInput) -> str:
    """A digest of the solver's whole input: equal digests, equal matches."""
    canonical = {
        "applicants": [
            [
                a.id,
                a.email,
                a.role,
                a.is_member,
                a.adult,
                a.region,
                a.interests,
                a.capacity,
                a.private.as_dict(),
            ]
            for a in sorted(cohort.applicants, key=lambda a: a.id)
        ],
        "criteria": cohort.criteria.as_dict(),
        "pinned": sorted(cohort.rules.pinned),
        "forbidden": sorted(cohort.rules.forbidden),
        "past": sorted(cohort.rules.past),
        "allow_repeat_pairs": cohort.rules.allow_repeat_pairs,
    }
    encoded = json.dumps(canonical, sort_keys=True, ensure_ascii=True).encode()
    return hashlib.sha256(encoded).hexdigest()
