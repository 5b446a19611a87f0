"""Whole-cohort mentoring matching at scale, against first come, first served.

Each instance has 2,000 mentees and 600 mentors taking 1-3 mentees each (seeded
random regions, interests, private preferences, a few non-members, minors without
permission, "both" applicants, do-not-match and past pairs). For each:

- the solver (``match_cohort``), timed over several runs (median and worst);
- the greedy baseline in the same run: mentees in application order, each taking
  the best-scoring mentor who still has room (what staff do by hand);
- an independent max-flow bound on how many mentees any valid matching can match.

The "repeats" instance is a small association's fifth year: 30% of all
mentor-mentee pairs met in an earlier cohort and may not meet again.
One more row times the full service path on SQLite (load, match, store the
proposal). Exits 1 only on a correctness failure: a hard rule broken (capacity,
eligibility, self-match, do-not-match, repeat) or fewer mentees matched than the
bound; never on a time.

    .venv/bin/python bench/mentoring.py [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bot.clock import FixedClock
from bot.mentoring.baselines import first_come_first_served, max_matchable, violations
from bot.mentoring.import_csv import ApplicationInput
from bot.mentoring.matching import match_cohort
from bot.mentoring.models import (
    Adult,
    Applicant,
    CohortInput,
    Criteria,
    PairRules,
    PrivateAnswers,
    Role,
)
from bot.mentoring.service import MentoringService
from bot.storage import Database

MENTEES = 2000
MENTORS = 600
INTERESTS = (
    "storytime",
    "supervision",
    "resume review",
    "committee service",
    "early literacy",
    "outreach",
    "programming",
    "collection development",
    "advocacy",
    "stem",
    "teen services",
    "management",
)
REGIONS = ("northeast", "southeast", "midwest", "southwest", "west", "northwest", "canada")
GENDERS = (None, "woman", "man", "nonbinary")
RACES = (None, "black", "latina/o/x", "asian", "indigenous", "white", "multiracial")


def _private(rng: random.Random) -> PrivateAnswers:
    return PrivateAnswers(
        gender=rng.choice(GENDERS),
        race_ethnicity=rng.choice(RACES),
        prefer_same_region=rng.random() < 0.2,
        prefer_same_gender=rng.random() < 0.15,
        prefer_same_race_ethnicity=rng.random() < 0.15,
    )


def build_cohort(seed: int, *, past_share: float = 0.0) -> CohortInput:
    rng = random.Random(seed)
    people: list[Applicant] = []
    for index in range(MENTORS):
        people.append(
            Applicant(
                id=index + 1,
                email=f"mentor{index}@example.org",
                name=f"Mentor {index}",
                role=Role.BOTH if rng.random() < 0.05 else Role.MENTOR,
                is_member=rng.random() < 0.95,
                adult=Adult.YES,
                region=rng.choice(REGIONS),
                interests=tuple(rng.sample(INTERESTS, rng.randint(1, 4))),
                capacity=rng.randint(1, 3),
                private=_private(rng),
            )
        )
    for index in range(MENTEES):
        people.append(
            Applicant(
                id=MENTORS + index + 1,
                email=f"mentee{index}@example.org",
                name=f"Mentee {index}",
                role=Role.MENTEE,
                is_member=rng.random() < 0.5,
                adult=rng.choices([Adult.YES, Adult.GUARDIAN, Adult.NO], [94, 3, 3])[0],
                region=rng.choice(REGIONS),
                interests=tuple(rng.sample(INTERESTS, rng.randint(1, 3))),
                private=_private(rng),
            )
        )
    mentors = [p.email for p in people if p.offers_mentoring]
    mentees = [p.email for p in people if p.wants_mentor]
    forbidden = {(rng.choice(mentors), rng.choice(mentees)) for _ in range(300)}
    if past_share:
        past = {(m, e) for m in mentors for e in mentees if rng.random() < past_share}
    else:
        past = {(rng.choice(mentors), rng.choice(mentees)) for _ in range(300)}
    rng.shuffle(people)
    return CohortInput(
        tuple(people),
        Criteria(interests=2.0, region=1.0, preferences=1.0),
        PairRules(forbidden=frozenset(forbidden), past=frozenset(past)),
    )


@dataclass
class Row:
    instance: str
    bound: int
    matched: int
    greedy_matched: int
    score: float
    greedy_score: float
    median_s: float
    worst_s: float
    greedy_s: float
    problems: list[str]


def run_instance(name: str, cohort: CohortInput, runs: int) -> Row:
    timings = []
    result = None
    for _ in range(runs):
        started = time.perf_counter()
        result = match_cohort(cohort)
        timings.append(time.perf_counter() - started)
    assert result is not None
    started = time.perf_counter()
    greedy = first_come_first_served(cohort)
    greedy_s = time.perf_counter() - started
    bound = max_matchable(cohort)
    problems = violations(cohort, result)
    if len(result.matches) < bound:
        problems.append(f"matched {len(result.matches)} < max-flow bound {bound}")
    return Row(
        instance=name,
        bound=bound,
        matched=len(result.matches),
        greedy_matched=len(greedy),
        score=result.total_score,
        greedy_score=round(sum(score for *_, score in greedy), 3),
        median_s=statistics.median(timings),
        worst_s=max(timings),
        greedy_s=greedy_s,
        problems=problems,
    )


def _as_input(person: Applicant) -> ApplicationInput:
    return ApplicationInput(
        email=person.email,
        name=person.name,
        role=person.role,
        is_member=person.is_member,
        adult=person.adult,
        region=person.region,
        interests=person.interests,
        capacity=person.capacity or None,
        private=person.private,
    )


async def service_path(cohort: CohortInput) -> tuple[float, int]:
    """Seconds for ``MentoringService.preview`` on SQLite (load, match, store)."""
    with tempfile.TemporaryDirectory() as folder:
        database = Database(url=f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        try:
            await database.upgrade()
            service = MentoringService(database, FixedClock(datetime(2027, 1, 10, tzinfo=UTC)))
            await service.import_applications([_as_input(p) for p in cohort.applicants], "bench")
            started = time.perf_counter()
            result = await service.preview("bench")
            return time.perf_counter() - started, len(result.matches)
        finally:
            await database.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="solver runs per instance")
    args = parser.parse_args()
    instances = [(f"seed {seed}", build_cohort(seed)) for seed in (1, 2, 3)]
    instances.append(("repeats (seed 4)", build_cohort(4, past_share=0.3)))
    rows = [run_instance(name, cohort, args.runs) for name, cohort in instances]

    print(f"mentoring matching: {MENTEES:,} mentees x {MENTORS} mentors (capacity 1-3)")
    header = (
        f"{'instance':<18} {'bound':>6} {'matched':>8} {'greedy':>7} {'score':>9} "
        f"{'greedy':>9} {'ratio':>6} {'solve p50':>10} {'worst':>7} {'greedy s':>9}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        ratio = row.score / row.greedy_score if row.greedy_score else float("inf")
        print(
            f"{row.instance:<18} {row.bound:>6} {row.matched:>8} {row.greedy_matched:>7} "
            f"{row.score:>9.1f} {row.greedy_score:>9.1f} {ratio:>6.3f} "
            f"{row.median_s:>9.2f}s {row.worst_s:>6.2f}s {row.greedy_s:>8.2f}s"
        )
    seconds, matched = asyncio.run(service_path(instances[0][1]))
    print(
        f"service path on SQLite (load, match, store the proposal), seed 1: {seconds:.2f}s, "
        f"{matched} matches"
    )
    failures = [f"{row.instance}: {problem}" for row in rows for problem in row.problems]
    if matched != rows[0].matched:
        failures.append(f"service path matched {matched}, the solver {rows[0].matched}")
    for failure in failures:
        print(f"CORRECTNESS FAILURE {failure}", file=sys.stderr)
    lower = [row.instance for row in rows if row.score < row.greedy_score]
    print(
        "total score >= greedy on every instance"
        if not lower
        else f"total score below greedy on: {', '.join(lower)}"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
