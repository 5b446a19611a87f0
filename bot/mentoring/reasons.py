"""Member-safe reasons: why a pair was matched, and why someone was not.

Reasons name shared interests and a shared region (answers on the application
itself) and never a private answer: a met private preference raises a pair's
score, but no reason says so.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from bot.mentoring.eligibility import Block, mentee_problem, mentor_problem, pair_block
from bot.mentoring.models import Applicant, PairRules
from bot.mentoring.scoring import same_region, shared_interests
from bot.replies import counted

PINNED = "paired by staff"
NO_COMMON_GROUND = "no shared interests or region: the best mentor with room left"


def match_reasons(mentor: Applicant, mentee: Applicant, *, pinned: bool = False) -> list[str]:
    """Why this pair, in words both people may read."""
    reasons = [PINNED] if pinned else []
    shared = shared_interests(mentor, mentee)
    if shared:
        reasons.append("shared interests: " + ", ".join(shared))
    if same_region(mentor, mentee):
        reasons.append(f"same region: {mentee.region.strip()}")
    return reasons or [NO_COMMON_GROUND]


def _ruled_out(blocks: Counter[Block]) -> str:
    parts = [
        f"{counted(blocks[block], 'is', 'are')} {block}"
        if block is Block.SELF
        else f"{blocks[block]} by {block}"
        for block in Block
        if blocks[block]
    ]
    return ", ".join(parts)


def why_no_mentor(mentee: Applicant, mentors: Sequence[Applicant], rules: PairRules) -> str:
    """Why ``mentee`` got no mentor in a matching that matched as many as possible.

    Args:
        mentors: Every eligible mentor of the cohort.
    """
    problem = mentee_problem(mentee)
    if problem:
        return f"not eligible as a mentee: {problem}"
    if not mentors:
        return "no eligible mentor applied to this cohort"
    blocks: Counter[Block] = Counter()
    possible: list[Applicant] = []
    for mentor in mentors:
        block = pair_block(mentor, mentee, rules)
        if block is None:
            possible.append(mentor)
        else:
            blocks[block] += 1
    if not possible:
        return f"every eligible mentor is ruled out for you ({_ruled_out(blocks)})"
    wanted = set(mentee.interests)
    by_interest = sum(1 for mentor in possible if not wanted.isdisjoint(mentor.interests))
    by_region = sum(1 for mentor in possible if same_region(mentor, mentee))
    if len(possible) == 1:
        full = "the one mentor you could be paired with is full"
    else:
        full = f"all {len(possible)} mentors you could be paired with are full"
    if not by_interest and not by_region:
        return f"no mentor with capacity in your region or interests: {full}"
    return (
        f"{full} ({by_interest} sharing your interests, {by_region} your region); "
        "more mentors are needed"
    )


def why_no_mentee(mentor: Applicant, mentees: Sequence[Applicant], rules: PairRules) -> str:
    """Why ``mentor`` got no mentee in a matching that matched as many as possible.

    Args:
        mentees: Every eligible mentee of the cohort.
    """
    problem = mentor_problem(mentor)
    if problem:
        return f"not eligible as a mentor: {problem}"
    if not mentees:
        return "no eligible mentee applied to this cohort"
    blocks: Counter[Block] = Counter()
    possible = 0
    for mentee in mentees:
        block = pair_block(mentor, mentee, rules)
        if block is None:
            possible += 1
        else:
            blocks[block] += 1
    if not possible:
        return f"every eligible mentee is ruled out for you ({_ruled_out(blocks)})"
    return (
        f"the {counted(possible, 'mentee')} you could be paired with "
        f"{'has' if possible == 1 else 'have'} a mentor already"
    )
