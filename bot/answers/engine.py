"""The question-answering engine: question text in, answer text out.

Pure: no database, no network, no clock (``today`` is passed in). Every
index is built once in :class:`AnswerEngine`'s constructor, so one question
costs a few dictionary look-ups (see ``bench/qa.py`` for numbers).

Order of work for a question:

1. Calendar questions ("what's due this week?", "how many days until ...")
   are recognised by :mod:`bot.answers.date_questions` (after misspelt
   calendar and function words are put right: "whats due ths wek") and
   answered from the deadlines.
2. Anything else is searched in the entries (:mod:`bot.answers.index`); the
   best entry is answered when its score reaches the threshold, with its key
   dates (and whether they have passed) appended.
3. Below the threshold the engine abstains and names the default contact.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass

from bot.answers.calendar_answers import CalendarAnswers
from bot.answers.date_questions import CALENDAR_WORDS, parse_date_question
from bot.answers.index import CoverageIndex, Document, Hit
from bot.answers.synonyms import SynonymRewriter
from bot.answers.text import STOPWORDS, WH_WORDS, content_stems, expand_shorthand, fold
from bot.answers.typos import TypoCorrector
from bot.answers.wording import abstention, empty_question, entry_text, key_dates
from bot.knowledge.schema import Deadline, Entry, Knowledge

logger = logging.getLogger(__name__)

#: Default confidence needed to answer, tuned on tests/core/paraphrases.yaml
#: (in-scope paraphrases vs out-of-scope questions, near misses included) with
#: ``bench/qa.py --tune``: 0.44 is still the best after short-word typo
#: correction (184 of 200 in-scope paraphrases right, 80 of 89 out-of-scope
#: abstained; 0.42 is one behind, 0.46 four).
DEFAULT_THRESHOLD = 0.44
#: Below the threshold but above this share of it, the abstention suggests the entry.
SUGGESTION_SHARE = 0.7
MAX_KEY_DATES = 3
_WORD = re.compile(r"\b[a-z]+\b")


@dataclass(frozen=True)
class Answer:
    """What the engine says about one question.

    Attributes:
        answered: False when the engine abstained (the text then names a contact).
        text: Reply in neutral markup.
        sources: Ids of the entries (or, for calendar answers, deadlines) used.
        score: Confidence in [0, 1] of the best match (1.0 for calendar answers).
    """

    answered: bool
    text: str
    sources: tuple[str, ...]
    score: float


class AnswerEngine:
    """Answers members' questions from a loaded knowledge file."""

    def __init__(self, *, knowledge: Knowledge, threshold: float | None = None) -> None:
        """Build every index once.

        Args:
            knowledge: The validated knowledge file.
            threshold: Minimum confidence to answer (default :data:`DEFAULT_THRESHOLD`).
        """
        self.knowledge = knowledge
        self.threshold = DEFAULT_THRESHOLD if threshold is None else threshold
        self._zone = knowledge.organisation.zone
        self._rewriter = SynonymRewriter(knowledge.synonyms)
        self._entries = {entry.id: entry for entry in knowledge.entries}
        self._texts = {entry.id: entry_text(entry, knowledge) for entry in knowledge.entries}
        self._dates = {entry.id: knowledge.deadlines_for(entry.id) for entry in knowledge.entries}
        self._index = CoverageIndex(
            [_entry_document(e) for e in knowledge.entries],
            self.analyze,
            aliases=self._rewriter.variant_words(),
        )
        deadline_index = CoverageIndex(
            CalendarAnswers.documents(knowledge),
            self.analyze,
            aliases=self._rewriter.variant_words(),
        )
        self._calendar = CalendarAnswers(knowledge, deadline_index, self._index)
        phrasing_words = CALENDAR_WORDS | STOPWORDS | WH_WORDS
        self._calendar_speller = TypoCorrector(
            {word: word for word in phrasing_words}, common=STOPWORDS | WH_WORDS
        )

    def analyze(self, text: str) -> list[str]:
        """Question or knowledge text -> content stems (accents, synonyms, stems)."""
        return content_stems(self._rewriter.rewrite(expand_shorthand(fold(text))))

    def entry_text(self, entry_id: str) -> str:
        """Exactly what the bot answers for an entry (before any date notes).

        Raises:
            KeyError: when no entry has this id.
        """
        return self._texts[entry_id]

    def search(self, question: str, *, limit: int = 5) -> list[Hit]:
        """The best-scoring entries for a question (for diagnostics and benchmarks)."""
        return self._index.search(question, limit=limit)

    def answer(self, question: str, *, today: dt.date) -> Answer:
        """Answer a member's question.

        Args:
            question: What the member typed.
            today: Today's date in the organisation's time zone.
        """
        folded = self._respell(expand_shorthand(fold(question)))
        date_question = parse_date_question(folded, today=today)
        if date_question is not None:
            reply = self._calendar.reply(date_question, folded, today)
            if reply is not None:
                logger.debug("calendar answer (%s) for %r", date_question.kind, question)
                return Answer(True, reply.text, reply.sources, 1.0)
        stems = self.analyze(question)
        if not stems:
            return Answer(False, empty_question(self.knowledge), (), 0.0)
        hits = self._index.search_terms(self._index.query_terms(stems), limit=1)
        if not hits or hits[0].score < self.threshold:
            return self._abstain(hits[0] if hits else None, question)
        best = hits[0]
        return Answer(True, self._with_dates(best.key, today), (best.key,), best.score)

    def _respell(self, folded: str) -> str:
        """Misspelt calendar and function words put right, for the date parser's patterns.

        The search corrects typos itself; the parser reads words ("whats due ths
        wek" is "whats due this week"). Words the knowledge uses are left alone.
        """
        return _WORD.sub(self._respell_word, folded)

    def _respell_word(self, match: re.Match[str]) -> str:
        word = match.group(0)
        if self._index.knows_word(word) or self._calendar_speller.knows(word):
            return word
        correction = self._calendar_speller.correct(word)
        return correction.meant if correction is not None and correction.meant else word

    def _with_dates(self, entry_id: str, today: dt.date) -> str:
        text = self._texts[entry_id]
        dates = _relevant_dates(self._dates[entry_id], today)
        if not dates:
            return text
        return text + "\n\n" + key_dates(dates, today=today, zone=self._zone)

    def _abstain(self, best: Hit | None, question: str) -> Answer:
        score = best.score if best else 0.0
        suggestion: Entry | None = None
        if best is not None and score >= self.threshold * SUGGESTION_SHARE:
            suggestion = self._entries[best.key]
        logger.info("abstained (best %.2f) on %r", score, question)
        return Answer(False, abstention(self.knowledge, suggestion=suggestion), (), score)


def _entry_document(entry: Entry) -> Document:
    return Document(
        key=entry.id,
        phrasings=tuple(entry.questions),
        title=entry.title,
        keywords=(*entry.keywords, *entry.tags),
        body=entry.answer,
    )


def _relevant_dates(items: list[Deadline], today: dt.date) -> list[Deadline]:
    """Upcoming dates first, then the most recent passed ones, chronological order."""
    upcoming = [item for item in items if not item.has_passed(today)]
    passed = [item for item in items if item.has_passed(today)]
    chosen = (upcoming + passed[::-1])[:MAX_KEY_DATES]
    return sorted(chosen, key=lambda item: item.date)
