"""The outbound sender Protocol: how the core posts and DMs without knowing the platform."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, runtime_checkable

from bot.actions import Action
from bot.replies import Message
from bot.requests import UserRef


class ChannelPurpose(StrEnum):
    """Channels an adapter maps to concrete ids from its own settings."""

    KUDOS = "kudos"
    ANNOUNCEMENTS = "announcements"
    STAFF = "staff"  # questions members pass on (Ask someone); SLACK_STAFF_CHANNEL etc.


@dataclass(frozen=True, slots=True)
class ChannelTarget:
    """Where to post: a concrete channel id, or a purpose with a fallback channel.

    The adapter uses ``channel_id`` when set, else the channel it has configured
    for ``purpose``, else ``fallback_channel_id`` (usually where the command was
    typed).
    """

    channel_id: str | None = None
    purpose: ChannelPurpose | None = None
    fallback_channel_id: str | None = None


@dataclass(frozen=True, slots=True)
class PostedMessage:
    """A reference to a delivered message, so it can be deleted later."""

    platform: str
    channel_id: str
    message_id: str


@dataclass(frozen=True, slots=True)
class DeliveryKey:
    """Names one message across every attempt to deliver it, so it arrives once.

    ``value`` is stable for the message (a broadcast delivery row, a thank-you
    note, a kudos post) whichever process sends it, so the adapter can let the
    platform recognise a repeat (Slack: message metadata it can look up; Discord:
    a nonce it enforces). ``maybe_sent`` says an earlier attempt may have reached
    the platform (its process died mid-send, or the connection dropped): the
    adapter must make sure the message is not there already before sending it.
    """

    value: str
    maybe_sent: bool = False

    @classmethod
    def for_broadcast_delivery(cls, row_id: int, *, maybe_sent: bool = False) -> DeliveryKey:
        return cls(f"b{row_id}", maybe_sent)

    @classmethod
    def for_note(cls, note_id: int, *, maybe_sent: bool = False) -> DeliveryKey:
        return cls(f"n{note_id}", maybe_sent)

    @classmethod
    def for_kudos_post(cls, kudos_id: int, *, maybe_sent: bool = False) -> DeliveryKey:
        return cls(f"k{kudos_id}", maybe_sent)


@dataclass(frozen=True, slots=True)
class Pace:
    """How fast one bot process sends: sends per second (None: unpaced) and sends in flight."""

    max_per_second: float | None
    concurrency: int


#: The pace of a sender with no platform limit to respect: unpaced, a few at a time.
DEFAULT_PACE = Pace(max_per_second=None, concurrency=8)


class OutboundSender(Protocol):
    """Implemented by every adapter; raises :class:`bot.errors.DeliveryError` on failure.

    ``DeliveryError.permanent`` tells callers whether retrying can help: not for a
    member gone or DMs closed, yes for a rate limit outlasted or a server error.
    Its ``reason`` is one of :class:`bot.errors.DeliveryReason`.

    ``key`` (see :class:`DeliveryKey`) makes a send idempotent: the adapter never
    resends blindly a message that may have arrived (a connection dropped after
    the platform accepted it), and with ``key.maybe_sent`` checks first. Without a
    key a send is tried once.

    ``actions`` (buttons, a select) go under the message exactly as under a reply:
    Slack an ``actions`` block, Discord components whose clicks reach the adapter's
    one dispatcher, the console numbered choices. A click on one comes back as any
    click does, from whoever pressed it, so the core checks it as it checks a
    reply's buttons. Empty (the default), the message goes as plain text.

    ``default_pace`` is how fast broadcasts go out through this sender when the
    settings leave the pace to ``auto``: each adapter knows its platform's limits.
    """

    platform: str
    default_pace: Pace

    async def post(
        self,
        *,
        target: ChannelTarget,
        message: Message,
        key: DeliveryKey | None = None,
        actions: tuple[Action, ...] = (),
    ) -> PostedMessage:
        """Post a message (with ``actions`` under it) in a channel."""
        ...

    async def send_dm(
        self,
        *,
        user: UserRef,
        message: Message,
        key: DeliveryKey | None = None,
        actions: tuple[Action, ...] = (),
    ) -> PostedMessage:
        """Send a direct message (with ``actions`` under it) to one member."""
        ...

    async def delete(self, *, posted: PostedMessage) -> None:
        """Delete a message the bot posted earlier."""
        ...

    async def list_members(self) -> list[UserRef]:
        """Every human member of the workspace/guild the adapter serves (broadcast audiences)."""
        ...


@runtime_checkable
class GroupMessenger(Protocol):
    """An optional sender capability: one message to a few members together.

    ``group_dm_shared`` says whether the members see one conversation together
    (Slack: a multi-person DM from ``conversations.open``) or each get their own
    copy (Discord, whose bots cannot open group DMs; the console). The core writes
    one message naming everyone only when it is shared, and otherwise keeps to a
    DM per person, worded for each.

    ``key`` works as for :class:`OutboundSender`: a shared conversation gets the
    message once; a copy per member carries a key derived from it per member.
    """

    group_dm_shared: bool

    async def send_group_dm(
        self,
        *,
        users: tuple[UserRef, ...],
        message: Message,
        key: DeliveryKey | None = None,
        actions: tuple[Action, ...] = (),
    ) -> tuple[PostedMessage, ...]:
        """Send ``message`` to ``users`` together; the message(s) delivered."""
        ...


def member_key(key: DeliveryKey | None, user: UserRef) -> DeliveryKey | None:
    """The key of one member's copy of a group message sent as a DM to each."""
    if key is None:
        return None
    return DeliveryKey(f"{key.value}-{user.user_id}", key.maybe_sent)
