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
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from bot.date_wording import DAY_NAMES, MONTH_NAMES, MONTHS

FactKind = Literal[
    "live",
    "phone",
    "email",
    "link",
    "time",
    "duration",
    "winner",
    "prize",
    "paying",
    "cost",
    "count",
    "origin",
    "day",
    "date",
    "place",
    "how_to",
    "person",
]

_NUMBER_WORD = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    r"forty|fifty|sixty|hundred|a few|several|dozen"
)
_UNIT = r"years?|yrs?|months?|weeks?|wks?|days?|hours?|minutes?|mins?|hrs?"
#: Month names and abbreviations (shared tables), longest first.
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
#: Full month names except "may", which is far more often the verb.
_FULL_MONTH = "|".join(name for name in MONTH_NAMES if name != "may")
_WEEKDAY = "|".join(DAY_NAMES)

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
#: "has been going", "'s been matching", "have existed": how long something has gone on.
_HAS_BEEN = r"(\b(has|have)\b|'s\b|'ve\b).{0,40}\b(had(?! to)|existed|been (around|\w+ing))\b"
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

#: Evidence that a sentence (original case) holds a fact of each kind.
_EVIDENCE: dict[str, re.Pattern[str]] = {
    "phone": re.compile(r"\(?\b\d{3}\)?[ .-]\d{3}[ .-]\d{4}\b|\b1-800\b"),
    "email": re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"),
    "link": re.compile(r"https?://|\]\(|\bwebsite\b|\bweb page\b|\bALA Connect\b", re.I),
    "time": re.compile(
        r"\b\d{1,2}(:\d\d)? ?(am|pm|a\.m\.|p\.m\.)|\b\d{1,2}:\d\d\b|\bnoon\b|\bmidnight\b", re.I
    ),
    "duration": re.compile(
        rf"\b(\d+|{_NUMBER_WORD}|a|an) ({_UNIT})\b(?!-)|\blasts?\b|\bsince (fall |spring |"
        rf"summer |winter )?\d{{4}}\b|\byear-long\b|\ball year\b|\b(first|second|third|fourth|"
        r"fifth|sixth|seventh|eighth|ninth|tenth|\d+(st|nd|rd|th)) (annual|year)\b",
        re.I,
    ),
    "winner": re.compile(r"\b(won|winners?|recipients?|received the|awarded to|honou?red)\b", re.I),
    "cost": re.compile(
        r"\$\s?\d|\b(free|no cost|costs?|price|fees?|dollars?)\b",
        re.I,
    ),
    "prize": re.compile(
        r"\$\s?\d|\b(dollars?|cash|stipends?|honorari(um|a)|prize money|monetary|"
        r"no (money|prize))\b",
        re.I,
    ),
    "paying": re.compile(
        r"\$\s?\d|\b(free|no cost|costs?|price|fees?|dollars?|paid|pays?|fund(s|ed|ing)?|"
        r"scholarships?|sponsor\w*)\b",
        re.I,
    ),
    "count": re.compile(rf"\b(\d+|{_NUMBER_WORD})\b", re.I),
    "origin": re.compile(
        r"\b(since|began|begun|started|founded|established|launched|created|recommended|"
        r"proposed|suggested|came up with|originated|"
        r"first (held|offered|started)|(first|second|third|fourth|fifth|sixth|\d+(st|nd|rd|th)) "
        r"(annual|year))\b",
        re.I,
    ),
    "day": re.compile(
        rf"\b({_MONTH})\.? \d{{1,2}}\b|\b({_WEEKDAY})\b|\{{deadline:",
        re.I,
    ),
    "date": re.compile(
        rf"\b({_FULL_MONTH})\b|\b({_MONTH})\.? \d{{1,2}}\b|\b\d{{4}}\b|"
        rf"\b({_WEEKDAY})\b|\{{deadline:",
        re.I,
    ),
    "place": re.compile(
        r"https?://|\]\(|\b(website|online|virtual|zoom|in person|room|hall|center|centre|"
        r"street|avenue|convention|registry|ALA Connect|library)\b",
        re.I,
    ),
    "how_to": re.compile(
        r"\b(submit|fill (in|out)|send|call|e-?mail|use|contact|reach out|visit|apply|complete|"
        r"join|volunteer|nominate|register|donate|share|attend|read|sign up|click|go to|ask|"
        r"find|choose|renew|reinstate|host|bring|check|follow|look|review|watch|write|consider|"
        r"give|start|get in touch|talk to)\b",
        re.I,
    ),
    "person": re.compile(
        r"\b[A-Z][a-z]+ (\"[A-Z][a-z]+\" )?[A-Z][a-z]+\b|\bCommittee\b|@\w+|\bstaff\b|\bFriends\b"
    ),
}
#: Kinds whose evidence is a number or a date, which a source note must not provide.
_NUMERIC_KINDS = frozenset({"count", "duration", "date", "day", "origin"})
#: Where a fact was read, not the fact: "(as the 2016 call for applications said)",
#: "ALSC's January 2022 post said".
_ATTRIBUTION = re.compile(
    rf"\(as [^)]*\)|\b(?:({_FULL_MONTH}) )?(?:19|20)\d\d (?:call|calls|post|posts|article|"
    r"column|newsletter|announcement|report|blog post)s?\b(?: for applications)?",
    re.I,
)
#: Kinds of fact that belong to one year: a sentence about another year does not give them.
#: How far a date is from today, written beside it: "(in 10 days)", "(3 weeks ago)".
_RELATIVE_DAY = re.compile(
    rf"\b(?:last day )?in (?:\d+|{_NUMBER_WORD}|a|an) (?:days?|weeks?|months?)\b|"
    rf"\b(?:\d+|{_NUMBER_WORD}|a|an) (?:days?|weeks?|months?|years?) ago\b",
    re.I,
)
_YEARLY_KINDS = frozenset({"count", "cost", "paying", "winner", "person", "duration"})
_YEAR_IN_TEXT = re.compile(r"\b(?:19|20)\d\d\b")
#: A question about what is still to come: a year alone does not answer it.
#: Or a deadline: a day, not a year ("deadline for the Emerging Leaders program").
_FUTURE = re.compile(
    r"\bwhen (will|do|does|can|should|would|is|are|are \w+ going to)\b|\bhow soon\b|"
    r"\bdeadlines?\b|\bdue\b|\bcut-?off\b"
)
_ASKS_YEAR = re.compile(r"\b(what|which) year\b|\bwhat year\b|\byear did\b")
#: The news of a decision: announced, notified, hearing back, finding out, being matched.
_OUTCOME_WORDS = (
    r"announc\w*|notif\w*|hear(d|ing)? back|find(ing)? out|found out|informed|told|"
    # "when do mentors hear who their mentee is", "learn which mentor they got"
    r"(hear(d|ing)?|learn|know|see) (who|which|whether|if)|"
    r"(be|been|get|gets|are|were|is) (matched|paired|selected|chosen|picked|accepted)|"
    # "when were mentors and mentees matched": the participle at the end of its clause
    r"(matched|paired|selected|chosen|picked|accepted)(?= *(?:up|in \d{4}|this \w+|[?.!,]|$))|"
    r"results?|decisions?|decided|winners? (named|revealed)|reveal\w*|contacted"
)
_OUTCOME_QUESTION = re.compile(
    rf"\b(when|what day|what date|how soon|how long until)\b.*\b({_OUTCOME_WORDS})\b"
)
#: Clauses of a sentence: a date belongs to the clause it is written in.
_CLAUSES = re.compile(r"[,;:()]|\s-+\s|\bthat\b")
_OUTCOME_ASKING = re.compile(rf"\b({_OUTCOME_WORDS})\b")
_OUTCOME = re.compile(rf"\b({_OUTCOME_WORDS}|matched|paired|selected|chosen|accepted)\b")
_EXACT = re.compile(r"\b(exact|specific|precise|actual) (dates?|days?)\b")
_EXACT_DAY = re.compile(rf"\b({_MONTH})\.? \d{{1,2}}\b|\b\d{{1,2}}(st|nd|rd|th)? of ({_MONTH})\b")
_EDITION = re.compile(r"\b(spring|summer|fall|autumn|winter) ((?:19|20)\d\d)\b")
#: A question asking a number per something: per person, per period, at one time.
_RATE_QUESTION = re.compile(
    r"\b(per|each|every|apiece|at a time|at once|at the same time|simultaneously|"
    r"(hours?|hrs?|minutes?|mins?|times?|sessions?|meetings?|calls?|days?|weeks?) a "
    r"(day|week|month|year|session)|(can|could|does|do|will|may|would) (one|a single) \w+)\b"
)
#: A sentence giving a number per something.
_RATE = re.compile(
    r"\b(per|each|every|apiece|at a time|at once|a (day|week|month|year)|an hour|"
    r"daily|weekly|monthly|yearly|annually|up to \w+ (each|per))\b"
)
#: A length of each item ("5 minutes each"), which a "5-minute session" states.
_EACH = re.compile(r"\b(each|apiece)\b")
_CLOCK_UNIT = re.compile(
    r"\bhow (many|much) (hours?|minutes?|mins?|hrs?)\b|\b(hours?|minutes?) (a|per)\b"
)
_IN_UNITS = re.compile(rf"\b(\d+|{_NUMBER_WORD}|an?)[ -]({_UNIT})\b")
_HOW_MANY_UNITS = re.compile(rf"\bhow many ({_UNIT})\b")
#: "how many years *of experience*": a number of units of something else than a length.
_UNITS_OF = re.compile(
    rf"\bhow many ({_UNIT}) of (?!(?:the|a|an|my|your|it|this|that)\b)(?P<what>\w+)"
)
_CLOCK_LENGTH = re.compile(r"\b(hours?|minutes?|mins?|hrs?)\b")
#: Numbers that count nothing: dates, times of day, years, ordinals, "5-minute", "two-way".
_NOT_A_COUNT = re.compile(
    rf"\b({_MONTH})\.? \d{{1,2}}(st|nd|rd|th)?(, \d{{4}})?\b|"
    r"\b\d{1,2}(:\d\d)? ?(am|pm|a\.m\.|p\.m\.)|\b\d{1,2}:\d\d\b|\b(19|20)\d\d\b|"
    r"\b\d+(st|nd|rd|th)\b",
    re.I,
)
_EXACT_COUNT = re.compile(
    r"(?<![-\w])(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
    r"thirty|forty|fifty|sixty|hundred)(?![-\w])",
    re.I,
)
#: Words that end the noun phrase after a number: "50 memberships *for* people" counts memberships.
_PHRASE_END_TEXT = "for to from by with at on about who that which whose when"
_PHRASE_END = frozenset(_PHRASE_END_TEXT.split())
#: A hyphenated "5-minute" describes the next word: it is the length of *that* thing.
_HYPHENATED_DURATION = re.compile(rf"\b(\d+|{_NUMBER_WORD})-({_UNIT})\b ((?:\w+ ?){{1,4}})", re.I)
_COUNT_NEAR = 6
#: Words sharing this many first letters are one family ("mentor", "mentee").
_SIBLING_PREFIX = 4
_YEAR = re.compile(r"(19|20)\d\d")


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
#: A question about the present round: "so far", "this fall", "this round", "currently".
_CURRENT = re.compile(
    r"\b(so far|to date|as of now|(this|the current) (round|year|time|season|cycle|go-?round|"
    r"spring|summer|fall|autumn|winter)('s)?|currently|right now|at the moment)\b"
)
#: Kinds of fact that change from round to round.
_PER_ROUND_KINDS = frozenset({"count", "winner", "cost"})


def of_an_earlier_round(kind: str, folded: str, sentence: str, year: int) -> bool:
    """True when a question about the present round ("how many so far", "this fall's")
    meets a sentence dated only years before ``year`` ("the Fall 2017 round received 25")."""
    if kind not in _PER_ROUND_KINDS or not _CURRENT.search(folded):
        return False
    stated = [int(item) for item in _YEAR_IN_TEXT.findall(_without_attribution(sentence))]
    return bool(stated) and max(stated) < year - 1


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


def holds(
    kind: FactKind,
    sentence: str,
    *,
    counted: tuple[str, ...] = (),
    stem: Callable[[str], str] | None = None,
    given: str = "",
) -> bool:
    """True when ``sentence`` (original case) states a fact of ``kind``.

    Args:
        kind: What the question asks for.
        sentence: One sentence or bullet of an answer.
        counted: For ``count`` (and hyphenated durations), stems of the thing asked
            about: "how many *memberships*" needs a number near "memberships".
        stem: The engine's stemmer, used with ``counted``.
        given: The (folded) question: a year it names is not its answer, an edition it
            names ("fall 2017") must be the sentence's, a rate it asks for ("hours a
            month", "can one mentor take") needs one, and hours are not a length in years.
    """
    if kind == "live":
        return False
    if kind in _NUMERIC_KINDS:
        sentence = _without_attribution(sentence)  # "(as the 2016 call said)" dates nothing
    if kind == "duration":
        sentence = _RELATIVE_DAY.sub(" ", sentence)  # "closes ... (in 10 days)" is no length
    if given and not _fits_the_question(kind, sentence, given):
        return False
    if kind == "count":
        sentence = _without_non_counts(sentence)  # "January 27, 2022 at 5 pm", "2016"
        if counted and stem is not None:
            return _number_near(sentence, counted, stem)
        return bool(_EXACT_COUNT.search(sentence))  # "a few" sessions counts no people
    pattern = _EVIDENCE[kind]
    if pattern.search(sentence):
        return True
    if kind == "duration" and counted and stem is not None:
        return any(
            stem(word.lower()) in counted
            for match in _HYPHENATED_DURATION.finditer(sentence)
            for word in match.group(3).split()
        )
    return False


def edition(folded: str) -> str | None:
    """The round a question names ("the fall 2017 applications"): "fall 2017", or None."""
    match = _EDITION.search(folded)
    return f"{match.group(1)} {match.group(2)}" if match else None


def asks_rate(folded: str) -> bool:
    """True for "how many hours a month", "how many mentees can one mentor take at once"."""
    return bool(_RATE_QUESTION.search(folded))


@dataclass(frozen=True)
class _Asked:
    """What a question says about the fact it wants (worked out once per question)."""

    edition: str | None
    years: tuple[str, ...]
    rate: bool
    clock: bool
    in_units: bool
    future: bool
    exact: bool
    outcome: bool


@lru_cache(maxsize=512)
def _asked(given: str) -> _Asked:
    return _Asked(
        edition=edition(given),
        years=tuple(_YEAR_IN_TEXT.findall(given)),
        rate=asks_rate(given),
        clock=bool(_CLOCK_UNIT.search(given)),
        # "how many yrs of experience" asks a number of years: "since 2013" is none
        # (but "how many years has it been running" is answered by when it began)
        in_units=bool(_IN_UNITS.search(given))
        or bool(_HOW_MANY_UNITS.search(given) and not re.search(_HAS_BEEN, given)),
        future=bool(_FUTURE.search(given)),
        exact=bool(_EXACT.search(given)),
        outcome=asks_outcome(given),
    )


@lru_cache(maxsize=4096)
def _without_attribution(sentence: str) -> str:
    return _ATTRIBUTION.sub(" ", sentence)


@lru_cache(maxsize=4096)
def _without_non_counts(sentence: str) -> str:
    return _NOT_A_COUNT.sub(" ", sentence)


def asks_year(folded: str) -> bool:
    """True for "what year ...", "which year ...": a year alone is the answer."""
    return bool(_ASKS_YEAR.search(folded))


def more_than_a_year(sentence: str) -> bool:
    """True when a sentence dates something by month, day or weekday, not by a year alone."""
    return bool(_EVIDENCE["date"].search(_YEAR_IN_TEXT.sub(" ", _without_attribution(sentence))))


def names_a_year(sentence: str) -> bool:
    """True when a sentence names a year of its own, not only the source it was read in."""
    return bool(_YEAR_IN_TEXT.search(_without_attribution(sentence)))


def asks_outcome(folded: str) -> bool:
    """True for the date of a decision or its news ("when will we find out", "hear back")."""
    return bool(_OUTCOME_QUESTION.search(folded))


def _fits_the_question(kind: FactKind, sentence: str, given: str) -> bool:
    asked = _asked(given)
    lowered = sentence.lower()
    if asked.years and kind in _YEARLY_KINDS:
        stated = _YEAR_IN_TEXT.findall(lowered)
        if stated and not set(stated) & set(asked.years):
            return False  # "the 2019 donation": a sentence about 2016 does not say
    if kind in ("date", "day", "origin"):
        if asked.edition is not None and asked.edition not in lowered.replace("autumn", "fall"):
            return False  # "spring 2017 ... February 24" is not the fall 2017 date
        if asked.outcome and not any(
            _OUTCOME.search(clause) and _EVIDENCE[kind].search(clause)
            for clause in _CLAUSES.split(lowered)
        ):
            # "when do we hear back?": the day applications close is not it, nor the month
            # of a newsletter piece by someone "matched with" a mentor: the date must be
            # in the clause that speaks of the news
            return False
        if asked.exact and kind == "day" and not _EXACT_DAY.search(lowered):
            return False  # "Youth Media Awards Monday" is no exact date
        if asked.future and kind == "date":
            # "when will we find out?": "(in 2021, over 30 applications came in)" is no date
            return bool(_EVIDENCE[kind].search(_YEAR_IN_TEXT.sub(" ", lowered)))
        if not asked.years:
            return True
        for year in asked.years:
            lowered = lowered.replace(year, " ")  # the year asked about is no answer
        return bool(_EVIDENCE[kind].search(lowered))
    if kind == "cost" and _DUES_ASKED.search(given) and not _DUES_STATED.search(lowered):
        return False  # "what are the dues?": webinars "free for members" price no membership
    if kind == "person" and not _holds_the_role(lowered, given):
        return False  # "who is the president?": a Vice-President or Past President is not it
    if kind == "person" and _SPEAKER_ASKED.search(given) and not _SPEAKER.search(lowered):
        return False  # "who's presenting the sessions?": the event's host is not its speaker
    if kind in ("count", "duration") and asked.rate and not _RATE.search(lowered):
        # "the sessions are 5 minutes *each*": "5-minute lightning sessions" is each one's length
        each = kind == "duration" and _EACH.search(given) and _HYPHENATED_DURATION.search(sentence)
        if not each:
            return False  # "over 30 applications came in" is no number per mentor or per month
    if kind == "duration" and asked.clock:
        return bool(_CLOCK_LENGTH.search(lowered))  # "one year" says nothing of hours a month
    of_what = _UNITS_OF.search(given)
    if kind == "duration" and of_what and of_what["what"][:6] not in lowered:
        return False  # "how many years of experience": a length of the program is not it
    if kind == "duration" and asked.in_units:
        return bool(_IN_UNITS.search(lowered))  # "six months?": "since 2013" is no length
    return True


#: The price of membership itself: "membership dues", "the annual fee to join", "rates".
_DUES_ASKED = re.compile(
    r"\b(dues|membership (fees?|rates?|costs?|prices?)|(fees?|rates?|costs?|prices?) "
    r"(of|for) (a |an |the )?(\w+ )?membership|(fees?|costs?) to join)\b"
)
#: A sentence pricing membership: an amount, or dues named.
_DUES_STATED = re.compile(r"\$\s?\d|\bdues\b|\bmembership (fees?|rates?|costs?|prices?)\b")
#: A role with a word that makes it another role: "Vice-President", "Past President".
_QUALIFIED_ROLE = re.compile(
    r"\b(vice|past|former|deputy|assistant|interim|acting|immediate past)[- ]([a-z]+)"
)


#: Who speaks at an event: "who's presenting", "who are the speakers", "who is leading it".
_SPEAKER_ASKED = re.compile(
    r"\bwho\b.{0,20}\b(present(s|ing|ers?)?|(speak|talk)(s|ing)?(?! (to|with)\b)|speakers?|"
    r"lead(s|ing)?|teach(es|ing)?|facilitat\w*|moderat\w*|panelists?)\b|"
    r"\b(presenters?|speakers?|panelists?|facilitators?|moderators?)\b"
)
#: A sentence naming who speaks: "presented by", "speakers include", "led by".
_SPEAKER = re.compile(
    r"\b(present(ed|s|ing|ers?|ation)|speak(s|ing|ers?)|spoke|talks?|led by|leads|teach\w*|"
    r"facilitat\w*|moderat\w*|panel\w*|instructors?)\b"
)


def holds_the_role(sentence: str, statement: str) -> bool:
    """False when ``statement`` names a role bare ("X is ALSC President") and ``sentence``
    names it only with a qualifier that makes it another ("X was ALSC Vice-President")."""
    if not _ROLE_NOUN.search(statement.lower()):
        return True  # "someone not selected in the past can ...": "past" qualifies no role
    return _holds_the_role(sentence.lower(), statement.lower())


#: Nouns of a role an association's officers hold.
_ROLE_NOUN = re.compile(
    r"\b(president|chair(person|man|woman)?|director|editor|secretary|treasurer|"
    r"coordinator|officer|liaison|councilor|trustee)\b"
)


def _holds_the_role(lowered: str, given: str) -> bool:
    """False when the question names a role bare ("the president") and the sentence
    names it only with a qualifier that makes it another ("Vice-President", "Past President")."""
    heads = {match.group(2) for match in _QUALIFIED_ROLE.finditer(lowered)}
    if not heads:
        return True
    bare_question = _QUALIFIED_ROLE.sub(" ", given)
    bare_sentence = _QUALIFIED_ROLE.sub(" ", lowered)
    return not any(
        re.search(rf"\b{head}\b", bare_question) and not re.search(rf"\b{head}\b", bare_sentence)
        for head in heads
    )


def _sibling(words: list[str], counted: tuple[str, ...]) -> bool:
    """ "30 *mentee* applications" counts no *mentor* applications: a sibling word instead."""
    return any(
        len(word) >= _SIBLING_PREFIX
        and word not in counted
        and any(
            item[:_SIBLING_PREFIX] == word[:_SIBLING_PREFIX]
            and not (item.startswith(word) or word.startswith(item))
            for item in counted
        )
        for word in words
    )


def _number_near(sentence: str, counted: tuple[str, ...], stem: Callable[[str], str]) -> bool:
    tokens = re.findall(r"[\w$,]+(?:-\w+)*", sentence)  # "two-way", "one-year": no count
    numbers = _EVIDENCE["count"]
    for position, token in enumerate(tokens):
        if _YEAR.fullmatch(token):
            continue  # "the 2016 call for applications" counts nothing
        if numbers.fullmatch(token.replace(",", "")) or numbers.fullmatch(token):
            following = []
            for word in tokens[position + 1 : position + 1 + _COUNT_NEAR]:
                if word.lower() in _PHRASE_END:
                    break
                following.append(stem(word.lower()))
            if any(item in counted for item in following) and not _sibling(following, counted):
                return True
    return False
