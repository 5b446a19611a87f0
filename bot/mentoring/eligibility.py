"""Hard constraints: who may mentor, who may be mentored, and which pairs are ruled out.

These scalar checks are the reference: the solver's vectorised feasibility mask is
tested against them.
"""

from __future__ import annotations

from enum import StrEnum

from bot.mentoring.models import MAX_CAPACITY, MIN_CAPACITY, Adult, Applicant, PairRules

MENTOR_MUST_BE_MEMBER = "mentors must be members of the association"
MENTOR_NEEDS_CAPACITY = f"a mentor takes {MIN_CAPACITY} to {MAX_CAPACITY} mentees"
MENTEE_MUST_BE_ADULT = "mentees must be 18 or over, or have a parent's or guardian's permission"


class Block(StrEnum):
    """Why an otherwise eligible mentor and mentee can never be paired."""

    SELF = "yourself"
    FORBIDDEN = "a staff do-not-match"
    PAST_PAIR = "a pair from an earlier cohort"


def mentor_problem(applicant: Applicant) -> str | None:
    """Why ``applicant`` cannot mentor in this cohort, or None when they can."""
    if not applicant.offers_mentoring:
        return "did not apply as a mentor"
    if not applicant.is_member:
        return MENTOR_MUST_BE_MEMBER
    if not MIN_CAPACITY <= applicant.capacity <= MAX_CAPACITY:
        return MENTOR_NEEDS_CAPACITY
    return None


def mentee_problem(applicant: Applicant) -> str | None:
    """Why ``applicant`` cannot be mentored in this cohort, or None when they can."""
    if not applicant.wants_mentor:
        return "did not apply as a mentee"
    if applicant.adult is Adult.NO:
        return MENTEE_MUST_BE_ADULT
    return None


def pair_block(
    mentor: Applicant, mentee: Applicant, rules: PairRules, *, pinned: bool = False
) -> Block | None:
    """The hard rule that keeps two eligible people apart, or None.

    Args:
        pinned: Staff pinned the pair: that allows a repeat of an earlier pair (a
            do-not-match still wins; the pin command refuses such a pair anyway).
    """
    if mentor.id == mentee.id or mentor.email == mentee.email:
        return Block.SELF
    if rules.is_forbidden(mentor.email, mentee.email):
        return Block.FORBIDDEN
    if not pinned and rules.is_blocked_repeat(mentor.email, mentee.email):
        return Block.PAST_PAIR
    return None


def compatible(mentor: Applicant, mentee: Applicant, rules: PairRules) -> bool:
    """True when the pair satisfies every hard constraint (capacity aside)."""
    return (
        mentor_problem(mentor) is None
        and mentee_problem(mentee) is None
        and pair_block(mentor, mentee, rules) is None
    )
