"""An OutboundSender that records what the core asked to deliver (core tests only;
adapters are tested against their local fake platform servers)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from bot.errors import DeliveryError
from bot.outbound import DEFAULT_PACE, ChannelTarget, DeliveryKey, Pace, PostedMessage
from bot.replies import Message
from bot.requests import UserRef


@dataclass
class RecordingSender:
    platform: str = "console"
    default_pace: Pace = DEFAULT_PACE
    channels: dict[str, str] = field(default_factory=lambda: {"kudos": "#kudos"})
    posts: list[tuple[str, Message]] = field(default_factory=list)
    dms: list[tuple[UserRef, Message]] = field(default_factory=list)
    deleted: list[PostedMessage] = field(default_factory=list)
    closed_dms: set[str] = field(default_factory=set)
    members: list[UserRef] = field(default_factory=list)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    async def post(
        self, *, target: ChannelTarget, message: Message, key: DeliveryKey | None = None
    ) -> PostedMessage:
        channel = (
            target.channel_id
            or (self.channels.get(target.purpose.value) if target.purpose else None)
            or target.fallback_channel_id
        )
        if channel is None:
            raise DeliveryError("no channel", permanent=True)
        self.posts.append((channel, message))
        return PostedMessage(self.platform, channel, str(next(self._ids)))

    async def send_dm(
        self, *, user: UserRef, message: Message, key: DeliveryKey | None = None
    ) -> PostedMessage:
        if user.user_id in self.closed_dms:
            raise DeliveryError("DMs closed", permanent=True, reason="dms_closed")
        self.dms.append((user, message))
        return PostedMessage(self.platform, f"dm:{user.user_id}", str(next(self._ids)))

    async def delete(self, *, posted: PostedMessage) -> None:
        self.deleted.append(posted)

    async def list_members(self) -> list[UserRef]:
        return list(self.members)
