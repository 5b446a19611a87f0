"""Field-weighted coverage index: how much of a question does a document explain?

Each document has phrasings (the ways members ask), a title, keywords and a
body. A query term found in the phrasings or the title counts far more than
one found only in the body: matching the *question* field is what makes FAQ
retrieval work, answer text is full of incidental words.

The score of a document is a number in [0, 1], so it doubles as the
confidence the engine compares with its threshold:

    query_coverage   = sum(w(t) * idf(t) * strength(t, doc)) / sum(w(t) * idf(t))
    phrasing_overlap = best share of one stored phrasing's idf mass the query covers
    score            = 0.7 * query_coverage + 0.3 * phrasing_overlap      (confidence)
    rank             = query_coverage * (0.6 + 0.4 * phrasing_overlap)   (ordering)

Ranking and confidence differ on purpose (measured on the paraphrase set):
the product ranks better, the sum separates in-scope from out-of-scope better.

Query words the index does not know are first checked for typos
(:mod:`bot.answers.typos`): "mixr" ranks as "mixer" (the doubt about it
lowers the confidence in every entry alike), a mistyped function word
("teh") is dropped and a mistyped question word ("wen") becomes one; a
common English word ("shot", "fee") is never taken for a typo. Words still
unknown keep their (high) idf in the denominator, with extra weight (more
still when they name an award, committee or conference the knowledge has
never heard of: "the Printz award", but not "possible to pay for"), so a
question about wifi passwords or flights covers little and is abstained on.

A member often describes a thing instead of naming it ("recognition for a
colleague's service to children" for the Distinguished Service Award): a word
of the answer text that at most two entries use says what an entry is about,
and counts more than an incidental one. A name made of familiar words that no
sentence of the knowledge holds together ("join the Public Library
Association") is one more unknown term, which also lowers how much
resembling a stored phrasing counts.

Every weight and floor below was chosen with ``bench/qa.py --tune`` on
tests/core/paraphrases.yaml (and checked on every question set), never tuned
on the dev or held-out sets alone.

Analysing an entry into its weighted terms lives in
:mod:`bot.answers.index_documents`, the weight of each query term in
:mod:`bot.answers.index_terms` and detecting names the knowledge never holds
in :mod:`bot.answers.index_names`.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from bot.answers import text as text_rules
from bot.answers.english import is_common_word, is_derived_word
from bot.answers.index_documents import (
    BODY_RARE_DOCUMENTS,
    Analyzer,
    Document,
    add_postings,
    analyse_document,
    capitalised_words,
    known_words,
    phrasing_masses,
    sentence_postings,
)
from bot.answers.index_names import UNKNOWN_PHRASE_WEIGHT, unknown_names
from bot.answers.index_terms import LIGHT_TERM_WEIGHT, QueryTerm, known_weight, unknown_weight
from bot.answers.typos import TypoCorrector, sure_slip

#: A question's informative mass is at least this share of one unknown word's
#: idf, so that a very short question made only of common words ("how old is
#: ALSC") cannot look fully explained by any entry that happens to use them.
MIN_QUERY_MASS_SHARE = 0.8
#: Added to every idf. In a small corpus about one association, words such as
#: "membership" occur in many entries and plain BM25 idf makes them almost free;
#: a member asking about "membership cost" still means membership.
IDF_SMOOTHING = 0.5
COVERAGE_SHARE = 0.7
RANK_COVERAGE_FLOOR = 0.6
RERANK_DEPTH = 12
#: A three-letter typo may stand for a content word found in this many entries ("tme").
SHORT_TYPO_MIN_DOCUMENTS = 3
#: Shortest word :meth:`CoverageIndex.respell` rewrites.
SHORT_TYPO_LENGTH = 3
_WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class Hit:
    """A scored document: ``score`` is the confidence, ``rank`` the sort key."""

    key: str
    score: float
    coverage: float
    overlap: float
    rank: float = 0.0


class CoverageIndex:
    """An inverted index of documents scored by field-weighted coverage."""

    def __init__(
        self,
        documents: Sequence[Document],
        analyze: Analyzer,
        *,
        aliases: Iterable[str] = (),
    ) -> None:
        """Analyse every document once; searching then only touches postings.

        Args:
            documents: What to index.
            analyze: Text -> stems (the same function is used on queries).
            aliases: Other words the analyzer maps onto indexed stems (synonym
                variants such as "mentorship"), so their misspellings are
                corrected too ("mentoship").
        """
        self._analyze = analyze
        self._author_stems: frozenset[str] | None = None
        self._keys = [document.key for document in documents]
        self._postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        self._phrasings: list[list[tuple[frozenset[str], float]]] = []
        doc_frequency: dict[str, int] = defaultdict(int)
        analysed = [analyse_document(document, analyze) for document in documents]
        for fields in analysed:
            for stem in set().union(*(stems for group in fields.values() for stems in group)):
                doc_frequency[stem] += 1
        count = max(len(documents), 1)
        self._idf = {
            stem: math.log(1 + (count - df + 0.5) / (df + 0.5)) + IDF_SMOOTHING
            for stem, df in doc_frequency.items()
        }
        self._unknown_idf = math.log(1 + (count + 0.5) / 0.5) + IDF_SMOOTHING
        self._sentences = sentence_postings(documents, analyze)
        self._capitalised = capitalised_words(documents)
        self._rare = frozenset(
            stem for stem, df in doc_frequency.items() if df <= BODY_RARE_DOCUMENTS
        )
        for number, (document, fields) in enumerate(zip(documents, analysed, strict=True)):
            add_postings(self._postings, number, len(document.phrasings), fields, self._rare)
            self._phrasings.append(phrasing_masses(fields, self._idf))
        known = known_words(documents, aliases, self._idf, analyze)
        self._typos = TypoCorrector(
            known,
            common=text_rules.STOPWORDS | text_rules.LIGHT_WORDS,
            short_word_targets=text_rules.STOPWORDS | text_rules.WH_WORDS,
            short_content_targets=[
                word
                for word, meant in known.items()
                if meant is not None and doc_frequency.get(meant, 0) >= SHORT_TYPO_MIN_DOCUMENTS
            ],
            idf=self._idf,
            real_word=is_common_word,
            derived_word=is_derived_word,
            general_from=4,
        )

    @property
    def analyze(self) -> Analyzer:
        """The text -> stems function shared by documents and queries."""
        return self._analyze

    @property
    def size(self) -> int:
        """Number of indexed documents."""
        return len(self._keys)

    def knows(self, stem: str) -> bool:
        """True when the stem occurs somewhere in the index."""
        return stem in self._idf

    def idf(self, stem: str) -> float:
        """Inverse document frequency of a known stem (that of an unknown word otherwise)."""
        return self._idf.get(stem, self._unknown_idf)

    def knows_word(self, word: str) -> bool:
        """True when a (folded) word is spelled as the knowledge, or as a function word."""
        return self._typos.knows(word)

    def respell(self, folded: str, *, sure_only: bool = False) -> str:
        """Folded text with misspelt content words written as the knowledge writes them.

        For reading the question's own words (which entry title it names:
        "the mixr" names the mixer). With ``sure_only``, for the text to search:
        only a sure slip in a word whose stem the index does not know, so that
        the word stems and meets its synonyms as the knowledge's does ("eqity,
        diversity and inclusion", "coverring", "maange"); the search corrects
        the other stems itself, counting its doubt.
        """
        if sure_only:
            return _WORD.sub(self._respell_sure_slip, folded)
        return _WORD.sub(self._respell_word, folded)

    def _respell_word(self, match: re.Match[str]) -> str:
        word = match.group(0)
        if len(word) < SHORT_TYPO_LENGTH or self._typos.knows(word):
            return word
        correction = self._typos.correct(word)
        if correction is None or correction.meant is None or not correction.word:
            return word
        return correction.word

    def _respell_sure_slip(self, match: re.Match[str]) -> str:
        word = match.group(0)
        if self._typos.knows(word) or text_rules.stem(word) in self._idf:
            return word
        respelled = self._respell_word(match)
        return respelled if sure_slip(word, respelled) else word

    def query_terms(self, stems: Sequence[str], *, text: str | None = None) -> list[QueryTerm]:
        """Distinct weighted terms for some query stems, typos corrected.

        With the (folded) ``text`` of the question, a name of known words that no
        sentence of the knowledge holds together ("how do I join the Public Library
        Association?") is one more term, unknown and weighty: the question asks about
        something the knowledge does not name, however familiar its words.
        """
        terms: list[QueryTerm] = []
        for name in self.unknown_names(text) if text else ():
            weight = UNKNOWN_PHRASE_WEIGHT
            terms.append(QueryTerm(f"<{name}>", weight, self._unknown_idf))
        seen: set[str] = set()
        for position, stem in enumerate(stems):
            if stem in seen:
                continue
            seen.add(stem)
            if stem in self._idf:
                terms.append(QueryTerm(stem, known_weight(stem), self._idf[stem]))
                continue
            correction = self._typos.correct(stem)
            if correction is None:
                weight = unknown_weight(stems, position, known_weight(stem))
                terms.append(QueryTerm(stem, weight, self._unknown_idf))
            elif correction.meant is None or correction.meant in seen:
                continue  # a mistyped "the", or a word the question already has
            elif correction.meant in self._idf:
                fixed, similarity = correction.meant, correction.similarity
                seen.add(fixed)
                weight = known_weight(fixed) * similarity
                terms.append(QueryTerm(fixed, weight, self._idf[fixed], similarity, stem))
            else:
                # a mistyped question word the knowledge never uses ("whome")
                seen.add(correction.meant)
                weight = unknown_weight(stems, position, LIGHT_TERM_WEIGHT)
                terms.append(QueryTerm(correction.meant, weight, self._unknown_idf))
        return terms

    def asking_author(self, terms: Sequence[QueryTerm], folded: str) -> list[QueryTerm]:
        """The terms of a question asking who wrote a post, its description made light.

        "Who wrote the post about the Fall 2017 round - the one adding gender and
        region to the applications?" asks for an author: the words describing the
        post say which post, not what the question is about, so they only pick
        among entries that say who wrote what.
        """
        if not (_AUTHORSHIP.search(folded) and _WRITING.search(folded)):
            return list(terms)
        if self._author_stems is None:
            self._author_stems = frozenset(self._analyze(_AUTHORSHIP_WORDS))
        described = sum(1 for term in terms if term.stem not in self._author_stems)
        # a long description weighs no more than a few words: it only says which post
        share = min(
            AUTHORSHIP_DESCRIPTION_WEIGHT, AUTHORSHIP_DESCRIPTION_BUDGET / max(described, 1)
        )
        return [
            term if term.stem in self._author_stems else replace(term, weight=term.weight * share)
            for term in terms
        ]

    def unknown_names(self, folded: str) -> list[str]:
        """Names of organisations or committees in a question that the knowledge never
        holds, read against this index (see :func:`bot.answers.index_names.unknown_names`)."""
        return unknown_names(
            folded,
            analyze=self._analyze,
            capitalised=self._capitalised,
            typos=self._typos,
            sentences=self._sentences,
        )

    def search(self, text: str, *, limit: int = 5) -> list[Hit]:
        """Best documents for a free-text query, highest score first."""
        return self.search_terms(self.query_terms(self._analyze(text)), limit=limit)

    def search_terms(self, terms: Sequence[QueryTerm], *, limit: int = 5) -> list[Hit]:
        """Best documents for already prepared query terms, highest score first.

        A corrected typo is taken for the word meant ("is the mixr free" is
        about the mixer, however the word was typed), and the doubt about it
        lowers the confidence in every entry alike, by the share of the
        question's mass that was corrected times how far it was off.
        """
        meant = [
            replace(term, weight=term.weight / term.similarity, similarity=1.0)
            if term.similarity < 1.0
            else term
            for term in terms
        ]
        total = self._total(meant)
        if total <= 0:
            return []
        accumulated = self._accumulate(meant)
        if not accumulated:
            return []
        certainty = 1.0
        if meant != list(terms):
            certainty = sum(t.weight * t.idf for t in terms) / sum(t.weight * t.idf for t in meant)
        # a name the knowledge never holds is left unexplained by every entry, however
        # closely the rest resembles a stored phrasing ("the board meetings of the PLA")
        named = sum(t.weight * t.idf for t in meant if t.stem.startswith("<"))
        certainty *= 1.0 - named / total
        depth = max(limit, RERANK_DEPTH)
        candidates = sorted(accumulated.items(), key=lambda item: item[1], reverse=True)[:depth]
        query_stems = {term.stem: term for term in meant}
        hits = [
            self._hit(number, mass / total, self._overlap(number, query_stems), certainty)
            for number, mass in candidates
        ]
        hits.sort(key=lambda hit: hit.rank, reverse=True)
        return hits[:limit]

    def _total(self, terms: Sequence[QueryTerm]) -> float:
        """The informative mass of a question (at least a share of one unknown word's)."""
        total = sum(term.weight * term.idf for term in terms)
        return max(total, MIN_QUERY_MASS_SHARE * self._unknown_idf) if total > 0 else 0.0

    def _accumulate(self, terms: Sequence[QueryTerm]) -> dict[int, float]:
        accumulated: dict[int, float] = defaultdict(float)
        for term in terms:
            mass = term.weight * term.idf
            for number, strength in self._postings.get(term.stem, ()):
                accumulated[number] += mass * strength
        return accumulated

    def _hit(self, number: int, coverage: float, overlap: float, certainty: float = 1.0) -> Hit:
        score = certainty * (COVERAGE_SHARE * coverage + (1 - COVERAGE_SHARE) * overlap)
        # Ranking lets overlap only scale coverage: a document must explain the
        # question before resembling a stored phrasing can lift it above another.
        rank = coverage * (RANK_COVERAGE_FLOOR + (1 - RANK_COVERAGE_FLOOR) * overlap)
        return Hit(self._keys[number], round(score, 4), round(coverage, 4), round(overlap, 4), rank)

    def _overlap(self, number: int, query_stems: dict[str, QueryTerm]) -> float:
        """Best share of one phrasing's topic words (question words excluded) the query has."""
        best = 0.0
        for stems, mass in self._phrasings[number]:
            matched = 0.0
            for stem in stems:
                term = query_stems.get(stem)
                if term is not None:
                    # a typo-corrected term counts a little less than an exact one
                    matched += self._idf[stem] * term.similarity
            best = max(best, matched / mass)
        return best


#: "who wrote / authored the post ...", "the author of ...": a question asking who wrote.
_AUTHORSHIP = re.compile(
    r"\bwho (?:wrote|writes|authored|penned|posted|blogged)\b|"
    r"\b(?:author|writer|blogger|byline)s? (?:of|for|on|behind)\b|"
    r"\bwho(?:'s| is| was) (?:the )?(?:author|writer|blogger)\b"
)
#: What was written: the question names a post, not a booklist or a program.
_WRITING = re.compile(r"\b(?:post|posts|blog|blogs|article|articles|piece|column|entry)\b")
#: The words of that question itself; the others describe the post.
_AUTHORSHIP_WORDS = (
    "who wrote writes write written author authored writer blogger byline post posts blog "
    "article piece entry penned"
)
#: How much a word describing the post weighs in a question asking who wrote it.
AUTHORSHIP_DESCRIPTION_WEIGHT = 0.35
#: ... and all of them together at most this many words.
AUTHORSHIP_DESCRIPTION_BUDGET = 1.0
