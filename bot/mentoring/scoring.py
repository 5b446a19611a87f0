"""Soft criteria: how good a mentor-mentee pair is, weighted by the cohort's criteria.

A pair scores, per criterion, a part between 0 and 1 times its weight:

- interests: the share of the mentee's interests the mentor shares;
- region: 1 when both name the same region;
- preferences: the share of the private preferences either of them stated (same
  region, same gender, same race/ethnicity) that the pair meets.

:func:`pair_score` is the reference; :func:`score_matrix` computes the same numbers
for a whole cohort at once with numpy (tested to agree).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from bot.mentoring.models import Applicant, Criteria

#: Scores are rounded so that equal pairs score exactly equal (determinism).
SCORE_DECIMALS = 3


def _same(left: str | None, right: str | None) -> bool:
    return bool(left and right and left.casefold() == right.casefold())


def shared_interests(mentor: Applicant, mentee: Applicant) -> tuple[str, ...]:
    """The mentee's interests the mentor shares, in the mentee's order."""
    offered = set(mentor.interests)
    return tuple(interest for interest in mentee.interests if interest in offered)


def same_region(mentor: Applicant, mentee: Applicant) -> bool:
    return bool(mentor.region_key) and mentor.region_key == mentee.region_key


def preference_counts(mentor: Applicant, mentee: Applicant) -> tuple[int, int]:
    """(met, stated): the private preferences both people stated, and how many hold."""
    region = same_region(mentor, mentee)
    gender = _same(mentor.private.gender, mentee.private.gender)
    race = _same(mentor.private.race_ethnicity, mentee.private.race_ethnicity)
    met = stated = 0
    for person in (mentor, mentee):
        answers = person.private
        for wanted, holds in (
            (answers.prefer_same_region, region),
            (answers.prefer_same_gender, gender),
            (answers.prefer_same_race_ethnicity, race),
        ):
            if wanted:
                stated += 1
                met += holds
    return met, stated


def pair_score(mentor: Applicant, mentee: Applicant, criteria: Criteria) -> float:
    """The weighted score of one pair (rounded to :data:`SCORE_DECIMALS`)."""
    interests = len(shared_interests(mentor, mentee)) / len(mentee.interests or (None,))
    met, stated = preference_counts(mentor, mentee)
    total = (
        criteria.interests * interests
        + criteria.region * same_region(mentor, mentee)
        + criteria.preferences * (met / stated if stated else 0.0)
    )
    # numpy's rounding, as in score_matrix, so both agree on every half-way case
    return float(np.round(total, SCORE_DECIMALS))


def _codes(values: Sequence[str | None]) -> npt.NDArray[np.int64]:
    """Equal (case-blind) non-empty values get equal codes >= 1; empty gets 0."""
    table: dict[str, int] = {}
    out = np.zeros(len(values), dtype=np.int64)
    for index, value in enumerate(values):
        key = " ".join(value.split()).casefold() if value else ""
        if key:
            out[index] = table.setdefault(key, len(table) + 1)
    return out


def _equal(
    mentor_codes: npt.NDArray[np.int64], mentee_codes: npt.NDArray[np.int64]
) -> npt.NDArray[np.bool_]:
    """[mentee, mentor] -> both non-empty and equal."""
    return (mentee_codes[:, None] == mentor_codes[None, :]) & (mentee_codes[:, None] > 0)


def score_matrix(
    mentors: Sequence[Applicant], mentees: Sequence[Applicant], criteria: Criteria
) -> npt.NDArray[np.float64]:
    """Scores of every (mentee, mentor) pair: rows are mentees, columns mentors."""
    vocabulary = {
        interest: index
        for index, interest in enumerate(
            sorted({i for person in (*mentors, *mentees) for i in person.interests})
        )
    }

    def interest_rows(people: Sequence[Applicant]) -> npt.NDArray[np.float64]:
        rows = np.zeros((len(people), max(len(vocabulary), 1)))
        for row, person in enumerate(people):
            rows[row, [vocabulary[i] for i in person.interests]] = 1.0
        return rows

    shared = interest_rows(mentees) @ interest_rows(mentors).T
    wanted = np.array([max(len(person.interests), 1) for person in mentees], dtype=np.float64)
    interests = shared / wanted[:, None]

    count = len(mentors)
    region = _codes([p.region for p in (*mentors, *mentees)])
    gender = _codes([p.private.gender for p in (*mentors, *mentees)])
    race = _codes([p.private.race_ethnicity for p in (*mentors, *mentees)])
    holds = {
        "prefer_same_region": _equal(region[:count], region[count:]),
        "prefer_same_gender": _equal(gender[:count], gender[count:]),
        "prefer_same_race_ethnicity": _equal(race[:count], race[count:]),
    }
    met = np.zeros(interests.shape)
    stated = np.zeros(interests.shape)
    for name, equal in holds.items():
        by_mentor = np.array([getattr(p.private, name) for p in mentors], dtype=np.float64)
        by_mentee = np.array([getattr(p.private, name) for p in mentees], dtype=np.float64)
        wanted_both = by_mentee[:, None] + by_mentor[None, :]
        stated += wanted_both
        met += wanted_both * equal
    preferences = np.divide(met, stated, out=np.zeros(interests.shape), where=stated > 0)
    total = (
        criteria.interests * interests
        + criteria.region * holds["prefer_same_region"]
        + criteria.preferences * preferences
    )
    return np.round(total, SCORE_DECIMALS)
