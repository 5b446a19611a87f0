"""The part of an entry's answer that answers the question asked.

An entry's answer is split into paragraphs (a lead-in line and its bullets
stay together) and each paragraph into sentences or bullets. A question asking
for one fact gets the paragraph holding the sentence that states it; an open
question ("tell me about the mentoring program") gets the whole entry.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z*\"(])")
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "St.", "Dr.", "Mr.", "Ms.", "Mrs.")


@dataclass(frozen=True)
class Passage:
    """One paragraph of an answer and the sentences (or bullets) it is made of."""

    text: str
    sentences: tuple[str, ...]


def split_passages(answer: str) -> list[Passage]:
    """Paragraphs of neutral markup, each with its sentences and bullet items."""
    passages = []
    blocks = [block.strip() for block in re.split(r"\n\s*\n", answer.strip()) if block.strip()]
    merged: list[str] = []
    for block in blocks:
        if merged and merged[-1].endswith(":"):
            merged[-1] += "\n\n" + block  # a lead-in line stays with its list
        else:
            merged.append(block)
    for block in merged:
        units: list[str] = []
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("- "):
                units.append(line[2:])
            elif line:
                units.extend(_sentences(line))
        passages.append(Passage(block, tuple(units)))
    return passages


def best_passage(
    passages: Sequence[Passage],
    relevance: Callable[[str], float],
    holds_fact: Callable[[str], bool] | None,
) -> tuple[int, str] | None:
    """Index and sentence of the passage that best answers, or None.

    Args:
        passages: The entry's paragraphs.
        relevance: How much a sentence is about the question's topic (0 = not at all).
        holds_fact: When the question asks for one kind of fact, True for a sentence
            stating one; only such sentences can answer. None accepts any sentence.
    """
    best: tuple[float, int, str] | None = None
    for number, passage in enumerate(passages):
        for sentence in passage.sentences:
            if holds_fact is not None and not holds_fact(sentence):
                continue
            score = relevance(sentence)
            if best is None or score > best[0]:
                best = (score, number, sentence)
    if best is None:
        return None
    return best[1], best[2]


def _sentences(line: str) -> list[str]:
    protected = line
    for abbreviation in _ABBREVIATIONS:
        protected = protected.replace(abbreviation, abbreviation.replace(".", "\u2024"))
    return [part.replace("\u2024", ".") for part in _SENTENCE_END.split(protected) if part]
