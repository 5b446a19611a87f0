"""Answering the parts of a message: each question on its own, context only as help.

Context is never answered on its own and never stored as unanswered: the
question beside it is searched on its own first; the statement's words help
only when the question refers back to it ("I saw a post about the racial
healing day. What is it about?") or finds nothing alone.

A second question opened by "or" that names nothing the knowledge has is the
member's worry about the first ("can I sign up as a mentor or would that be
weird?", "..., or is that too forward?"): neither asked nor searched. One that
names a thing or a time ("..., or are those only out in April?", "or is it too
late?") is asked without its "or".

A part that names no topic of its own ("... and how long does it last?")
borrows the topic of the part before it: the words that part names its topic
with ("who do I email about mentoring? also when's the deadline" asks the
mentoring deadline, not the contact's), or the title of what answered it when
that title names at least half of them.

A question with an aside in brackets ("who is elly exactly (like her job)") is
asked alone first and with the aside when it names no topic or finds nothing.

Headings echo the member's own words, with their own capitals, each a
paragraph of its own; a heading that asks gets its question mark, also after a
preposition ("In what year did ...?").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.answers.answer import Answer
from bot.answers.context import _ASKING, _AUXILIARY, _LEAD_IN, Part, unwrapped
from bot.answers.date_questions import CALENDAR_WORDS
from bot.answers.text import is_light

#: Answers one question; the second argument is the part asked when context was borrowed.
AnswerOne = Callable[[str, str | None], Answer]
_PRONOUN = re.compile(r"\b(it|its|that|this|they|them|their|he|she|her|his|him|those|these)\b")


def answer_parts(
    parts: list[Part],
    answer_one: AnswerOne,
    analyze: Callable[[str], list[str]],
    title: Callable[[str], str] = lambda source: "",
    knows: Callable[[str], bool] = lambda stem: True,
) -> Answer:
    """Each question answered on its own; a part that needs the other's topic borrows it.

    Args:
        parts: The message's parts (:func:`split_message`).
        answer_one: Answers one question.
        analyze: The engine's analyser (question text -> content stems).
        title: What an answer's source is about (an entry's or a date's title).
        knows: Whether a stem occurs in the knowledge.
    """
    parts = [alone for part in parts for alone in _alternative(part, analyze, knows)]
    about_member = [part.text for part in parts if part.context and not part.pleasantry]
    said = _Said(context=" ".join(about_member))
    answers: list[tuple[Part, Answer]] = []
    for part in (part for part in parts if not part.context):
        result = _answer_question(unwrapped(part.text), said, answer_one, analyze, part.aside)
        answers.append((part, result))
        # what the part was about, even when the fact asked was missing from it
        topic = title(result.sources[0]) if result.sources else ""
        said = _Said(part.text.rstrip(" ?"), topic, said.context)
    if len(answers) == 1:
        return answers[0][1]
    answered = [(part, result) for part, result in answers if result.answered]
    if not answered:
        return max((result for _, result in answers), key=lambda result: result.score)
    sources = tuple(dict.fromkeys(source for _, r in answered for source in r.sources))
    if len({result.text for _, result in answers}) == 1:
        return answered[0][1]
    # the heading is a paragraph of its own, never run into the answer under it
    sections = [f"**{_quoted(part.shown)}**\n\n{result.text}" for part, result in answers]
    missing = tuple(part.text for part, result in answers if not result.answered)
    score = min(result.score for _, result in answered)
    return Answer(True, "\n\n".join(sections), sources, score, "compound", missing)


_OR_TAIL = re.compile(r"^or\s+", re.IGNORECASE)
_WORD = re.compile(r"[a-z]+")


def _alternative(
    part: Part, analyze: Callable[[str], list[str]], knows: Callable[[str], bool]
) -> list[Part]:
    """A second question opened by "or" ("..., or are those only out in April?") asked
    without its "or"; one naming nothing the knowledge has is the member's worry about the
    first ("can I sign up as a mentor or would that be weird?", "or is that too forward?",
    "or is that rude?"): neither asked nor searched. One about time ("or am I too late?")
    asks the calendar."""
    opening = _OR_TAIL.match(part.shown)
    if opening is None or part.context:
        return [part]
    rest = part.shown[opening.end() :]
    named = analyze(_BACK_REFERENCE.sub(" ", rest.lower()))
    timed = any(word in CALENDAR_WORDS for word in _WORD.findall(rest.lower()))
    if not timed and all(is_light(item) or not knows(item) for item in named):
        return []  # "or is it too late?" asks about the calendar: it is asked
    return [Part(rest, aside=part.aside)]


@dataclass(frozen=True)
class _Said:
    """What the member said before a question."""

    previous: str = ""  #: the question before, if any
    topic: str = ""  #: the title of what answered it
    context: str = ""  #: their statements about themselves


def _answer_question(
    question: str,
    said: _Said,
    answer_one: AnswerOne,
    analyze: Callable[[str], list[str]],
    aside: str = "",
) -> Answer:
    """One question; the previous question's topic, then the context, help when needed.

    When nothing answers, a reply that found the topic and says which fact it lacks
    ("I don't know a phone number for Elly") is better than an abstention. An aside in
    brackets is asked with the question when the question alone names no topic or finds
    nothing ("when is the chat (the one with the underserved committee)").
    """
    if aside:
        alone = _answer_question(question, said, answer_one, analyze)
        if alone.answered and not _names_no_topic(question, analyze):
            return alone
        whole = _answer_question(
            f"{question.rstrip(' ?')} {aside.lower()}", said, answer_one, analyze
        )
        return whole if whole.answered or not alone.answered else alone
    tried: dict[tuple[str, str | None], Answer] = {}

    def attempt(text: str, wanted: str | None = question) -> Answer:
        if (text, wanted) not in tried:
            tried[text, wanted] = answer_one(text, wanted)
        return tried[text, wanted]

    asked = question.rstrip(" ?")
    topicless = _names_no_topic(question, analyze)
    refers_back = bool(said.context) and not said.previous and _refers_back(question, analyze)
    if refers_back and topicless and attempt(said.context).answered:
        # "Question about the mixer. Is it online?": the statement names the topic, the
        # question only says what is wanted
        return attempt(said.context)
    if refers_back and attempt(f"{said.context}, {question}").answered:
        # "I saw a post about the racial healing day. What is it meant to be about?"
        return attempt(f"{said.context}, {question}")
    if refers_back and topicless and _BACK_REFERENCE.search(question):
        # "I missed the mixer. Is there one this month?" asked alone is about nothing:
        # whatever it matched would be a guess
        return _topic_found(tried.values()) or attempt(said.context)
    result = attempt(question, None)
    if refers_back and not result.answered and attempt(said.context).answered:
        return attempt(said.context)
    leans = bool(said.previous) and _leans_on_context(question, analyze)
    if said.previous and (leans or not result.answered):
        # "...? and how long does it run": about what answered the question before (its
        # title names it best); a question with a topic of its own takes only the words
        borrowing = _borrowed(said, analyze) if leans else [said.previous]
        for words in dict.fromkeys(filter(None, borrowing)):
            if attempt(f"{asked} {words.lower()}").answered:
                return attempt(f"{asked} {words.lower()}")
        known = _topic_found(tried.values())
        if known is not None and topicless:
            # "Who hosts the mixer? And is there a cost?": what the mixer costs is not
            # known; a cost of something else is no answer
            return known
    # the question alone found nothing: the member's words about themselves may help
    if said.context and result.kind == "abstained" and attempt(f"{asked} {said.context}").answered:
        return attempt(f"{asked} {said.context}")
    if result.kind == "abstained" and said.context:
        attempt(said.context)  # "I tried emailing Elly. Is there a phone number?"
    if result.kind == "abstained":
        return _topic_found(tried.values()) or result
    return result


#: What a question is about, after the words saying what it asks.
_ABOUT = re.compile(r"\b(?:about|regarding|concerning|re)\s+(?=\w)")
_ASKED_FACT = re.compile(
    r"^\W*"
    + _LEAD_IN
    + r"(?:(?:who|whos|what|whats|when|whens|where|wheres|which|why|how|hows)(?:'s)?"
    r"(?:\s+(?:long|much|many|often|soon|far|old|big))?\s+)?"
    r"(?P<aux>" + _AUXILIARY + r"(?:n't)?\s+(?:(?:i|we|you|they|he|she|one)\s+(?:\w+\s+)?)?)?",
    re.IGNORECASE,
)


def _topic_of(question: str) -> str:
    """The words a question names its topic with, without those saying what it asks: "who
    do I email with questions about mentoring" -> "mentoring", "who runs the mixer" -> "the
    mixer", "how do I nominate someone for the DSA" -> "someone for the DSA". A question
    after it that names no topic asks about that, not about what answered it (Elly)."""
    about = list(_ABOUT.finditer(question))
    if about:
        return question[about[-1].end() :]
    asking = _ASKED_FACT.match(question)
    rest = question[asking.end() :] if asking else question
    if asking and not asking.group("aux") and re.match(r"^\W*who", question, re.IGNORECASE):
        rest = rest.split(maxsplit=1)[1] if len(rest.split()) > 1 else ""  # "who runs X"
    return rest


def _borrowed(said: _Said, analyze: Callable[[str], list[str]]) -> list[str]:
    """What a question naming no topic borrows from the one before, best first: the title
    of what answered it when that names half of what it asked about ("is the mixer free? do I
    need to register" -> "ALSC membership mixer"), else the words naming its topic ("who
    do I email about mentoring? when's the deadline" -> "mentoring", not the contact)."""
    topic = _topic_of(said.previous)
    named = {item for item in analyze(_BACK_REFERENCE.sub(" ", topic)) if not is_light(item)}
    if said.topic and 2 * len(named & set(analyze(said.topic))) >= max(len(named), 1):
        return [said.topic, topic if named else "", said.previous]
    return [topic if named else "", said.topic, said.previous]


def _topic_found(answers: Iterable[Answer]) -> Answer | None:
    """The first reply that found the topic but not the fact asked for."""
    return next((answer for answer in answers if answer.kind == "missing_fact"), None)


def _leans_on_context(part: str, analyze: Callable[[str], list[str]]) -> bool:
    """A question that names no topic of its own ("and when is it due?")."""
    return _names_no_topic(part, analyze) or bool(_PRONOUN.search(part))


def _names_no_topic(part: str, analyze: Callable[[str], list[str]]) -> bool:
    """At most one word of substance ("is there a cost?", "and when?", "is there one soon?")."""
    words = analyze(_BACK_REFERENCE.sub(" ", part))
    return len([item for item in words if not is_light(item)]) <= 1


#: Words standing for something said before: a personal pronoun, or "that"/"this" on its
#: own ("is that true?", "can I still send that in?"; not "that I could", "this year").
_BACK_REFERENCE = re.compile(
    r"\b(?:it|its|they|them|their|those|these|he|she|him|her|his)\b"
    r"|\b(?:this|that)\b(?=\s*(?:[?.!,]|$|(?:is|was|are|were|in|on|to|for|true|right|correct|"
    r"again|still|too|also|up|out|off|ok|okay|possible|allowed|so)\b))"
    # "is there one this month?", "when is the next one?" (not "one year", "one-year")
    r"|\b(?:a|any|another|next|last|which|there|new|this|that)\s+ones?\b(?!-)"
    r"(?!\s+(?:year|month|week|day|hour|minute|time|of)s?\b)"
)


def _refers_back(part: str, analyze: Callable[[str], list[str]]) -> bool:
    """A question about something said before it ("what is it about?", "can I still do that?")."""
    return _names_no_topic(part, analyze) or bool(_BACK_REFERENCE.search(part))


def _quoted(part: str) -> str:
    """A member's part-question shown back in their own words (no markup can slip in)."""
    cleaned = " ".join(re.sub(r"[^\w\s'?,.-]", "", part).split()).rstrip(" ,.")
    cleaned = cleaned[:1].upper() + cleaned[1:]
    if cleaned.endswith("?") or not _HEADING_ASKS.match(cleaned):
        return cleaned  # "Tell me about Dia booklists", "I'd like to know when it is"
    return cleaned + "?"


#: A heading that asks, also after a preposition ("In what year did ...", "For how long ...").
_HEADING_ASKS = re.compile(
    _LEAD_IN + r"(?:(?:in|for|since|until|till|by|at|on|to|from|with|of|about|after|before|"
    r"during|under)\s+)?" + _ASKING,
    re.IGNORECASE,
)
