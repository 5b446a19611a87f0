"""The question-answering engine: question text in, answer text out.

Pure: no database, no network, no clock (``today`` is passed in). Every
index is built once in :class:`AnswerEngine`'s constructor, so one question
costs a few dictionary look-ups (see ``bench/qa.py`` for numbers).

Order of work for a message:

1. Small talk ("hi", "thanks!", "what can you do?", "are you a bot?") gets a
   short friendly reply (:mod:`bot.answers.small_talk`), never an entry.
2. A message asking two things is split and each part answered
   (:mod:`bot.answers.compound`).
3. Calendar questions ("what's due this week?", "anything in October?") are
   recognised by :mod:`bot.answers.date_questions` (after misspelt calendar
   and function words are put right) and answered from the deadlines.
4. Anything else is searched in the entries (:mod:`bot.answers.index`);
   among close sibling entries the one the question names wins
   (:mod:`bot.answers.siblings`). Below the threshold the engine abstains.
5. The chosen entry answers only when it holds the kind of fact asked for
   (an amount, a date, a time, a link, ...: :mod:`bot.answers.fact_kinds` and
   :mod:`bot.answers.fact_checks`); a
   specific question gets the paragraph that answers it, and a stated premise
   is confirmed or corrected (:mod:`bot.answers.compose`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
from collections.abc import Callable

from bot.answers import fact_kinds, premise, premise_frames, premise_verdict, siblings, small_talk
from bot.answers.answer import Answer
from bot.answers.calendar_answers import CalendarAnswers
from bot.answers.comparisons import Comparisons
from bot.answers.compose import Composed, Question, compose
from bot.answers.compound import as_typed, asks, split_message
from bot.answers.context import unwrapped
from bot.answers.date_questions import CALENDAR_WORDS, parse_date_question
from bot.answers.index import CoverageIndex, Hit
from bot.answers.index_documents import Document
from bot.answers.parts import answer_parts
from bot.answers.scope import Scope
from bot.answers.synonyms import SynonymRewriter
from bot.answers.text import (
    STOPWORDS,
    WH_WORDS,
    content_stems,
    expand_shorthand,
    fold,
    is_light,
    stem,
    words,
)
from bot.answers.typos import TypoCorrector
from bot.answers.wording import (
    abstention,
    contact_phrase,
    empty_question,
    entry_text,
    without_deadlines,
)
from bot.knowledge.schema import Entry, Knowledge

logger = logging.getLogger(__name__)

#: Default confidence needed to answer, tuned on tests/core/paraphrases.yaml
#: (in-scope paraphrases vs out-of-scope questions, near misses included) with
#: ``bench/qa.py --tune``.
DEFAULT_THRESHOLD = 0.44
#: Below the threshold but above this share of it, the abstention suggests the entry.
SUGGESTION_SHARE = 0.7
#: A close entry on the same subject may answer when the best one lacks the fact asked for.
FACT_MARGIN = 0.25
#: Facts precise enough to look for in a close entry (a number, a date, a length):
#: "funded" in a nearby entry does not say what mentors are paid.
_NUMERIC_FACTS = frozenset({"count", "date", "day", "origin", "time", "duration"})
#: A topic word counts as the question's subject when its idf is this close to the rarest one's.
TOPIC_IDF_SHARE = 0.75
_WORD = re.compile(r"\b[a-z]+\b")
#: Title words that say nothing about which sibling is meant.
_TITLE_FILLER_TEXT = """
    becoming become about how what who ways way the a an and or of to for in on at with
    alsc ala program
"""
_TITLE_FILLER = frozenset(_TITLE_FILLER_TEXT.split())
_YES_NO = re.compile(
    r"^\W*(is|are|do|does|did|can|could|should|will|would|has|have|was|were|am|must|may)\b"
)
_OPEN_QUESTION = re.compile(
    r"\b(tell me (more )?about|more about|what is|what are|explain|describe)\b"
)


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
        self._rewriter = SynonymRewriter(knowledge.synonyms)
        self._entries = {entry.id: entry for entry in knowledge.entries}
        self._texts = {entry.id: entry_text(entry, knowledge) for entry in knowledge.entries}
        self._dates = {entry.id: knowledge.deadlines_for(entry.id) for entry in knowledge.entries}
        self._titles = {entry.id: self.title_words(entry.title) for entry in knowledge.entries}
        self._tags = {entry.id: frozenset(entry.tags) for entry in knowledge.entries}
        self._years = {
            entry.id: siblings.stated_years(
                [entry.title, *entry.questions, *entry.keywords, entry.answer],
                [item.date.isoformat() for item in self._dates[entry.id]],
            )
            for entry in knowledge.entries
        }
        self._about = {
            entry.id: frozenset(
                self.analyze(" ".join([entry.title, *entry.questions, *entry.keywords]))
            )
            for entry in knowledge.entries
        }
        self._index = CoverageIndex(
            [_entry_document(e, knowledge) for e in knowledge.entries],
            self.analyze,
            aliases=self._rewriter.variant_words(),
        )
        deadline_index = CoverageIndex(
            CalendarAnswers.documents(knowledge),
            self.analyze,
            aliases=self._rewriter.variant_words(),
        )
        self._calendar = CalendarAnswers(knowledge, deadline_index, self._index)
        self._comparisons = Comparisons(  # "which comes first, A or B?"
            knowledge,
            lambda topic, today: self._calendar.topic_deadlines(topic, today, said=topic),
            self.analyze,
        )
        phrasing_words = CALENDAR_WORDS | STOPWORDS | WH_WORDS
        self._calendar_speller = TypoCorrector(
            {word: word for word in phrasing_words}, common=STOPWORDS | WH_WORDS
        )
        self._scope = Scope(
            [
                text
                for entry in knowledge.entries
                for text in (entry.title, *entry.questions, *entry.keywords, self._texts[entry.id])
            ],
            self.analyze,
            lambda word: any(
                self._index.knows(term.stem) for term in self._index.query_terms(self.analyze(word))
            ),
        )

    def analyze(self, text: str) -> list[str]:
        """Question or knowledge text -> content stems (accents, synonyms, stems)."""
        return content_stems(self._rewriter.rewrite(expand_shorthand(fold(text))))

    def _stems_of(self, text: str) -> set[str]:
        return set(self.analyze(text))

    def title_words(self, text: str) -> frozenset[str]:
        """Words naming a topic (synonyms applied, plurals singular, filler dropped)."""
        rewritten = self._rewriter.rewrite(expand_shorthand(fold(text)))
        return frozenset(
            _singular(word)
            for word in words(rewritten)
            if word not in STOPWORDS and word not in _TITLE_FILLER and not is_light(stem(word))
        )

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
        """Answer a member's message.

        Args:
            question: What the member typed.
            today: Today's date in the organisation's time zone.
        """
        cleaned = as_typed(question)  # the member's capitals kept, for headings
        # only a message that is nothing but small talk gets the small-talk reply: a
        # greeting never hides the question after it ("Good afternoon. I should like to know")
        talk = small_talk.recognise(cleaned.lower(), asks=asks)
        if talk is not None:
            logger.debug("small talk (%s): %r", talk.kind, question)
            return Answer(True, self._small_talk(talk), (), 1.0, "small_talk")
        cleaned = small_talk.without_pleasantries(cleaned, asks)
        folded = cleaned.lower()
        talk = small_talk.recognise(folded, asks=asks)  # "hey, how do I use this thing?"
        if talk is not None:
            return Answer(True, self._small_talk(talk), (), 1.0, "small_talk")
        compared = self._comparisons.answer(folded, today)
        if compared is not None:
            text, sources, answered = compared
            return Answer(answered, text, sources, 1.0, "calendar" if answered else "missing_fact")
        parts = split_message(cleaned)
        one = len(parts) == 1 and not parts[0].aside  # "(like her job)" is tried without
        if one or premise_frames.whole_message(folded):  # "X. Is that true?" is one
            return self._answer_one(unwrapped(folded), today)  # "I'd like to know when ..."
        return answer_parts(
            parts,
            lambda text, asked: self._answer_one(text, today, asked=asked),
            self.analyze,
            self._source_title,
            self._index.knows,
        )

    def _source_title(self, source: str) -> str:
        """What an answer's source is about: an entry's title, or a date's."""
        entry = self._entries.get(source)
        deadline = None if entry else self.knowledge.deadline(source)
        return entry.title if entry else (deadline.title if deadline else "")

    def _small_talk(self, talk: small_talk.SmallTalk) -> str:
        contact = self.knowledge.default_contact()
        name = contact.name + (f", {contact.email}" if contact.email else "")
        return small_talk.reply(talk, organisation=self.knowledge.organisation.name, contact=name)

    def _answer_one(self, folded: str, today: dt.date, asked: str | None = None) -> Answer:
        """One question; ``asked`` is the part whose fact is wanted when context was borrowed."""
        respelled = self._respell(expand_shorthand(folded))
        date_question = parse_date_question(respelled, today=today)
        if date_question is not None:
            reply = self._calendar.reply(date_question, respelled, today)
            if reply is not None and self._untimed(respelled, reply.sources):
                return self._calendar_without_time(reply.text, reply.sources)
            if reply is not None:
                logger.debug("calendar answer (%s) for %r", date_question.kind, folded)
                stated = premise_frames.recognise(folded)
                text = reply.text
                if stated is not None:
                    judged = premise_verdict.verdict(stated, text, stems_of=self._stems_of)
                    text = premise.opened(judged, text)
                return Answer(True, text, reply.sources, 1.0, "calendar")
        stated = premise_frames.recognise(folded)
        # "I heard mentors don't need to be members, true?": search the statement itself
        searched = self._index.respell(stated.searchable if stated else folded, sure_only=True)
        searched = fact_kinds.searched_words(searched)  # "how long does it go for": a length
        stems = self.analyze(searched) or self.analyze(folded)
        if not stems:
            return Answer(False, empty_question(self.knowledge), (), 0.0, "abstained")
        if self._scope.outside(folded) is not None:  # "does PLA have a mentoring program?"
            return self._abstain(None, folded)
        terms = self._index.query_terms(stems, text=searched)
        terms = self._index.asking_author(terms, folded)  # "who wrote the post about X"
        hits = self._index.search_terms(terms, limit=siblings.MAX_CANDIDATES)
        if stated is not None and (not hits or hits[0].score < self.threshold):
            # "Marlowe's mentor was Paula Harris": the stated value may be the wrong word
            hits = self._premise_subject_hits(stated) or hits
        if not hits or hits[0].score < self.threshold:
            return self._abstain(hits[0] if hits else None, folded)
        named = self.title_words(self._index.respell(folded))  # "the mixr" names the mixer
        chosen = siblings.choose(
            hits,
            named,
            self._titles,
            self._tags,
            asked_years=siblings.named_years(folded),
            years=self._years,
        )
        # "how much is the membership prce": the kind of fact asked is read from the words meant
        question = self._question(self._index.respell(respelled), stems, asked=asked)
        composed = [(hit, self._compose(hit.key, question, today)) for hit in chosen]
        answered = [(hit, result) for hit, result in composed if result.answered]
        if not answered and question.fact is not None and question.fact.kind in _NUMERIC_FACTS:
            # the entry holding the fact may rank just below the first few candidates
            wider = self._index.search_terms(
                self._index.query_terms(stems), limit=2 * siblings.MAX_CANDIDATES
            )
            answered = self._close_entry_with_the_fact(wider, chosen, question, today)
        if not answered:
            hit, result = composed[0]
            kind = question.fact.kind if question.fact else "-"
            logger.info("fact missing kind=%s entry=%s question=%r", kind, hit.key, folded)
            return Answer(False, result.text, (hit.key,), hit.score, "missing_fact")
        if len(answered) == 1:
            hit, result = answered[0]
            return Answer(True, result.text, (hit.key,), hit.score)
        text = "\n\n".join(
            f"**{self._entries[hit.key].title.rstrip('.')}**\n{result.text}"
            for hit, result in answered
        )
        return Answer(True, text, tuple(hit.key for hit, _ in answered), answered[0][0].score)

    def _premise_subject_hits(self, stated: premise_frames.Premise) -> list[Hit]:
        """The search for a premise without a stated value the knowledge never uses."""

        def unknown(word: str) -> bool:
            return any(not self._index.knows(item) for item in self.analyze(word))

        subject = stated.without_unknown_value(unknown)
        stems = self.analyze(subject) if subject else []
        if not stems:
            return []
        return self._index.search_terms(
            self._index.query_terms(stems), limit=siblings.MAX_CANDIDATES
        )

    def _untimed(self, folded: str, sources: tuple[str, ...]) -> bool:
        """True when a question asks the time of day and none of these dates has one."""
        fact = fact_kinds.fact_kind(folded)
        if fact is None or fact.kind != "time" or not sources:
            return False
        items = [self.knowledge.deadline(source) for source in sources]
        return all(item is not None and item.time is None for item in items)

    def _calendar_without_time(self, text: str, sources: tuple[str, ...]) -> Answer:
        contact = self.knowledge.default_contact()
        reply = (
            "I'm sorry, I don't know the time of day for that: only the date is in what I "
            f"know.\n\n{text}\n\nFor the time, please ask {contact_phrase(contact)}."
        )
        return Answer(False, reply, sources, 1.0, "missing_fact")

    def _question(self, folded: str, stems: list[str], asked: str | None = None) -> Question:
        fact = fact_kinds.fact_kind(self._respell(expand_shorthand(asked)) if asked else folded)
        stated = premise_frames.recognise(folded)
        if fact is None and stated is not None:  # "the program is 6 months, right?": a length
            fact = fact_kinds.stated_kind(stated.statement)
        trigger = set(self.analyze(fact.trigger)) if fact else set()
        topic_stems = [
            item
            for item in dict.fromkeys(stems)
            if item not in trigger and not is_light(item) and self._index.knows(item)
        ]
        rarest = max((self._index.idf(item) for item in topic_stems), default=0.0)
        topic = frozenset(
            item for item in topic_stems if self._index.idf(item) >= TOPIC_IDF_SHARE * rarest
        )
        query = set(stems)

        def relevance(sentence: str) -> float:
            return sum(self._index.idf(item) for item in set(self.analyze(sentence)) & query)

        return Question(
            folded=folded,
            asked=asked or folded,
            fact=fact,
            premise=stated,
            topic=topic,
            counted=self._counted(folded, stems, fact),
            relevance=relevance,
            stem=lambda word: (self.analyze(word) or [""])[0],
            stems_of=lambda text: set(self.analyze(text)),
            wants_detail=fact is not None and not _OPEN_QUESTION.search(folded),
        )

    def _close_entry_with_the_fact(
        self, hits: list[Hit], chosen: list[Hit], question: Question, today: dt.date
    ) -> list[tuple[Hit, Composed]]:
        """A close sibling that holds the fact asked for, when the best entry does not.

        "How many people applied to be mentees?" matches the mentee rules best, but the
        count is in the entry about mentors: on the same subject and nearly as good.
        """
        best = chosen[0]
        question = dataclasses.replace(question, further_down=True)
        for hit in hits:
            close = hit.score >= best.score - FACT_MARGIN
            if hit in chosen or not close or not self._tags[hit.key] & self._tags[best.key]:
                continue
            result = self._compose(hit.key, question, today)
            if result.answered:
                return [(hit, result)]
        return []

    def _counted(
        self, folded: str, stems: list[str], fact: fact_kinds.FactQuestion | None
    ) -> tuple[str, ...]:
        """What a number must be next to: the thing counted, or for a length the topic."""
        if fact is None:
            return ()
        if fact.kind == "duration":
            return tuple(stems)  # "5-minute lightning sessions" answers "how long are the sessions"
        return _counted(folded, self.analyze)

    def _compose(self, entry_id: str, question: Question, today: dt.date) -> Composed:
        entry = self._entries[entry_id]
        text = self._texts[entry_id]
        dates = self._dates[entry_id]
        return compose(entry, text, question, self.knowledge, dates, today, self._about[entry_id])

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

    def _abstain(self, best: Hit | None, question: str) -> Answer:
        score = best.score if best else 0.0
        suggestion: Entry | None = None
        if best is not None and score >= self.threshold * SUGGESTION_SHARE:
            suggestion = self._entries[best.key]
        logger.info("abstained (best %.2f) on %r", score, question)
        text = abstention(self.knowledge, suggestion=suggestion)
        return Answer(False, text, (), score, "abstained")


def _entry_document(entry: Entry, knowledge: Knowledge) -> Document:
    return Document(
        key=entry.id,
        phrasings=tuple(entry.questions),
        title=entry.title,
        keywords=(*entry.keywords, *entry.tags),
        body=without_deadlines(entry.answer, knowledge),
    )


_COUNTED = re.compile(r"\b(how many|number of|how much)\b((?: [a-z']+){1,4})")


def _counted(folded: str, analyze: Callable[[str], list[str]]) -> tuple[str, ...]:
    """Stems of the thing a "how many" question counts ("how many BIPOC memberships are ...")."""
    match = _COUNTED.search(folded)
    if match is None:
        return ()
    counted: list[str] = []
    for word in match.group(2).split():
        if (word in STOPWORDS or word.endswith("ed")) and counted:
            break  # "how many members *does* ALSC have", "how many mentors *applied*": a verb
        counted.extend(analyze(word))
    role = _ROLE.search(folded, match.end(1))
    if role is not None and len(counted) == 1:
        counted = analyze(role.group(1))
    # "how many spots": any number about the topic will do
    return () if set(counted) <= _GENERIC_COUNTED else tuple(counted)


_GENERIC_COUNTED_TEXT = "spot spots place places seat seats slot slots opening openings"
#: "How many people applied *to be mentees*": the role says what is counted.
_ROLE = re.compile(r"\b(?:people|persons|individuals|folks)\b.*?\b(?:to be|as) (?:an? )?([a-z]+)")
_GENERIC_COUNTED = frozenset(stem(word) for word in _GENERIC_COUNTED_TEXT.split())


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word
