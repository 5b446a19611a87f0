"""Analysing knowledge entries into the weighted terms the coverage index searches.

Each document has phrasings (the ways members ask), a title, keywords and a
body. A stem found in the phrasings or the title is worth far more than one
found only in the body; a word of the answer text that at most two entries
use says what an entry is about and counts more than an incidental one.
Besides the postings, the documents give the sentences of the knowledge
(which stems one sentence holds together), the words it writes with a
capital (parts of names) and every word a typo may stand for.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from bot.answers import text as text_rules
from bot.answers.text import is_light

#: How much a term found in each field is worth (summed, capped at 1).
PHRASING_BASE = 0.55
PHRASING_SPREAD = 0.25  # extra when the term is in every phrasing, not just one
TITLE_WEIGHT = 0.45
KEYWORD_WEIGHT = 0.45
BODY_WEIGHT = 0.3
#: A word of the answer text that at most two entries use describes what the entry
#: is about (what the award honours, what the fund pays for): it counts more.
BODY_RARE_BONUS = 0.2
BODY_RARE_DOCUMENTS = 2
#: Where one sentence (or list item, title, phrasing, keyword) of the knowledge ends.
_SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)|\n")
_CAPITALISED = re.compile(r"(?<=[a-z,;:)] )[A-Z][a-zA-Z]*")

Analyzer = Callable[[str], list[str]]


@dataclass(frozen=True)
class Document:
    """Searchable text of one knowledge item."""

    key: str
    phrasings: tuple[str, ...]
    title: str = ""
    keywords: tuple[str, ...] = ()
    body: str = ""


def analyse_document(document: Document, analyze: Analyzer) -> dict[str, list[set[str]]]:
    """The stems of each field of a document (one set per phrasing)."""
    return {
        "phrasings": [set(analyze(text)) for text in document.phrasings],
        "title": [set(analyze(document.title))],
        "keywords": [set(analyze(" ".join(document.keywords)))],
        "body": [set(analyze(document.body))],
    }


def add_postings(
    postings: dict[str, list[tuple[int, float]]],
    number: int,
    phrasing_count: int,
    fields: dict,
    rare: frozenset[str],
) -> None:
    """Post each stem of document ``number`` with its field-weighted strength."""
    strengths: dict[str, float] = defaultdict(float)
    phrasing_hits: dict[str, int] = defaultdict(int)
    for stems in fields["phrasings"]:
        for stem in stems:
            phrasing_hits[stem] += 1
    for stem, hits in phrasing_hits.items():
        strengths[stem] += PHRASING_BASE + PHRASING_SPREAD * hits / max(phrasing_count, 1)
    for field, weight in (("title", TITLE_WEIGHT), ("keywords", KEYWORD_WEIGHT)):
        for stem in fields[field][0]:
            strengths[stem] += weight
    for stem in fields["body"][0]:
        strengths[stem] += BODY_WEIGHT + (BODY_RARE_BONUS if stem in rare else 0.0)
    for stem, strength in strengths.items():
        postings[stem].append((number, min(strength, 1.0)))


def phrasing_masses(fields: dict, idf: dict[str, float]) -> list[tuple[frozenset[str], float]]:
    """The topic stems of each phrasing (and the title) with their idf mass."""
    texts = [*fields["phrasings"], fields["title"][0]]
    # question words are left out: "what is X?" must not match "what is Y?" by "what"
    topical = [frozenset(stem for stem in stems if not is_light(stem)) for stems in texts]
    return [(stems, sum(idf[stem] for stem in stems)) for stems in topical if stems]


def sentence_postings(documents: Sequence[Document], analyze: Analyzer) -> dict[str, set[int]]:
    """Stem -> the sentences of the knowledge that use it (numbered across documents)."""
    postings: dict[str, set[int]] = defaultdict(set)
    number = 0
    for document in documents:
        texts = [*document.phrasings, document.title, *document.keywords]
        texts.extend(_SENTENCE_END.split(document.body))
        for text in texts:
            for stem in analyze(text):
                postings[stem].add(number)
            number += 1
    return postings


def capitalised_words(documents: Sequence[Document]) -> frozenset[str]:
    """Words the knowledge writes with a capital inside a sentence: parts of names."""
    found: set[str] = set()
    for document in documents:
        for text in (*document.phrasings, document.title, *document.keywords, document.body):
            found.update(text_rules.fold(word) for word in _CAPITALISED.findall(text))
    return frozenset(found)


def known_words(
    documents: Sequence[Document],
    aliases: Iterable[str],
    idf: dict[str, float],
    analyze: Analyzer,
) -> dict[str, str | None]:
    """Every word a typo may stand for, mapped to its stem (None: a stopword).

    Known stems, the surface words behind them (typos often break the
    stemmer: "nominaton" keeps its ending) and their stems by suffix rules
    alone ("aplication" stems to "aplic", one letter from "applic", which
    the stemmer maps to "apply"), one-word synonym variants, and function
    words: a mistyped "the" is dropped, a mistyped "when" is "when".
    """
    known: dict[str, str | None] = {stem: stem for stem in idf}
    for alias in aliases:
        stems = analyze(alias)
        if len(stems) == 1 and stems[0] in idf and alias.isalpha():
            known.setdefault(alias, stems[0])
    for document in documents:
        text = " ".join([*document.phrasings, document.title, *document.keywords, document.body])
        for word in set(text_rules.words(text_rules.fold(text))):
            stemmed = text_rules.stem(word)
            if stemmed in idf:
                known.setdefault(word, stemmed)
                known.setdefault(text_rules.suffix_stem(word), stemmed)
    for word in text_rules.LIGHT_WORDS:
        known.setdefault(word, text_rules.stem(word))
    for word in text_rules.STOPWORDS:
        known.setdefault(word, None)
    return known
