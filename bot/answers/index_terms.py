"""The weight of each query term: known, light, unknown, or naming something unknown.

A word the knowledge never uses is evidence the question is about something
else, so it weighs more than a known word of the same idf, and more still
when it names an award, committee or conference ("the Printz award", but not
"possible to pay for"). Question words weigh little.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.answers.english import is_common_word
from bot.answers.index_names import GENERIC_STEMS, NAMING_STEMS
from bot.answers.text import is_light

LIGHT_TERM_WEIGHT = 0.3
#: A word the knowledge never uses ("printz", "parking") is evidence the question
#: is about something else, so it weighs more than a known word of the same idf.
UNKNOWN_TERM_WEIGHT = 1.5
#: An unknown word right before a naming noun ("Printz award", "AASL conference")
#: names a thing the knowledge has never heard of: the question is about that thing.
UNKNOWN_NAME_WEIGHT = 3.0


@dataclass(frozen=True)
class QueryTerm:
    """One distinct query stem with its weight and idf (after typo correction)."""

    stem: str
    weight: float
    idf: float
    similarity: float = 1.0
    corrected_from: str | None = None


def known_weight(stem: str) -> float:
    """Weight of a query stem the index knows (a question word weighs little)."""
    return LIGHT_TERM_WEIGHT if is_light(stem) else 1.0


def unknown_weight(stems: Sequence[str], position: int, weight: float) -> float:
    """Weight of a query word the index does not know (and could not correct)."""
    stem = stems[position]
    if stem.isdigit():
        return LIGHT_TERM_WEIGHT  # an unknown number ("I'm 16", "how 2 apply") is rarely the topic
    following = stems[position + 1] if position + 1 < len(stems) else ""
    # a name is no everyday word: "possible" in "possible to pay for" names nothing
    if following in NAMING_STEMS and stem not in GENERIC_STEMS and not is_common_word(stem):
        return weight * UNKNOWN_NAME_WEIGHT
    return weight * UNKNOWN_TERM_WEIGHT
