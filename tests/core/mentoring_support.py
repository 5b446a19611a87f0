"""Builders for mentoring tests: applicants by hand, and random cohorts by seed."""

from __future__ import annotations

import itertools
import random

from bot.mentoring.models import (
    Adult,
    Applicant,
    CohortInput,
    Criteria,
    PairRules,
    PrivateAnswers,
    Role,
)

INTERESTS = ("storytime", "supervision", "resume review", "committee service", "outreach")
REGIONS = ("midwest", "northeast", "south", "west")
_ids = itertools.count(1)


def mentor(
    email: str,
    *,
    capacity: int = 1,
    region: str = "",
    interests: tuple[str, ...] = (),
    member: bool = True,
    role: Role = Role.MENTOR,
    private: PrivateAnswers | None = None,
    id: int | None = None,
) -> Applicant:
    return Applicant(
        id=id if id is not None else next(_ids),
        email=email,
        name=email.split("@")[0].title(),
        role=role,
        is_member=member,
        adult=Adult.YES,
        region=region,
        interests=interests,
        capacity=capacity,
        private=private or PrivateAnswers(),
    )


def mentee(
    email: str,
    *,
    region: str = "",
    interests: tuple[str, ...] = (),
    adult: Adult = Adult.YES,
    private: PrivateAnswers | None = None,
    id: int | None = None,
) -> Applicant:
    return Applicant(
        id=id if id is not None else next(_ids),
        email=email,
        name=email.split("@")[0].title(),
        role=Role.MENTEE,
        is_member=False,
        adult=adult,
        region=region,
        interests=interests,
        private=private or PrivateAnswers(),
    )


def random_cohort(
    rng: random.Random, *, mentees: int, mentors: int, rule_rate: float = 0.1
) -> CohortInput:
    """A cohort with every kind of hard rule in play: non-members, minors without
    permission, "both" applicants, do-not-match and past pairs."""
    people: list[Applicant] = []
    for index in range(mentors):
        people.append(
            Applicant(
                id=index + 1,
                email=f"mentor{index}@example.org",
                name=f"Mentor {index}",
                role=Role.BOTH if rng.random() < 0.2 else Role.MENTOR,
                is_member=rng.random() < 0.85,
                adult=Adult.YES,
                region=rng.choice(REGIONS),
                interests=tuple(rng.sample(INTERESTS, rng.randint(0, 3))),
                capacity=rng.randint(1, 3),
                private=PrivateAnswers(
                    gender=rng.choice([None, "woman", "man", "nonbinary"]),
                    prefer_same_gender=rng.random() < 0.3,
                ),
            )
        )
    for index in range(mentees):
        people.append(
            Applicant(
                id=1000 + index,
                email=f"mentee{index}@example.org",
                name=f"Mentee {index}",
                role=Role.MENTEE,
                is_member=False,
                adult=rng.choice([Adult.YES] * 6 + [Adult.GUARDIAN, Adult.NO]),
                region=rng.choice(REGIONS),
                interests=tuple(rng.sample(INTERESTS, rng.randint(1, 3))),
                private=PrivateAnswers(
                    gender=rng.choice([None, "woman", "man"]),
                    prefer_same_gender=rng.random() < 0.3,
                    prefer_same_region=rng.random() < 0.3,
                ),
            )
        )
    givers = [p.email for p in people if p.offers_mentoring]
    takers = [p.email for p in people if p.wants_mentor]
    pairs = [(g, t) for g in givers for t in takers if g != t]
    forbidden = frozenset(p for p in pairs if rng.random() < rule_rate)
    past = frozenset(p for p in pairs if rng.random() < rule_rate)
    weights = Criteria(
        interests=rng.choice([0.0, 1.0, 2.0]),
        region=rng.choice([0.0, 1.0]),
        preferences=rng.choice([0.0, 0.5, 1.0]),
    )
    rng.shuffle(people)
    return CohortInput(tuple(people), weights, PairRules(forbidden=forbidden, past=past))
