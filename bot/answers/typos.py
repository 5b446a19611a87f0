"""Typo correction for the words an index (or the date parser) does not know.

A word the knowledge never uses is either a topic the knowledge does not
cover ("parking"), an everyday word it has no use for ("side", "stop"), or a
slip of the fingers ("mixr", "teh", "aplication"). Only the last should be
mapped onto a known word, so corrections are cautious:

- A word that is itself a common English word (see :mod:`bot.answers.english`,
  when the caller gives that test) is never taken for a content word: "shot"
  is not "short", "fee" is not "free". It may still be a mistyped function
  word ("form" for "from"), or a form of a known word the stemmer missed
  ("given" for "give", "newer" for "new").
- Words of ``general_from`` letters or more (five by default, four for the
  index) may be one edit away from a known word: a letter inserted, left out,
  changed, or two neighbours swapped (two edits when longer than ten
  letters). The first letter is kept: people rarely mistype it, and requiring
  it avoids ``refund -> fund``.
- Shorter words are corrected only for the two slips that rarely turn one
  real word into another: two letters swapped ("teh", "hwo", "cna") and one
  letter left out ("wen", "mixr", "tme"), the first letter kept except in
  two-letter words ("ot"). A three-letter content word missing its last
  letter is an acronym more often than a slip ("pla" is not "plan"), unless
  the letter is a silent e ("vot").
- Words of two or three letters may be limited to a few targets: the index
  allows stopwords and who/what/when/where/why how, plus a content word that
  is frequent in the knowledge when it is the only one the slip can stand
  for ("tme" -> "time"); too many real words are one letter short of a content
  word for anything looser ("log" is not "long").

On ties the commoner word wins: one of the ``common`` words (function words)
first, then the word found in more documents (lower idf).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

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
#: A longer word with two letters swapped or a letter doubled or single is all but
#: certainly the word meant, and counts nearly as much.
SURE_SLIP_SIMILARITY = 0.92
#: A real word with one of these endings may be a known word the stemmer missed.
_COMPARATIVE_ENDINGS = ("est", "er")


@dataclass(frozen=True)
class Correction:
    """What a typo was taken for.

    Attributes:
        meant: What the known word stands for (its stem in an index), or None
            for a word without topic (a mistyped "the" is dropped).
        similarity: In [0, 1]; a corrected term counts this much of an exact one.
        word: The known word it was taken for ("mixer" for "mixr").
    """

    meant: str | None
    similarity: float
    word: str = field(default="", compare=False)


class TypoCorrector:
    """Maps unknown words onto the known word they most likely misspell."""

    def __init__(
        self,
        known: Mapping[str, str | None],
        *,
        common: Iterable[str] = (),
        short_word_targets: Iterable[str] | None = None,
        short_content_targets: Iterable[str] = (),
        idf: Mapping[str, float] | None = None,
        real_word: Callable[[str], bool] | None = None,
        derived_word: Callable[[str], bool] | None = None,
        general_from: int = LONG_WORD,
    ) -> None:
        """Args:
        known: Every known word, mapped to what it stands for (None: no topic).
        common: Words preferred on ties (function words: the commonest in English).
        short_word_targets: The only words a two- or three-letter typo may stand
            for (default: any known word).
        short_content_targets: Other words a three-letter typo may stand for,
            when it can stand for only one of them ("tme" -> "time").
        idf: Inverse document frequency of what the words stand for; on ties the
            word found in more documents wins.
        real_word: Tells a real word (that is no typo) from a slip; a real word
            is only ever taken for one of the ``common`` words.
        derived_word: Tells a rarer form of a real word ("newer"), which may
            stand for a known word without its ending ("new").
        general_from: Words this long or longer may have any one edit.
        """
        self._known = dict(known)
        self._words = list(self._known)
        self._common = frozenset(common)
        self._short_word_targets = frozenset(
            self._known if short_word_targets is None else short_word_targets
        )
        self._short_content_targets = frozenset(short_content_targets) - self._short_word_targets
        self._idf = idf or {}
        self._real_word = real_word
        self._derived_word = derived_word
        self._general_from = general_from
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
        if self._derived_word is not None and self._derived_word(typed):
            for ending in _COMPARATIVE_ENDINGS:  # "newer" is "new" to the knowledge
                base = typed[: -len(ending)]
                meant = self._known.get(base) if typed.endswith(ending) else None
                # short adjectives take -er: "presenter" is no more "present"
                if meant is not None and SHORTEST_WORD < len(base) <= LONG_WORD:
                    return Correction(meant, len(base) / len(typed), base)
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
        if self._real_word is not None and self._real_word(typed):
            candidates = [
                item
                for item in candidates
                if self._function_target(typed, item[1]) or _inflected(typed, item[1])
            ]
        if len(typed) < SHORTEST_CONTENT_TYPO:
            candidates = self._short_candidates(candidates)
        if not candidates:
            return None
        _, word = min(candidates, key=lambda candidate: self._preference(typed, *candidate))
        similarity = DamerauLevenshtein.normalized_similarity(typed, word)
        if sure_slip(typed, word) and not _one_letter_left_out(typed, word):
            similarity = max(similarity, SURE_SLIP_SIMILARITY)  # "comittee", "mixxer", "recieve"
        return Correction(self._known[word], similarity, word)

    def _function_target(self, typed: str, word: str) -> bool:
        """Is ``word`` a function word that the real word ``typed`` may stand for?

        Only by the slips that rarely make another word: "form" is "from", but
        "left" is not "let".
        """
        short = len(typed) < SHORTEST_CONTENT_TYPO
        if word not in self._common or (short and word not in self._short_word_targets):
            return False
        return _swapped_pair(typed, word) or _one_letter_left_out(typed, word)

    def _short_candidates(self, candidates: list[tuple[int, str]]) -> list[tuple[int, str]]:
        """A short word stands for a function word, or else for its only content word."""
        function = [item for item in candidates if item[1] in self._short_word_targets]
        if function:
            return function
        meant = {self._known[word] for _, word in candidates}
        return candidates if len(meant) == 1 else []

    def _plausible(self, typed: str, word: str) -> bool:
        """Could ``word`` have been typed as ``typed`` (given they are close enough)?"""
        if len(typed) >= self._general_from:
            return typed[0] == word[0]
        if len(typed) < SHORTEST_CONTENT_TYPO and not (
            word in self._short_word_targets
            or (len(typed) > SHORTEST_WORD and word in self._short_content_targets)
        ):
            return False
        if _swapped_pair(typed, word):
            return typed[0] == word[0] or len(typed) == SHORTEST_WORD
        if word in self._short_content_targets and word[:-1] == typed and word[-1] != "e":
            return False  # "pla" is an acronym, not "plan"; "vot" is "vote"
        return _one_letter_left_out(typed, word) and typed[0] == word[0]

    def _preference(self, typed: str, distance: int, word: str) -> tuple[int, bool, bool, float]:
        """Fewest edits first; then a swapped, missing or doubled letter over a changed
        one ("tiem" is "time", not "them"); then a function word; then the commoner word.
        """
        meant = self._known[word]
        commonness = self._idf.get(meant, 0.0) if meant is not None else 0.0
        changed = len(typed) == len(word) and not _swapped_pair(typed, word)
        return distance, changed, word not in self._common, commonness


def _swapped_pair(typed: str, word: str) -> bool:
    """Two adjacent letters swapped ("teh" for "the"); the caller checked one edit."""
    return len(typed) == len(word) and Hamming.distance(typed, word) == 2


def sure_slip(typed: str, word: str) -> bool:
    """A longer word with two letters swapped, a letter doubled or single, or one left out.

    Such a word is all but certainly the one meant ("eqity", "comittee", "sttate").
    """
    if len(typed) < LONG_WORD:
        return False
    return _swapped_pair(typed, word) or _doubled(typed, word) or _one_letter_left_out(typed, word)


def _doubled(typed: str, word: str) -> bool:
    """One of two equal letters added or left out ("comittee", "mixxer")."""
    longer, shorter = (typed, word) if len(typed) > len(word) else (word, typed)
    if len(longer) != len(shorter) + 1:
        return False
    return any(
        longer[:index] + longer[index + 1 :] == shorter
        for index in range(1, len(longer))
        if longer[index - 1] == longer[index]
    )


def _inflected(typed: str, word: str) -> bool:
    """A real word that is a known word plus one letter ("given" for "give")."""
    return len(typed) >= LONG_WORD and typed[:-1] == word


def _one_letter_left_out(typed: str, word: str) -> bool:
    """``word`` with one letter removed gives ``typed`` ("mixr" for "mixer")."""
    return len(word) == len(typed) + 1
