"""What the engine says about one question (shared by the engine and its helpers)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

AnswerKind = Literal["entry", "calendar", "small_talk", "missing_fact", "abstained", "compound"]


@dataclass(frozen=True)
class Answer:
    """What the engine says about one question.

    Attributes:
        answered: False when the engine abstained or lacks the fact asked for
            (the text then names a contact).
        text: Reply in neutral markup.
        sources: Ids of the entries (or, for calendar answers, deadlines) used.
        score: Confidence in [0, 1] of the best match (1.0 for calendar answers).
        kind: How the answer was made; small talk is never stored as unanswered.
        unanswered_parts: Parts of a message asking several things that could
            not be answered (stored for staff like any unanswered question).
    """

    answered: bool
    text: str
    sources: tuple[str, ...]
    score: float
    kind: AnswerKind = "entry"
    unanswered_parts: tuple[str, ...] = field(default=())
