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

from bot.answers.text import fold

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


#: "what's a good online MLIS program?", "can you recommend a laptop?", "which school should I
#: pick?": a request for a recommendation of a thing, named in group 2 (or 3).
_RECOMMEND_THING = r"((?:[a-z][a-z'&.-]*\s+){0,3}?[a-z][a-z'&.-]*)"
_RECOMMENDATION = re.compile(
    r"\b(?:what'?s|whats|what is|what are|what would be|which is|which are)\s+"
    r"(a|an|some|the|any)?\s*(?:really |very |pretty )?"
    r"(?:good|great|decent|solid|reputable|nice|reliable)\s+"
    + _RECOMMEND_THING
    + r"(?=\s+(?:to|for|that|i|you|in|on|with|if)\b|\s*[?.!,]|\s*$)|"
    r"\b(?:recommend|suggest)\s+(a|an|some|any)\s+(?:good\s+|great\s+)?"
    + _RECOMMEND_THING
    + r"(?=\s+(?:to|for|that|i|you|in|on|with|if)\b|\s*[?.!,]|\s*$)|"
    r"\bwhich\s+()" + _RECOMMEND_THING + r"\s+should\s+i\s+"
    r"(?:pick|choose|go with|go for|get|buy|take|apply to|enroll in|enrol in|attend)\b"
)
#: What a recommendation may be asked for and still be answered in general terms:
#: "what's a good way to get involved", "a good time to apply".
_GENERAL_THINGS = frozenset(
    [
        "way",
        "ways",
        "time",
        "place",
        "idea",
        "ideas",
        "thing",
        "things",
        "question",
        "questions",
        "fit",
        "first",
        "step",
        "start",
        "reason",
        "reasons",
        "one",
        "option",
        "options",
    ]
)

#: "apply to library school", "get into an MLIS program", "get an MLIS": studying elsewhere.
_ENROLMENT = re.compile(
    r"\b(?:apply(?:ing)? to|get(?:ting)? into|enrol(?:l)?(?:ing|s)? (?:in|at)|admission to|"
    r"admitted to)\s+((?:[a-z][a-z'&.-]*\s+){0,3}?"
    r"(?:school|schools|university|universities|college|colleges|program|programs|degree))\b|"
    r"\b(?:get|getting|earn|earning|finish|finishing|pursue|pursuing|start|starting)\s+"
    r"(?:an?\s+|my\s+|the\s+)?((?:[a-z]+\s+)?(?:mlis|mls|mlitt|masters|master's|phd|doctorate|"
    r"diploma|degree))\b"
)
#: Asking how to go about it, before the studying ("how do I apply to library school"),
#: not a member saying what they study ("I'm getting my MLIS, can I be a mentee?").
_ASKS_HOW = re.compile(r"\b(?:how|where|what|which|help me|want to|wanna|should i)\b")
#: Words that only point at the thing asked for.
_DETERMINERS = frozenset(
    ["the", "a", "an", "my", "your", "our", "their", "this", "that", "some", "any"]
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
        self._folded: str | None = None  # likewise, the knowledge's own words

    def outside(self, folded: str) -> str | None:
        """Why a (folded) question is about something the knowledge does not cover, or None."""
        if _OPINION.search(folded):
            return "an opinion or personal advice"
        if _RANKING.search(folded):
            return "a ranking"
        thing = self._recommended(folded)
        if thing is not None:
            return f"a recommendation ({thing})"
        for match in _ENROLMENT.finditer(folded):
            studied = [
                word
                for word in (match.group(1) or match.group(2)).split()
                if word not in _DETERMINERS
            ]
            asked = _ASKS_HOW.search(folded, 0, match.start()) is not None
            if asked and studied and not self._written(" ".join(studied)):
                return f"studying elsewhere ({' '.join(studied)})"
        subject = _SUBJECT.match(folded)
        if subject is not None and self._unknown_organisation(subject.group(1).split()):
            return f"another organisation ({subject.group(1).strip()})"
        for match in _POSSESSIVE.finditer(folded):
            if self._unknown_organisation([match.group(1)]):
                return f"another organisation ({match.group(1)})"
        return None

    def _recommended(self, folded: str) -> str | None:
        """The thing a recommendation is asked for, when the knowledge recommends none.

        The knowledge recommends what it names ("a good webinar", "a journal to read",
        "a listserv"): only a thing whose words it never writes together is outside.
        """
        for match in _RECOMMENDATION.finditer(folded):
            thing = next(group for group in match.groups()[1::2] if group is not None)
            words = [word for word in thing.split() if word not in _NOT_ORGANISATIONS]
            if not words or words[-1] in _GENERAL_THINGS:
                continue
            known = all(self._known(word) for word in words if word.isalpha())
            phrase = " ".join(words)
            if not (known and self._mentioned(phrase) and self._written(phrase)):
                return phrase
        return None

    def _written(self, phrase: str) -> bool:
        """True when the knowledge writes the phrase itself (or its plural), not a synonym of it.

        "a good library school" shares its synonym with the students that may be
        mentees, but the knowledge recommends no school.
        """
        if self._folded is None:
            self._folded = " " + " | ".join(fold(item) for item in self._texts) + " "
        return (
            re.search(rf"(?<![a-z]){re.escape(phrase)}(?:e?s)?(?![a-z])", self._folded) is not None
        )

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
