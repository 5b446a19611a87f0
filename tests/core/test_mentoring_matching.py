"""Whole-cohort matching on hand-built cases with a known optimum, and its hard rules."""

from __future__ import annotations

import json
import random

from bot.mentoring.baselines import first_come_first_served, max_matchable, violations
from bot.mentoring.matching import match_cohort
from bot.mentoring.models import Adult, CohortInput, Criteria, PairRules, PrivateAnswers, Role
from bot.mentoring.scoring import pair_score, score_matrix
from tests.core.mentoring_support import mentee, mentor, random_cohort

NO_PREFERENCES = Criteria(interests=1.0, region=1.0, preferences=0.0)


def _pairs(cohort: CohortInput) -> set[tuple[str, str]]:
    return {(m.mentor.email, m.mentee.email) for m in match_cohort(cohort).matches}


def test_a_mentee_whose_only_mentor_is_another_mentees_first_choice_is_still_matched() -> None:
    # ann applied first and likes mo best; bo can only be mentored by mo (a do-not-match
    # with lu). First come, first served gives mo to ann and leaves bo alone.
    mo = mentor("mo@x.org", region="midwest", interests=("storytime",))
    lu = mentor("lu@x.org", region="west", interests=("outreach",))
    ann = mentee("ann@x.org", region="midwest", interests=("storytime",))
    bo = mentee("bo@x.org", region="west", interests=("outreach",))
    rules = PairRules(forbidden=frozenset({("lu@x.org", "bo@x.org")}))
    cohort = CohortInput((mo, lu, ann, bo), NO_PREFERENCES, rules)

    greedy = first_come_first_served(cohort)
    assert [(m.email, e.email) for m, e, _ in greedy] == [("mo@x.org", "ann@x.org")]
    assert _pairs(cohort) == {("lu@x.org", "ann@x.org"), ("mo@x.org", "bo@x.org")}


def test_the_best_total_score_beats_each_mentee_taking_their_best() -> None:
    # ann: mo scores 2, lu 1; bo: mo scores 2, lu 0. Greedy total 2, optimum 3.
    mo = mentor("mo@x.org", region="a", interests=("storytime", "supervision"))
    lu = mentor("lu@x.org", region="b", interests=("storytime",))
    ann = mentee("ann@x.org", region="a", interests=("storytime",))
    bo = mentee("bo@x.org", region="a", interests=("supervision",))
    cohort = CohortInput((mo, lu, ann, bo), NO_PREFERENCES)

    assert sum(score for *_, score in first_come_first_served(cohort)) == 2.0
    result = match_cohort(cohort)
    assert {(m.mentor.email, m.mentee.email) for m in result.matches} == {
        ("lu@x.org", "ann@x.org"),
        ("mo@x.org", "bo@x.org"),
    }
    assert result.total_score == 3.0


def test_more_mentees_matched_wins_over_a_higher_score() -> None:
    # ann with mo scores 2, and alone that is the best score; but bo can only have mo,
    # so the optimum gives ann the 0-score lu and matches both.
    mo = mentor("mo@x.org", region="a", interests=("storytime",))
    lu = mentor("lu@x.org", region="b")
    ann = mentee("ann@x.org", region="a", interests=("storytime",))
    bo = mentee("bo@x.org", region="c")
    rules = PairRules(forbidden=frozenset({("lu@x.org", "bo@x.org")}))
    result = match_cohort(CohortInput((mo, lu, ann, bo), NO_PREFERENCES, rules))
    assert len(result.matches) == 2
    assert result.total_score == 0.0


def test_capacity_is_never_exceeded_and_the_reason_says_mentors_are_full() -> None:
    mo = mentor("mo@x.org", capacity=2, region="midwest", interests=("storytime",))
    mentees = [mentee(f"e{i}@x.org", region="west", interests=("outreach",)) for i in range(3)]
    result = match_cohort(CohortInput((mo, *mentees)))
    assert len(result.matches) == 2
    assert [u.reason for u in result.unmatched] == [
        "no mentor with capacity in your region or interests: "
        "the one mentor you could be paired with is full"
    ]


def test_the_reason_counts_full_mentors_who_share_interests_or_region() -> None:
    mo = mentor("mo@x.org", region="midwest", interests=("storytime",))
    lu = mentor("lu@x.org", region="west")
    people = [mentee(f"e{i}@x.org", region="midwest", interests=("storytime",)) for i in range(3)]
    (left,) = match_cohort(CohortInput((mo, lu, *people))).unmatched
    assert left.reason == (
        "all 2 mentors you could be paired with are full (1 sharing your interests, "
        "1 your region); more mentors are needed"
    )


def test_eligibility_mentors_must_be_members_mentees_adults_or_with_permission() -> None:
    outsider = mentor("out@x.org", member=False, capacity=3)
    member = mentor("mem@x.org", capacity=3)
    minor = mentee("minor@x.org", adult=Adult.NO)
    permitted = mentee("kid@x.org", adult=Adult.GUARDIAN)
    adult = mentee("adult@x.org")
    result = match_cohort(CohortInput((outsider, member, minor, permitted, adult)))
    assert _pairs(CohortInput((outsider, member, minor, permitted, adult))) == {
        ("mem@x.org", "kid@x.org"),
        ("mem@x.org", "adult@x.org"),
    }
    reasons = {u.email: u.reason for u in result.unmatched}
    assert reasons == {
        "minor@x.org": "not eligible as a mentee: mentees must be 18 or over, "
        "or have a parent's or guardian's permission",
        "out@x.org": "not eligible as a mentor: mentors must be members of the association",
    }


def test_a_both_applicant_never_mentors_themselves() -> None:
    both = mentor("both@x.org", role=Role.BOTH, capacity=2, interests=("storytime",))
    result = match_cohort(CohortInput((both,)))
    assert result.matches == ()
    assert result.unmatched[0].reason == (
        "as a mentee: every eligible mentor is ruled out for you (1 is yourself); "
        "as a mentor: every eligible mentee is ruled out for you (1 is yourself)"
    )


def test_do_not_match_works_both_ways() -> None:
    a = mentor("a@x.org", role=Role.BOTH)
    b = mentor("b@x.org", role=Role.BOTH)
    rules = PairRules(forbidden=frozenset({("a@x.org", "b@x.org")}))
    assert _pairs(CohortInput((a, b), rules=rules)) == set()
    assert len(_pairs(CohortInput((a, b)))) == 2


def test_an_earlier_cohorts_pair_is_not_repeated_unless_allowed_or_pinned() -> None:
    mo, ann = mentor("mo@x.org"), mentee("ann@x.org")
    past = frozenset({("mo@x.org", "ann@x.org")})
    blocked = match_cohort(CohortInput((mo, ann), rules=PairRules(past=past)))
    assert blocked.matches == ()
    assert "a pair from an earlier cohort" in blocked.unmatched[0].reason
    allowed = PairRules(past=past, allow_repeat_pairs=True)
    assert _pairs(CohortInput((mo, ann), rules=allowed)) == {("mo@x.org", "ann@x.org")}
    pinned = PairRules(past=past, pinned=(("mo@x.org", "ann@x.org"),))
    assert _pairs(CohortInput((mo, ann), rules=pinned)) == {("mo@x.org", "ann@x.org")}


def test_a_pinned_pair_is_kept_even_against_the_best_score() -> None:
    mo = mentor("mo@x.org", region="a", interests=("storytime",))
    lu = mentor("lu@x.org", region="b")
    ann = mentee("ann@x.org", region="a", interests=("storytime",))
    bo = mentee("bo@x.org", region="a", interests=("storytime",))
    rules = PairRules(pinned=(("lu@x.org", "ann@x.org"),))
    result = match_cohort(CohortInput((mo, lu, ann, bo), NO_PREFERENCES, rules))
    pinned = [m for m in result.matches if m.pinned]
    assert [(m.mentor.email, m.mentee.email) for m in pinned] == [("lu@x.org", "ann@x.org")]
    assert pinned[0].reasons[0] == "paired by staff"
    assert _pairs(CohortInput((mo, lu, ann, bo), NO_PREFERENCES, rules)) == {
        ("lu@x.org", "ann@x.org"),
        ("mo@x.org", "bo@x.org"),
    }


def test_a_pin_that_breaks_a_hard_rule_is_not_applied_and_noted() -> None:
    mo, ann = mentor("mo@x.org", member=False), mentee("ann@x.org")
    rules = PairRules(pinned=(("mo@x.org", "ann@x.org"),))
    result = match_cohort(CohortInput((mo, ann), rules=rules))
    assert result.matches == ()
    assert result.notes == (
        "pin mo@x.org -> ann@x.org not applied: mentors must be members of the association",
    )


def test_the_same_cohort_in_any_order_gives_the_same_matches() -> None:
    cohort = random_cohort(random.Random(11), mentees=40, mentors=15)
    first = json.dumps(match_cohort(cohort).as_json())
    for seed in range(3):
        people = list(cohort.applicants)
        random.Random(seed).shuffle(people)
        shuffled = CohortInput(tuple(people), cohort.criteria, cohort.rules)
        assert json.dumps(match_cohort(shuffled).as_json()) == first


def test_the_json_has_exactly_the_documented_shape() -> None:
    mo, ann, bo = mentor("mo@x.org"), mentee("ann@x.org"), mentee("bo@x.org")
    payload = match_cohort(CohortInput((mo, ann, bo))).as_json()
    assert set(payload) == {"matches", "unmatched"}
    assert [set(m) for m in payload["matches"]] == [{"mentor", "mentee", "score", "reasons"}]
    assert [set(u) for u in payload["unmatched"]] == [{"email", "reason"}]
    assert isinstance(payload["matches"][0]["score"], float)


def test_the_vectorised_scores_equal_the_reference_scores() -> None:
    cohort = random_cohort(random.Random(5), mentees=60, mentors=25)
    mentors = [a for a in cohort.applicants if a.offers_mentoring]
    mentees = [a for a in cohort.applicants if a.wants_mentor]
    matrix = score_matrix(mentors, mentees, Criteria(interests=2, region=1, preferences=1.5))
    for row, taker in enumerate(mentees):
        for column, giver in enumerate(mentors):
            expected = pair_score(giver, taker, Criteria(interests=2, region=1, preferences=1.5))
            assert matrix[row, column] == expected


def test_a_met_private_preference_raises_the_score() -> None:
    woman = PrivateAnswers(gender="woman", prefer_same_gender=True)
    mo = mentor("mo@x.org", private=PrivateAnswers(gender="woman"))
    lu = mentor("lu@x.org", private=PrivateAnswers(gender="man"))
    ann = mentee("ann@x.org", private=woman)
    assert pair_score(mo, ann, Criteria()) == 1.0
    assert pair_score(lu, ann, Criteria()) == 0.0
    assert _pairs(CohortInput((lu, mo, ann))) == {("mo@x.org", "ann@x.org")}


def _brute_force_best(cohort: CohortInput) -> tuple[int, float]:
    """(most pairs, best total score among those) by trying every assignment."""
    from bot.mentoring.eligibility import compatible

    givers = [a for a in cohort.applicants if a.offers_mentoring]
    takers = sorted((a for a in cohort.applicants if a.wants_mentor), key=lambda a: a.id)
    room = {g.id: g.capacity for g in givers}
    best = (0, 0.0)

    def search(index: int, count: int, total: float) -> None:
        nonlocal best
        if index == len(takers):
            best = max(best, (count, round(total, 3)))
            return
        search(index + 1, count, total)
        for giver in givers:
            if room[giver.id] and compatible(giver, takers[index], cohort.rules):
                room[giver.id] -= 1
                score = pair_score(giver, takers[index], cohort.criteria)
                search(index + 1, count + 1, total + score)
                room[giver.id] += 1

    search(0, 0, 0.0)
    return best


def test_small_random_cohorts_reach_the_brute_force_optimum() -> None:
    rng = random.Random(2026)
    for _ in range(80):
        cohort = random_cohort(rng, mentees=rng.randint(1, 6), mentors=rng.randint(1, 3))
        result = match_cohort(cohort)
        assert violations(cohort, result) == []
        count, score = _brute_force_best(cohort)
        assert len(result.matches) == count
        assert abs(result.total_score - score) < 1e-6


def test_random_cohorts_match_as_many_as_max_flow_and_never_break_a_rule() -> None:
    rng = random.Random(15)
    for _ in range(60):
        cohort = random_cohort(
            rng, mentees=rng.randint(5, 60), mentors=rng.randint(1, 25), rule_rate=0.2
        )
        result = match_cohort(cohort)
        assert violations(cohort, result) == []
        assert len(result.matches) == max_matchable(cohort)
        greedy = first_come_first_served(cohort)
        assert len(result.matches) >= len(greedy)
        if len(result.matches) == len(greedy):
            assert result.total_score >= round(sum(s for *_, s in greedy), 3) - 1e-6
        matched = {m.mentee.id for m in result.matches} | {m.mentor.id for m in result.matches}
        listed = {u.email for u in result.unmatched}
        for person in cohort.applicants:  # everyone is matched or has a reason
            assert person.id in matched or person.email in listed
