"""What in a member's message is only context, and what asks.

A sentence that only tells the bot about the member ("I'm a branch manager and
only recently joined ALSC.", "I'm trying to plan my month.", "The budget at my
branch got cut."), a remark about the message ("Quick question:", "Sorry if
this is a dumb question.") or a pleasantry ("Thanks in advance!") is *context*,
not a question: it has no question mark, asks nothing indirectly ("I was
wondering when ...") and requests nothing ("I need the link", "tell me ...").

The member's purpose with its subject left out ("want to activate it over the
phone", "need it for my application", "going to apply next week") is context
too; asking with the subject left out ("need the date of the mixer", "want to
know when ...", "looking for the form") is not. A polite wrapper round a
question ("I'd like to know how long ...", "I'd be grateful to know whether
...", "could you let me know who ...") is taken off before the question is
searched. A tag question ("..., wasn't it?", "..., right?", "... isn't it"
without its question mark) is one part that asks: the statement before the
tag is a premise to check.

How a message is cut into parts is :mod:`bot.answers.compound`; how the parts are
answered is :mod:`bot.answers.parts`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.answers import small_talk

#: Words a question opens with.
_ASKING = (
    r"(?:who|whos|whose|whom|what|whats|when|whens|where|wheres|why|how|hows|which|is|are|do|does|did|can|"
    r"could|should|will|would|has|have|was|were|am|any|anything)\b"
)
#: Words a new question or request opens with.
_QUESTION_START = r"(?:" + _ASKING + r"|(?:tell me|i also)\b)"

#: Words that may come before a statement's subject ("So, I'm new here").
_LEAD_IN = (
    r"(?:(?:so|well|oh|ok|okay|also|and|but|btw|fyi|ps|honestly|anyway|basically|like|um+|"
    r"uh+|erm|hmm+)\b[\s,:-]*)*"
)
#: How a statement about the speaker opens: a first-person subject, or a fragment that
#: gives a reason or a feeling ("just curious", "thinking of ...", "trying to ...").
_STATEMENT_OPENER = re.compile(
    rf"^\W*{_LEAD_IN}(?:"
    r"(?:i|i'm|im|i've|ive|i'd|i'll|me|my|mine|myself|we|we're|we've|we'd|our|ours|us)\b"
    r"|(?:just |only |mostly )?(?:curious|thinking (?:of|about)|trying to|hoping to|planning "
    r"(?:to|on)|looking to|asking (?:because|since|for|as)|for context|context|background|"
    r"new (?:member|here|to)|long time|first time)\b"
    # the member's purpose with the subject left out: "want to activate it over the phone",
    # "need it for my application", "going to apply next week"
    r"|(?:just |really |mainly )?(?:want|wanted|wanting|wanna|need|needed|needing|"
    r"(?:would |'d )?(?:like|love)|going|gonna|about|hope|hoping|trying|intending|meaning|"
    r"aiming) to\b"
    r"|(?:need|needed|want|wanted) (?:it|this|that|them|one) (?:for|by|before|because|so)\b"
    # a remark about the message itself: "Quick one.", "Sorry if this is a dumb question."
    r"|(?:sorry|apologies|apologize|pardon|excuse me|hope|hopefully)\b"
    r"|(?:a |one )?(?:(?:quick|random|silly|dumb|stupid|basic|simple|easy|small|short|odd|"
    r"weird|general|newbie|last|another|follow[- ]?up|one more|two|three|a few|(?:a )?couple "
    r"of)\s+){1,2}(?:one|q|qs|questions?|things?)\b"
    r"|questions? (?:about|on|re|regarding)\b"
    r"|(?:some ?one|some ?body|a (?:friend|colleague|co-?worker)|people|everyone) "
    r"(?:told|said|says|mentioned|thinks|thought)\b"
    r")",
    re.IGNORECASE,
)
#: A statement that asks indirectly ("I was wondering when ...", "I'd like to know who ...").
_INDIRECT_QUESTION = re.compile(
    r"\b(?:wonder|wondering|wondered|know|knowing|find out|finding out|learn|learning|tell me|"
    r"let me know|not sure|unsure|advise|"
    r"confused(?: about)?|no idea|ask|asking|asked|question (?:is|was))\W+(?:you\W+)?"
    r"(?:if|whether|who|whom|whose|what|when|"
    r"where|why|how|which)\b",
    re.IGNORECASE,
)
#: A first-person statement that asks for something ("I need the link", "I'd like to know").
_REQUEST = re.compile(
    rf"^\W*{_LEAD_IN}(?:i|we)(?:'d| would| should)? (?:like|love|want|need|wanted|needed) to "
    r"(?:know|ask|find out|get|see|have|check|confirm|double[- ]check|learn|hear)\b"
    # the subject left out: "want to know when ...", "would love to find out ..."
    rf"|^\W*{_LEAD_IN}(?:(?:would |'d )?(?:like|love|want|need|wanted|needed) to|wanna) "
    r"(?:know|ask|find out|check|confirm|double[- ]check|learn|hear)\b"
    # "I need the deadline", "I'm looking for info on ...": asking for a thing, not a plan
    # (the subject may be left out: "need the date of the mixer", "looking for the form")
    rf"|^\W*{_LEAD_IN}(?:(?:i|we)(?:'d| would)? )?(?:need|want|like)s? (?:the|a|an|some|any|"
    r"more|your|info|information|details|help)\b"
    rf"|^\W*{_LEAD_IN}(?:(?:i|we)(?:'m| am|'re| are) )?(?:looking|searching|hunting) for\b"
    r"|\b(?:can|could|would) you\b|\bplease\b|\bkindly\b",
    re.IGNORECASE,
)


#: A polite wrapper round a question about the member's own wish to know ("I'd like to know",
#: "I should like to know", "I'd be grateful to know", "we were wondering"): the question
#: is what follows it ("I'd like to know how long it lasts" asks "how long it lasts").
_WRAPPER = re.compile(
    rf"^\W*{_LEAD_IN}(?:"
    r"(?:i|we)(?:'d|'m|'re| would| should| was| am| were| are)?"
    r"(?:\s+(?:be|been|really|just|also|so|very|most|quite|like|love|want|wanted|need|needed|"
    r"grateful|thankful|glad|curious|to|know|knowing|ask|find out|learn|learning|hear|check|"
    r"confirm|wondering|wonder|wondered|trying|hoping|appreciate|appreciated))+"
    # asking the bot to tell: "could you let me know who ...", "please tell me when ..."
    r"|(?:(?:could|can|would|will) you (?:please |kindly )?|please |kindly |pls )?"
    r"(?:tell me|let me know|advise(?: me)?|explain)|do you (?:happen to )?know|any idea"
    r")\s+(?=(?:who|whom|whose|what|when|where|why|how|which|whether)\b)",
    re.IGNORECASE,
)


def unwrapped(question: str) -> str:
    """A question without the polite wrapper round it ("I'd like to know when ..." ->
    "when ...")."""
    wrapper = _WRAPPER.match(question)
    return question[wrapper.end() :] if wrapper else question


@dataclass(frozen=True)
class Part:
    """One sentence of a message.

    Attributes:
        shown: The member's own words (accents dropped, their capitals kept).
        context: True for a statement about the member, which asks nothing.
        aside: What the member put in brackets in it ("who is elly (like her job)"), taken
            out of ``shown``: the question is asked without it first.
    """

    shown: str
    context: bool = False
    aside: str = ""

    @property
    def text(self) -> str:
        """The part as the engine reads it (lower case)."""
        return self.shown.lower()

    @property
    def pleasantry(self) -> bool:
        """True for thanks or a greeting ("Thanks in advance!"): no help to the search."""
        return self.context and _is_pleasantry(self.text)


def is_context(part: str) -> bool:
    """True for a sentence that asks nothing: about the member ("I'm new to ALSC."), or
    a pleasantry ("Thanks so much in advance!", "Have a great day!", "anyone there?")."""
    if _is_pleasantry(part):
        return True
    if part.rstrip().endswith(":"):  # "Mixer question:", "the winning traits post:"
        return True
    if part.rstrip().endswith("?") or _INDIRECT_QUESTION.search(part) or _REQUEST.search(part):
        return False
    if _TAG.search(part):  # "I can be a mentee, right": asks to be confirmed
        return False
    if _STATEMENT_OPENER.search(part):
        return True
    # "The budget at my branch got cut.", "Last month I joined ALSC.": about the member,
    # and neither asking ("how do I ...") nor asking for something ("send me ...")
    opening = _LEAD_IN_WORDS.sub("", part)
    return bool(_FIRST_PERSON.search(part)) and not (
        _ASKS.match(opening) or _IMPERATIVE.match(opening)
    )


#: A tag that turns a statement into a question, even without its question mark
#: ("the mixer is hosted by the Membership Committee isn't it", "..., right").
_AUXILIARY = r"(?:is|are|was|were|do|does|did|has|have|had|can|could|will|would|should|must)"
_TAG_SUBJECT = r"(?:it|they|that|there|he|she|you|we|i)"
_TAG = re.compile(
    rf"\b{_AUXILIARY}n'?t\s+{_TAG_SUBJECT}\W*$"
    rf"|\b{_AUXILIARY}\s+{_TAG_SUBJECT}\s+not\W*$"
    rf"|,\s*{_AUXILIARY}\s+{_TAG_SUBJECT}\W*$"
    r"|,\s*(?:right|yeah|yes|correct|true|no|ok|okay|yep)\W*$",
    re.IGNORECASE,
)


def _asks(piece: str) -> bool:
    opening = _LEAD_IN_WORDS.sub("", piece)
    return bool(
        piece.rstrip().endswith("?")
        or _TAG.search(piece)
        or _INDIRECT_QUESTION.search(piece)
        or _REQUEST.search(piece)
        or _ASKS.match(opening)
        or _IMPERATIVE.match(opening)
    )


_LEAD_IN_WORDS = re.compile(r"^\W*" + _LEAD_IN, re.IGNORECASE)
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|i'd|me|my|mine|we|we're|we've|our|us)\b", re.I)
#: A request opening with its verb ("tell me ...", "send me the link", "let me know ...").
_IMPERATIVE = re.compile(
    r"(?:tell|show|give|send|list|explain|describe|help|find|remind|let|share|point|email|"
    r"link|check|confirm|sign|add|put|get|register|enroll)\b",
    re.IGNORECASE,
)


_PLEASANTRIES = frozenset(["greeting", "thanks", "acknowledgement", "farewell"])


def _is_pleasantry(part: str) -> bool:
    talk = small_talk.recognise(part.lower())
    return talk is not None and talk.kind in _PLEASANTRIES


#: A part that opens as a question ("tell me about ..." is a request: no question mark).
_ASKS = re.compile(_LEAD_IN + _ASKING, re.IGNORECASE)
