"""The neutral Request every adapter translates platform input into."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

#: Marks the place of ``Request.mentions[N]`` inside ``Request.text``: ``\x1fN\x1f``.
#: Adapters strip control characters from member text first, so a member cannot
#: forge one. Only :func:`mention_token` writes tokens and only :func:`segments`
#: reads them.
MENTION_MARK = "\x1f"
#: A token: the mark, an index in ASCII digits, the mark. Six digits are far more
#: mentions than any message holds, and keep ``int()`` away from huge numbers.
_TOKEN = re.compile(f"{MENTION_MARK}([0-9]{{1,6}}){MENTION_MARK}")
#: What to strip around member text. Not ``str.strip()``: Python counts the mention
#: mark as whitespace and would cut a mention at the end of the text in half.
BLANKS = " \t\r\n\u00a0"


@dataclass(frozen=True, slots=True)
class UserRef:
    """A member on one platform; identity is (platform, workspace_id, user_id), never a name."""

    platform: str
    workspace_id: str
    user_id: str
    display_name: str | None = None
    is_bot: bool = False

    def __post_init__(self) -> None:
        # Names come from platform directories and are shown in posts, like member text.
        name = self.display_name
        if name is not None and not name.isprintable():
            object.__setattr__(self, "display_name", clean_member_text(name))

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.platform, self.workspace_id, self.user_id)

    @property
    def name(self) -> str:
        return self.display_name or self.user_id

    def same_member(self, other: UserRef) -> bool:
        return self.key == other.key


class MentionKind(StrEnum):
    """What a mention in member text points at, as far as the adapter could decode it."""

    USER = "user"
    UNKNOWN_USER = "unknown_user"  # looked like a user mention but could not be resolved
    GROUP = "group"  # Slack user group, Discord role
    CHANNEL = "channel"  # a channel reference
    EVERYONE = "everyone"  # @everyone / @here / @channel and friends


@dataclass(frozen=True, slots=True)
class Mention:
    """One decoded mention.

    Attributes:
        raw: What the member typed, in a form their platform shows readably (``@Ana``,
            ``#general``; Discord's ``<#id>`` shows as the channel's name), for messages.
        user: The member, for user mentions.
        channel_id: The platform's channel id, for channel mentions.
    """

    kind: MentionKind
    raw: str
    user: UserRef | None = None
    channel_id: str | None = None


#: One typed option value: member text (mentions as tokens), a number, a yes/no, a
#: member or channel (as a Mention), several members, a local send time (naive, in
#: the organisation's time zone), or nothing (an option left empty).
ArgumentValue = str | int | bool | datetime | Mention | tuple[Mention, ...] | None


@dataclass(frozen=True, slots=True)
class Arguments:
    """A command's sub-command and typed option values, keyed by the declared names.

    Platforms with structured commands (Discord's options; later buttons and forms)
    send these already typed; for text platforms the core reads them from
    ``Request.text`` (see :mod:`bot.commands.spec`).
    """

    subcommand: str | None = None
    values: Mapping[str, ArgumentValue] = field(default_factory=dict)

    def get(self, name: str) -> ArgumentValue:
        return self.values.get(name)

    def text(self, name: str) -> str:
        """A text option, ``""`` when it was left empty."""
        value = self.values.get(name)
        return value if isinstance(value, str) else ""


class RequestKind(StrEnum):
    """How a request reached the bot; all three are routed like a command."""

    COMMAND = "command"  # a typed command or question (or a Discord slash command)
    ACTION = "action"  # a click on a button or a select option (see bot.actions)
    FORM = "form"  # a submitted form: the action plus the fields' values in ``arguments``


@dataclass(frozen=True, slots=True)
class Request:
    """A member's command or question, independent of the platform it came from.

    Attributes:
        command: Lower-case command name without the slash (``ask``, ``kudos``...).
            Plain messages to the bot arrive as ``ask``.
        text: The argument text. Each mention is replaced by ``\\x1fN\\x1f`` where
            N indexes ``mentions``.
        delivery_id: The platform's id for this delivery, used so a retried
            delivery is acted on once. ``None`` when the platform has none.
        arguments: The options already typed by the platform (Discord); ``None``
            when the member typed text, which the core reads into options itself.
            For a form, the submitted fields' values.
        kind: A command, a click or a form submission.
        action: For a click or a form, the encoded action value exactly as the
            platform sent it back (:mod:`bot.actions`); the core parses and checks it.
    """

    platform: str
    workspace_id: str
    channel_id: str | None
    sender: UserRef
    command: str
    text: str = ""
    mentions: tuple[Mention, ...] = field(default_factory=tuple)
    delivery_id: str | None = None
    is_staff: bool = False
    is_direct: bool = False
    arguments: Arguments | None = None
    kind: RequestKind = RequestKind.COMMAND
    action: str | None = None

    def segments(self, text: str | None = None) -> Iterator[str | Mention]:
        """The member's words and mentions in order (see :func:`segments`).

        Args:
            text: Part of this request's text (an option's value); the whole
                ``text`` when omitted.
        """
        return segments(self.text if text is None else text, self.mentions)

    def text_as_typed(self, text: str | None = None) -> str:
        """The text with each mention as the member typed it (``Mention.raw``)."""
        return "".join(part if isinstance(part, str) else part.raw for part in self.segments(text))

    def text_with_names(self, text: str | None = None) -> str:
        """The text with each member mentioned as ``@name``, other mentions as typed.

        The result is member text: it is always shown literally, so nothing in it notifies.
        """
        return "".join(
            part if isinstance(part, str) else mention_name(part) for part in self.segments(text)
        )

    def mentions_in(self, text: str | None = None) -> tuple[Mention, ...]:
        """The mentions in the text, in order (a part of the text may hold only some)."""
        return tuple(part for part in self.segments(text) if isinstance(part, Mention))

    def only_mention(self, text: str) -> Mention | None:
        """The mention ``text`` consists of, or ``None`` when it holds anything else."""
        parts = list(self.segments(text))
        return parts[0] if len(parts) == 1 and isinstance(parts[0], Mention) else None

    def text_of(self, parts: Iterable[str | Mention]) -> str:
        """Parts from :meth:`segments` written back as text with tokens, to walk again.

        A mention gets the index of the first equal one in ``mentions``: equal
        mentions are the same member typed the same way, so they read the same.
        """
        return "".join(
            part if isinstance(part, str) else mention_token(self.mentions.index(part))
            for part in parts
        )


def mention_token(index: int) -> str:
    """The placeholder adapters put in ``Request.text`` for ``mentions[index]``."""
    return f"{MENTION_MARK}{index}{MENTION_MARK}"


def segments(text: str, mentions: tuple[Mention, ...]) -> Iterator[str | Mention]:
    """Walk text with mention tokens: the words between them, and the mentions.

    The one reader of the token format. Words come as non-empty strings, never
    two in a row; each token comes as ``mentions[N]``. A token whose index has
    no mention, and a mark that is not part of a token, are dropped: adapters
    remove the mark from member text, so neither was typed by the member.
    """
    words = ""
    position = 0
    for token in _TOKEN.finditer(text):
        words += text[position : token.start()].replace(MENTION_MARK, "")
        position = token.end()
        index = int(token.group(1))
        if index >= len(mentions):
            continue
        if words:
            yield words
            words = ""
        yield mentions[index]
    words += text[position:].replace(MENTION_MARK, "")
    if words:
        yield words


def mention_name(mention: Mention) -> str:
    """How a mention reads in member text: ``@name`` for a member, else as typed."""
    if mention.kind is MentionKind.USER and mention.user is not None:
        return f"@{mention.user.name}"
    return mention.raw


#: What :func:`clean_member_text` removes: control characters except newline and
#: tab (C0, DEL and C1), and the bidirectional embedding, override and isolate
#: controls (U+202A-U+202E, U+2066-U+2069), which reorder how the text around
#: them is shown: a kudos reason could display backwards or disguise what follows.
_REMOVED = dict.fromkeys(
    [
        *(code for code in range(0x20) if chr(code) not in "\n\t"),
        *range(0x7F, 0xA0),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    ]
)


def clean_member_text(text: str) -> str:
    """Member text made safe to store and show; adapters call it once, as text comes in.

    Surrogates that do not pair up (bytes that were not UTF-8, read with
    ``surrogateescape``, or a JSON ``"\\ud800"``) become U+FFFD, the replacement
    character: stored as they were, they fail every database write. Control and
    bidirectional-override characters are removed (see ``_REMOVED``); so is the
    mention mark, so a member cannot forge one.
    """
    if not text.isascii():
        # UTF-16 with surrogatepass keeps real pairs and turns lone halves into U+FFFD.
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text.translate(_REMOVED)
