"""Questions about something the knowledge does not cover, though they share its words.

"Does PLA have a mentoring program too?" shares "mentoring program" with an
entry, but asks about another organisation; "Which library schools have the
best programs?" and "Do you think I should take the job?" ask for a ranking or
for personal advice, which no knowledge file holds. Both get the contact rather
than an entry that matches their words:

- the subject of "does X have / offer / run ..." (or a possessive "X's ...") is an
  organisation the knowledge never names: one word it never uses, or a name
  ending in an organisation noun ("the Public Library Association") that no
  entry contains;
- the question asks for an opinion ("do you think I should", "would you
  recommend") or a ranking of things ("which schools are the best").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

#: Verbs an organisation is the subject of in a question about what it does.
_ORGANISATION_VERBS = (
    r"have|has|had|offer|offers|run|runs|host|hosts|hold|holds|provide|provides|give|gives|"
    r"fund|funds|sponsor|sponsors|organi[sz]e|organi[sz]es|do|does|award|awards|accept|"
    r"publish|publishes|take part|participate|charge|charges|require|requires"
)
#: "does PLA have ...", "do the Texas Library Association run ...".
_SUBJECT = re.compile(
    r"^\W*(?:(?:so|and|but|also|ok|okay|hey|hi)[,!]?\s+)*(?:does|do|did|will|would|can|could)\s+"
    r"((?:[a-z][a-z'&.-]*\s+){1,5}?)(?:also\s+|too\s+|even\s+|still\s+)?"
    rf"(?:{_ORGANISATION_VERBS})\b"
)
#: "YALSA's mentoring program": a possessive names whose thing it is.
_POSSESSIVE = re.compile(r"(?<![\w'])([a-z][a-z&.-]{1,20})'s\b")
#: Heads of organisation names: "the X Association", "X University".
_ORGANISATION_NOUNS_TEXT = """
    association associations society council foundation institute university college school
    schools division chapter network alliance federation consortium guild union agency
    department library libraries system district museum company publisher
"""
_ORGANISATION_NOUNS = frozenset(_ORGANISATION_NOUNS_TEXT.split())
#: Subjects that name no other organisation.
_NOT_ORGANISATIONS_TEXT = """
    i you we they he she it my your our their his her its this that these those there anyone
    anybody someone somebody everyone everybody people members member mentors mentees one
    who what which the a an any each every other others all most many some u ya
"""
_NOT_ORGANISATIONS = frozenset(_NOT_ORGANISATIONS_TEXT.split())
_OPINION = re.compile(
    r"\b(do|would) you (think|say|reckon|feel|believe|suggest|recommend|advise)\b"
    r".*\b(should|better|best|worth|good idea|right choice|go for)\b|"
    r"\bwhat would you (do|choose|pick|recommend|suggest)\b|"
    r"\b(your|an) (honest )?(opinion|advice|recommendation|two cents)\b|"
    r"\bin your (opinion|view)\b|\bshould i (take|accept|turn down|quit|leave|switch)\b"
    r"(?= (it|the (job|offer|position)|this (job|offer|position)|that (job|offer|position)|"
    r"a (job|position)|my (job|position)))"
)
#: "Which library schools have the best programs?": a ranking, not a fact.
_RANKING = re.compile(
    r"\b(which|what)\b(?:(?!\b(way|ways|fit|time|place|person|people|practices?|to)\b).){0,40}"
    r"\b(best|top|worst|greatest|most popular|highest ranked|top ranked)\b"
    r"(?! (way|ways|fit|time|place|person|people|practices?|to|for me)\b)"
)


class Scope:
    """Tells apart a question the knowledge might answer from one about something else."""

    def __init__(
        self,
        texts: Iterable[str],
        analyze: Callable[[str], list[str]],
        known: Callable[[str], bool],
    ) -> None:
        """Index the knowledge's wording once.

        Args:
            texts: Every title, question, keyword and answer of the knowledge.
            analyze: The engine's text -> stems.
            known: True for a (folded) word the knowledge uses, or a misspelling of one.
        """
        self._analyze = analyze
        self._known = known
        self._texts = list(texts)
        self._stems: str | None = None  # built the first time a name must be looked up

    def outside(self, folded: str) -> str | None:
        """Why a (folded) question is about something the knowledge does not cover, or None."""
        if _OPINION.search(folded):
            return "an opinion or personal advice"
        if _RANKING.search(folded):
            return "a ranking"
        subject = _SUBJECT.match(folded)
        if subject is not None and self._unknown_organisation(subject.group(1).split()):
            return f"another organisation ({subject.group(1).strip()})"
        for match in _POSSESSIVE.finditer(folded):
            if self._unknown_organisation([match.group(1)]):
                return f"another organisation ({match.group(1)})"
        return None

    def _unknown_organisation(self, phrase: list[str]) -> bool:
        while phrase and phrase[0] in ("the", "a", "an", "other", "another"):
            phrase = phrase[1:]
        if not phrase or any(word in _NOT_ORGANISATIONS for word in phrase):
            return False
        if len(phrase) == 1:
            word = phrase[0]
            return word.isalpha() and not self._known(word) and not self._mentioned(word)
        if phrase[-1] not in _ORGANISATION_NOUNS:
            return False
        return not self._mentioned(" ".join(phrase))

    def _mentioned(self, text: str) -> bool:
        if self._stems is None:
            analyzed = (" ".join(self._analyze(item)) for item in self._texts)
            self._stems = " " + " | ".join(analyzed) + " "
        stems = self._analyze(text)
        return bool(stems) and f" {' '.join(stems)} " in self._stems
