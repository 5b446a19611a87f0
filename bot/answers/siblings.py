"""Choosing between sibling entries: topics that share most words but one.

"Who can be a mentee" and "Becoming a mentor" share almost every word of
their questions ("who can be", "ALSC member", "requirements"), so word
coverage alone cannot tell them apart, and the wrong one states the opposite
rule. The title names what an entry is about: when the best entry's title
says "mentee" and the question says "mentor", a close entry whose title says
"mentor" is the one meant. When the question names both ("mentor vs mentee,
who has to be a member?"), or neither and they tie, both are answered.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.answers.index import Hit

#: Entries scoring within this of the best are candidates.
SIBLING_MARGIN = 0.2
#: Words sharing this many first letters are one family ("mentor", "mentee", "mentoring").
SIBLING_PREFIX = 4
#: Unnamed candidates closer than this are both answered.
NEAR_TIE = 0.03
MAX_CANDIDATES = 4


def choose(
    hits: Sequence[Hit],
    query_words: frozenset[str],
    titles: Mapping[str, frozenset[str]],
    tags: Mapping[str, frozenset[str]],
) -> list[Hit]:
    """The entry (or two sibling entries) to answer with, best first.

    Args:
        hits: Search hits, best first (at least one).
        query_words: The question's title words (see ``title_words`` in the engine).
        titles: Each entry's title words.
        tags: Each entry's tags, so only entries on one subject count as siblings.
    """
    best = hits[0]
    group = [
        hit
        for hit in hits[1:MAX_CANDIDATES]
        if hit.score >= best.score - SIBLING_MARGIN
        and tags.get(best.key, frozenset()) & tags.get(hit.key, frozenset())
    ]
    best_title = titles.get(best.key, frozenset())
    best_named = query_words & best_title
    if not group:
        return [best]
    # the question names a sibling of a word in the best entry's title ("mentee" for
    # "mentoring"): the entry whose title has the question's word is the one meant
    unnamed_title = best_title - query_words  # the question names "mentor", the title "mentee"
    rivals = [
        word
        for word in query_words - best_title
        if _sibling_word(word, unnamed_title)
        and (not best_named or _strict_sibling(word, unnamed_title))
    ]
    if rivals:
        named = [hit for hit in group if any(word in titles.get(hit.key, ()) for word in rivals)]
        if named and len(rivals) == 1:  # "mentors and mentees" names no single sibling
            return [max(named, key=lambda hit: (_title_share(hit, query_words, titles), hit.score))]
    for hit in group:
        other_named = query_words & titles.get(hit.key, frozenset())
        both = best_named and other_named and not best_named & other_named
        if both and any(_sibling_word(word, best_named) for word in other_named):
            return [best, hit]  # the question names both siblings ("mentor vs mentee")
    second = group[0]
    unnamed = not best_named and not query_words & titles.get(second.key, frozenset())
    if unnamed and best.score - second.score < NEAR_TIE:
        return [best, second]  # names neither and they tie: cover both
    return [best]


def _sibling_word(word: str, others: frozenset[str]) -> bool:
    """True when ``others`` has a sibling of ``word``: "mentee" for "mentor", not "mentoring"."""
    prefix = word[:SIBLING_PREFIX]
    return len(word) >= SIBLING_PREFIX and any(
        other.startswith(prefix) and not (other.startswith(word) or word.startswith(other))
        for other in others
    )


def _strict_sibling(word: str, others: frozenset[str]) -> bool:
    """A sibling that is no form of the other word either: "mentee" for "mentoring"."""
    return any(
        _sibling_word(word, frozenset([other])) and not other.startswith(word[:-1])
        for other in others
    )


def _title_share(
    hit: Hit, query_words: frozenset[str], titles: Mapping[str, frozenset[str]]
) -> float:
    title = titles.get(hit.key, frozenset())
    return len(query_words & title) / len(title) if title else 0.0
