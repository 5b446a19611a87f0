"""The mentoring program's domain values: applicants, criteria and pair rules.

Plain frozen dataclasses, free of storage, so matching is a pure function of them.
Private answers (demographics and the preferences that use them) never appear in
a ``repr``: an applicant logged by mistake shows none of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from bot.errors import UserError


class Role(StrEnum):
    MENTOR = "mentor"
    MENTEE = "mentee"
    BOTH = "both"


class Adult(StrEnum):
    """Whether a mentee is 18 or over (yes), not (no), or has a guardian's permission."""

    YES = "yes"
    NO = "no"
    GUARDIAN = "guardian"


class CohortState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    MATCHED = "matched"


#: The demographic fields staff may ask for by name in a report.
DEMOGRAPHIC_FIELDS = (
    "gender",
    "race_ethnicity",
    "prefer_same_region",
    "prefer_same_gender",
    "prefer_same_race_ethnicity",
    "bipoc_funding_interest",
)
MIN_CAPACITY = 1
MAX_CAPACITY = 3
MAX_WEIGHT = 10.0
MAX_COHORT_NAME = 120


@dataclass(frozen=True)
class PrivateAnswers:
    """Answers only staff see; used for matching, never named in a reason."""

    gender: str | None = None
    race_ethnicity: str | None = None
    prefer_same_region: bool = False
    prefer_same_gender: bool = False
    prefer_same_race_ethnicity: bool = False
    bipoc_funding_interest: bool = False

    def __repr__(self) -> str:
        return "PrivateAnswers(<private>)"

    def is_empty(self) -> bool:
        return self == NO_PRIVATE_ANSWERS

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in DEMOGRAPHIC_FIELDS}


NO_PRIVATE_ANSWERS = PrivateAnswers()


def normalise_email(email: str) -> str:
    return email.strip().lower()


def normalise_interest(interest: str) -> str:
    """'  Resume  Review ' -> 'resume review' (interests compare case-blind)."""
    return " ".join(interest.split()).lower()


def normalise_interests(interests: Iterable[str]) -> tuple[str, ...]:
    """Distinct normalised interests, in the order first given, blanks dropped."""
    seen: dict[str, None] = {}
    for interest in interests:
        cleaned = normalise_interest(interest)
        if cleaned:
            seen.setdefault(cleaned, None)
    return tuple(seen)


def clean_cohort_name(name: str) -> str:
    """A cohort name with spaces tidied.

    Raises:
        UserError: empty or too long.
    """
    cleaned = " ".join(name.split())
    if not cleaned:
        raise UserError("a cohort needs a name, like 'Spring 2027'")
    if len(cleaned) > MAX_COHORT_NAME:
        raise UserError(f"a cohort name is at most {MAX_COHORT_NAME} characters")
    return cleaned


def clean_email(email: str) -> str:
    """A typed e-mail address, lower-cased.

    Raises:
        UserError: not an address.
    """
    cleaned = normalise_email(email)
    if "@" not in cleaned or any(c.isspace() for c in cleaned):
        raise UserError(f"'{email}' is not an e-mail address")
    return cleaned


@dataclass(frozen=True)
class Applicant:
    """One application, as matching sees it.

    Attributes:
        id: The application's id: the stable tie-break everywhere.
        capacity: Mentees this person takes as a mentor (0 when not a mentor).
    """

    id: int
    email: str
    name: str
    role: Role
    is_member: bool
    adult: Adult
    region: str = ""
    interests: tuple[str, ...] = ()
    capacity: int = 0
    private: PrivateAnswers = field(default=NO_PRIVATE_ANSWERS, repr=False, compare=False)

    @property
    def offers_mentoring(self) -> bool:
        return self.role in (Role.MENTOR, Role.BOTH)

    @property
    def wants_mentor(self) -> bool:
        return self.role in (Role.MENTEE, Role.BOTH)

    @property
    def region_key(self) -> str:
        return " ".join(self.region.split()).casefold()


@dataclass(frozen=True)
class Criteria:
    """Weights of the soft criteria (each 0 to :data:`MAX_WEIGHT`)."""

    interests: float = 1.0
    region: float = 1.0
    preferences: float = 1.0

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | None) -> Criteria:
        """Criteria from stored or typed ``{name: weight}``; unknown names are an error.

        Raises:
            UserError: an unknown criterion or a weight that is not 0 to 10.
        """
        known = {name: getattr(cls(), name) for name in ("interests", "region", "preferences")}
        for name, weight in (values or {}).items():
            if name not in known:
                raise UserError(
                    f"'{name}' is not a matching criterion; use {', '.join(sorted(known))}"
                )
            try:
                number = float(weight)
            except (TypeError, ValueError):
                raise UserError(f"the weight of {name} must be a number, not '{weight}'") from None
            if not 0 <= number <= MAX_WEIGHT:
                raise UserError(f"the weight of {name} must be between 0 and {MAX_WEIGHT:g}")
            known[name] = number
        return cls(**known)

    def as_dict(self) -> dict[str, float]:
        return {"interests": self.interests, "region": self.region, "preferences": self.preferences}

    @property
    def max_pair_score(self) -> float:
        return self.interests + self.region + self.preferences


@dataclass(frozen=True)
class PairRules:
    """Staff rules and history for one cohort, by e-mail (mentor, mentee)."""

    pinned: tuple[tuple[str, str], ...] = ()
    forbidden: frozenset[tuple[str, str]] = frozenset()
    past: frozenset[tuple[str, str]] = frozenset()
    allow_repeat_pairs: bool = False

    def is_forbidden(self, mentor_email: str, mentee_email: str) -> bool:
        """Do-not-match works both ways: neither may mentor the other."""
        return (mentor_email, mentee_email) in self.forbidden or (
            mentee_email,
            mentor_email,
        ) in self.forbidden

    def is_blocked_repeat(self, mentor_email: str, mentee_email: str) -> bool:
        return not self.allow_repeat_pairs and (mentor_email, mentee_email) in self.past


@dataclass(frozen=True)
class CohortInput:
    """Everything the solver needs for one cohort."""

    applicants: tuple[Applicant, ...]
    criteria: Criteria = Criteria()
    rules: PairRules = PairRules()
