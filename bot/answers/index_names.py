"""Names the knowledge has never heard of: "the Printz award", "the Public Library Association".

An unknown word right before a naming noun ("Printz award", "AASL
conference") names a thing the knowledge has never heard of, and so does a
name made of familiar words that no sentence of the knowledge holds together
("join the Public Library Association"). :mod:`bot.answers.index` weighs both
as terms no entry explains.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.answers import text as text_rules
from bot.answers.typos import TypoCorrector

#: Nouns that a name stands before ("the Printz *award*", "the AASL *conference*").
_NAMING_NOUNS = (
    "award awards medal medals prize prizes honor honors committee committees conference "
    "conferences scholarship scholarships grant grants fund funds fellowship program programs "
    "association council institute division section roundtable caucus"
)
#: Heads of the names of organisations and their parts ("the Texas Library
#: *Association*", "the *Association* of College and Research Libraries").
_ORGANISATION_HEADS = (
    "association associations society council foundation institute division chapter network "
    "alliance federation consortium guild union caucus roundtable committee committees"
)
#: Words joining a name that follows its head ("Association *of* ... *and* ...").
_NAME_JOINERS = frozenset(["of", "for", "on", "and", "the"])
#: A name of known words that no sentence of the knowledge holds together (the Public
#: Library Association) names something else: it weighs as this many unknown words.
UNKNOWN_PHRASE_WEIGHT = 3.0
#: Ordinary words that often stand before those nouns without naming anything.
_GENERIC_MODIFIERS = (
    "good best great right fun local virtual online annual upcoming next new big small main "
    "other another different first last same each every whole official general specific "
    "particular special current recent old older youth library childrens"
)

NAMING_STEMS = frozenset(text_rules.stem(word) for word in _NAMING_NOUNS.split())
GENERIC_STEMS = frozenset(text_rules.stem(word) for word in _GENERIC_MODIFIERS.split())
_ORGANISATION_HEADS_SET = frozenset(_ORGANISATION_HEADS.split())


def unknown_names(
    folded: str,
    *,
    analyze: Callable[[str], list[str]],
    capitalised: frozenset[str],
    typos: TypoCorrector,
    sentences: dict[str, set[int]],
) -> list[str]:
    """Names of organisations or committees in a question that the knowledge never holds.

    A name is a head noun ("association", "committee") with the words that
    qualify it before it ("the *Texas Library* Association") or after it ("the
    Association *of College and Research Libraries*"): words the knowledge never
    uses, or writes with a capital inside a sentence, as part of a name
    ("Public", "Library"), never a verb of the question ("may *observe* ALSC
    committee meetings"). A name is known when one sentence of the knowledge has
    all its stems ("state library associations", "the underserved children
    committee"); everyday qualifiers ("the right committee") name nothing.

    Args:
        folded: The folded question.
        analyze: Text -> stems, as the index analyses its documents.
        capitalised: Words the knowledge writes with a capital inside a sentence.
        typos: The index's typo corrector (which words the knowledge spells).
        sentences: Stem -> the sentences of the knowledge that use it.
    """
    tokens = text_rules.words(folded)
    names: list[str] = []
    for position, word in enumerate(tokens):
        if word not in _ORGANISATION_HEADS_SET:
            continue
        before: list[str] = []
        for earlier in reversed(tokens[max(0, position - 4) : position]):
            if not _name_word(earlier, capitalised, typos):
                break
            before.insert(0, earlier)
        after: list[str] = []
        if position + 2 < len(tokens) and tokens[position + 1] in ("of", "for", "on"):
            for later in tokens[position + 2 : position + 8]:
                if later not in _NAME_JOINERS and not _name_word(later, capitalised, typos):
                    break
                after.append(later)
        while after and after[-1] in _NAME_JOINERS:
            after.pop()
        qualifiers = [
            item
            for item in (*before, *after)
            if item not in _NAME_JOINERS and text_rules.stem(item) not in GENERIC_STEMS
        ]
        if not qualifiers:
            continue
        name = " ".join([*before, word, *after])
        if not _held_together(analyze(name), sentences):
            names.append(name)
    return names


def _name_word(word: str, capitalised: frozenset[str], typos: TypoCorrector) -> bool:
    """True for a word that may be part of a name: unknown, or capitalised in the knowledge."""
    if word in text_rules.STOPWORDS or word in text_rules.WH_WORDS:
        return False
    if word in capitalised:
        return True
    # a word the knowledge never uses, and no slip of one ("teh" is "the")
    return not typos.knows(word) and typos.correct(word) is None


def _held_together(stems: Sequence[str], sentences: dict[str, set[int]]) -> bool:
    """True when one sentence of the knowledge has every one of these stems."""
    if not stems:
        return True
    found: set[int] | None = None
    for stem in set(stems):
        holding = sentences.get(stem, set())
        found = set(holding) if found is None else found & holding
        if not found:
            return False
    return True
