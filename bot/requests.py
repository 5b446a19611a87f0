"""The neutral Request every adapter translates platform input into."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

#: Marks the place of ``Request.mentions[N]`` inside ``Request.text``: ``\x1fN\x1f``.
#: Adapters strip control characters from member text first, so a member cannot
#: forge one.
MENTION_MARK = "\x1f"
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


def mention_token(index: int) -> str:
    """The placeholder adapters put in ``Request.text`` for ``mentions[index]``."""
    return f"{MENTION_MARK}{index}{MENTION_MARK}"


def strip_control_chars(text: str) -> str:
    """Remove control characters (keeping newlines and tabs) from member text."""
    return "".join(ch for ch in text if ch in "\n\t" or (ord(ch) >= 32 and ord(ch) != 127))
