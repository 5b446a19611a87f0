"""The shape of a member's message: its questions, and what is only context.

A message may ask two things ("when do applications close, and who reviews
them?"). Only clear boundaries split: a question mark followed by more words,
a semicolon, "and"/"also"/"plus" right before a new question word, a full stop
before a new question, ", or is it ...", or a new line that starts a list item,
a question or thanks. "Mentor vs mentee, who has to be a member?" stays one
question.

A sentence that only tells the bot about the member ("I'm a branch manager and
only recently joined ALSC.", "I'm trying to plan my month.", "The budget at my
branch got cut."), a remark about the message ("Quick question:", "Sorry if
this is a dumb question.") or a pleasantry ("Thanks in advance!") is *context*,
not a question: it has no question mark, asks nothing indirectly ("I was
wondering when ...") and requests nothing ("I need the link", "tell me ...").
Context is never answered on its own and never stored as unanswered: the
question beside it is searched on its own first; the statement's words help
only when the question refers back to it ("I saw a post about the racial
healing day. What is it about?") or finds nothing alone.

A choice between two things ("Is Dec 7 the deadline for A or for B?", "is the
ballot deadline jan 31 or feb 1?") is asked as two yes/no questions, one for
each, so each gets its own answer.

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

Laughter and emoji ("lol", "haha", ":)", an emoji) say how the member feels,
never what they ask: they are taken out before the message is split or
searched (a message of nothing else is kept as typed).

The member's purpose with its subject left out ("want to activate it over the
phone", "need it for my application", "going to apply next week") is context
too; asking with the subject left out ("need the date of the mixer", "want to
know when ...", "looking for the form") is not. A polite wrapper round a
question ("I'd like to know how long ...", "I'd be grateful to know whether
...", "could you let me know who ...") is taken off before the question is
searched. An aside in brackets ("who is elly exactly (like her job)") is taken
out of its question, which is asked alone first and with the aside when it
names no topic or finds nothing. "+" and "&" join two questions like "and"; a
remark before a dash is context like one before a colon ("Quick one - is
..."); a topic before a colon or dash over several questions ("Dia booklists -
who makes them, and are they out all year?") is a heading of the message, context
too. A numbered list inside one line ("1) who ... 2) how long ...") is a question
per item. A tag question ("..., wasn't it?", "..., right?", "... isn't it"
without its question mark) is one part that asks: the statement before the
tag is a premise to check.

Headings echo the member's own words, with their own capitals, each a
paragraph of its own; a heading that asks gets its question mark, also after a
preposition ("In what year did ...?").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.answers import small_talk
from bot.answers.answer import Answer
from bot.answers.date_questions import CALENDAR_WORDS
from bot.answers.text import is_light
from bot.date_wording import MONTHS, WEEKDAYS

#: Words a question opens with.
_ASKING = (
    r"(?:who|whos|whose|whom|what|whats|when|whens|where|wheres|why|how|hows|which|is|are|do|does|did|can|"
    r"could|should|will|would|has|have|was|were|am|any|anything)\b"
)
#: Words a new question or request opens with.
_QUESTION_START = r"(?:" + _ASKING + r"|(?:tell me|i also)\b)"
#: "... and have it processed", "... and do it online": the verb goes on, no new question.
_VERB_GOES_ON = r"(?:have|do|are|were|am)\s+(?:it|them|me|him|us)\b"
_BOUNDARY = re.compile(
    r"\?+\s*(?:and |also |plus |oh and |oh,? )*(?=\w)"
    r"|;\s*(?:and |also )?"
    r"|[,.]?\s+(?:and|also|plus|\+|&)\s+(?:also\s+)?(?!"
    + _VERB_GOES_ON
    + r")(?="
    + _QUESTION_START
    + r")"
    r"|[.!]\s+(?:also|and|plus)[,]?\s+"
    r"|[.!]\s+(?=" + _QUESTION_START + r")"
    # "are there booklists, or are those only out in April?": a second question, not a choice
    # (the piece keeps its "or": a tail naming nothing the knowledge has is a worry)
    r"|,?\s+(?=or\s+(?:is|are|was|were|do|does|did|can|will|would|should|am)\s+(?:it|that|"
    r"this|those|these|they|there|he|she|i|we|you)\b)",
    re.IGNORECASE,
)
MAX_PARTS = 3
_MIN_WORDS = 2

# ------------------------------------------------------------------ context
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


def as_typed(message: str) -> str:
    """A message with accents dropped (Día -> Dia) and quotes straightened, capitals kept.

    :func:`bot.answers.text.fold` of a message is this in lower case.
    """
    decomposed = unicodedata.normalize("NFKD", message)
    without_marks = "".join(char for char in decomposed if not unicodedata.combining(char))
    typed = without_marks.replace("\u2019", "'").replace("\u2018", "'").strip()
    return without_laughter(typed) or typed


#: Laughter and smileys: "lol", "haha", "hehe", "lmao", ":)", ";-)", "xD".
_LAUGHTER = re.compile(
    r"(?<![\w'])(?:lo+l(?:ol)*z?|lmf?ao+|rofl|(?:b?w?a?h+a+){2,}h?|(?:he){2,}h?|(?:hi){3,}|xd+)(?![\w'])"
    r"|(?<!\w)[:;=]-?[)(dpo3|/\\*]+(?!\w)|(?<!\w)[<]3(?!\w)",
    re.IGNORECASE,
)


def _is_symbol(char: str) -> bool:
    """An emoji or a pictograph (and the joiners and selectors that build one)."""
    return unicodedata.category(char) in ("So", "Sk", "Cs") or char in "\u200d\ufe0f\ufe0e"


def without_laughter(message: str) -> str:
    """A message without its laughter and emoji ("what shows is she into lol 😅" -> "what
    shows is she into"): they say how the member feels, never what they ask, and must not
    change how a message is split or searched. Empty when the message is only laughter."""
    text = "".join(" " if _is_symbol(char) else char for char in message)
    text = _LAUGHTER.sub(" ", text)
    lines = [
        re.sub(r"[ \t]+([?,.!:;])", r"\1", " ".join(line.split())) for line in text.split("\n")
    ]
    # a laugh between two sentences leaves one mark: "ok lol, when is it" -> "ok, when is it"
    lines = [re.sub(r"^[\s,.;:!-]+", "", re.sub(r"([,.;:])[,.;:]+", r"\1", line)) for line in lines]
    return "\n".join(lines).strip()


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


#: An aside in brackets ("who is elly exactly (like her job)").
_ASIDE = re.compile(r"\s*\(([^()?]{1,80})\)")


def split_message(cleaned: str) -> list[Part]:
    """The sentences of a message (accents dropped, case kept), context marked.

    One part, unmarked, when the message asks one thing and says nothing else. An aside
    in brackets is context: the question is asked without it first.
    """
    return [_without_aside(part) for part in _sentences(cleaned)]


def _without_aside(part: Part) -> Part:
    asides = [aside.strip() for aside in _ASIDE.findall(part.shown) if aside.strip()]
    shown = " ".join(_ASIDE.sub(" ", part.shown).split())
    if part.context or not asides or len(shown.split()) < _MIN_WORDS:
        return part
    return Part(re.sub(r"\s+([?,.!])", r"\1", shown), aside=" ".join(asides))


def _sentences(cleaned: str) -> list[Part]:
    pieces = _pieces(cleaned)
    # a one-word piece is too short to be asked on its own ("... and how?"), unless it is
    # only a pleasantry ("when is the mixer? thanks")
    too_short = [p for p in pieces if len(p.split()) < _MIN_WORDS and not _is_pleasantry(p)]
    if len(pieces) < 2 or too_short:
        return _choices(Part(cleaned.strip()))
    parts = [Part(piece, context=is_context(piece)) for piece in pieces]
    questions = [part for part in parts if not part.context]
    if not questions:
        return _choices(Part(cleaned.strip()))  # only statements: read as one message, as typed
    if len(questions) > MAX_PARTS:
        rest = " ".join(part.shown for part in questions[MAX_PARTS - 1 :])
        kept = {id(part) for part in questions[: MAX_PARTS - 1]}
        parts = [p for p in parts if p.context or id(p) in kept] + [Part(rest)]
    return [choice for part in parts for choice in _choices(part)]


def split_question(folded: str) -> list[str]:
    """The separate parts of a (folded) message; one item when it asks one thing."""
    return [part.text for part in split_message(folded)]


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


def asks(message: str) -> bool:
    """True when a message asks or requests something, in any of its sentences.

    "I should like to know whether ...", "so i want to volunteer ... who do i ask" ask;
    "I just joined ALSC", "hope you're well", "how are you?" do not.
    """
    return any(_asks(piece) and not _is_pleasantry(piece) for piece in _pieces(message))


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


def _pieces(cleaned: str) -> list[str]:
    """The message cut at clear boundaries; a piece keeps its question mark."""
    pieces: list[str] = []
    for line in _lines(cleaned):
        start, joined = 0, False
        for boundary in _BOUNDARY.finditer(line):
            if boundary.start() == 0 or boundary.end() >= len(line):
                continue
            piece = line[start : boundary.start()].strip(" ,.!")
            if piece:
                piece += "?" if boundary.group(0).startswith("?") else ""
                _add_piece(pieces, piece, joined)
            start, joined = boundary.end(), bool(_AND.match(boundary.group(0)))
        last = line[start:].strip(" ,.!")
        if last:
            _add_piece(pieces, last, joined)
    asking = [not is_context(piece) for piece in pieces]
    return [
        cut
        for number, piece in enumerate(pieces)
        for cut in _lead_in_cut(piece, several=any(asking[number + 1 :]))
    ]


_AND = re.compile(r"[,.]?\s+(?:and|also|plus|\+|&)\s", re.IGNORECASE)


def _add_piece(pieces: list[str], piece: str, joined: bool) -> None:
    """A piece after "and" that goes on with a statement stays in it: "I'm on staff at a
    library foundation and was curious." (but "I'm new and can mentees join?" asks)."""
    if joined and pieces and not piece.endswith("?") and is_context(pieces[-1]):
        pieces[-1] = f"{pieces[-1]} and {piece}"
    else:
        pieces.append(piece)


#: A list item's marker at the start of a line ("- ", "* ", "1. ", "2) ").
_LIST_MARKER = re.compile(r"^\s*(?:[-*\u2022]|\d{1,2}[.)])\s+")
#: A line that starts something new: a list item, a question, thanks.
_NEW_LINE = re.compile(
    r"^\s*(?:(?:[-*\u2022]|\d{1,2}[.)])\s|" + _QUESTION_START + r"|(?:thanks|thank|thx|ty)\b)",
    re.IGNORECASE,
)


def _lines(cleaned: str) -> list[str]:
    """The message's lines, a line wrapped in mid-sentence joined to the one before.

    "1. when is the mixer / 2. who hosts it" is two lines; "I was wondering when the /
    mixer is" is one.
    """
    lines: list[str] = []
    for line in cleaned.splitlines():
        if not line.strip():
            continue
        if lines and not _NEW_LINE.match(line) and not lines[-1].endswith((".", "?", "!", ":")):
            lines[-1] = f"{lines[-1]} {line.strip()}"
        else:
            lines.append(line.strip())
    return [_LIST_MARKER.sub("", item) for line in lines for item in _inline_items(line)]


#: A numbered list inside one line: "two questions: 1) who can ... 2) how long ...".
_INLINE_LIST = re.compile(r"(?:^|[\s:])1[.)]\s+\S.*\s2[.)]\s+\S")
_INLINE_MARKER = re.compile(r"(?:^|(?<=[\s:]))\d{1,2}[.)]\s+")


def _inline_items(line: str) -> list[str]:
    """A line holding a numbered list (1 ... 2 ...) cut at its numbers."""
    if not _INLINE_LIST.search(line):
        return [line]
    items = [item.strip(" ,;") for item in _INLINE_MARKER.split(line)]
    return [item for item in items if item]


#: A lead-in before a colon or a comma ("Quick question: how ...", "I'm new, when ...").
_LEAD_IN_END = re.compile(
    r"\s*(?:[:,]|\s[-\u2013\u2014])\s+(?=" + _QUESTION_START + r")", re.IGNORECASE
)


def _lead_in_cut(piece: str, *, several: bool = False) -> list[str]:
    """ "Quick question: how long is it?" -> the remark, then the question; "the winning
    traits post - what's required ..., and what ...?" -> the topic (a heading, kept with its
    colon), then the questions; ``several`` when more questions follow the piece."""
    end = _LEAD_IN_END.search(piece)
    if end is None:
        return [piece]
    lead_in = piece[: end.start()]
    if is_context(lead_in):
        return [lead_in, piece[end.end() :]]
    rest = piece[end.end() :]
    # a topic heading over several questions ("the post - what's required, and what ...");
    # over one question it stays part of it ("the funding - is that ALA membership too")
    heading = end.group(0).strip() != "," and len(lead_in.split()) <= _MAX_HEADING_WORDS
    if heading and not _asks(lead_in) and (several or _BOUNDARY.search(rest)):
        return [f"{lead_in}:", rest]
    return [piece]


_MAX_HEADING_WORDS = 6


# ------------------------------------------------------------------ choices
_YES_NO_START = re.compile(
    r"^\W*(?:is|are|was|were|does|do|did|will|would|can|could|should|has|have)\b", re.IGNORECASE
)
_OR = re.compile(r",?\s+or\s+", re.IGNORECASE)
#: Second alternatives that are not a thing to choose ("... or not?", "... or something?").
_NO_ALTERNATIVE = re.compile(
    r"^(?:not|no|nah|something|anything|what|else|so|is|are|was|were|am|do|does|did|can|"
    r"could|will|would|should|has|have)\b",
    re.IGNORECASE,
)


def _choices(part: Part) -> list[Part]:
    """ "Is Dec 7 the deadline for A or for B?" -> the question asked about A, then about B.

    The second alternative opens with the word that opens the first ("for ... or for
    ...", "the ... or the ..."); everything before the first alternative is asked of both.
    """
    text = part.shown
    ors = list(_OR.finditer(text))
    if part.context or len(ors) != 1 or not _YES_NO_START.match(text):
        return [part]
    before, after = text[: ors[0].start()], text[ors[0].end() :].rstrip(" ?")
    if not after or _NO_ALTERNATIVE.match(after):
        return [part]
    opener = after.split()[0]
    shared = re.search(rf"^(.*\S)\s+{re.escape(opener)}\s", before, re.IGNORECASE)
    if shared is None:
        return _value_choices(before, after) or [part]
    if len(shared.group(1).split()) < _MIN_WORDS:
        return [part]
    first = before[shared.end(1) :].strip()
    if len(first.split()) < _MIN_WORDS or len(after.split()) < _MIN_WORDS:
        return [part]
    return [Part(f"{shared.group(1)} {first}?"), Part(f"{shared.group(1)} {after}?")]


#: Words that open a date or a time: "Jan 31 or Feb 1", "Thursday or Friday", "5pm or 6pm".
_VALUE_WORDS = frozenset([*MONTHS, *WEEKDAYS])
_MAX_VALUE_WORDS = 3


def _value_choices(before: str, after: str) -> list[Part] | None:
    """ "Is the ballot deadline Jan 31 or Feb 1?": the same question of each date or time."""
    alternative = after.split()
    if len(alternative) > _MAX_VALUE_WORDS or not _is_value(alternative[0]):
        return None
    asked = before.split()
    if len(asked) < len(alternative) + _MIN_WORDS or not _is_value(asked[-len(alternative)]):
        return None
    shared = " ".join(asked[: -len(alternative)])
    first = " ".join(asked[-len(alternative) :])
    return [Part(f"{shared} {first}?"), Part(f"{shared} {after}?")]


def _is_value(word: str) -> bool:
    word = word.lower().rstrip(".,")
    return word[:1].isdigit() or word in _VALUE_WORDS


# ------------------------------------------------------------------ answering
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


#: A part that opens as a question ("tell me about ..." is a request: no question mark).
_ASKS = re.compile(_LEAD_IN + _ASKING, re.IGNORECASE)
#: A heading that asks, also after a preposition ("In what year did ...", "For how long ...").
_HEADING_ASKS = re.compile(
    _LEAD_IN + r"(?:(?:in|for|since|until|till|by|at|on|to|from|with|of|about|after|before|"
    r"during|under)\s+)?" + _ASKING,
    re.IGNORECASE,
)
