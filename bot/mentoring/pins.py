"""Staff pins: the checks a pin must pass before it is stored."""

from __future__ import annotations

from bot.errors import UserError
from bot.mentoring.eligibility import mentee_problem, mentor_problem, pair_block
from bot.mentoring.models import CohortInput


def check_pin(cohort_input: CohortInput, cohort: str, mentor_email: str, mentee_email: str) -> None:
    """Refuse a pin that breaks a hard rule or that the mentor has no room for.

    Raises:
        UserError: naming what is wrong.
    """
    people = {a.email: a for a in cohort_input.applicants}
    mentor, mentee = people.get(mentor_email), people.get(mentee_email)
    for email, person in ((mentor_email, mentor), (mentee_email, mentee)):
        if person is None:
            raise UserError(f"{email} has no application in '{cohort}'")
    assert mentor is not None and mentee is not None
    problem = mentor_problem(mentor) or mentee_problem(mentee)
    if problem:
        raise UserError(f"cannot pin {mentor_email} -> {mentee_email}: {problem}")
    block = pair_block(mentor, mentee, cohort_input.rules, pinned=True)
    if block is not None:
        raise UserError(f"cannot pin {mentor_email} -> {mentee_email}: that pairs {block}")
    pins = [p for p in cohort_input.rules.pinned if p != (mentor_email, mentee_email)]
    other = next((m for m, e in pins if e == mentee_email), None)
    if other is not None:
        raise UserError(f"{mentee_email} is already pinned to {other}; unpin that first (--remove)")
    if sum(1 for m, _e in pins if m == mentor_email) >= mentor.capacity:
        raise UserError(f"{mentor_email} takes {mentor.capacity} mentee(s) and has that many pins")
