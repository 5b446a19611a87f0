"""Greetings, thanks and questions about the bot itself.

None of these is a question about the association: they get a short friendly
reply, never a knowledge entry, and are never stored as unanswered. A
greeting or thanks in front of a real question ("hi! when is the mixer?",
"Good afternoon. I should like to know whether ...", "hey so which committee
...") is split off so the question is still answered: only a message that is
nothing but small talk, or small talk with news that asks nothing ("hello! I
just joined ALSC"), gets the small-talk reply.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

SmallTalkKind = Literal["greeting", "thanks", "acknowledgement", "farewell", "help", "identity"]

_GREETING = (
    r"hi+|hello+|hey+|hiya|howdy|heya|yo|greetings|dear|good (morning|afternoon|evening|day)|"
    r"morning|evening|hi there|hello there|hey there|(yo |hey |hi )?(what'?s|whats|wassup|sup) up|"
    r"sup|how are you( doing)?( today)?|how'?s it going|hows it going|how are things|"
    r"(is )?(any ?one|any ?body|someone|somebody) (there|here|around|home)|(are|r) (you|u) there"
)
_THANKS = (
    r"thanks?( you)?( so much| very much| a lot| a bunch| again)?|thank u|thx|ty|tysm|cheers|"
    r"many thanks|much appreciated|appreciate (it|that|you)|thanks a million|that helps|"
    r"that helped|great,? thanks"
)
_ACKNOWLEDGEMENT = (
    r"ok(ay)?( cool| great| thanks| then| got it)?|k|kk|cool|great|nice|perfect|awesome|"
    r"got it|sounds good|will do|understood|good to know|makes sense|noted|alright|all right|"
    r"excellent|wonderful|lovely|sweet|ah ok|oh ok|i see|gotcha|fair enough|right"
)
_FAREWELL = (
    r"bye|goodbye|good bye|bye bye|see (you|ya)( later)?|later|have a (good|nice|great) "
    r"(day|one|night|evening|weekend)|good ?night|night night|take care|cya|ttyl"
)
_HELP = (
    r"help( me)?( please)?|menu|commands|options|what can (you|i) (do|ask)( you)?( here)?|"
    r"what do you do|what are you for|how do(es)? (you|this|this bot) work|"
    r"what (can|do) you (help|know)( me)?( with| about)?|how can you help( me)?|"
    r"what can i (use|ask) (you|this) for|what questions can i ask|"
    r"how do i use (this|you|it|the bot|this bot|this thing|memberbot)( thing)?|"
    r"how does (this|it|the bot|this bot|this thing) work"
)
_IDENTITY = re.compile(
    r"\b(are|r) (you|u) (a |an )?(real |actual )?(bot|robot|human|person|ai|machine|chatbot|"
    r"real|automated|people)\b|"
    r"\bis (this|a real person|a human|someone|anyone|a person) .*\b(bot|human|person|real|"
    r"answering|typing|automated)\b|"
    r"\b(who|what) (are|r) (you|u)\b|\bam i (talking|chatting|speaking) (to|with)\b|"
    r"\bis this (a )?(bot|automated|ai|real)\b"
)
#: Who a greeting is addressed to ("hi all", "good morning everyone", "hey bot").
_ADDRESSED = r"everyone|everybody|all|there|bot|memberbot|folks|team|friends|guys|y'?all"
_WHOLE: dict[SmallTalkKind, re.Pattern[str]] = {
    "greeting": re.compile(rf"^({_GREETING})( ({_ADDRESSED}))*$"),
    "thanks": re.compile(rf"^(({_ACKNOWLEDGEMENT}) )?({_THANKS})( .*)?$"),
    "acknowledgement": re.compile(rf"^({_ACKNOWLEDGEMENT})( ({_ACKNOWLEDGEMENT}))*$"),
    "farewell": re.compile(rf"^({_FAREWELL})$"),
    "help": re.compile(rf"^({_HELP})$"),
}
_LEADING = re.compile(rf"^(({_GREETING})|({_THANKS}))( ({_ADDRESSED}))*\b[\s,.!?:;-]*")
_LEADING_ANY_CASE = re.compile(_LEADING.pattern, re.IGNORECASE)
#: "ok. so ...", "great, and ...": an acknowledgement set off from what follows.
_LEADING_ACKNOWLEDGEMENT = re.compile(
    rf"^({_ACKNOWLEDGEMENT})(\s*[,.!;:-]+\s*|\s+(?=(so|then|and|but|also)\b))", re.IGNORECASE
)
_ACKNOWLEDGED = re.compile(rf"^({_ACKNOWLEDGEMENT}) (?=({_THANKS})\b)")
_QUESTION_START = re.compile(
    r"^\W*(and |also |so |but )?(who|what|when|where|why|how|which|is|are|do|does|did|can|"
    r"could|should|will|would|any|anything|whats|wheres|whens)\b"
)
_PUNCTUATION = re.compile(r"[^\w\s']")


@dataclass(frozen=True)
class SmallTalk:
    """A message that is small talk, and what kind."""

    kind: SmallTalkKind


#: Whether a message (its pleasantries taken off) asks or requests something.
Asks = Callable[[str], bool]


def recognise(folded: str, asks: Asks | None = None) -> SmallTalk | None:
    """The kind of small talk a whole (folded) message is, or None for a real question.

    ``asks`` reads whether what follows a greeting or thanks asks something without a
    question mark or a question word first ("I would like to learn who ...", "so i want
    to volunteer ... who do i ask").
    """
    text = _plain(folded)
    if not text:
        return None
    if _IDENTITY.search(text) and len(text.split()) <= 10:
        return SmallTalk("identity")
    for kind, pattern in _WHOLE.items():
        if pattern.match(text) and not (kind == "thanks" and _rest_asks(folded, _tail(text), asks)):
            return SmallTalk(kind)
    greeting = _LEADING.match(text)
    if greeting and not _rest_asks(folded, text[greeting.end() :], asks):
        # "hello! I just joined ALSC": a greeting with news, not a question
        leading = greeting.group(0)
        return SmallTalk("thanks" if re.match(_THANKS, leading) else "greeting")
    return None


def without_pleasantries(text: str, asks: Asks | None = None) -> str:
    """A question with the greetings, thanks or "ok." in front of it removed ("Hi! When is
    ..." -> "When is ...", "Hello ALSC team! Who can ..." -> "Who can ...", "ok. so is the
    mixer free?" -> "so is the mixer free?").

    A first sentence is removed whole when it is only small talk ("Hi Elly,", "Good
    morning all."), never when it asks (see :func:`recognise`). Works on folded text or on
    the member's own capitals.
    """
    text = text.strip()
    for _ in range(_MAX_PLEASANTRIES):  # "hello hello.", "hi there! ok so ..."
        sentence = _FIRST_SENTENCE.match(text)
        if sentence and text[sentence.end() :].strip() and _only_talk(sentence.group(1), asks):
            text = text[sentence.end() :].strip()
            continue
        match = _LEADING_ANY_CASE.match(text) or _LEADING_ACKNOWLEDGEMENT.match(text)
        if not match or not match.end() or not text[match.end() :].strip():
            break
        text = text[match.end() :].strip()
    return text


_MAX_PLEASANTRIES = 3
#: A message's first sentence or clause, short enough to be a greeting ("Hi Elly,").
_FIRST_SENTENCE = re.compile(r"^([^.!?,;:]{1,40})[.!?,;:]+(?:\s+|$)")


def _only_talk(sentence: str, asks: Asks | None) -> bool:
    """True for a sentence that is a greeting or thanks and asks nothing ("Hello ALSC team")."""
    folded = sentence.lower()
    talk = recognise(folded, asks)
    return talk is not None and talk.kind in ("greeting", "thanks", "acknowledgement")


def reply(talk: SmallTalk, *, organisation: str, contact: str) -> str:
    """The bot's answer to small talk, in neutral markup."""
    if talk.kind == "greeting":
        return (
            f"Hello, and welcome! I'm the {organisation} member bot. Ask me about committees, "
            "mentoring, awards, membership or upcoming deadlines, for example "
            '"When do mentoring applications close?"'
        )
    if talk.kind == "thanks":
        return "You're welcome! Glad I could help. Ask me anything else any time."
    if talk.kind == "acknowledgement":
        return "Great! Let me know if there's anything else I can help with."
    if talk.kind == "farewell":
        return "Bye for now! I'm here whenever you have a question."
    if talk.kind == "identity":
        return (
            f"I'm a bot: an automated assistant for {organisation} members, not a person. "
            "I answer from what the association has published, and when I don't know, "
            f"I'll tell you who to ask ({contact})."
        )
    return capabilities(organisation=organisation)


def capabilities(*, organisation: str) -> str:
    """What the bot can do, for "help" and "what can you do?"."""
    return (
        f"Here's what I can do for {organisation} members:\n"
        "- **answer questions** about committees, mentoring, awards and membership: just ask\n"
        '- **deadlines and events**: ask "what\'s coming up?" or "anything due in October?"\n'
        "- **kudos and thank-you notes**: thank a colleague publicly with kudos, or send a "
        "private note\n"
        "- **reminders**: staff send reminders before deadlines\n"
        "Use the help command to see every command."
    )


def _plain(folded: str) -> str:
    return " ".join(_PUNCTUATION.sub(" ", folded).split())


def _is_question(folded: str, rest: str) -> bool:
    """True when what follows a greeting or thanks asks something."""
    return bool(rest.strip()) and ("?" in folded or bool(_QUESTION_START.match(rest)))


def _rest_asks(folded: str, rest: str, asks: Asks | None) -> bool:
    """True when what follows a greeting or thanks asks something, however it is put."""
    if _is_question(folded, rest):
        return True
    return bool(rest.strip()) and asks is not None and asks(without_pleasantries(folded))


def _tail(text: str) -> str:
    """What follows a leading thanks, also after an acknowledgement ("ok thanks. and ...")."""
    acknowledged = _ACKNOWLEDGED.match(text)
    start = acknowledged.end() if acknowledged else 0
    match = _LEADING.match(text[start:])
    return text[start + match.end() :] if match else ""
