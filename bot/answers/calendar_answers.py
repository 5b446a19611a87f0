"""Answers to calendar questions ("what's due this week?", "is it too late?").

Each handler returns None when the question turns out not to be about the
calendar after all (for example "what's the weather tomorrow?": a period but
no deadline topic), so the engine falls back to its normal search, which will
abstain.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bot import date_wording
from bot.answers.date_questions import DateQuestion
from bot.answers.dates import (
    days_until,
    deadlines_between,
    format_when,
    sort_key,
    upcoming_deadlines,
)
from bot.answers.index import CoverageIndex, Hit
from bot.answers.index_documents import Document
from bot.answers.index_terms import UNKNOWN_TERM_WEIGHT, QueryTerm
from bot.answers.wording import contact_phrase, dated_bullet, deadline_phrase, passed_sentence
from bot.knowledge.schema import Deadline, Knowledge

#: A deadline must cover this much of a question's topic to be "the one meant".
TOPIC_MATCH = 0.4
#: Deadlines scoring within this of the best are the same topic (e.g. yearly rounds).
SAME_TOPIC_MARGIN = 0.12
UPCOMING_LIMIT = 5
#: Without its unknown words, a topic must have this many known words...
KNOWN_WORDS_MIN = 2
#: ...and a deadline must explain this share of them.
KNOWN_WORDS_COVERAGE = 0.8
#: An unknown word weighing more than an ordinary one names something ("the Printz award").
UNKNOWN_WEIGHT = UNKNOWN_TERM_WEIGHT
#: The engine's confidence to answer from an entry (``engine.DEFAULT_THRESHOLD``).
ENTRY_THRESHOLD = 0.44
#: Who a calendar is for: "what's coming up for members?" asks about everything.
_AUDIENCE = "member members everyone"
#: A question asking for a list ("anything coming up about ...?"), not yes or no.
_LIST_QUESTION = re.compile(r"\b(anything|any|what|whats|which|list)\b")
_ASKS_IF_PASSED = re.compile(r"\b(too late|miss|missed|passed|over|closed|gone)\b")
_ASKS_IF_OVER = re.compile(
    r"\b(happen|happened|took place|take place|taken place|over|done|finished|ended|end|passed|"
    r"closed|close|already)\b"
)
_SINGLE_NEXT = re.compile(
    r"\b(next|soonest|earliest|nearest|closest) (deadline|event|date|thing)\b"
    r"|\bwhat('?s| is) next\b"
)


@dataclass(frozen=True)
class CalendarReply:
    """Text and the deadline ids it is based on."""

    text: str
    sources: tuple[str, ...]


class CalendarAnswers:
    """Answers date questions from the knowledge file's deadlines."""

    def __init__(self, knowledge: Knowledge, index: CoverageIndex, entry_index: CoverageIndex):
        """Keep the deadlines and an index to match a question's topic against them."""
        self._knowledge = knowledge
        self._zone = knowledge.organisation.zone
        self._index = index
        self._entry_index = entry_index
        self._by_id = {item.id: item for item in knowledge.deadlines}
        self._audience = frozenset(index.analyze(f"{knowledge.organisation.name} {_AUDIENCE}"))

    @staticmethod
    def documents(knowledge: Knowledge) -> list[Document]:
        """Searchable text for each deadline: its own words plus its entry's phrasings."""
        documents = []
        for item in knowledge.deadlines:
            entry = knowledge.entry(item.entry) if item.entry else None
            phrasings = (item.title, *(entry.questions if entry else ()))
            documents.append(
                Document(
                    key=item.id,
                    phrasings=phrasings,
                    title=item.title,
                    keywords=tuple(entry.keywords) if entry else (),
                    body=" ".join([item.description, entry.title if entry else ""]),
                )
            )
        return documents

    def reply(self, question: DateQuestion, folded: str, today: dt.date) -> CalendarReply | None:
        """Answer a parsed date question, or None to let the normal search handle it."""
        handler = {
            "days_until": self._days_until,
            "too_late": self._too_late,
            "status": self._status,
            "last_day": self._last_day,
            "window": self._window,
            "upcoming": self._upcoming,
            "on_date": self._on_date,
            "time_of": self._time_of,
        }[question.kind]
        return handler(question, folded, today)

    def topic_deadlines(self, topic: str, today: dt.date, *, said: str = "") -> list[Deadline]:
        """Deadlines the topic is about, the most relevant (by date) first.

        A member often says more than the topic ("I was hoping to nominate my former
        supervisor for the award for service"): when the whole topic matches no deadline
        well, a deadline that explains nearly all of its known words (at least two of them)
        is the one meant; a question naming something unknown ("the Printz award") is not.
        """
        found = self._stems_deadlines(self._analyse(topic), today, said=said)
        return _named_round_first(found, said, today)

    def _stems_deadlines(self, stems: list[str], today: dt.date, *, said: str) -> list[Deadline]:
        """``said`` is the member's whole question, read to tell names from other words."""
        terms = self._index.query_terms(stems)
        if said and any(self._names_something(term, said) for term in terms):
            return []  # "the Printz award": something the calendar has never heard of
        hits = [hit for hit in self._index.search_terms(terms, limit=8) if hit.score >= TOPIC_MATCH]
        if not hits and said:
            hits = self._known_words_match(terms, said)
        if not hits:
            return []
        best = hits[0].score
        same = [self._by_id[hit.key] for hit in hits if hit.score >= best - SAME_TOPIC_MARGIN]
        upcoming = sorted((item for item in same if not item.has_passed(today)), key=sort_key)
        passed = sorted((item for item in same if item.has_passed(today)), key=sort_key)
        return upcoming + passed[::-1]

    def _known_words_match(self, terms: list[QueryTerm], said: str) -> list[Hit]:
        known = [term for term in terms if self._index.knows(term.stem)]
        content = [term for term in known if term.weight >= 1.0]
        if len(content) < KNOWN_WORDS_MIN:
            return []
        hits = self._index.search_terms(known, limit=8)
        return [hit for hit in hits if hit.coverage >= KNOWN_WORDS_COVERAGE]

    def _names_something(self, term: QueryTerm, said: str) -> bool:
        """An unknown word the index weighs as a name, directly before a word ("Printz award").

        The index sees stems without function words: "my supervisor for the award" is
        not the "Supervisor award".
        """
        if term.weight <= UNKNOWN_WEIGHT:
            return False
        following = re.search(rf"\b{re.escape(term.stem)}\w*\s+(\w+)", said)
        return following is None or bool(self._analyse(following.group(1)))

    def _days_until(
        self, question: DateQuestion, folded: str, today: dt.date
    ) -> CalendarReply | None:
        matches = self.topic_deadlines(question.topic, today, said=folded)
        if not matches:
            return None
        item = matches[0]
        days = days_until(item.date, today)
        when = format_when(item, self._zone)
        title = item.title.rstrip(".")
        if days > 0:
            unit = "day" if days == 1 else "days"
            text = f"**{days} {unit}** to go: {title} is on **{when}**."
        else:
            text = f"It's **today**: {title}, **{when}**."
        if item.has_passed(today):
            text = f"That date has passed: {passed_sentence(item, today=today, zone=self._zone)}"
        return CalendarReply(text, (item.id,))

    def _too_late(
        self, question: DateQuestion, folded: str, today: dt.date
    ) -> CalendarReply | None:
        matches = self.topic_deadlines(question.topic, today, said=folded)
        if not matches:
            return None
        item = matches[0]
        if item.has_passed(today):
            # "is it too late?" -> "I'm afraid so"; "can I still send it in?" -> "I'm afraid not"
            answer = "I'm afraid so" if _ASKS_IF_PASSED.search(folded) else "I'm afraid not"
            text = f"{answer}: {passed_sentence(item, today=today, zone=self._zone)}"
            return CalendarReply(text + self._after(item, today), (item.id,))
        elif item.last_day == today:
            phrase = deadline_phrase(item, today=today, zone=self._zone)
            text = f"Not yet, but **today** is the last day: it {phrase}: {_title(item)}."
        else:
            phrase = deadline_phrase(item, today=today, zone=self._zone)
            # "there's still time" answers "is it too late?" and "can I still apply?" alike
            # (a "No" would deny the second, a "Yes" the first)
            text = f"There's still time: it {phrase}: {_title(item)}."
        return CalendarReply(text, (item.id,))

    def _status(self, question: DateQuestion, folded: str, today: dt.date) -> CalendarReply | None:
        """ "Is the mixer still on?": when it was or is, and how long is left."""
        matches = self.topic_deadlines(question.topic, today, said=folded)
        if not matches:
            return None
        item = matches[0]
        # "has it happened yet?" is answered yes once it has; "is it still on?" no
        asks_if_over = bool(_ASKS_IF_OVER.search(folded))
        if item.has_passed(today):
            answer = "Yes, it has passed" if asks_if_over else "No, it has passed"
            text = f"{answer}: {passed_sentence(item, today=today, zone=self._zone)}"
            return CalendarReply(text + self._after(item, today), (item.id,))
        phrase = deadline_phrase(item, today=today, zone=self._zone)
        answer = "Not yet" if asks_if_over else "Yes"
        return CalendarReply(f"{answer}: it {phrase}: {_title(item)}.", (item.id,))

    def _last_day(
        self, question: DateQuestion, folded: str, today: dt.date
    ) -> CalendarReply | None:
        """ "When's the last day to nominate someone?": the day, or that it has passed."""
        matches = self.topic_deadlines(question.topic, today, said=folded)
        if not matches:
            return None
        item = matches[0]
        if item.has_passed(today):
            sentence = passed_sentence(item, today=today, zone=self._zone)
            text = sentence[:1].upper() + sentence[1:]
            return CalendarReply(text + self._after(item, today), (item.id,))
        phrase = deadline_phrase(item, today=today, zone=self._zone)
        return CalendarReply(f"{_title(item)}: it {phrase}.", (item.id,))

    def _time_of(self, question: DateQuestion, folded: str, today: dt.date) -> CalendarReply | None:
        """A question naming a clock time or zone ("the mixer is at 5pm eastern?"): the real one."""
        matches = [
            item
            for item in self.topic_deadlines(question.topic, today, said=folded)
            if item.time is not None
        ]
        if not matches:
            return None
        item = matches[0]
        best = self._entry_index.search(folded, limit=1)
        if best and best[0].key == item.entry and best[0].score >= ENTRY_THRESHOLD:
            return None  # the item's own entry answers, and states the time
        phrase = deadline_phrase(item, today=today, zone=self._zone)
        return CalendarReply(f"{_title(item)}: it {phrase}.", (item.id,))

    def _after(self, item: Deadline, today: dt.date) -> str:
        """What follows a passed item: the next date on the calendar, and who to ask."""
        contact = self._knowledge.default_contact()
        text = f"\n\nFor what comes next, ask {contact_phrase(contact)}."
        following = upcoming_deadlines(self._knowledge, today=today, limit=1)
        if following:
            text += "\n\nThe next date on my calendar:\n" + self._bullets(following, today)
        return text

    def _window(self, question: DateQuestion, folded: str, today: dt.date) -> CalendarReply | None:
        assert question.first is not None and question.last is not None
        # a deadline counts on its last day ("renew before Monday" is due on Sunday)
        in_window = deadlines_between(self._knowledge, question.first, question.last, last_day=True)
        items = self._filter_by_topic(question.topic, in_window, today, said=folded)
        if items is None:
            return None
        if items:
            text = f"Here's what's on the calendar {question.period}:\n" + self._bullets(
                items, today
            )
            return CalendarReply(text, tuple(item.id for item in items))
        meant = self.topic_deadlines(question.topic, today, said=folded) if question.topic else []
        if meant:  # "is the mixer tomorrow?" when it is not
            item = meant[0]
            phrase = deadline_phrase(item, today=today, zone=self._zone)
            text = f"Not {question.period}: it {phrase}: {_title(item)}."
            return CalendarReply(text, (item.id,))
        text = f"Nothing is due {question.period}."
        later = [item for item in self._knowledge.deadlines if item.last_day > question.last]
        if later:
            following = min(later, key=sort_key)
            text += "\n\nThe next date after that:\n" + self._bullets([following], today)
            return CalendarReply(text, (following.id,))
        return CalendarReply(text, ())

    def _upcoming(
        self, question: DateQuestion, folded: str, today: dt.date
    ) -> CalendarReply | None:
        every = upcoming_deadlines(self._knowledge, today=today, limit=len(self._by_id))
        items = self._filter_by_topic(question.topic, every, today, said=folded)
        if items is None:
            return None
        if not items and every and not _LIST_QUESTION.search(folded):
            return self._status(question, folded, today)  # "is the mixer still coming up?"
        if not items and every:  # "anything coming up about the mixer?" the day after
            meant = self.topic_deadlines(question.topic, today, said=folded)[0]
            passed = passed_sentence(meant, today=today, zone=self._zone)
            text = f"Nothing on that is coming up: {passed}\n\nNext on my calendar:\n"
            shown = every[:UPCOMING_LIMIT]
            return CalendarReply(text + self._bullets(shown, today), (meant.id,))
        if _SINGLE_NEXT.search(folded) and items:
            wanted = _wanted_kind(folded)
            if wanted is not None:
                # "next deadline" means something due, "next event" something to attend
                items = [item for item in items if item.kind == wanted] or items
            items = [item for item in items if item.date == items[0].date]
        items = items[:UPCOMING_LIMIT]
        if items:
            text = "Coming up:\n" + self._bullets(items, today)
            return CalendarReply(text, tuple(item.id for item in items))
        contact = self._knowledge.default_contact()
        text = (
            "Nothing is coming up in my calendar right now. "
            f"For news of the next dates, ask {contact_phrase(contact)}."
        )
        past = sorted(
            (item for item in self._knowledge.deadlines if item.has_passed(today)), key=sort_key
        )
        if past:
            text += "\n\nThe most recent date was:\n" + self._bullets([past[-1]], today)
        return CalendarReply(text, ())

    def _on_date(self, question: DateQuestion, folded: str, today: dt.date) -> CalendarReply | None:
        assert question.month_day is not None
        month, day = question.month_day
        same_day = [
            item
            for item in self._knowledge.deadlines
            if (item.date.month, item.date.day) == (month, day)
            and (question.year is None or item.date.year == question.year)
        ]
        items = _nearest_year(same_day, today)
        wanted = self._filter_by_topic(question.topic, items, today, said=folded)
        if wanted is None:
            return None
        if question.topic and not wanted:
            meant = self.topic_deadlines(question.topic, today, said=folded)
            if meant:
                item = meant[0]
                when = format_when(item, self._zone)
                text = f"Not on that day: {item.title.rstrip('.')} is on **{when}**."
                if items:  # "is the January 27 event the chat?": what that day holds
                    text += "\n\nOn that day:\n" + self._bullets(items, today)
                return CalendarReply(text, (item.id,))
        if wanted:
            return CalendarReply(self._bullets(wanted, today), tuple(item.id for item in wanted))
        label = date_wording.month_and_day(dt.date(2024, month, day))  # 2024: February 29 exists
        if question.year:
            label += f", {question.year}"
        return CalendarReply(f"I have nothing on my calendar for {label}.", ())

    def _filter_by_topic(
        self, topic: str, items: list[Deadline], today: dt.date, *, said: str
    ) -> list[Deadline] | None:
        """Keep the items the topic is about; None when the topic is not a calendar one.

        The organisation's own name and its members are everyone's calendar: "what's
        coming up for ALSC members?" filters nothing.
        """
        stems = [item for item in self._analyse(topic) if item not in self._audience]
        content = [term for term in self._entry_index.query_terms(stems) if term.weight >= 0.5]
        if not content:
            return items
        unknown = sum(1 for term in content if not self._entry_index.knows(term.stem))
        if 2 * unknown >= len(content):
            return None  # "when does the pool close tonight": not about our calendar
        meant = {item.id for item in self._stems_deadlines(stems, today, said=said)}
        if meant:
            return [item for item in items if item.id in meant]
        return None if unknown else items

    def _analyse(self, text: str) -> list[str]:
        return self._index.analyze(text)

    def _bullets(self, items: list[Deadline], today: dt.date) -> str:
        return "\n".join(dated_bullet(item, today=today, zone=self._zone) for item in items)


def _title(item: Deadline) -> str:
    return item.title.rstrip(".")


def _wanted_kind(folded: str) -> str | None:
    deadline = bool(re.search(r"\b(deadlines?|due)\b", folded))
    event = bool(re.search(r"\b(events?|happening|meetings?|chats?)\b", folded))
    if deadline != event:
        return "deadline" if deadline else "event"
    return None


def _nearest_year(items: list[Deadline], today: dt.date) -> list[Deadline]:
    """Of items on the same month/day in several years, those of the most relevant year."""
    if not items:
        return []
    upcoming_years = sorted({item.date.year for item in items if item.date >= today})
    year = upcoming_years[0] if upcoming_years else max(item.date.year for item in items)
    return sorted((item for item in items if item.date.year == year), key=sort_key)


#: A round named by its season alone: "the spring mentoring program" (no year).
_SEASON = re.compile(r"\b(spring|summer|fall|autumn|winter)\b(?!,? *(?:19|20)\d\d)")
_ANY_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
#: How long after a round closed its season alone still names it.
_RECENT_ROUND_DAYS = 90


def _named_round_first(items: list[Deadline], said: str, today: dt.date) -> list[Deadline]:
    """A season named without a year is the round of that season in the member's year
    when it closed lately ("can I still apply for the spring round?" on February 29, 2016
    asks about spring 2016, closed three days before, not spring 2017)."""
    season = _SEASON.search(said)
    if season is None or _ANY_YEAR.search(said):
        return items
    name = season.group(1).replace("autumn", "fall")

    def named(item: Deadline) -> bool:
        recent = 0 <= (today - item.date).days <= _RECENT_ROUND_DAYS or item.date >= today
        return (
            item.date.year == today.year
            and name in item.title.lower().replace("autumn", "fall")
            and recent
        )

    first = [item for item in items if named(item)]
    return first + [item for item in items if item not in first]
