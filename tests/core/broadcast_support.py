"""Helpers for broadcast tests: a counting sender with failure knobs, audience seeding."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import StorageUnavailable
from bot.requests import Request, UserRef
from bot.storage import Database
from bot.storage.models import BroadcastDelivery
from bot.storage.repositories.members import MemberRepository
from bot.storage.unit_of_work import UnitOfWork
from tests.support.recording import RecordingSender

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
class CountingSender(RecordingSender):
    """The shared fake sender (:class:`~tests.support.recording.RecordingSender`) with
    the broadcast tests' defaults: the console platform, and a channel purpose names its
    channel (``announcements``)."""

    platform: str = PLATFORM
    channels: dict[str, str] | None = None


async def seed_members(database: Database, users: list[UserRef], *, now: datetime) -> None:
    async with database.session() as session:
        for start in range(0, len(users), 1000):
            await MemberRepository(session).ensure_many(users[start : start + 1000], now=now)


async def delivery_statuses(database: Database) -> Counter[str]:
    async with database.session() as session:
        rows = await session.scalars(select(BroadcastDelivery.status))
        return Counter(rows)


class OutageDatabase:
    """A real database whose next ``failures`` sessions (or units of work) fail as if
    it were restarting."""

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

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[UnitOfWork]:
        async with self.session() as session:
            yield UnitOfWork(session)
