"""Questions that state a fact and ask for confirmation ("the program lasts two years, right?").

The stated fact is compared with the sentence the engine would answer with:
numbers, dates, times and durations in the premise that the answer contradicts,
or a rule stated the other way round ("mentees have to be members" against
"mentees do not need to be members"), make the reply open with "Not quite";
a premise whose values all appear in the answer gets "Yes". Otherwise the reply
simply gives the fact.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from bot.answers.facts import fact_kind, holds_the_role
from bot.date_wording import MONTHS

Verdict = Literal["confirmed", "corrected", "unclear"]

_TAG = re.compile(
    r"(,|\s|[.!?])\s*(right|correct|yeah|yes|no|yep|true|ok|okay|is that (right|correct|true|so)|"
    r"(is|was|are|were|do|does|did|can|has|have|will|should)(n't| not)? (it|they|there|i|we|"
    r"you|he|she|that)( (right|true|so|correct))?|innit|isn'?t (it|that so)|am i right|"
    r"(is|was) (that|it) not (right|true|so|correct)|don'?t you think|no\?)\s*\?+\s*$"
)
#: Tags that ask for confirmation even without a question mark ("mentoring is 6 months yeah").
_BARE_TAG = re.compile(
    r"(,|\s)\s*(right|correct|yeah|yep|is that (right|correct|true|so)|am i right|innit)\s*$"
)
_LEADING = re.compile(
    r"^\s*(so|i (think|heard|believe|thought|read|was told)( that)?|isn'?t it true that|"
    r"(is it )?true that|am i right that|correct me if i'?m wrong,? (but )?)\b"
)
#: Someone else's word or the member's own assumption, in front of the statement:
#: "someone told me X", "I assume X", "my understanding is that X", "just to double check, X".
_HEARSAY = re.compile(
    r"^\s*(?:(?:ok(?:ay)?|so|hi|hey|well|um+|hmm+)[,!.]?\s+)?"
    r"(?:(?:some ?(?:one|body)|people|everyone|a (?:friend|colleague|coworker|co-worker)|"
    r"my (?:friend|colleague|coworker|co-worker|boss|director|supervisor|manager|mentor|mentee)|"
    r"(?:he|she|they))\s+(?:told me|tells me|said|says|mentioned|claims?|thinks?)|"
    r"(?:as far as i know|afaik|if i'?m not mistaken|unless i'?m mistaken|last i heard|"
    r"from what i (?:heard|read|understand|remember))|"
    r"(?:i(?:'ve| have)? )?(?:heard|read|was told|have been told|assume|am assuming|guess|believe|"
    r"think|thought|understand|remember|recall|was under the impression)|"
    r"i(?:'m| am) (?:pretty |fairly |quite )?(?:sure|certain|assuming|guessing)|"
    r"my understanding is|(?:it )?(?:sounds|looks|seems) like|apparently|rumou?r (?:has it|is)|"
    r"word is|(?:just )?to (?:double[- ]check|confirm|be sure|make sure)|"
    r"(?:just )?(?:double[- ]checking|confirming|checking)|"
    r"if i (?:remember|recall) (?:right|correctly)"
    r")(?: that)?[,:]?\s+"
)
#: "Since X, ...": the member builds on X, which may be wrong.
_SINCE = re.compile(
    r"^\s*(?:(?:ok(?:ay)?|so|and|but)[,]?\s+)?(?:since|given(?: that)?|seeing (?:as|that)|"
    r"considering(?: that)?|now that|as long as)\s+(?!(?:when|then|what|which|how)\b)"
    r"([^,;?]{8,}?)\s*,\s*\S"
)
#: About the member themselves ("since I'm not a member, ...") is context, not a premise.
_FIRST_PERSON = re.compile(r"^\s*(i|i'm|im|i've|ive|i'd|my|me|we|we're|our|us)\b")
#: A question word heading a clause: the part after it is the question, not a premise.
_QUESTION_CLAUSE = re.compile(
    r"[,;.]\s*(?:and |but |so )?(?:who|what|whats|when|where|why|how|which|can i|could i|"
    r"do i|should i|will i|is there|are there)\b"
)
#: Words that start a question: a sentence starting otherwise and ending in "?" states something.
_QUESTION_OPENER = re.compile(
    r"^\s*(?:(?:ok(?:ay)?|so|and|but|also|hi|hey|well|oh)[,!.]?\s+)*(?:who|whom|whose|what|whats|"
    r"when|whens|where|wheres|why|how|hows|which|is|are|do|does|did|can|could|should|will|would|"
    r"has|have|had|was|were|am|must|may|might|shall|any|anything|tell|please|i|i'm|im|my|we)\b"
)
#: A verb that makes a declarative sentence ("the mixer is at 5pm eastern?").
_STATING_VERB = re.compile(
    r"\b(is|are|was|were|must|can|can't|cannot|has to|have to|needs? to|lasts?|runs?|starts?|"
    r"begins?|ends?|closes?|opens?|costs?|takes?|don'?t|doesn'?t|isn'?t|aren'?t)\b"
)
_NOT_TOPIC = re.compile(
    r"\b(must|have to|has to|had to|need to|needs to|needed|required to|supposed to|"
    r"eastern|central|mountain|pacific|et|est|edt|ct|cst|cdt|mt|mst|mdt|pt|pst|pdt|time|"
    r"only|just|really|actually)\b"
)
_END = re.compile(r"(?<=[a-z0-9)])[.!]\s+(?=\w)")
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
}  # fmt: skip
_NUMBER = r"\d+|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
_DURATION = re.compile(rf"\b({_NUMBER})[ -](year|month|week|day|hour|minute)s?\b")
_TIME = re.compile(r"\b(\d{1,2})(?::(\d\d))? ?(am|pm|a\.m\.|p\.m\.)")
_DATE = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? (\d{1,2})(?:st|nd|rd|th)?\b"
)
#: "the 15th of October"
_DAY_OF_MONTH = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)? of (jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b"
)
#: "on the 27th": a day of the month whose month is not said
_ORDINAL_DAY = re.compile(r"\bthe (\d{1,2})(?:st|nd|rd|th)\b(?! of\b)")
#: Units of a length and what each is in the smallest unit of its family (months, days, minutes):
#: "twelve months" is "one year".
_UNITS = {
    "year": ("month", 12), "month": ("month", 1), "week": ("day", 7), "day": ("day", 1),
    "hour": ("minute", 60), "minute": ("minute", 1),
}  # fmt: skip
_PLAIN_NUMBER = re.compile(r"(?<![\d:/-])\b(\d+)\b(?![:/]\d)")
_NEGATION = re.compile(r"\b(not|no|never|cannot|can't|don't|doesn't|isn't|aren't|without)\b|n't\b")
#: A rule with no number is confirmed only when the answer has every word it names.
_CONFIRMING_WORDS = 3
_NOT_CONTENT_TEXT = """
    the and are was were has have had must need needs can could will would should may might
    does did not don't isn't aren't for with that this they them their you your yeah right
    true correct also too just really
"""
_NOT_CONTENT = frozenset(word.rstrip("s") for word in _NOT_CONTENT_TEXT.split())
#: Words that say a value is a length, a date or a time, not what it is of ("a year *long*",
#: "*runs* for a year", "is *scheduled* for the 27th"): beside a matching value they add nothing.
_SCHEDULE_TEXT = """
    long last run go going take happen held start begin end close closed due scheduled set
    planned about around roughly approximately exactly total full whole each every least
    old older age deadline date day extend extended push pushed move moved commitment length
    duration term
"""
_SCHEDULE_WORDS = frozenset(word.rstrip("s") for word in _SCHEDULE_TEXT.split())
#: Kinds of fact only asked for by naming them ("due date", "what time", "link").
_ASKING_KINDS = frozenset({"day", "time", "link", "phone", "email", "place", "live", "how_to"})
_WH_WORD = re.compile(r"\b(which|what|whats|who|whom|whose|when|where|why|how)\b")
#: The verb joining a statement's subject to the value it states.
_COPULA = re.compile(r"\b(is|are|was|were|'s been|has been|have been)\b")
#: Month names and units: the values themselves are compared apart from the words.
_VALUE_TEXT = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?|"
    r"\b\d+(:\d\d)?\s?(st|nd|rd|th|am|pm|a\.m\.|p\.m\.)?(?!\w)|"
    r"\b(am|pm|years?|months?|weeks?|days?|hours?|minutes?|one|two|three|four|five|six|"
    r"seven|eight|nine|ten|twelve|twenty|thirty|fifty|hundred|eastern|central|mountain|"
    r"pacific|cst|cdt|est|edt|pst|pdt|mst|mdt|ct|et|pt|mt|time|zone|at|on|by|in|is|it)\b"
)
_NON = re.compile(r"\bnon-?(?=[a-z])")
_CLAUSE = re.compile(r"[;:]\s+|\s+-+\s+")
#: A rule that limits ("only once", "just one time"): the opposite of "again".
_RESTRICTION = re.compile(
    r"\b(only|just)\b[^,.;]{0,30}\b(once|one time)\b|\bonce only\b|\bone time only\b"
)
_OBLIGATION = re.compile(r"\b(must|have to|has to|need to|needs to|required|only)\b")
#: General English opposites a rule can be stated with ("closed" to members / "open").
_OPPOSITES = tuple(
    (re.compile(rf"\b({one})\b"), re.compile(rf"\b({other})\b"))
    for one, other in (
        ("open|opened", "closed|shut"),
        ("free|no cost|free of charge", "paid|costs? money|fee|charge[sd]?"),
        ("required|mandatory|compulsory", "optional|not required|voluntary"),
        ("online|virtual|virtually|remote", "in person|in-person|on site|onsite"),
        # a fixed timetable against one each party sets ("on a set schedule, every week" /
        # "meets on its own time")
        (
            r"fixed|set (schedule|times?|days?|hours?)|(a|the) schedule|scheduled|"
            r"(every|each) (single )?(day|week|month)|weekly|daily|regular schedule",
            r"(its|their|your|his|her|our) own (time|times|schedule|pace)|flexib\w*|"
            r"whenever (they|you|it|we)|as often as|when it suits",
        ),
    )
)
#: Time zones of the United States and Canada, as members write them.
_ZONES = {
    "eastern": "eastern", "et": "eastern", "est": "eastern", "edt": "eastern",
    "central": "central", "ct": "central", "cst": "central", "cdt": "central",
    "mountain": "mountain", "mt": "mountain", "mst": "mountain", "mdt": "mountain",
    "pacific": "pacific", "pt": "pacific", "pst": "pacific", "pdt": "pacific",
    "alaska": "alaska", "akst": "alaska", "hawaii": "hawaii", "hst": "hawaii",
    "atlantic": "atlantic", "ast": "atlantic", "utc": "utc", "gmt": "utc",
}  # fmt: skip
_ZONE_AFTER_TIME = re.compile(
    r"\b\d{1,2}(?::\d\d)? ?(?:am|pm|a\.m\.|p\.m\.|o'?clock)?\s*(?:\(|,)?\s*("
    + "|".join(sorted(_ZONES, key=len, reverse=True))
    + r")\b"
)

Value = tuple[str, object]


@dataclass(frozen=True)
class Premise:
    """A statement the member wants confirmed, without its question tag."""

    statement: str
    #: Stated before a question of its own ("since X, can I ...?"), which the reply answers.
    leading: bool = False

    @property
    def searchable(self) -> str:
        """The statement without the rule's modal words and time zones, which name no topic.

        "mentees must be members" is about mentees and membership; "must" would pull in
        any sentence with a "must" ("must be 18"), and "eastern" is a word no entry uses.
        """
        return _NOT_TOPIC.sub(" ", self.statement)

    def without_unknown_value(self, unknown: Callable[[str], bool]) -> str | None:
        """The searchable statement without the words it states as the value that the
        knowledge never uses, or None when it has none.

        "Marlowe's mentor was Paula Harris": the value after "was" may be the very thing
        the member has wrong ("Harris"), so a search must not depend on it; the subject
        before the verb ("Marlowe's mentor") is what the statement is about and stays.
        """
        text = self.searchable
        verb = _COPULA.search(text)
        if verb is None:
            return None
        value = text[verb.end() :].split()
        kept = [word for word in value if not unknown(word)]
        if len(kept) == len(value):
            return None
        return f"{text[: verb.end()]} {' '.join(kept)}"


@lru_cache(maxsize=512)
def recognise(folded: str) -> Premise | None:
    """The premise a member states ("X, right?", "I heard X", "since X, ..."), or None."""
    since = _SINCE.match(folded)
    if since is not None:
        statement = since.group(1).strip()
        if not _FIRST_PERSON.match(statement) and len(statement.split()) >= 3:
            return Premise(statement, leading=True)
    tag = _TAG.search(folded) or _BARE_TAG.search(folded)
    if tag is None:
        # "X, right? I'm not sure I have time for that": a remark about the member after
        # the tag asks nothing and is not part of the statement
        head, mark, rest = folded.partition("?")
        if mark and rest.strip() and "?" not in rest and _FIRST_PERSON.match(rest.strip()):
            tag = _TAG.search(head + mark)
            folded = head + mark if tag else folded
    body = folded[: tag.start()] if tag else folded
    hearsay = _HEARSAY.match(body)
    if hearsay is not None:
        body = body[hearsay.end() :]
        if tag is None:
            # "I heard X. When is Y?": only the first sentence is stated
            body = _END.split(body, maxsplit=1)[0]
            if _QUESTION_CLAUSE.search(body):
                return None  # "I heard about the mixer, how do I join?": a question
    elif tag is None and not _declarative_question(folded):
        return None
    statement = _LEADING.sub("", body).strip(" ,.?!")
    if _FIRST_PERSON.match(statement) and ", " in statement:
        # "i'm not sure i have time for that, mentors are required to ...": the remark
        # about the member is context; the statement is the clause after it
        clauses = statement.split(", ")
        start = next((n for n, item in enumerate(clauses) if not _FIRST_PERSON.match(item)), 0)
        if start and len(", ".join(clauses[start:]).split()) >= 3:
            statement = ", ".join(clauses[start:])
    if _FIRST_PERSON.match(statement) and not _values(statement):
        return None  # "I think I missed the deadline": about the member, not a fact
    return Premise(statement) if len(statement.split()) >= 3 else None


def whole_message(folded: str) -> bool:
    """True when a message is one statement and its tag ("X. Is that true?"): never split it."""
    tag = _TAG.search(folded)
    return tag is not None and tag.group(1) in ".!?" and recognise(folded) is not None


def _declarative_question(folded: str) -> bool:
    """ "the mixer on january 27 is at 5pm eastern?": a statement with a question mark."""
    text = folded.strip()
    if not text.endswith("?") or _QUESTION_OPENER.match(text) or len(text.split()) < 4:
        return False
    text = _END.split(text)[-1]
    if _WH_WORD.search(text) or _asks_a_fact(text):
        return False  # "the feb 22 chat is with which committee?", "dsa due date 2020?"
    return bool(_values(text)) or (bool(_STATING_VERB.search(text)) and _rule(text))


def _asks_a_fact(text: str) -> bool:
    """ "dsa due date 2020?", "mixer start time?": a request for a fact, not a statement."""
    asked = fact_kind(text)
    return asked is not None and asked.kind in _ASKING_KINDS


def _rule(text: str) -> bool:
    return bool(_NEGATION.search(text) or _RESTRICTION.search(text) or _OBLIGATION.search(text))


def verdict(
    premise: Premise,
    answer_sentence: str,
    *,
    about: str = "",
    stems_of: Callable[[str], set[str]] | None = None,
) -> Verdict:
    """Whether the answer's sentence confirms or corrects the premise.

    Args:
        premise: The stated fact.
        answer_sentence: The sentence the reply gives the fact with.
        about: What the reply is about (its entry's title): the statement may name its
            subject so ("the mentoring program started in 2013" against "matching mentors
            and mentees since Fall 2013" under "History of the mentoring program").
        stems_of: The engine's analysis (synonyms, stems): "DSA" names the Distinguished
            Service Award.
    """
    answer_sentence = answer_sentence.split("\n\n")[0]  # not the other items of that day
    if not holds_the_role(answer_sentence, premise.statement):
        return "corrected"  # "X is the president" against "X was Vice-President"
    stated = _values(premise.statement)
    found = _values(answer_sentence.lower())
    if stated:
        contradicted = [
            value for value in stated if not _agrees(value, found) and _same_kind(value, found)
        ]
        if contradicted:
            return "corrected"
        agreed = all(_agrees(value, found) for value in stated)
        if agreed and _names_only_what(premise, f"{answer_sentence}\n{about}", stems_of):
            return "confirmed"
    answer = _closest_clause(premise.statement, answer_sentence.lower())
    if _negated(_main_clause(premise.statement)) != _negated(_main_clause(answer)):
        return "corrected"
    if _opposite(premise.statement, answer):
        return "corrected"
    if _other_name(premise.statement, answer_sentence):
        return "corrected"
    said = _words(premise.statement) - _NOT_CONTENT
    if not stated and len(said) >= _CONFIRMING_WORDS and _all_known(said, _words(answer)):
        return "confirmed"  # "mentors have to be members" against "mentors must be members"
    return "unclear"


#: Words a sentence elsewhere in the reply shares with a rule before it can turn it round.
_SHARED_FOR_OPPOSITE = 1


def opposed_elsewhere(premise: Premise, sentences: Sequence[str]) -> bool:
    """True when another sentence of the reply states the opposite of the premise's rule.

    "Mentors must meet every week on a set schedule, right?": the sentence the reply
    opens with lists activities, but "each match ... meets on its own time" further on
    says otherwise. Only a sentence sharing words with the statement counts.
    """
    said = _words(premise.statement) - _NOT_CONTENT
    for sentence in sentences:
        answer = _closest_clause(premise.statement, sentence.lower())
        if len(said & _words(answer)) >= _SHARED_FOR_OPPOSITE and _opposite(
            premise.statement, answer
        ):
            return True
    return False


def _other_name(statement: str, answer: str) -> bool:
    """True when the statement's value names someone the answer names otherwise.

    A name is two capitalised words in the answer ("Paula Holmes", "Membership
    Committee"): the statement has one of them beside a word the answer never uses
    ("Marlowe's mentor was Paula *Harris*", "hosted by the *Awards* Committee").
    """
    verb = _COPULA.search(statement)  # "the Awards Committee hosts the mixer": all of it
    value = re.findall(r"[a-z][\w'-]*", statement[verb.end() if verb else 0 :])
    tokens = re.findall(r"[\w'-]+|[^\w\s]", answer)
    pairs = {
        (first.lower(), second.lower())
        for first, second in itertools.pairwise(tokens)
        if first[:1].isupper() and second[:1].isupper() and first.isalpha() and second.isalpha()
    }
    known = set(re.findall(r"[a-z][\w'-]*", answer.lower()))
    firsts = {first for first, _ in pairs}
    seconds = {second for _, second in pairs}

    def strange(word: str) -> bool:
        return len(word) > 2 and not _known(word, known) and word.rstrip("s") not in _NOT_CONTENT

    return any(
        (first in firsts and strange(second)) or (second in seconds and strange(first))
        for first, second in itertools.pairwise(value)
        if (first, second) not in pairs
    )


def _names_only_what(
    premise: Premise, answer_sentence: str, stems_of: Callable[[str], set[str]] | None = None
) -> bool:
    """True when the answer has every word the statement names besides its values.

    "The Feb 22 chat is with the Membership Committee" has the right date but not the
    answer's committee: that is not confirmed.
    """
    said = _words(_VALUE_TEXT.sub(" ", premise.statement)) - _NOT_CONTENT
    said = {word for word in said if not _known(word, _SCHEDULE_WORDS)}
    written = _words(_VALUE_TEXT.sub(" ", answer_sentence.lower()))
    unknown = {word for word in said if not _known(word, written)}
    if not unknown or stems_of is None:
        return not unknown
    stems = stems_of(answer_sentence)
    return all(stems_of(word) and stems_of(word) <= stems for word in unknown)


#: Two forms of one word share this many first letters ("mentorship", "mentoring").
_SHARED_PREFIX = 6
#: A word this long that begins another is its form ("host", "hosted").
_SHORT_FORM = 4


def _known(word: str, vocabulary: set[str] | frozenset[str]) -> bool:
    """True when ``word`` or another form of it is in ``vocabulary``."""
    if word in vocabulary:
        return True
    for other in vocabulary:
        short, long = sorted((word, other), key=len)
        if len(short) >= _SHORT_FORM and long.startswith(short):
            return True
        if len(short) >= _SHARED_PREFIX and short[:_SHARED_PREFIX] == long[:_SHARED_PREFIX]:
            return True
    return False


def _all_known(said: set[str], vocabulary: set[str]) -> bool:
    return all(_known(word, vocabulary) for word in said)


#: A condition or reason beside the rule ("..., if they didn't win", "even though X, ...").
_CONDITION = re.compile(
    r"(?:^|,\s*|\s)(?:if|unless|even if|even though|although|though|because|when|whenever)\b"
    r"[^,;]*(?:,|$)"
)


#: A negated relative clause describing someone: "someone *who was not selected*".
_NEGATED_RELATIVE = re.compile(
    r"\b(?:who|whom|that|which)\s+(?:\w+\s+)?(?:not|never|\w+n't)\s+(?:been\s+)?\w+"
)


def _main_clause(text: str) -> str:
    """The rule without a condition or a description beside it: "you can nominate them
    again if they didn't win" and "someone who was not selected can be nominated again"
    both state that one can nominate again; the "not" describes who, it negates no rule.
    """
    return _NEGATED_RELATIVE.sub(" ", _CONDITION.sub(" ", text)).strip() or text


def _negated(text: str) -> bool:
    """A rule stated negatively: "not", "can't", a restriction ("only once").

    A "non-" word turns it round: "non-members can be mentees" says members need not
    be, and "non-members can't be mentees" says they must.
    """
    negated = bool(_NEGATION.search(text) or _RESTRICTION.search(text))
    return negated != bool(_NON.search(text))


def _closest_clause(statement: str, sentence: str) -> str:
    """The clause of an answer sentence that speaks of what the statement does.

    "Mentor applicants must be ALSC members; non-members can take part as mentees":
    a statement about mentors is compared with the first clause, not the second.
    """
    clauses = [clause for clause in _CLAUSE.split(sentence) if clause.strip()]
    if len(clauses) < 2:
        return sentence
    said = _words(statement)
    subject = next(iter(re.findall(r"[a-z0-9]{3,}", _main_clause(statement))), "")
    subject = "" if subject in ("the", "and") else subject.rstrip("s")

    def closeness(clause: str) -> tuple[int, bool]:
        # on a tie, the clause naming what the statement is about ("mentors can be
        # non-members": "mentors themselves must be members", not "open to non-members")
        words = _words(clause)
        return len(said & words), bool(subject) and subject in words

    return max(clauses, key=closeness)


def _words(text: str) -> set[str]:
    return {word.rstrip("s") for word in re.findall(r"[a-z0-9]+", text) if len(word) > 2}


def _opposite(statement: str, answer: str) -> bool:
    """The statement uses one word of an opposite pair and the answer only the other."""
    for one, other in _OPPOSITES:
        said = one.search(statement), other.search(statement)
        written = one.search(answer), other.search(answer)
        if said[0] and not said[1] and written[1] and not written[0]:
            return True
        if said[1] and not said[0] and written[0] and not written[1]:
            return True
    return False


def opening(result: Verdict) -> str:
    """The words that open a reply to a premise."""
    if result == "corrected":
        return "Not quite, that's not what I have. "
    if result == "confirmed":
        return "Yes, that's right. "
    return ""


#: A reply that already opens with a correction ("Not on that day: ...") or a confirmation.
_OWN_VERDICT: dict[Verdict, re.Pattern[str]] = {
    "corrected": re.compile(r"^\W*(not|no|nope)\b", re.I),
    "confirmed": re.compile(r"^\W*(yes|yep|that's right)\b", re.I),
}


#: A reply's own "Yes." or "Yes:" before the fact.
_OWN_YES = re.compile(r"^\s*(?:yes|yep)\s*[.:,!;]\s*", re.I)
#: A reply's own short correction before a colon: "Not on that day: ".
_OWN_CORRECTION = re.compile(r"^\W*(?:not|no|nope)\b[^:.\n]{0,30}:\s*", re.I)


def opened(result: Verdict, reply: str) -> str:
    """``reply`` opened for a premise: one correction is enough, never two in a row."""
    own = _OWN_VERDICT.get(result)
    if own is not None and own.search(reply):
        # "Not on that day: the chat is on ...": the usual opening says it once
        if result != "corrected":
            return reply
        reply = _OWN_CORRECTION.sub("", reply, count=1)
        return opening(result) + reply[:1].upper() + reply[1:]
    if result == "confirmed" and _OWN_CORRECTION.match(reply):
        # "Not on that day: the mixer is on January 27" for "the 27th": the day was right
        reply = _OWN_CORRECTION.sub("", reply, count=1)
        return opening(result) + reply[:1].upper() + reply[1:]
    if result == "corrected":
        # "Not quite ... Yes. New in 2021, ...": the entry's own "Yes" answered another question
        reply = _OWN_YES.sub("", reply, count=1)
        reply = reply[:1].upper() + reply[1:]
    return opening(result) + reply


def unchecked(premise: Premise, reply: str) -> str:
    """``reply`` to a premise it can neither confirm nor correct.

    An entry's own "Yes:" answered its stored question ("can I attend Board meetings?"),
    not the member's statement ("I heard the Board meets monthly"): it is taken off, so
    the reply never seems to confirm what it cannot check. After "since X," the member
    asks a question of their own, which that "Yes" may answer.
    """
    if premise.leading or not _OWN_YES.match(reply):
        return reply
    reply = _OWN_YES.sub("", reply, count=1)
    return reply[:1].upper() + reply[1:]


def _values(text: str) -> set[Value]:
    values: set[Value] = set()
    used: list[tuple[int, int]] = []
    for match in _DURATION.finditer(text):
        family, size = _UNITS[match.group(2)]
        values.add(("duration", (_number(match.group(1)) * size, family)))
        used.append(match.span())
    for match in _TIME.finditer(text):
        hour = int(match.group(1)) % 12 + (12 if match.group(3).startswith("p") else 0)
        values.add(("time", (hour, int(match.group(2) or 0))))
        used.append(match.span())
    for match in _ZONE_AFTER_TIME.finditer(text):
        values.add(("zone", _ZONES[match.group(1)]))
    for match in _DATE.finditer(text):
        values.add(("date", (MONTHS[match.group(1)], int(match.group(2)))))
        used.append(match.span())
    for match in _DAY_OF_MONTH.finditer(text):
        values.add(("date", (MONTHS[match.group(2)], int(match.group(1)))))
        used.append(match.span())
    for match in _ORDINAL_DAY.finditer(text):
        if not any(start <= match.start() < end for start, end in used):
            values.add(("day", int(match.group(1))))
            used.append(match.span())
    for match in _PLAIN_NUMBER.finditer(text):
        if not any(start <= match.start() < end for start, end in used):
            number = int(match.group(1))
            values.add(("year" if 1900 <= number <= 2100 else "number", number))
    return values


def _agrees(value: Value, found: set[Value]) -> bool:
    """True when the answer states this value: a day of the month is any date on that day."""
    kind, content = value
    if kind == "day":
        return (
            any(
                other_kind == "date" and isinstance(other, tuple) and other[1] == content
                for other_kind, other in found
            )
            or value in found
        )
    return value in found


def _same_kind(value: Value, found: set[Value]) -> bool:
    """True when the answer states a value the premise's value can be compared with."""
    kind, content = value
    for other_kind, other in found:
        if kind == "day" and other_kind == "date":
            return True  # "the 25th" against "January 27"
        if other_kind != kind:
            continue
        if kind == "duration" and isinstance(content, tuple) and isinstance(other, tuple):
            if content[1] == other[1]:  # lengths in the same family (months, days, minutes)
                return True
        elif kind != "duration":
            return True
    return False


def _number(text: str) -> int:
    return int(text) if text.isdigit() else _NUMBER_WORDS[text]
