"""The shape of a member's message: its questions, and what is only context.

A message may ask two things ("when do applications close, and who reviews
them?"). Only clear boundaries split: a question mark followed by more words,
a semicolon, "and"/"also"/"plus" right before a new question word, a full stop
before a new question, ", or is it ...", or a new line that starts a list item,
a question or thanks. "Mentor vs mentee, who has to be a member?" stays one
question.

A choice between two things ("Is Dec 7 the deadline for A or for B?", "is the
ballot deadline jan 31 or feb 1?") is asked as two yes/no questions, one for
each, so each gets its own answer.

Laughter and emoji ("lol", "haha", ":)", an emoji) say how the member feels,
never what they ask: they are taken out before the message is split or
searched (a message of nothing else is kept as typed).

An aside in brackets ("who is elly exactly (like her job)") is taken out of its
question. "+" and "&" join two questions like "and"; a remark before a dash is
context like one before a colon ("Quick one - is ..."); a topic before a colon
or dash over several questions ("Dia booklists - who makes them, and are they
out all year?") is a heading of the message, context too. A numbered list inside
one line ("1) who ... 2) how long ...") is a question per item.

Which sentences are only context is :mod:`bot.answers.context`; how the parts are
answered is :mod:`bot.answers.parts`.
"""

from __future__ import annotations

import re
import unicodedata

from bot.answers.context import (
    _QUESTION_START,
    Part,
    _asks,
    _is_pleasantry,
    is_context,
)
from bot.date_wording import MONTHS, WEEKDAYS

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


def asks(message: str) -> bool:
    """True when a message asks or requests something, in any of its sentences.

    "I should like to know whether ...", "so i want to volunteer ... who do i ask" ask;
    "I just joined ALSC", "hope you're well", "how are you?" do not.
    """
    return any(_asks(piece) and not _is_pleasantry(piece) for piece in _pieces(message))


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
