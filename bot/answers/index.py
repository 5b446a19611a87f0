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
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from bot.answers import text as text_rules
from bot.answers.english import is_common_word, is_derived_word
from bot.answers.text import is_light
from bot.answers.typos import TypoCorrector, sure_slip

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

LIGHT_TERM_WEIGHT = 0.3
#: A word the knowledge never uses ("printz", "parking") is evidence the question
#: is about something else, so it weighs more than a known word of the same idf.
UNKNOWN_TERM_WEIGHT = 1.5
#: An unknown word right before a naming noun ("Printz award", "AASL conference")
#: names a thing the knowledge has never heard of: the question is about that thing.
UNKNOWN_NAME_WEIGHT = 3.0
_NAMING_NOUNS = (
    "award awards medal medals prize prizes honor honors committee committees conference "
    "conferences scholarship scholarships grant grants fund funds fellowship program programs "
    "association council institute division section roundtable caucus"
)
#: Heads of the names of organisations and their parts ("the Texas Library
#: *Association*", "the *Association* of College and Research Libraries").
_ORGANISATION_HEADS = (
    "association associations society council foundation institute division chapter network "
    "alliance federation consortium guild union caucus roundtable committee committees"
)
#: Words joining a name that follows its head ("Association *of* ... *and* ...").
_NAME_JOINERS = frozenset(["of", "for", "on", "and", "the"])
#: A name of known words that no sentence of the knowledge holds together (the Public
#: Library Association) names something else: it weighs as this many unknown words.
UNKNOWN_PHRASE_WEIGHT = 3.0
#: Ordinary words that often stand before those nouns without naming anything.
_GENERIC_MODIFIERS = (
    "good best great right fun local virtual online annual upcoming next new big small main "
    "other another different first last same each every whole official general specific "
    "particular special current recent old older youth library childrens"
)
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
#: Where one sentence (or list item, title, phrasing, keyword) of the knowledge ends.
_SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)|\n")

Analyzer = Callable[[str], list[str]]


@dataclass(frozen=True)
class Document:
    """Searchable text of one knowledge item."""

    key: str
    phrasings: tuple[str, ...]
    title: str = ""
    keywords: tuple[str, ...] = ()
    body: str = ""


@dataclass(frozen=True)
class Hit:
    """A scored document: ``score`` is the confidence, ``rank`` the sort key."""

    key: str
    score: float
    coverage: float
    overlap: float
    rank: float = 0.0


@dataclass(frozen=True)
class QueryTerm:
    """One distinct query stem with its weight and idf (after typo correction)."""

    stem: str
    weight: float
    idf: float
    similarity: float = 1.0
    corrected_from: str | None = None


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
        analysed = [self._analyse_document(document) for document in documents]
        for fields in analysed:
            for stem in set().union(*(stems for group in fields.values() for stems in group)):
                doc_frequency[stem] += 1
        count = max(len(documents), 1)
        self._idf = {
            stem: math.log(1 + (count - df + 0.5) / (df + 0.5)) + IDF_SMOOTHING
            for stem, df in doc_frequency.items()
        }
        self._unknown_idf = math.log(1 + (count + 0.5) / 0.5) + IDF_SMOOTHING
        self._sentences = self._sentence_postings(documents)
        self._capitalised = _capitalised_words(documents)
        self._rare = frozenset(
            stem for stem, df in doc_frequency.items() if df <= BODY_RARE_DOCUMENTS
        )
        for number, (document, fields) in enumerate(zip(documents, analysed, strict=True)):
            self._add_postings(number, len(document.phrasings), fields)
            self._phrasings.append(self._phrasing_masses(fields))
        known = self._known_words(documents, aliases)
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
                terms.append(QueryTerm(stem, _known_weight(stem), self._idf[stem]))
                continue
            correction = self._typos.correct(stem)
            if correction is None:
                weight = _unknown_weight(stems, position, _known_weight(stem))
                terms.append(QueryTerm(stem, weight, self._unknown_idf))
            elif correction.meant is None or correction.meant in seen:
                continue  # a mistyped "the", or a word the question already has
            elif correction.meant in self._idf:
                fixed, similarity = correction.meant, correction.similarity
                seen.add(fixed)
                weight = _known_weight(fixed) * similarity
                terms.append(QueryTerm(fixed, weight, self._idf[fixed], similarity, stem))
            else:
                # a mistyped question word the knowledge never uses ("whome")
                seen.add(correction.meant)
                weight = _unknown_weight(stems, position, LIGHT_TERM_WEIGHT)
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
        """Names of organisations or committees in a question that the knowledge never holds.

        A name is a head noun ("association", "committee") with the words that
        qualify it before it ("the *Texas Library* Association") or after it ("the
        Association *of College and Research Libraries*"): words the knowledge never
        uses, or writes with a capital inside a sentence, as part of a name
        ("Public", "Library"), never a verb of the question ("may *observe* ALSC
        committee meetings"). A name is known when one sentence of the knowledge has
        all its stems ("state library associations", "the underserved children
        committee"); everyday qualifiers ("the right committee") name nothing.
        """
        tokens = text_rules.words(folded)
        names: list[str] = []
        for position, word in enumerate(tokens):
            if word not in _ORGANISATION_HEADS_SET:
                continue
            before: list[str] = []
            for earlier in reversed(tokens[max(0, position - 4) : position]):
                if not self._name_word(earlier):
                    break
                before.insert(0, earlier)
            after: list[str] = []
            if position + 2 < len(tokens) and tokens[position + 1] in ("of", "for", "on"):
                for later in tokens[position + 2 : position + 8]:
                    if later not in _NAME_JOINERS and not self._name_word(later):
                        break
                    after.append(later)
            while after and after[-1] in _NAME_JOINERS:
                after.pop()
            qualifiers = [
                item
                for item in (*before, *after)
                if item not in _NAME_JOINERS and text_rules.stem(item) not in _GENERIC_STEMS
            ]
            if not qualifiers:
                continue
            name = " ".join([*before, word, *after])
            if not self._held_together(self._analyze(name)):
                names.append(name)
        return names

    def _name_word(self, word: str) -> bool:
        """True for a word that may be part of a name: unknown, or capitalised in the knowledge."""
        if word in text_rules.STOPWORDS or word in text_rules.WH_WORDS:
            return False
        if word in self._capitalised:
            return True
        # a word the knowledge never uses, and no slip of one ("teh" is "the")
        return not self._typos.knows(word) and self._typos.correct(word) is None

    def _held_together(self, stems: Sequence[str]) -> bool:
        """True when one sentence of the knowledge has every one of these stems."""
        if not stems:
            return True
        sentences: set[int] | None = None
        for stem in set(stems):
            holding = self._sentences.get(stem, set())
            sentences = set(holding) if sentences is None else sentences & holding
            if not sentences:
                return False
        return True

    def _sentence_postings(self, documents: Sequence[Document]) -> dict[str, set[int]]:
        """Stem -> the sentences of the knowledge that use it (numbered across documents)."""
        postings: dict[str, set[int]] = defaultdict(set)
        number = 0
        for document in documents:
            texts = [*document.phrasings, document.title, *document.keywords]
            texts.extend(_SENTENCE_END.split(document.body))
            for text in texts:
                for stem in self._analyze(text):
                    postings[stem].add(number)
                number += 1
        return postings

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

    def _analyse_document(self, document: Document) -> dict[str, list[set[str]]]:
        return {
            "phrasings": [set(self._analyze(text)) for text in document.phrasings],
            "title": [set(self._analyze(document.title))],
            "keywords": [set(self._analyze(" ".join(document.keywords)))],
            "body": [set(self._analyze(document.body))],
        }

    def _add_postings(self, number: int, phrasing_count: int, fields: dict) -> None:
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
            strengths[stem] += BODY_WEIGHT + (BODY_RARE_BONUS if stem in self._rare else 0.0)
        for stem, strength in strengths.items():
            self._postings[stem].append((number, min(strength, 1.0)))

    def _phrasing_masses(self, fields: dict) -> list[tuple[frozenset[str], float]]:
        texts = [*fields["phrasings"], fields["title"][0]]
        # question words are left out: "what is X?" must not match "what is Y?" by "what"
        topical = [frozenset(stem for stem in stems if not is_light(stem)) for stems in texts]
        return [(stems, sum(self._idf[stem] for stem in stems)) for stems in topical if stems]

    def _known_words(
        self, documents: Sequence[Document], aliases: Iterable[str]
    ) -> dict[str, str | None]:
        """Every word a typo may stand for, mapped to its stem (None: a stopword).

        Known stems, the surface words behind them (typos often break the
        stemmer: "nominaton" keeps its ending) and their stems by suffix rules
        alone ("aplication" stems to "aplic", one letter from "applic", which
        the stemmer maps to "apply"), one-word synonym variants, and function
        words: a mistyped "the" is dropped, a mistyped "when" is "when".
        """
        known: dict[str, str | None] = {stem: stem for stem in self._idf}
        for alias in aliases:
            stems = self._analyze(alias)
            if len(stems) == 1 and stems[0] in self._idf and alias.isalpha():
                known.setdefault(alias, stems[0])
        for document in documents:
            text = " ".join(
                [*document.phrasings, document.title, *document.keywords, document.body]
            )
            for word in set(text_rules.words(text_rules.fold(text))):
                stemmed = text_rules.stem(word)
                if stemmed in self._idf:
                    known.setdefault(word, stemmed)
                    known.setdefault(text_rules.suffix_stem(word), stemmed)
        for word in text_rules.LIGHT_WORDS:
            known.setdefault(word, text_rules.stem(word))
        for word in text_rules.STOPWORDS:
            known.setdefault(word, None)
        return known


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

_CAPITALISED = re.compile(r"(?<=[a-z,;:)] )[A-Z][a-zA-Z]*")


def _capitalised_words(documents: Sequence[Document]) -> frozenset[str]:
    """Words the knowledge writes with a capital inside a sentence: parts of names."""
    found: set[str] = set()
    for document in documents:
        for text in (*document.phrasings, document.title, *document.keywords, document.body):
            found.update(text_rules.fold(word) for word in _CAPITALISED.findall(text))
    return frozenset(found)


_NAMING_STEMS = frozenset(text_rules.stem(word) for word in _NAMING_NOUNS.split())
_GENERIC_STEMS = frozenset(text_rules.stem(word) for word in _GENERIC_MODIFIERS.split())
_ORGANISATION_HEADS_SET = frozenset(_ORGANISATION_HEADS.split())


def _known_weight(stem: str) -> float:
    return LIGHT_TERM_WEIGHT if is_light(stem) else 1.0


def _unknown_weight(stems: Sequence[str], position: int, weight: float) -> float:
    """Weight of a query word the index does not know (and could not correct)."""
    stem = stems[position]
    if stem.isdigit():
        return LIGHT_TERM_WEIGHT  # an unknown number ("I'm 16", "how 2 apply") is rarely the topic
    following = stems[position + 1] if position + 1 < len(stems) else ""
    # a name is no everyday word: "possible" in "possible to pay for" names nothing
    if following in _NAMING_STEMS and stem not in _GENERIC_STEMS and not is_common_word(stem):
        return weight * UNKNOWN_NAME_WEIGHT
    return weight * UNKNOWN_TERM_WEIGHT
