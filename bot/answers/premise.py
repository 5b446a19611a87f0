"""Questions that state a fact and ask for confirmation ("the program lasts two years, right?").

The stated fact is compared with the sentence the engine would answer with:
numbers, dates, times and durations in the premise that the answer contradicts,
or a rule stated the other way round ("mentees have to be members" against
"mentees do not need to be members"), make the reply open with "Not quite";
a premise whose values all appear in the answer gets "Yes". Otherwise the reply
simply gives the fact.

Recognising the premise lives in ``premise_frames``, comparing it with the answer in
``premise_verdict`` (its values in ``premise_values``); this module opens the reply.
"""

from __future__ import annotations

import re

from bot.answers.premise_frames import Premise
from bot.answers.premise_verdict import Verdict


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
