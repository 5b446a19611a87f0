"""What kind of fact a question asks for, or a premise states, and which of its words ask.

"How much does membership cost?" asks for an amount; an entry about membership that
names no price does not answer it, however well its words match. The engine answers
only when the chosen entry has a sentence holding the kind of fact asked for, about
the question's topic (:mod:`bot.answers.fact_checks`); otherwise it says plainly what
it does not know. Kinds: ``cost``, ``count``, ``winner``, ``person``, ``date``,
``time``, ``duration``, ``link``, ``phone``, ``email``, ``place``, ``how_to``. A
question asking for something that changes from day to day ("how many spots are
*still* available", "so far") is ``live``: a knowledge file never holds it; "right
now" or "currently" beside a person asks who holds it as of the knowledge. The words
both sides share are in :mod:`bot.answers.fact_words`, what a question says about the
fact it wants (round, rate, year) in :mod:`bot.answers.fact_asked`.

The asking words set the kind, never words of a title ("who wrote the *Winning* Traits
post" asks an author, a person); the words that only ask ("so far", "go for") are kept
out of the topic the question is searched with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.answers.fact_words import (
    _CURRENT,
    _HAS_BEEN,
    _MONTH,
    _NUMBER_WORD,
    _OUTCOME_WORDS,
    _UNIT,
    FactKind,
)

#: Money that comes with an award or a role: "a monetary prize", "a stipend".
_MONEY = (
    r"monetary (?:prizes?|awards?)|cash (?:prizes?|awards?)|prize money|award money|monetary|"
    r"stipends?|honorari(?:um|a)|cash|money"
)
#: Words saying the money comes with something: "accompanies the award", "winners get".
_WITH_AWARD = re.compile(
    r"\b(prizes?|awards?|awarded|win|wins|winners?|recipients?|honou?r\w*|come|comes|came|"
    r"accompan\w*|attached|include[sd]?|given|receive[sd]?|get|gets|paid|offer\w*)\b"
)


def asks_author(folded: str) -> bool:
    """True for "who wrote the post", "who authored it": the writer of a text."""
    return bool(_AUTHOR_ASKED.search(folded))


def names_author(text: str) -> bool:
    """True when a text says who wrote something ("written by", "wrote", "blog posts")."""
    return bool(_AUTHOR_STATED.search(text))


#: Verbs of writing something: its author is the person asked for.
_AUTHORING = (
    r"wrote|writes|written|authored|authors|penned|pens|posted|posts|blogged|published|"
    r"composed|put together"
)
_AUX = r"has|have|had|did|does|is|was|'s"
_AUTHOR_ASKED = re.compile(rf"\bwho\b(?: (?:{_AUX}))? ({_AUTHORING})\b")
#: A text saying who wrote something: "was written by", "wrote", "authors", "bylines".
_AUTHOR_STATED = re.compile(
    r"\b(wrote|writes|written|writing|authors?|authored|penned|posted|bloggers?|bylines?|"
    r"blog posts? (come|comes|came) from|columns?)\b",
    re.I,
)
#: "right now", "currently": a live number only when a count or spots are asked.
_NOW = re.compile(r"\b(right now|currently|at the moment)\b")
_PERSON_ASKED = re.compile(r"\b(who|whom|whose)\b")
#: Verbs of using an address: "the email *to send* ... to", "what number do I *call*".
_ADDRESS_VERB = re.compile(r"\b(use|send|write|reach|contact|call|text|dial|address)\b")


#: Question patterns, most specific first (run on folded text).
_QUESTION_KINDS: tuple[tuple[FactKind, re.Pattern[str]], ...] = (
    (
        # "right now", "currently" are live only beside a count or spots: "who is the
        # vice-president right now" asks who holds it as of the knowledge (see fact_kind)
        "live",
        re.compile(
            r"\b(still (available|left|open)|right now|currently|at the moment|"
            r"(spots?|seats?|places?|slots?) (left|remaining|available)|how many (are )?left|"
            r"remaining (spots?|seats?|places?|slots?|memberships?)|waitlist|wait list)\b"
        ),
    ),
    (
        "phone",
        re.compile(
            r"\b(phone|telephone|fax|cell) ?(number|no|#)|\bwhat number\b|\bnumber to call\b"
        ),
    ),
    (
        "email",
        re.compile(
            r"\b(e-?mail (address|addy)|what is \w+ e-?mail( address| addy)?|e-?mail for|"
            r"(what|which) e-?mail( address| addy)?|e-?mail( address)? (do|should|can|could) "
            r"(i|we|you)( (use|send|write|reach|contact))?|e-?mail (to|at) (use|write|send))\b"
        ),
    ),
    (
        "link",
        re.compile(
            r"\b(link|url|web ?site|web ?page|web address|zoom|meeting id|registration page|"
            r"sign-?up (page|form))\b"
        ),
    ),
    (
        "time",
        re.compile(
            r"\b((what|which|wat) time\b(?! (commitment|frame|period|span|range))|time of day|"
            r"what hour|start(ing)? time|end(ing)? time|at what time|how late|how early|"
            r"(start|begin|end|finish)s? at)\b|^\W*(\w+ )?\w+ time\W*$"
        ),
    ),
    (
        "duration",
        re.compile(
            r"\b(how long\b(?! (ago|until|till|til|before|do i have|left))"
            rf"(?!.{{0,60}}{_HAS_BEEN})|duration|"
            rf"length of|time commitment|how many ({_UNIT})\b(?! (until|till|til|left|before|ago)))"
        ),
    ),
    ("prize", re.compile(rf"\b({_MONEY})\b")),  # only with an award word: see fact_kind
    # "who wrote the Winning Traits post": the writer of a text is a person, whatever
    # words its title holds
    ("person", re.compile(rf"\bwho\b(?: (?:{_AUX}))? ({_AUTHORING})\b")),
    (
        "winner",
        re.compile(
            r"\bwho\b.{0,20}\b(won|wins|winning|received|got|was (given|awarded))\b|"
            r"\b(winners?|recipients?)\b|"
            # "which books won the Caldecott", "what titles received the Newbery Medal"
            r"\b(which|what) (\w+ ){1,3}(won|win|wins|took home)\b|"
            r"\b(which|what) (\w+ ){1,3}(received|got|were (given|awarded)) (the |an? )?"
            r"(\w+ ){0,3}(awards?|medals?|prizes?|honou?rs?)\b"
        ),
    ),
    ("count", re.compile(r"\b(how many|number of|count of)\b")),
    (
        "paying",
        re.compile(
            # "is there any financial help with dues": whether help exists, not a price
            r"\b(financial(ly)? (help|aid|assistance|support)|(help|assistance|support) "
            r"(with|paying|to pay|covering|for) (the |my |our |their |your )?(\w+ ){0,2}"
            r"(dues|fees?|costs?|price)|subsidi[sz]\w*)\b|"
            r"\b(pays? for|paying for|paid for|sponsor\w*|free)\b|\b(covers?|covering|covered)"
            r"\b(?! (in|on|by|at|the (post|article|topic|session|webinar|blog|committee))\b)"
            r"(?!.*\b(topics?|posts?|articles?|competenc\w*|sessions?|subjects?|content)\b)"
        ),
    ),
    (
        "cost",
        re.compile(
            r"\b(how much\b(?! (time|longer|more time))|costs?|price[sd]?|pricing|fees?|"
            r"pay|paid|charge[sd]?|expensive|cheap|afford\w*|dues|money|stipend|cash|\$)"
        ),
    ),
    (
        "origin",
        re.compile(
            # "when does the mixer start" asks the next start (a date or time of day), not
            # when it began: a present or future auxiliary with the verb's base form
            r"\b(when|what year|which year)\b(?!(?: \w+){0,1} (does|do|will|is|are|should|can|"
            r"would)\b[^?]{0,50}\b(start|begin|launch)(s|ing)?\b(?! (in|back|out)\b))"
            r".{0,60}\b(start|begin|began|launch|found|creat|establish|first)\w*|"
            r"\bsince (when|what|which)\b|"
            # "who came up with the idea for X", "when was X first proposed": its origin
            r"\b(who|when|what year|which year|which group)\b.{0,40}\b(propos(ed|al)|"
            r"suggested|c[ao]me up with|thought up|dreamed up|originat\w*|conceived|"
            r"the idea (for|of|behind))\b|\bwhose idea\b|"
            # "how long has ALSC been matching ...", "how long the program has been going"
            rf"\bhow long\b.{{0,60}}{_HAS_BEEN}"
        ),
    ),
    (
        "day",
        re.compile(
            r"\b(what|which) (day|date)\b|\bdue date\b|\bon what day\b|\bwhat day of\b|"
            r"\b(exact|specific|precise|actual) (dates?|days?)\b|\bdates (of|for)\b"
        ),
    ),
    (
        "date",
        re.compile(
            r"^\W*(when|whens)\b|\b(when (is|are|was|were|do|does|did|will|can|should|must)|"
            r"what year|which year|by when|how soon|deadlines?|cut-?off)\b"
        ),
    ),
    (
        "place",
        re.compile(
            r"\b(where (is|are|will|was) (it|the \w+|they) (be )?(held|located|taking place|"
            r"happening)|location|venue|(what|the|mailing|street|postal) address|address (of|for)|"
            r"what room|in person or|where is it)\b|^\W*(so |and )?where('?s| is| are| will| was)\b"
            r"(?!.*\b(find|submit|send|get|sign|apply|register|read|post|put|share|learn|see)\b)"
        ),
    ),
    (
        "how_to",
        re.compile(
            r"\b(how (do|can|should|would|could|will) (i|we|you|one|someone|my|a member)\b|"
            r"how to\b|what (are )?the steps|steps to|process (for|to))"
        ),
    ),
    (
        "person",
        re.compile(
            r"(^|\b(so|and|but|then|also|ok|okay)\s|[,;]\s*)(who|whom|whose)\b(?! (can|could|"
            r"should|may|might|must|is eligible|are eligible|qualifies|is allowed|gets to|needs|"
            r"need to|has to|have to|is not|are not|isn't|aren't|is able|are able))"
            r"(?![^,.;?]{0,40}\bfor\s*($|[,.;?!]))"  # "who is the mentee side for?": eligibility
        ),
    ),
)
_OUTCOME_ASKING = re.compile(rf"\b({_OUTCOME_WORDS})\b")


@dataclass(frozen=True)
class FactQuestion:
    """The kind of fact asked for and the words of the question that ask for it."""

    kind: FactKind
    trigger: str


def fact_kind(folded: str) -> FactQuestion | None:
    """The kind of fact a (folded) question asks for, or None for an open question."""
    text = folded.replace("'s ", " ").replace("?", " ?")
    # "can I pay for her membership as a gift?" asks whether, not who pays or what it costs
    text = _POSSIBLE_TO_PAY.sub(" ", text)
    if _ABOUT_CONTENT.search(text):
        text = _COVER.sub("discuss", text)  # "which competency does the post cover?"
    for kind, pattern in _QUESTION_KINDS:
        matches = [match.group(0) for match in pattern.finditer(text)]
        now_only = kind == "live" and matches and all(_NOW.fullmatch(item) for item in matches)
        if now_only and _PERSON_ASKED.search(text) and not _COUNT_ASKED.search(text):
            continue  # "who is the vice-president right now": who holds it, as known
        if kind == "prize" and matches:
            asking = [match.group(0) for match in _WITH_AWARD.finditer(text)]
            if not asking:
                continue  # "money" alone asks a cost or who pays
            matches += [item for item in asking if not item.startswith(("prize", "award"))]
        if matches:
            # "so far", "this round" qualify the question: they are not its topic
            matches += [match.group(0) for match in _QUALIFIER.finditer(text)]
            if kind == "duration":  # "how long does it *go for*": the asking, not the topic
                matches += [match.group(0) for match in _LENGTH_VERB.finditer(text)]
            if kind == "origin":  # "how long has *the program* been going": keep its topic
                matches = [item for match in matches for item in _ORIGIN_ASKING.findall(match)]
                # "first proposed and by which group": the verb and the proposer asked
                matches += [match.group(0) for match in _ORIGIN_WHO.finditer(text)]
            if kind in ("date", "day"):  # "when will mentees *find out* ...": the asking
                matches += [match.group(0) for match in _OUTCOME_ASKING.finditer(text)]
            if kind in ("email", "phone"):  # "the email *to send* toolkit ideas to": the asking
                matches += [match.group(0) for match in _ADDRESS_VERB.finditer(text)]
            if kind == "count":  # "how many applications *have come in*": the asking
                matches += [match.group(0) for match in _COUNT_VERB.finditer(text)]
            return FactQuestion(kind, " ".join(matches))
    return None


#: Words that qualify the fact asked for, not the topic: "how many applied *so far this round*".
_QUALIFIER = re.compile(
    r"\b(so far|to date|as of now|(this|the current) (round|year|time|season|cycle|go-?round|"
    r"spring|summer|fall|autumn|winter)('s)?|exactly|roughly|approximately|about|right now|"
    r"currently|at the moment|in the first place|originally|to begin with)\b"
)


#: Writing or teaching "covers" a topic; money "covers" a cost.
_ABOUT_CONTENT = re.compile(
    r"\b(posts?|articles?|blogs?|webinars?|sessions?|courses?|classes|competenc\w*|topics?|"
    r"chapters?|books?|toolkits?|newsletters?|subjects?|content)\b"
)
_COVER = re.compile(r"\bcover(s|ed|ing)?\b")
#: The words of an origin question that ask, not name: "since when", "been going".
#: The proposing and the proposer in a question about an origin.
_ORIGIN_WHO = re.compile(
    r"\b(propos(ed|al)|suggested|c[ao]me up with|thought up|dreamed up|originat\w*|conceived|"
    r"idea|(by )?(which|what|whose) (group|team|committee|person|people|organi[sz]ation))\b|"
    r"\bby whom\b"
)
_ORIGIN_ASKING = re.compile(
    r"\b(?:since|when|what|which|year|how|long|has|have|did|does|do|first|existed|been|"
    r"around|start\w*|begin\w*|began|launch\w*|found\w*|creat\w*|establish\w*|who|"
    r"propos\w*|suggested|came|come|up|with|thought|dreamed|originat\w*|conceived|idea|"
    r"(?<=been )\w+)\b|'s\b|'ve\b"
)
#: The verb of a count question: "how many have *come in*", "were *received*", "*signed up*".
_COUNT_VERB = re.compile(
    r"\b(?:have|has|had|were|was|did|do|does)(?: \w+)?? (?:come|came|gone|got|gotten|been|"
    r"\w+ed|sent|put|signed|turned)(?: (?:in|up|out|through))?\b"
)
_LENGTH_VERB = re.compile(r"\b(last|lasts|lasting|run|runs|running|go|goes|going|take|takes)\b")
#: "Can I pay for her membership?", "is it possible to cover a colleague's dues?".
_POSSIBLE_TO_PAY = re.compile(
    r"\b(can|could|may|possible for) (i|we|me|us|someone|one) (to )?(pay for|buy|cover|sponsor|"
    r"fund|purchase)\b|\b(possible|way|how|option) to (pay for|buy|cover|sponsor|fund|purchase)\b|"
    # paying for someone else is giving them something: "pay for a colleague's dues as a present"
    r"\b(pay|paying|buy|buying|cover|covering) (for )?(someone|somebody|some one|a colleague|"
    r"a friend|a coworker|a co-worker|another|my (colleague|friend|coworker|co-worker|staff))"
    r"( else)?('s|s)?\b"
)
#: Words hedging a stated value: "since *like* 2010", "started *around* 2012".
_HEDGE = r"(?:(?:like|about|around|roughly|approximately|circa|maybe|probably|or so|back in) )*"
#: The kind of fact a stated premise gives ("the program is 6 months, right?" states a length).
_STATED_KINDS: tuple[tuple[FactKind, re.Pattern[str]], ...] = (
    (
        "origin",
        re.compile(
            rf"\bsince {_HEDGE}(fall |spring |summer |winter |autumn )?(19|20)\d\d\b|"
            rf"\b(started|began|begun|founded|launched|created|established) (in )?{_HEDGE}"
            r"(fall |spring |summer |winter |autumn )?(19|20)\d\d\b"
        ),
    ),
    ("time", re.compile(r"\b\d{1,2}(:\d\d)? ?(am|pm|a\.m\.|p\.m\.)|\bat \d{1,2}(:\d\d)?\b")),
    (
        "duration",
        re.compile(
            r"\b((lasts?|lasting|runs?|running|takes?|goes|go) (only |just )?(for )?)?"
            rf"(\d+|{_NUMBER_WORD}|an?)[ -]({_UNIT})\b(?! (ago|before|after))"
        ),
    ),
    ("day", re.compile(rf"\b({_MONTH})\.? \d{{1,2}}(st|nd|rd|th)?\b")),
    ("count", re.compile(r"(?<![\d:/$-])\b(?!(19|20)\d\d\b)\d+\b(?![:/]\d)")),
    ("date", re.compile(r"\b(19|20)\d\d\b")),  # "it was 2015, wasn't it?": a year
)


#: "How long does it *go for*", "how long does it *run*": the everyday verbs of a length.
_LENGTH_ASKED = re.compile(
    r"\b(how long (?:does|do|will|would|did|is|are) (?:(?!how\b)[\w'-]+ ){1,6}?)"
    r"(?:go(?:es)? (?:for|on)|run(?:s)?(?: for)?|go(?:es)?)\b(?! (?:to|and)\b)"
)


#: "mentoring *runs for* six months": a stated length with its everyday verb.
_LENGTH_STATED = re.compile(
    rf"\b(?:go(?:es)?|run(?:s)?|take(?:s)?)(?: for)?(?= (?:about |only |just )?"
    rf"(?:\d+|{_NUMBER_WORD}|an?)[ -](?:{_UNIT})\b)"
)


def length_verb_as_last(folded: str) -> str:
    """A length question with its everyday verb as the knowledge's: "go for", "run" -> "last".

    "How long does the program go for?" is searched as "how long does the program last?":
    "go" and "run" name no topic, and would pull in whatever entry says "go" or "run".
    A stated length too: "mentoring runs for six months, right?" is "mentoring lasts ...".
    """
    return _LENGTH_STATED.sub("lasts", _LENGTH_ASKED.sub(r"\1last", folded))


_COUNT_ASKED = re.compile(r"\b(how many|number of)\b")


def searched_words(folded: str) -> str:
    """A question with the words that only ask put as the knowledge says them, or left out.

    A length's everyday verb is "last" (:func:`length_verb_as_last`); a count asked
    "so far" or "this round" is any count of the present round: those words name no topic
    ("how many mentee apps have come in so far this round" is about mentee applications).
    """
    folded = length_verb_as_last(folded)
    if _COUNT_ASKED.search(folded):
        folded = _CURRENT.sub(" ", folded)
    return folded


def stated_kind(statement: str) -> FactQuestion | None:
    """The kind of fact a (folded) premise states: a year begun, a time, a length, a number."""
    for kind, pattern in _STATED_KINDS:
        match = pattern.search(statement)
        if match:
            return FactQuestion(kind, match.group(0))
    return None
