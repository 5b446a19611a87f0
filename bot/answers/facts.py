"""What kind of fact a question asks for, and whether a text holds one.

"How much does membership cost?" asks for an amount; an entry about
membership that names no price does not answer it, however well its words
match. The engine answers only when the chosen entry has a sentence holding
the kind of fact asked for (about the question's topic); otherwise it says
plainly what it does not know.

Kinds: ``cost``, ``count``, ``winner``, ``person``, ``date``, ``time``,
``duration``, ``link``, ``phone``, ``email``, ``place``, ``how_to``. A
question asking for something that changes from day to day ("how many spots
are *still* available", "so far") is ``live``: a knowledge file never holds it;
"right now" or "currently" beside a person ("who is the vice-president right now")
asks who holds it as of the knowledge. The asking words set the kind, never words of
a title ("who wrote the *Winning* Traits post" asks an author, a person).

The work is split by responsibility: the words both sides share
(:mod:`bot.answers.fact_words`), the kind a question asks for
(:mod:`bot.answers.fact_kinds`), what a question says about the fact it wants
(:mod:`bot.answers.fact_asked`) and whether a sentence holds it
(:mod:`bot.answers.fact_checks`). This module names them in one place.
"""

from __future__ import annotations

from bot.answers.fact_asked import asks_outcome, asks_rate, asks_year, edition
from bot.answers.fact_checks import (
    holds,
    holds_the_role,
    more_than_a_year,
    names_a_year,
    of_an_earlier_round,
)
from bot.answers.fact_kinds import (
    FactQuestion,
    asks_author,
    fact_kind,
    length_verb_as_last,
    names_author,
    searched_words,
    stated_kind,
)
from bot.answers.fact_words import FactKind

__all__ = [
    "FactKind",
    "FactQuestion",
    "asks_author",
    "asks_outcome",
    "asks_rate",
    "asks_year",
    "edition",
    "fact_kind",
    "holds",
    "holds_the_role",
    "length_verb_as_last",
    "more_than_a_year",
    "names_a_year",
    "names_author",
    "of_an_earlier_round",
    "searched_words",
    "stated_kind",
]
