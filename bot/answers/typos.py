"""Typo correction for the words an index (or the date parser) does not know.

A word the knowledge never uses is either a topic the knowledge does not
cover ("parking") or a slip of the fingers ("mixr", "teh"). Only the second
should be mapped onto a known word, so corrections are cautious:

- Words of five letters or more may be one edit away from a known word (two
  when longer than ten letters), the first letter kept: people rarely
  mistype it, and requiring it avoids ``refund -> fund``.
- Shorter words are corrected only for the two slips that rarely turn one
  real word into another: two letters swapped ("teh", "hwo", "cna") and one
  letter left out ("wen", "mixr", "aply"), the first letter kept except in
  two-letter words ("ot"). A changed or extra letter on a short word usually
  makes another real word ("bus" is not "but").
- Words of two or three letters may be limited to a few targets: the index
  allows only stopwords and who/what/when/where/why/how, since too many real
  words are one letter short of a content word ("fee" is not "free", "log"
  is not "long").

On ties the commoner word wins: one of the ``common`` words (function words)
first, then the word found in more documents (lower idf).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein, Hamming

#: Words this long or longer get the general rule; shorter ones only swaps and omissions.
LONG_WORD = 5
#: Shortest word worth correcting ("ot" -> "to").
SHORTEST_WORD = 2
#: Words shorter than this are only taken for function words.
SHORTEST_CONTENT_TYPO = 4
#: Longer words may have two edits ("distingished servise").
TWO_EDIT_LENGTH = 11
_CACHE_LIMIT = 50_000


@dataclass(frozen=True)
class Correction:
    """What a typo was taken for.

    Attributes:
        meant: What the known word stands for (its stem in an index), or None
            for a word without topic (a mistyped "the" is dropped).
        similarity: In [0, 1]; a corrected term counts this much of an exact one.
    """

    meant: str | None
    similarity: float


class TypoCorrector:
    """Maps unknown words onto the known word they most likely misspell."""

    def __init__(
        self,
        known: Mapping[str, str | None],
        *,
        common: Iterable[str] = (),
        short_word_targets: Iterable[str] | None = None,
        idf: Mapping[str, float] | None = None,
    ) -> None:
        """Args:
        known: Every known word, mapped to what it stands for (None: no topic).
        common: Words preferred on ties (function words: the commonest in English).
        short_word_targets: The only words a two- or three-letter typo may stand
            for (default: any known word).
        idf: Inverse document frequency of what the words stand for; on ties the
            word found in more documents wins.
        """
        self._known = dict(known)
        self._words = list(self._known)
        self._common = frozenset(common)
        self._short_word_targets = frozenset(
            self._known if short_word_targets is None else short_word_targets
        )
        self._idf = idf or {}
        self._cache: dict[str, Correction | None] = {}

    def knows(self, word: str) -> bool:
        """True when the word is spelled as a known word."""
        return word in self._known

    def correct(self, typed: str) -> Correction | None:
        """The word a typo most likely stands for, or None when there is no safe guess."""
        if len(typed) < SHORTEST_WORD or not typed.isalpha():
            return None
        if typed not in self._cache:
            if len(self._cache) > _CACHE_LIMIT:
                self._cache.clear()  # bounded memory on a long-running bot
            self._cache[typed] = self._find(typed)
        return self._cache[typed]

    def _find(self, typed: str) -> Correction | None:
        max_edits = 2 if len(typed) >= TWO_EDIT_LENGTH else 1
        found = process.extract(
            typed,
            self._words,
            scorer=DamerauLevenshtein.distance,
            score_cutoff=max_edits,
            limit=None,
        )
        candidates = [
            (distance, word) for word, distance, _ in found if self._plausible(typed, word)
        ]
        if not candidates:
            return None
        _, word = min(candidates, key=lambda candidate: self._preference(*candidate))
        similarity = DamerauLevenshtein.normalized_similarity(typed, word)
        return Correction(self._known[word], similarity)

    def _plausible(self, typed: str, word: str) -> bool:
        """Could ``word`` have been typed as ``typed`` (given they are close enough)?"""
        if len(typed) >= LONG_WORD:
            return typed[0] == word[0]
        if len(typed) < SHORTEST_CONTENT_TYPO and word not in self._short_word_targets:
            return False
        if _swapped_pair(typed, word):
            return typed[0] == word[0] or len(typed) == SHORTEST_WORD
        return _one_letter_left_out(typed, word) and typed[0] == word[0]

    def _preference(self, distance: int, word: str) -> tuple[int, bool, float]:
        meant = self._known[word]
        commonness = self._idf.get(meant, 0.0) if meant is not None else 0.0
        return distance, word not in self._common, commonness


def _swapped_pair(typed: str, word: str) -> bool:
    """Two adjacent letters swapped ("teh" for "the"); the caller checked one edit."""
    return len(typed) == len(word) and Hamming.distance(typed, word) == 2


def _one_letter_left_out(typed: str, word: str) -> bool:
    """``word`` with one letter removed gives ``typed`` ("mixr" for "mixer")."""
    return len(word) == len(typed) + 1
