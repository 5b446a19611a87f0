"""Yardsticks for the solver, built only on the scalar reference rules.

- :func:`first_come_first_served`: what staff do by hand today (each mentee, in
  the order they applied, takes the best mentor who still has room);
- :func:`max_matchable`: the most mentees any matching can match (a max-flow,
  scipy's ``maximum_flow``, which shares no code with the assignment solver);
- :func:`violations`: every hard rule a result breaks (empty when none).

The benchmark and the tests compare :func:`~bot.mentoring.matching.match_cohort`
against these.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import maximum_flow

from bot.mentoring.eligibility import compatible, mentee_problem, mentor_problem
from bot.mentoring.matching import MatchResult, ProposedMatch
from bot.mentoring.models import Applicant, CohortInput
from bot.mentoring.scoring import pair_score


def _mentors_and_mentees(cohort: CohortInput) -> tuple[list[Applicant], list[Applicant]]:
    people = sorted(cohort.applicants, key=lambda a: a.id)
    mentors = [a for a in people if mentor_problem(a) is None]
    mentees = [a for a in people if mentee_problem(a) is None]
    return mentors, mentees


def first_come_first_served(cohort: CohortInput) -> list[tuple[Applicant, Applicant, float]]:
    """Greedy: mentees by application id, each taking the best-scoring mentor with room.

    Returns:
        (mentor, mentee, score) for every pair made.
    """
    mentors, mentees = _mentors_and_mentees(cohort)
    room = {mentor.id: mentor.capacity for mentor in mentors}
    pairs: list[tuple[Applicant, Applicant, float]] = []
    for mentee in mentees:
        best: tuple[float, int, Applicant] | None = None
        for mentor in mentors:
            if room[mentor.id] <= 0 or not compatible(mentor, mentee, cohort.rules):
                continue
            score = pair_score(mentor, mentee, cohort.criteria)
            if best is None or (score, -mentor.id) > (best[0], -best[1]):
                best = (score, mentor.id, mentor)
        if best is not None:
            room[best[1]] -= 1
            pairs.append((best[2], mentee, best[0]))
    return pairs


def max_matchable(cohort: CohortInput) -> int:
    """The largest number of mentees any valid matching can match (pins ignored)."""
    mentors, mentees = _mentors_and_mentees(cohort)
    if not mentors or not mentees:
        return 0
    source, sink = 0, 1 + len(mentees) + len(mentors)
    tails: list[int] = []
    heads: list[int] = []
    capacities: list[int] = []

    def edge(tail: int, head: int, capacity: int) -> None:
        tails.append(tail)
        heads.append(head)
        capacities.append(capacity)

    for row, mentee in enumerate(mentees, start=1):
        edge(source, row, 1)
        for column, mentor in enumerate(mentors, start=1 + len(mentees)):
            if compatible(mentor, mentee, cohort.rules):
                edge(row, column, 1)
    for column, mentor in enumerate(mentors, start=1 + len(mentees)):
        edge(column, sink, mentor.capacity)
    graph = csr_array(
        (np.array(capacities, dtype=np.int32), (np.array(tails), np.array(heads))),
        shape=(sink + 1, sink + 1),
    )
    return int(maximum_flow(graph, source, sink).flow_value)


def violations(cohort: CohortInput, matches: tuple[ProposedMatch, ...] | MatchResult) -> list[str]:
    """Every hard rule the matches break: eligibility, capacity, one mentor per
    mentee, self-match, do-not-match, repeats (pinned pairs may repeat)."""
    if isinstance(matches, MatchResult):
        matches = matches.matches
    problems: list[str] = []
    per_mentor: Counter[int] = Counter()
    per_mentee: Counter[int] = Counter()
    for match in matches:
        mentor, mentee = match.mentor, match.mentee
        pair = f"{mentor.email} -> {mentee.email}"
        if mentor_problem(mentor):
            problems.append(f"{pair}: mentor not eligible ({mentor_problem(mentor)})")
        if mentee_problem(mentee):
            problems.append(f"{pair}: mentee not eligible ({mentee_problem(mentee)})")
        if mentor.id == mentee.id or mentor.email == mentee.email:
            problems.append(f"{pair}: self-match")
        if cohort.rules.is_forbidden(mentor.email, mentee.email):
            problems.append(f"{pair}: do-not-match pair")
        if not match.pinned and cohort.rules.is_blocked_repeat(mentor.email, mentee.email):
            problems.append(f"{pair}: repeats an earlier cohort's pair")
        per_mentor[mentor.id] += 1
        per_mentee[mentee.id] += 1
    capacity = {a.id: a.capacity for a in cohort.applicants}
    for mentor_id, taken in per_mentor.items():
        if taken > capacity.get(mentor_id, 0):
            problems.append(f"mentor {mentor_id}: {taken} mentees, capacity {capacity[mentor_id]}")
    problems.extend(f"mentee {i}: {n} mentors" for i, n in per_mentee.items() if n > 1)
    return problems
