"""Helpers for broadcast tests: a counting sender with failure knobs, audience seeding."""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import DeliveryError, StorageUnavailable
from bot.members import ensure_members
from bot.outbound import DEFAULT_PACE, ChannelTarget, DeliveryKey, Pace, PostedMessage
from bot.replies import Message
from bot.requests import Request, UserRef
from bot.storage import Database
from bot.storage.models import BroadcastDelivery

PLATFORM = "console"
WORKSPACE = "local"


def member(user_id: str, *, platform: str = PLATFORM) -> UserRef:
    return UserRef(platform, WORKSPACE, user_id, user_id.capitalize())


def member_request(user_id: str, command: str, text: str, *, staff: bool = False) -> Request:
    return Request(
        platform=PLATFORM,
        workspace_id=WORKSPACE,
        channel_id="console",
        sender=member(user_id),
        command=command,
        text=text,
        is_staff=staff,
    )


def staff_request(text: str, *, command: str = "broadcast", staff: bool = True) -> Request:
    return member_request("sam", command, text, staff=staff)


@dataclass
class CountingSender:
    """Counts every delivery per recipient; can fail some permanently or transiently.

    Attributes:
        closed: user ids whose DMs are closed (permanent failure).
        flaky: user id -> how many transient failures before a send succeeds.
        delay: seconds each send takes (lets tests stop a dispatcher mid-broadcast).
        on_sent: called after each message the "platform" accepted.
        sent_keys: delivery keys of accepted messages; a ``maybe_sent`` key found
            here is answered with the earlier message, as the platforms' checks do.
    """

    platform: str = PLATFORM
    default_pace: Pace = DEFAULT_PACE
    members: list[UserRef] = field(default_factory=list)
    closed: set[str] = field(default_factory=set)
    flaky: dict[str, int] = field(default_factory=dict)
    delay: float = 0.0
    on_sent: Callable[[], None] | None = None
    dm_counts: Counter[str] = field(default_factory=Counter)
    posts: list[tuple[str, Message]] = field(default_factory=list)
    dms: list[tuple[UserRef, Message]] = field(default_factory=list)
    sent_keys: dict[str, PostedMessage] = field(default_factory=dict)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    async def post(
        self, *, target: ChannelTarget, message: Message, key: DeliveryKey | None = None
    ) -> PostedMessage:
        if self.delay:
            await asyncio.sleep(self.delay)
        if key is not None and key.maybe_sent and key.value in self.sent_keys:
            return self.sent_keys[key.value]
        channel = target.channel_id or (target.purpose.value if target.purpose else None)
        if channel is None:
            raise DeliveryError("no channel", permanent=True, reason="no_channel")
        self.posts.append((channel, message))
        posted = PostedMessage(self.platform, channel, str(next(self._ids)))
        if key is not None:
            self.sent_keys[key.value] = posted
        if self.on_sent:
            self.on_sent()
        return posted

    async def send_dm(
        self, *, user: UserRef, message: Message, key: DeliveryKey | None = None
    ) -> PostedMessage:
        if self.delay:
            await asyncio.sleep(self.delay)
        if key is not None and key.maybe_sent and key.value in self.sent_keys:
            return self.sent_keys[key.value]
        if user.user_id in self.closed:
            raise DeliveryError("DMs closed", permanent=True, reason="dms_closed")
        if self.flaky.get(user.user_id, 0) > 0:
            self.flaky[user.user_id] -= 1
            raise DeliveryError("server error 500", permanent=False, reason="http_500")
        self.dm_counts[user.user_id] += 1
        self.dms.append((user, message))
        posted = PostedMessage(self.platform, f"dm:{user.user_id}", str(next(self._ids)))
        if key is not None:
            self.sent_keys[key.value] = posted
        if self.on_sent:
            self.on_sent()
        return posted

    async def delete(self, *, posted: PostedMessage) -> None:
        return None

    async def list_members(self) -> list[UserRef]:
        return list(self.members)


async def seed_members(database: Database, users: list[UserRef], *, now: datetime) -> None:
    async with database.session() as session:
        for start in range(0, len(users), 1000):
            await ensure_members(session, users[start : start + 1000], now=now)


async def delivery_statuses(database: Database) -> Counter[str]:
    async with database.session() as session:
        rows = await session.scalars(select(BroadcastDelivery.status))
        return Counter(rows)


class OutageDatabase:
    """A real database whose next ``failures`` sessions fail as if it were restarting."""

    def __init__(self, real: Database) -> None:
        self.real = real
        self.is_sqlite = real.is_sqlite
        self.failures = 0
        self.refused = 0

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        if self.failures > 0:
            self.failures -= 1
            self.refused += 1
            raise StorageUnavailable("the database is restarting")
        async with self.real.session() as session:
            yield session
