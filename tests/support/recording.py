"""The one fake OutboundSender for core tests: records what the core asked to deliver
and fails on request, the way the platforms do (adapters are tested against their local
fake platform servers instead).

Configure it with fields, not subclasses::

    RecordingSender(closed_dms={"U2"})              # DMs to U2 refused for good
    RecordingSender(unreachable={"U2"})             # DMs to U2 fail for a moment
    RecordingSender(flaky={"U2": 2})                # the first 2 DMs to U2 fail for a moment
    RecordingSender(post_failures=[RATE_LIMITED])   # the next post fails with that reason
    RecordingSender(posts_fail_with=DeliveryError(...))  # every post fails
    RecordingSender(lose_answer=True)               # the next post (or shared group DM)
                                                    # arrives, its answer is lost
    RecordingSender(broken_dms=True)                # DMs hit an adapter bug (not a DeliveryError)
    RecordingSender(stop="after_platform")          # the next post never returns
    RecordingSender(delay=0.01, on_sent=callback)   # slow sends; a hook after each accepted one
    RecordingSender(group_dm_shared=True)           # group DMs are one shared conversation
    RecordingSender(group_dm_shared=True, group_dms_fail_with=DeliveryError(...))

Like the platforms' own checks, a ``maybe_sent`` repeat of a delivery key that arrived
gets the earlier message back instead of a second one.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.actions import Action
from bot.errors import DeliveryError, DeliveryReason
from bot.outbound import (
    DEFAULT_PACE,
    ChannelTarget,
    DeliveryKey,
    Pace,
    PostedMessage,
    member_key,
)
from bot.replies import Message
from bot.requests import UserRef

#: What an adapter bug looks like (not a DeliveryError: the core must survive it too).
ADAPTER_BUG = "'ClientResponse' object has no attribute 'get'"


@dataclass
class RecordingSender:
    """Records posts, DMs and deletions; fails the ways its fields ask for.

    Attributes:
        channels: purpose -> channel id; ``None``: a purpose names its own channel.
        posts, dms, deleted: what the "platform" accepted, in order.
        post_actions, dm_actions: the buttons each accepted post / DM carried (same order).
        dm_counts: DMs accepted per user id.
        sent_keys: delivery key -> the message that carried it.
        failed_dms: DMs that failed for a moment (``unreachable`` or ``flaky``).
        group_dms: group DMs accepted as one shared conversation (``group_dm_shared``);
            otherwise a group DM is recorded as a DM to each member.
        stopped: set once a ``stop``-ped post is hanging.
    """

    platform: str = "console"
    default_pace: Pace = DEFAULT_PACE
    channels: dict[str, str] | None = field(default_factory=lambda: {"kudos": "#kudos"})
    members: list[UserRef] = field(default_factory=list)
    # -- failures on request
    closed_dms: set[str] = field(default_factory=set)
    unreachable: set[str] = field(default_factory=set)
    flaky: dict[str, int] = field(default_factory=dict)
    post_failures: list[DeliveryReason] = field(default_factory=list)
    posts_fail_with: DeliveryError | None = None
    deletes_fail_with: DeliveryError | None = None
    lose_answer: bool = False
    broken_posts: bool = False
    broken_dms: bool = False
    stop: str | None = None  # "before_platform" or "after_platform"
    delay: float = 0.0
    on_sent: Callable[[], None] | None = None
    group_dm_shared: bool = False
    group_dms_fail_with: DeliveryError | None = None
    # -- what happened
    group_dms: list[tuple[tuple[UserRef, ...], Message]] = field(default_factory=list)
    posts: list[tuple[str, Message]] = field(default_factory=list)
    dms: list[tuple[UserRef, Message]] = field(default_factory=list)
    post_actions: list[tuple[Action, ...]] = field(default_factory=list)
    dm_actions: list[tuple[Action, ...]] = field(default_factory=list)
    deleted: list[PostedMessage] = field(default_factory=list)
    dm_counts: Counter[str] = field(default_factory=Counter)
    sent_keys: dict[str, PostedMessage] = field(default_factory=dict)
    failed_dms: int = 0
    stopped: asyncio.Event = field(default_factory=asyncio.Event)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    async def post(
        self,
        *,
        target: ChannelTarget,
        message: Message,
        key: DeliveryKey | None = None,
        actions: tuple[Action, ...] = (),
    ) -> PostedMessage:
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.broken_posts:
            raise AttributeError(ADAPTER_BUG)
        if (earlier := self._sent_before(key)) is not None:
            return earlier
        if self.stop == "before_platform":
            await self._never_return()  # nothing reached the platform
        if self.posts_fail_with is not None:
            raise self.posts_fail_with
        if self.post_failures:
            raise DeliveryError("post failed", reason=self.post_failures.pop(0))
        channel = self._channel(target)
        self.posts.append((channel, message))
        self.post_actions.append(actions)
        posted = self._accepted(PostedMessage(self.platform, channel, self._next_id()), key)
        if self.stop == "after_platform":
            await self._never_return()  # the platform took the post
        if self.lose_answer:
            self.lose_answer = False
            raise DeliveryError("connection dropped", reason=DeliveryReason.UNCONFIRMED)
        return posted

    async def send_dm(
        self,
        *,
        user: UserRef,
        message: Message,
        key: DeliveryKey | None = None,
        actions: tuple[Action, ...] = (),
    ) -> PostedMessage:
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.broken_dms:
            raise AttributeError(ADAPTER_BUG)
        if (earlier := self._sent_before(key)) is not None:
            return earlier
        user_id = user.user_id
        if user_id in self.closed_dms:
            raise DeliveryError("DMs closed", permanent=True, reason=DeliveryReason.DMS_CLOSED)
        if user_id in self.unreachable:
            self.failed_dms += 1
            raise DeliveryError("Slack could not be reached", permanent=False, reason="unreachable")
        if self.flaky.get(user_id, 0) > 0:
            self.flaky[user_id] -= 1
            self.failed_dms += 1
            raise DeliveryError("server error 500", permanent=False, reason="http_500")
        self.dm_counts[user_id] += 1
        self.dms.append((user, message))
        self.dm_actions.append(actions)
        posted = PostedMessage(self.platform, f"dm:{user_id}", self._next_id())
        return self._accepted(posted, key)

    async def send_group_dm(
        self,
        *,
        users: tuple[UserRef, ...],
        message: Message,
        key: DeliveryKey | None = None,
        actions: tuple[Action, ...] = (),
    ) -> tuple[PostedMessage, ...]:
        if not self.group_dm_shared:
            return tuple(
                [
                    await self.send_dm(
                        user=user, message=message, key=member_key(key, user), actions=actions
                    )
                    for user in users
                ]
            )
        if (earlier := self._sent_before(key)) is not None:
            return (earlier,)
        if self.group_dms_fail_with is not None:
            raise self.group_dms_fail_with
        for user in users:
            if user.user_id in self.closed_dms:
                raise DeliveryError("DMs closed", permanent=True, reason=DeliveryReason.DMS_CLOSED)
        self.group_dms.append((users, message))
        channel = "mpdm:" + ",".join(user.user_id for user in users)
        posted = self._accepted(PostedMessage(self.platform, channel, self._next_id()), key)
        if self.lose_answer:
            self.lose_answer = False
            raise DeliveryError("connection dropped", reason=DeliveryReason.UNCONFIRMED)
        return (posted,)

    async def delete(self, *, posted: PostedMessage) -> None:
        if self.deletes_fail_with is not None:
            raise self.deletes_fail_with
        self.deleted.append(posted)

    async def list_members(self) -> list[UserRef]:
        return list(self.members)

    def _channel(self, target: ChannelTarget) -> str:
        purpose = target.purpose.value if target.purpose else None
        if self.channels is None:
            named = purpose
        else:
            named = self.channels.get(purpose) if purpose else None
        channel = target.channel_id or named or target.fallback_channel_id
        if channel is None:
            raise DeliveryError("no channel", permanent=True, reason=DeliveryReason.NO_CHANNEL)
        return channel

    def _sent_before(self, key: DeliveryKey | None) -> PostedMessage | None:
        if key is not None and key.maybe_sent:
            return self.sent_keys.get(key.value)
        return None

    def _accepted(self, posted: PostedMessage, key: DeliveryKey | None) -> PostedMessage:
        if key is not None:
            self.sent_keys[key.value] = posted
        if self.on_sent:
            self.on_sent()
        return posted

    def _next_id(self) -> str:
        return str(next(self._ids))

    async def _never_return(self) -> None:
        """Hang like a process killed mid-send (``stop`` applies to one post)."""
        self.stop = None
        self.stopped.set()
        await asyncio.Event().wait()
