"""Rewrite synonyms and acronyms onto one canonical wording.

The knowledge file's ``synonyms:`` section lists groups such as
``[distinguished service award, dsa]``. Every later term in a group is
rewritten to the first one, in questions *and* in the indexed knowledge, so
"DSA" and "Distinguished Service Award" become the same tokens on both sides
and no weighting tricks are needed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from bot.answers.text import fold

#: What may separate the words of a multi-word term ("e-mail", "equity, diversity").
_SEPARATORS = r"[\s,\-/&]+"

#: Everyday English the engine knows for any association; the knowledge file's
#: own groups are applied first, so staff can override any of these.
GENERAL_SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("create", "created", "came up with", "come up with", "designed", "invented", "founded",
     "put out", "puts out", "put together", "puts together"),
    ("eligible", "allowed", "qualified", "qualify", "permitted", "able to join"),
    ("requirement", "requirements", "criteria", "prerequisite", "prerequisites",
     "qualification", "qualifications"),
    ("trait", "traits", "quality", "qualities", "characteristic", "characteristics",
     "attribute", "attributes"),
    ("mentor", "coach", "coaches", "coaching", "advisor", "advisors", "adviser", "advisers",
     "counsel", "counselor", "tutor", "tutoring", "guide someone", "guiding someone"),
    ("nominate", "put forward", "put someone forward", "put them forward", "put her forward",
     "put him forward", "propose", "proposed", "proposing"),
    ("gift", "as a present", "a present", "gifted membership"),
    ("colleague", "coworker", "co-worker", "coworkers", "co-workers", "peer", "peers"),
    ("supervisor", "supervisors", "supervisory", "supervising", "supervise", "manager",
     "managers", "managing", "management", "manage", "manages", "boss"),
    ("phone", "telephone", "over the phone", "by phone"),
    ("time zone", "timezone", "time zones"),
    ("minor", "teen", "teens", "teenager", "teenagers", "underage", "under 18", "younger than 18"),
    ("student", "students", "library school", "grad school", "grad student", "mlis", "mls"),
    ("match", "matches", "matched", "matching", "pair", "pairs", "paired", "pairing",
     "partnership", "partnerships"),
    ("deadline", "deadlines", "cutoff", "cut off", "cutoff date", "due date", "closing date"),
    ("free", "freebie", "freebies", "complimentary", "gratis"),
    ("apply", "put in for"),
    ("cost", "costs", "price", "prices", "fee", "fees", "how much is it"),
    ("contact", "get in touch", "get in touch with", "reach out to", "get hold of"),
    ("booklist", "book recommendations", "recommended books", "book suggestions"),
    ("mixer", "meet and greet", "meet-and-greet", "social hour"),
    ("newsletter", "newsletters", "bulletin", "bulletins", "e-newsletter", "enewsletter"),
    ("award", "awards", "prize", "prizes"),
    ("event", "events", "gathering", "gatherings"),
    ("competency", "competencies", "skill set", "skill sets", "skillset", "skillsets"),
    ("webinar", "virtual class", "virtual classes", "virtual course", "virtual courses",
     "e-course", "e-courses", "elearning", "e-learning"),
    ("blog", "blogs", "blogger", "bloggers", "blog post", "blog posts"),
    ("tip", "tips", "idea", "ideas", "advice", "suggestion", "suggestions"),
    # terse questions name the date they want: "mixer date" asks "when is the mixer"
    ("when", "date", "dates", "what day", "which day"),
    ("vice president", "vp", "veep"),
    # members describe a thing by what it does: an award honours, a fund pays the dues,
    # a journal is a publication, watching a meeting is attending it
    ("honor", "honors", "honored", "honour", "honours", "honoured", "recognition",
     "recognize", "recognizes", "recognized", "recognise", "recognises", "recognised"),
    ("impact", "make a difference", "makes a difference", "made a difference",
     "making a difference"),
    ("membership", "dues", "membership dues", "membership fee", "membership fees"),
    ("pay for", "paid for", "afford", "affording"),
    ("journal", "journals", "publication", "publications", "periodical", "periodicals",
     "magazine", "magazines"),
    ("attend", "observe", "observing", "sit in on", "sit in", "be present at",
     "watch", "watching", "listen in on", "listen in", "observer", "observers", "spectator",
     "spectators", "onlooker", "onlookers", "go to", "come to", "show up to",
     "show up at"),
    ("fit", "suit", "suits", "suited", "suitable"),
    ("help", "advise", "assist", "assistance", "guidance"),
    ("choose", "pick", "picking", "select", "selecting", "decide on"),
    ("schedule", "calendar", "calendars", "timetable"),
    ("show", "shows", "tv show", "tv shows", "television show", "television shows", "tv series",
     "tv programs", "tv programmes"),
    ("role", "job title", "position title", "official title", "job role"),
)  # fmt: skip


class SynonymRewriter:
    """Replaces every variant of a synonym group with the group's first term."""

    def __init__(self, groups: Iterable[Sequence[str]], *, general: bool = True) -> None:
        """Compile the groups into one regular expression.

        Args:
            groups: Each group's first term is canonical; the others are variants.
            general: Also apply :data:`GENERAL_SYNONYMS` (after ``groups``).
        """
        self._canonical: dict[str, str] = {}
        for group in [*groups, *(GENERAL_SYNONYMS if general else ())]:
            canonical = _squash(fold(group[0]))
            for variant in group[1:]:
                folded = _squash(fold(variant))
                if folded and folded != canonical:
                    self._canonical.setdefault(folded, canonical)
        # a group whose first term is a variant elsewhere ("reach out to" -> "contact",
        # which the knowledge file writes as "email") ends at that group's first term
        for variant, canonical in self._canonical.items():
            seen = {variant}
            while canonical in self._canonical and canonical not in seen:
                seen.add(canonical)
                canonical = self._canonical[canonical]
            self._canonical[variant] = canonical
        # longest first, so "national day of racial healing" wins over "racial"
        variants = sorted(self._canonical, key=len, reverse=True)
        self._pattern = (
            re.compile(
                r"(?<!\w)(" + "|".join(_variant_pattern(v) for v in variants) + r")(?:e?s)?(?!\w)"
            )
            if variants
            else None
        )

    def variant_words(self) -> list[str]:
        """The one-word variants ("mentorship", "dsa"), for typo correction."""
        return sorted(variant for variant in self._canonical if " " not in variant)

    def rewrite(self, folded: str) -> str:
        """Rewrite folded text; words outside any group are left alone."""
        if self._pattern is None:
            return folded
        return self._pattern.sub(self._replacement, folded)

    def _replacement(self, match: re.Match[str]) -> str:
        key = _squash(match.group(1))
        canonical = self._canonical.get(key)
        if canonical is None:
            return match.group(0)
        if match.start() > 0 and match.string[match.start() - 1] == "#":
            # a hashtag is also a name of its own: "#mentorALSC" is the newsletter's
            # tag as well as mentoring, so a question about mentoring is not about it
            return f"{key} {canonical} "
        return f" {canonical} "


def _squash(text: str) -> str:
    """Collapse runs of spaces and punctuation-like separators to one space."""
    return " ".join(part for part in re.split(_SEPARATORS, text.strip()) if part)


def _variant_pattern(variant: str) -> str:
    # spaces in a variant match any run of spaces, commas or dashes ("e-mail", "e mail")
    return _SEPARATORS.join(re.escape(part) for part in variant.split(" "))
