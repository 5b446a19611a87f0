"""Recognising a premise: the statement a member wants confirmed, in its frame.

A tag after it ("X, right?", "X. Is that true?"), hearsay or an assumption before it
("I heard X", "my understanding is that X"), "since X, ..." before a question of its
own, or a statement simply ending in a question mark ("the mixer is at 5pm eastern?").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from bot.answers.fact_kinds import fact_kind
from bot.answers.premise_values import _values

_TAG = re.compile(
    r"(,|\s|[.!?])\s*(right|correct|yeah|yes|no|yep|true|ok|okay|is that (right|correct|true|so)|"
    r"(is|was|are|were|do|does|did|can|has|have|will|should)(n't| not)? (it|they|there|i|we|"
    r"you|he|she|that)( (right|true|so|correct))?|innit|isn'?t (it|that so)|am i right|"
    r"(is|was) (that|it) not (right|true|so|correct)|don'?t you think|no\?)\s*\?+\s*$"
)
#: Tags that ask for confirmation even without a question mark ("mentoring is 6 months yeah").
_BARE_TAG = re.compile(
    r"(,|\s)\s*(right|correct|yeah|yep|is that (right|correct|true|so)|am i right|innit)\s*$"
)
_LEADING = re.compile(
    r"^\s*(so|i (think|heard|believe|thought|read|was told)( that)?|isn'?t it true that|"
    r"(is it )?true that|am i right that|correct me if i'?m wrong,? (but )?)\b"
)
#: Someone else's word or the member's own assumption, in front of the statement:
#: "someone told me X", "I assume X", "my understanding is that X", "just to double check, X".
_HEARSAY = re.compile(
    r"^\s*(?:(?:ok(?:ay)?|so|hi|hey|well|um+|hmm+)[,!.]?\s+)?"
    r"(?:(?:some ?(?:one|body)|people|everyone|a (?:friend|colleague|coworker|co-worker)|"
    r"my (?:friend|colleague|coworker|co-worker|boss|director|supervisor|manager|mentor|mentee)|"
    r"(?:he|she|they))\s+(?:told me|tells me|said|says|mentioned|claims?|thinks?)|"
    r"(?:as far as i know|afaik|if i'?m not mistaken|unless i'?m mistaken|last i heard|"
    r"from what i (?:heard|read|understand|remember))|"
    r"(?:i(?:'ve| have)? )?(?:heard|read|was told|have been told|assume|am assuming|guess|believe|"
    r"think|thought|understand|remember|recall|was under the impression)|"
    r"i(?:'m| am) (?:pretty |fairly |quite )?(?:sure|certain|assuming|guessing)|"
    r"my understanding is|(?:it )?(?:sounds|looks|seems) like|apparently|rumou?r (?:has it|is)|"
    r"word is|(?:just )?to (?:double[- ]check|confirm|be sure|make sure)|"
    r"(?:just )?(?:double[- ]checking|confirming|checking)|"
    r"if i (?:remember|recall) (?:right|correctly)"
    r")(?: that)?[,:]?\s+"
)
#: "Since X, ...": the member builds on X, which may be wrong.
_SINCE = re.compile(
    r"^\s*(?:(?:ok(?:ay)?|so|and|but)[,]?\s+)?(?:since|given(?: that)?|seeing (?:as|that)|"
    r"considering(?: that)?|now that|as long as)\s+(?!(?:when|then|what|which|how)\b)"
    r"([^,;?]{8,}?)\s*,\s*\S"
)
#: About the member themselves ("since I'm not a member, ...") is context, not a premise.
_FIRST_PERSON = re.compile(r"^\s*(i|i'm|im|i've|ive|i'd|my|me|we|we're|our|us)\b")
#: A question word heading a clause: the part after it is the question, not a premise.
_QUESTION_CLAUSE = re.compile(
    r"[,;.]\s*(?:and |but |so )?(?:who|what|whats|when|where|why|how|which|can i|could i|"
    r"do i|should i|will i|is there|are there)\b"
)
#: Words that start a question: a sentence starting otherwise and ending in "?" states something.
_QUESTION_OPENER = re.compile(
    r"^\s*(?:(?:ok(?:ay)?|so|and|but|also|hi|hey|well|oh)[,!.]?\s+)*(?:who|whom|whose|what|whats|"
    r"when|whens|where|wheres|why|how|hows|which|is|are|do|does|did|can|could|should|will|would|"
    r"has|have|had|was|were|am|must|may|might|shall|any|anything|tell|please|i|i'm|im|my|we)\b"
)
#: A verb that makes a declarative sentence ("the mixer is at 5pm eastern?").
_STATING_VERB = re.compile(
    r"\b(is|are|was|were|must|can|can't|cannot|has to|have to|needs? to|lasts?|runs?|starts?|"
    r"begins?|ends?|closes?|opens?|costs?|takes?|don'?t|doesn'?t|isn'?t|aren'?t)\b"
)
_NOT_TOPIC = re.compile(
    r"\b(must|have to|has to|had to|need to|needs to|needed|required to|supposed to|"
    r"eastern|central|mountain|pacific|et|est|edt|ct|cst|cdt|mt|mst|mdt|pt|pst|pdt|time|"
    r"only|just|really|actually)\b"
)
_END = re.compile(r"(?<=[a-z0-9)])[.!]\s+(?=\w)")
_NEGATION = re.compile(r"\b(not|no|never|cannot|can't|don't|doesn't|isn't|aren't|without)\b|n't\b")
#: Kinds of fact only asked for by naming them ("due date", "what time", "link").
_ASKING_KINDS = frozenset({"day", "time", "link", "phone", "email", "place", "live", "how_to"})
_WH_WORD = re.compile(r"\b(which|what|whats|who|whom|whose|when|where|why|how)\b")
#: The verb joining a statement's subject to the value it states.
_COPULA = re.compile(r"\b(is|are|was|were|'s been|has been|have been)\b")
#: A rule that limits ("only once", "just one time"): the opposite of "again".
_RESTRICTION = re.compile(
    r"\b(only|just)\b[^,.;]{0,30}\b(once|one time)\b|\bonce only\b|\bone time only\b"
)
_OBLIGATION = re.compile(r"\b(must|have to|has to|need to|needs to|required|only)\b")


@dataclass(frozen=True)
class Premise:
    """A statement the member wants confirmed, without its question tag."""

    statement: str
    #: Stated before a question of its own ("since X, can I ...?"), which the reply answers.
    leading: bool = False

    @property
    def searchable(self) -> str:
        """The statement without the rule's modal words and time zones, which name no topic.

        "mentees must be members" is about mentees and membership; "must" would pull in
        any sentence with a "must" ("must be 18"), and "eastern" is a word no entry uses.
        """
        return _NOT_TOPIC.sub(" ", self.statement)

    def without_unknown_value(self, unknown: Callable[[str], bool]) -> str | None:
        """The searchable statement without the words it states as the value that the
        knowledge never uses, or None when it has none.

        "Marlowe's mentor was Paula Harris": the value after "was" may be the very thing
        the member has wrong ("Harris"), so a search must not depend on it; the subject
        before the verb ("Marlowe's mentor") is what the statement is about and stays.
        """
        text = self.searchable
        verb = _COPULA.search(text)
        if verb is None:
            return None
        value = text[verb.end() :].split()
        kept = [word for word in value if not unknown(word)]
        if len(kept) == len(value):
            return None
        return f"{text[: verb.end()]} {' '.join(kept)}"


@lru_cache(maxsize=512)
def recognise(folded: str) -> Premise | None:
    """The premise a member states ("X, right?", "I heard X", "since X, ..."), or None."""
    since = _SINCE.match(folded)
    if since is not None:
        statement = since.group(1).strip()
        if not _FIRST_PERSON.match(statement) and len(statement.split()) >= 3:
            return Premise(statement, leading=True)
    tag = _TAG.search(folded) or _BARE_TAG.search(folded)
    if tag is None:
        # "X, right? I'm not sure I have time for that": a remark about the member after
        # the tag asks nothing and is not part of the statement
        head, mark, rest = folded.partition("?")
        if mark and rest.strip() and "?" not in rest and _FIRST_PERSON.match(rest.strip()):
            tag = _TAG.search(head + mark)
            folded = head + mark if tag else folded
    body = folded[: tag.start()] if tag else folded
    hearsay = _HEARSAY.match(body)
    if hearsay is not None:
        body = body[hearsay.end() :]
        if tag is None:
            # "I heard X. When is Y?": only the first sentence is stated
            body = _END.split(body, maxsplit=1)[0]
            if _QUESTION_CLAUSE.search(body):
                return None  # "I heard about the mixer, how do I join?": a question
    elif tag is None and not _declarative_question(folded):
        return None
    statement = _LEADING.sub("", body).strip(" ,.?!")
    if _FIRST_PERSON.match(statement) and ", " in statement:
        # "i'm not sure i have time for that, mentors are required to ...": the remark
        # about the member is context; the statement is the clause after it
        clauses = statement.split(", ")
        start = next((n for n, item in enumerate(clauses) if not _FIRST_PERSON.match(item)), 0)
        if start and len(", ".join(clauses[start:]).split()) >= 3:
            statement = ", ".join(clauses[start:])
    if _FIRST_PERSON.match(statement) and not _values(statement):
        return None  # "I think I missed the deadline": about the member, not a fact
    return Premise(statement) if len(statement.split()) >= 3 else None


def whole_message(folded: str) -> bool:
    """True when a message is one statement and its tag ("X. Is that true?"): never split it."""
    tag = _TAG.search(folded)
    return tag is not None and tag.group(1) in ".!?" and recognise(folded) is not None


def _declarative_question(folded: str) -> bool:
    """ "the mixer on january 27 is at 5pm eastern?": a statement with a question mark."""
    text = folded.strip()
    if not text.endswith("?") or _QUESTION_OPENER.match(text) or len(text.split()) < 4:
        return False
    text = _END.split(text)[-1]
    if _WH_WORD.search(text) or _asks_a_fact(text):
        return False  # "the feb 22 chat is with which committee?", "dsa due date 2020?"
    return bool(_values(text)) or (bool(_STATING_VERB.search(text)) and _rule(text))


def _asks_a_fact(text: str) -> bool:
    """ "dsa due date 2020?", "mixer start time?": a request for a fact, not a statement."""
    asked = fact_kind(text)
    return asked is not None and asked.kind in _ASKING_KINDS


def _rule(text: str) -> bool:
    return bool(_NEGATION.search(text) or _RESTRICTION.search(text) or _OBLIGATION.search(text))
