"""Split a message that asks two things ("when do applications close, and who reviews them?").

Only clear boundaries split: a question mark followed by more words, a
semicolon, or "and"/"also"/"plus" right before a new question word. "Mentor
vs mentee, who has to be a member?" stays one question.
"""

from __future__ import annotations

import re

_QUESTION_START = (
    r"(?:who|whos|whose|whom|what|whats|when|whens|where|wheres|why|how|hows|which|is|are|do|does|did|can|"
    r"could|should|will|would|has|have|was|were|am|any|anything|tell me|i also)\b"
)
_BOUNDARY = re.compile(
    r"\?+\s*(?:and |also |plus |oh and |oh,? )*(?=\w)"
    r"|;\s*(?:and |also )?"
    r"|[,.]?\s+(?:and|also|plus)\s+(?:also\s+)?(?=" + _QUESTION_START + r")"
    r"|[.!]\s+(?:also|and|plus)[,]?\s+"
    r"|[.!]\s+(?=" + _QUESTION_START + r")"
)
MAX_PARTS = 3
_MIN_WORDS = 2


def split_question(folded: str) -> list[str]:
    """The separate questions in a (folded) message; one item when it asks one thing."""
    parts = [part.strip(" ,.!") for part in _BOUNDARY.split(folded)]
    parts = [part for part in parts if part]
    if len(parts) < 2 or any(len(part.split()) < _MIN_WORDS for part in parts):
        return [folded]
    if len(parts) > MAX_PARTS:
        parts = [*parts[: MAX_PARTS - 1], " ".join(parts[MAX_PARTS - 1 :])]
    return parts
