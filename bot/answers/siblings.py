"""Choosing between sibling entries: topics that share most words but one.

"Who can be a mentee" and "Becoming a mentor" share almost every word of
their questions ("who can be", "ALSC member", "requirements"), so word
coverage alone cannot tell them apart, and the wrong one states the opposite
rule. The title names what an entry is about: when the best entry's title
says "mentee" and the question says "mentor", a close entry whose title says
"mentor" is the one meant, unless the best entry's title names more of the
question ("does the Friends pay *BIPOC membership* for mentees" is about the
funding). When the question names both ("mentor vs mentee,
who has to be a member?"), or neither and they tie, both are answered.

A year or round the question names ("back in 2017", "the fall 2017 round")
picks, among close siblings, the one that states it: "what sections were
added to the mentor and mentee applications in 2017?" is the history of the
program, not who may be a mentee. A year in a source note ("as the 2016 call
for applications said") says where a fact comes from, not what it is about.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from bot.answers.index import Hit

#: Entries scoring within this of the best are candidates.
SIBLING_MARGIN = 0.2
#: Words sharing this many first letters are one family ("mentor", "mentee", "mentoring").
SIBLING_PREFIX = 4
#: Unnamed candidates closer than this are both answered.
NEAR_TIE = 0.03
MAX_CANDIDATES = 4
#: A year, with the round (season) before it when there is one: "fall 2017", "2016".
_YEAR = re.compile(r"\b(?:(spring|summer|fall|autumn|winter)\s+)?((?:19|20)\d\d)\b")
#: "(as the 2016 and 2017 calls for applications said; ...)": where a fact comes from.
_SOURCE_NOTE = re.compile(r"\bas the [^.;()]*?\bsaid\b")


def named_years(folded: str) -> frozenset[str]:
    """The years and rounds a (folded) question names: {"fall 2017"} or {"2017"}."""
    return frozenset(
        f"{season} {year}" if season else year for season, year in _YEAR.findall(folded)
    )


def stated_years(texts: Iterable[str], dates: Iterable[str] = ()) -> frozenset[str]:
    """Every year and round an entry's texts state (not in source notes), and its dates' years."""
    stated: set[str] = {date[:4] for date in dates}
    for text in texts:
        folded = _SOURCE_NOTE.sub(" ", text.lower())
        for season, year in _YEAR.findall(folded):
            stated.add(year)
            if season:
                stated.add(f"{season} {year}")
    return frozenset(stated)


def choose(
    hits: Sequence[Hit],
    query_words: frozenset[str],
    titles: Mapping[str, frozenset[str]],
    tags: Mapping[str, frozenset[str]],
    *,
    asked_years: frozenset[str] = frozenset(),
    years: Mapping[str, frozenset[str]] | None = None,
) -> list[Hit]:
    """The entry (or two sibling entries) to answer with, best first.

    Args:
        hits: Search hits, best first (at least one).
        query_words: The question's title words (see ``title_words`` in the engine).
        titles: Each entry's title words.
        tags: Each entry's tags, so only entries on one subject count as siblings.
        asked_years: The years or rounds the question names (:func:`named_years`).
        years: The years and rounds each entry states (:func:`stated_years`).
    """
    best = hits[0]
    group = [
        hit
        for hit in hits[1:MAX_CANDIDATES]
        if hit.score >= best.score - SIBLING_MARGIN
        and tags.get(best.key, frozenset()) & tags.get(hit.key, frozenset())
    ]
    if asked_years and years is not None and group:
        best, group = _stating(best, group, asked_years, years)
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
            meant = max(named, key=lambda hit: (_title_share(hit, query_words, titles), hit.score))
            # "does the friends pay membership for bipoc mentees": the best title names more
            if len(query_words & titles.get(meant.key, frozenset())) >= len(best_named):
                return [meant]
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


def _stating(
    best: Hit, group: list[Hit], asked: frozenset[str], years: Mapping[str, frozenset[str]]
) -> tuple[Hit, list[Hit]]:
    """The siblings that state the year or round asked about, when only some do.

    The round is looked for first ("fall 2017"), then its year alone ("2017").
    """
    candidates = [best, *group]
    for marks in (asked, frozenset(mark[-4:] for mark in asked)):
        stating = [hit for hit in candidates if marks <= years.get(hit.key, frozenset())]
        if stating and len(stating) < len(candidates):
            return stating[0], stating[1:]
    return best, group


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
