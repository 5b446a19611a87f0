"""Split a message that asks two things ("when do applications close, and who reviews them?").

Only clear boundaries split: a question mark followed by more words, a
semicolon, or "and"/"also"/"plus" right before a new question word. "Mentor
vs mentee, who has to be a member?" stays one question.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.answers.answer import Answer
from bot.answers.text import is_light

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


#: Answers one question; the second argument is the part asked when context was borrowed.
AnswerOne = Callable[[str, str | None], Answer]
_PRONOUN = re.compile(r"\b(it|its|that|this|they|them|their|he|she|her|his|him|those|these)\b")


def answer_parts(
    parts: list[str], answer_one: AnswerOne, analyze: Callable[[str], list[str]]
) -> Answer:
    """Each part answered on its own; a part that needs the other's topic borrows it."""
    answers: list[tuple[str, Answer]] = []
    for number, part in enumerate(parts):
        needs_context = number > 0 and _leans_on_context(part, analyze)
        result = answer_one(part, None)
        if number > 0 and (needs_context or not result.answered):
            borrowed = answer_one(f"{part} {parts[number - 1]}", part)
            if borrowed.answered:
                result = borrowed
        answers.append((part, result))
    answered = [(part, result) for part, result in answers if result.answered]
    if not answered:
        return max((result for _, result in answers), key=lambda result: result.score)
    sources = tuple(dict.fromkeys(source for _, r in answered for source in r.sources))
    if len({result.text for _, result in answers}) == 1:
        return answered[0][1]
    sections = [f"**{_quoted(part)}**\n{result.text}" for part, result in answers]
    missing = tuple(part for part, result in answers if not result.answered)
    score = min(result.score for _, result in answered)
    return Answer(True, "\n\n".join(sections), sources, score, "compound", missing)


def _leans_on_context(part: str, analyze: Callable[[str], list[str]]) -> bool:
    """A second question that names no topic of its own ("and when is it due?")."""
    topical = [item for item in analyze(part) if not is_light(item)]
    return len(topical) <= 1 or bool(_PRONOUN.search(part))


def _quoted(part: str) -> str:
    """A member's part-question shown back as plain words (no markup can slip in)."""
    cleaned = re.sub(r"[^\w\s'?,.-]", "", part).strip()
    cleaned = cleaned[:1].upper() + cleaned[1:]
    return cleaned if cleaned.endswith("?") else cleaned + "?"
