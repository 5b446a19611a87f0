"""Text normalisation shared by the indexes and the question parser.

Pipeline: fold (drop accents, lower case, straighten quotes) -> synonym
rewriting (see :mod:`bot.answers.synonyms`) -> tokens -> light stems.
The stemmer is deliberately crude: it only has to map the forms members
actually type (``mentors``, ``mentoring``, ``nominations``) onto the same key
as the knowledge file, in both directions.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TOKEN = re.compile(r"[a-z0-9]+")

#: Texting shorthand members type on a phone, spelled out before anything else
#: looks at the question (the date parser included: "how many days til the mtg").
#: Only general English here; the association's own acronyms live in the
#: knowledge file's ``synonyms:`` section, where staff can edit them.
_SHORTHAND = {
    "u": "you", "ya": "you", "r": "are", "ur": "your", "yall": "you all", "ppl": "people",
    "pls": "please", "plz": "please", "thx": "thanks", "thnx": "thanks", "tx": "thanks",
    "idk": "i do not know", "dunno": "do not know", "abt": "about", "bc": "because",
    "cuz": "because", "coz": "because", "bcuz": "because", "thru": "through",
    "tho": "though", "b4": "before", "rn": "right now", "info": "information",
    "mtg": "meeting", "mtgs": "meetings", "yr": "year", "yrs": "years", "wk": "week",
    "wks": "weeks", "hr": "hour", "hrs": "hours", "mins": "minutes", "tmrw": "tomorrow",
    "tmr": "tomorrow", "tmw": "tomorrow", "2day": "today", "2morrow": "tomorrow",
    "tonite": "tonight", "2nite": "tonight", "nom": "nomination", "noms": "nominations",
    "app": "application", "apps": "applications", "lib": "library", "libs": "libraries",
    "dept": "department", "org": "organization", "orgs": "organizations",
    "assoc": "association", "req": "requirement", "reqs": "requirements",
    "q": "question", "qs": "questions", "b": "be", "mgr": "manager", "prob": "probably",
    "gonna": "going to", "wanna": "want to", "gotta": "got to", "hafta": "have to",
    "hasta": "has to", "kinda": "kind of", "sorta": "sort of", "lemme": "let me",
    "gimme": "give me", "wat": "what", "wut": "what", "wht": "what", "whn": "when",
    "whens": "when is", "wheres": "where is", "whos": "who is", "hows": "how is",
    "whats": "what is", "cant": "can not", "dont": "do not", "doesnt": "does not",
    "didnt": "did not", "wont": "will not", "isnt": "is not", "arent": "are not",
    "havent": "have not", "wasnt": "was not", "shouldnt": "should not",
    "couldnt": "could not", "wouldnt": "would not", "hasnt": "has not", "hadnt": "had not",
    "werent": "were not", "theyre": "they are", "youve": "you have", "weve": "we have",
    "theyve": "they have", "youll": "you will", "theyll": "they will", "whys": "why is",
    "whatre": "what are", "howre": "how are", "whered": "where did", "howd": "how did",
    "w": "with", "svc": "service", "svcs": "services", "srvcs": "services",
    "prog": "program", "progs": "programs", "mbr": "member", "mbrs": "members",
    "mbrship": "membership", "avail": "available", "appt": "appointment",
    "approx": "approximately", "lmk": "let me know", "yrly": "yearly", "stmt": "statement",
    "prereq": "prerequisite", "prereqs": "prerequisites",
    "mos": "months", "wkly": "weekly", "mthly": "monthly", "asap": "as soon as possible",
}  # fmt: skip
_SHORTHAND_WORD = re.compile(r"(?<![\w'])(" + "|".join(map(re.escape, _SHORTHAND)) + r")(?![\w'])")
_SLASHED_SHORTHAND = re.compile(r"(?<!\w)(w/o|w/|b/c)(?=\s|\w|$)")
_SLASHED_WORDS = {"w/o": "without ", "w/": "with ", "b/c": "because "}
#: "I'm 16", "I am 17", "16 years old", "aged 16": a stated age, worded as one.
_STATED_AGE = re.compile(
    r"\b(?:(?:i'?m|i am|im|he'?s|she'?s|they'?re|aged?) (\d{1,2})"
    r"(?! ?(?:am|pm|[/:.%]|min|minute|hour|hr|day|week|month|time|th|st|nd|rd))"
    r"|(\d{1,2}) ?(?:years?|yrs?|y) ?old|(\d{1,2}) ?yo)\b"
)
#: Contractions spelled out, so "can't" and "we'll" are not read as the words
#: "cant" and "well". A trailing 's is left to :func:`words`: "is" and a
#: possessive both carry no topic.
_CLOCK_TIME = re.compile(r"\b(\d{1,2}(?::\d\d)?)(am|pm)\b")
_NEGATIONS = {"can't": "can not", "won't": "will not", "shan't": "shall not", "ain't": "is not"}
_NEGATION = re.compile(r"\b(can't|won't|shan't|ain't|[a-z]+(?=n't\b))(?:n't)?")
_CONTRACTION = re.compile(r"(?<=[a-z])'(re|ve|ll|d|m)\b")
_CONTRACTED = {"re": " are", "ve": " have", "ll": " will", "d": " would", "m": " am"}
_POSSESSIVE = re.compile(r"(?<=[a-z])'s\b")
_APOSTROPHE = re.compile(r"(?<=[a-z])'(?=[a-z])")

#: Words that carry no topic. Question words are *not* here: "who" and "when"
#: help pick between entries, so they are kept with a low weight instead.
_STOPWORD_TEXT = """
    a about above after again all also am an and any anyone anything are as at be been
    being but by can could did do does doing dont done for from get got had has have
    having he her here hers him his i id if im in into is isnt it its itll ive just let
    lets like me might more most my myself need needs no nor not now of off on once only
    or other our ours out over own please really same she should so some someone something
    still such tell than that thats the their theirs them then there theres these they
    this those through to too u under until up us very want wanna was we were whats
    whether which while will with would yet you youre your yours hi hello hey ok okay
    actually anybody basically usually exactly literally generally typically probably
    maybe perhaps stuff thing things anyway guys folks lol omg um uh hmm kind kinds sort
    type types information curious wondering wonder sure ever even already currently
    right around bother quick quickly am pm least side
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

#: Low-weight words: they shape a question's meaning but say little about its topic.
_LIGHT_TEXT = (
    "who what when where why how long old much many whom whose "
    "mean means meaning stand stands define definition acronym abbreviation explain describe"
)
LIGHT_WORDS = frozenset(_LIGHT_TEXT.split())
#: The question words proper: a short typo is taken for one of these ("wen", "hwo").
WH_WORDS = frozenset(["who", "what", "when", "where", "why", "how"])

_SUFFIXES: tuple[tuple[str, str, int], ...] = (
    # (suffix, replacement, minimum stem length left)
    ("ational", "ate", 3),
    ("ations", "ate", 3),
    ("ation", "ate", 3),
    ("ities", "ity", 3),
    ("ility", "le", 3),
    ("iness", "y", 3),
    ("ness", "", 4),
    ("ments", "", 4),
    ("ment", "", 4),
    ("ships", "ship", 4),
    ("ings", "", 4),
    ("ing", "", 3),
    ("ies", "y", 3),
    ("ied", "y", 3),
    ("sses", "ss", 2),
    ("ees", "ee", 3),
    ("ers", "er", 3),
    ("ors", "or", 3),
    ("ed", "", 3),
    ("ly", "", 4),
    ("es", "e", 3),
    ("s", "", 3),
)
#: Stems that should meet but do not by suffix rules alone.
_IRREGULAR = {
    "applic": "apply",
    "applicant": "apply",
    "nomine": "nomin",
    "donor": "don",
    "renewal": "renew",
    "reinst": "renew",
    "honour": "honor",
    "organiz": "organis",
}
_NO_STRIP_ENDINGS = ("ss", "us", "is", "ous")


def fold(text: str) -> str:
    """Lower case, accents removed (Día -> dia), curly quotes straightened."""
    decomposed = unicodedata.normalize("NFKD", text)
    without_marks = "".join(char for char in decomposed if not unicodedata.combining(char))
    return without_marks.replace("\u2019", "'").replace("\u2018", "'").lower()


def expand_shorthand(folded: str) -> str:
    """Spell out texting shorthand in folded text ("r u hiring ppl" -> "are you hiring people").

    A stated age ("I'm 16", "my 17 year old") becomes "age 16", so it meets
    the knowledge's words about age limits.
    """
    folded = _SLASHED_SHORTHAND.sub(lambda match: _SLASHED_WORDS[match.group(1)], folded)
    folded = _CLOCK_TIME.sub(r"\1 \2", folded)  # "5pm" -> "5 pm"
    folded = _STATED_AGE.sub(lambda match: f"age {next(g for g in match.groups() if g)}", folded)
    folded = _NEGATION.sub(_spell_out_negation, folded)
    folded = _CONTRACTION.sub(lambda match: _CONTRACTED[match.group(1)], folded)
    return _SHORTHAND_WORD.sub(lambda match: _SHORTHAND[match.group(1)], folded)


def _spell_out_negation(match: re.Match[str]) -> str:
    word = match.group(1)
    return _NEGATIONS.get(word) or f"{word} not"


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Map a folded word onto a crude stem (``mentoring`` -> ``mentor``)."""
    return _IRREGULAR.get(suffix_stem(word), suffix_stem(word))


@lru_cache(maxsize=65536)
def suffix_stem(word: str) -> str:
    """The stem by suffix rules alone, before irregular stems are mapped together.

    A typo stems like the word it misspells ("aplication" -> "aplic", as
    "application" -> "applic"), so this is what typo correction compares.
    """
    if len(word) <= 3 or word.isdigit() or word.endswith(_NO_STRIP_ENDINGS):
        return word
    for suffix, replacement, keep in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= keep:
            word = word[: len(word) - len(suffix)] + replacement
            break
    if len(word) >= 4 and word[-1] == word[-2] and word[-1] not in "aeioulsz":
        word = word[:-1]  # planning -> plann -> plan
    if len(word) > 5 and word.endswith("at") and word[-3] not in "aeiou":
        word = word[:-2]  # nominated -> nominat -> nomin, as nominate (not treated -> tre)
    elif len(word) > 4 and word.endswith("ate"):
        word = word[:-3]  # nominate / nomination -> nomin
    elif len(word) > 4 and word.endswith("e"):
        word = word[:-1]  # close / closed / closing -> clos
    return word


def words(folded: str) -> list[str]:
    """Split folded text into raw words (possessives and apostrophes removed)."""
    folded = _POSSESSIVE.sub("", folded)
    folded = _APOSTROPHE.sub("", folded)
    return _TOKEN.findall(folded)


def normalize_question(question: str) -> str:
    """Grouping key for repeats: case, accents, punctuation and spacing do not count."""
    return " ".join(words(fold(question)))[:500]


def content_stems(folded: str) -> list[str]:
    """Stems of the words that are not stopwords, in order (duplicates kept)."""
    return [stem(word) for word in words(folded) if word not in STOPWORDS]


def is_light(stemmed: str) -> bool:
    """True for low-weight question words (already stemmed)."""
    return stemmed in _LIGHT_STEMS


_LIGHT_STEMS = frozenset(stem(word) for word in LIGHT_WORDS)
