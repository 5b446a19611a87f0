"""Kudos posts that failed for a moment are posted later, once, and the giver is told."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select

from bot.clock import FixedClock
from bot.config import Settings
from bot.core import BotCore
from bot.errors import DeliveryError, DeliveryReason
from bot.knowledge_store import KnowledgeStore
from bot.kudos import background
from bot.kudos.notes import RETRY_DELAYS
from bot.kudos.post_retries import retry_due_posts
from bot.outbound import ChannelTarget, DeliveryKey, PostedMessage
from bot.replies import Message
from bot.storage import Database
from bot.storage.models import Kudos, KudosPostRetry
from tests.core.kudos_support import ALICE, BOB, CAROL, PLATFORM, at, request
from tests.support.recording import RecordingSender


@dataclass
class FlakyPostSender(RecordingSender):
    """Posts fail with the queued reasons first; ``lose_answer`` posts, then reports the
    answer lost. Like the platforms' checks, a ``maybe_sent`` repeat of a key that
    arrived gets the earlier post back."""

    failures: list[DeliveryReason] = field(default_factory=list)
    lose_answer: bool = False
    by_key: dict[str, PostedMessage] = field(default_factory=dict)

    async def post(
        self, *, target: ChannelTarget, message: Message, key: DeliveryKey | None = None
    ) -> PostedMessage:
        if key is not None and key.maybe_sent and key.value in self.by_key:
            return self.by_key[key.value]
        if self.failures:
            raise DeliveryError("post failed", reason=self.failures.pop(0))
        posted = await super().post(target=target, message=message, key=key)
        if key is not None:
            self.by_key[key.value] = posted
        if self.lose_answer:
            self.lose_answer = False
            raise DeliveryError("connection dropped", reason=DeliveryReason.UNCONFIRMED)
        return posted


@pytest.fixture
def sender() -> FlakyPostSender:
    return FlakyPostSender(platform=PLATFORM)


@pytest.fixture
async def kudos_core(
    settings: Settings,
    database: Database,
    clock: FixedClock,
    sender: FlakyPostSender,
    shipped_knowledge: KnowledgeStore,
) -> BotCore:
    core = BotCore(
        settings=settings,
        database=database,
        knowledge=shipped_knowledge,
        clock=clock,
        outbound=sender,
    )
    await core.start()
    return core


async def give(core: BotCore, *parts: object) -> str:
    reply = await core.handle(request(*parts))  # type: ignore[arg-type]
    assert reply is not None
    return reply.text


async def retry(core: BotCore) -> int:
    assert core.outbound is not None
    return await retry_due_posts(core.database, core.outbound, now=core.now())


async def retries(database: Database) -> list[KudosPostRetry]:
    async with database.session() as session:
        return list(await session.scalars(select(KudosPostRetry)))


async def only_kudos(database: Database) -> Kudos:
    async with database.session() as session:
        [kudos] = list(await session.scalars(select(Kudos)))
    return kudos


async def test_a_post_that_failed_for_a_moment_is_posted_later_and_the_giver_told(
    kudos_core: BotCore, sender: FlakyPostSender, clock: FixedClock
) -> None:
    sender.failures = [DeliveryReason.PLATFORM_ERROR, DeliveryReason.UNREACHABLE]
    text = await give(kudos_core, at(BOB), " and ", at(CAROL), " for the booth")
    assert "is saved" in text and "could not post" in text
    assert sender.posts == []
    assert await retry(kudos_core) == 0  # not due yet
    clock.advance(RETRY_DELAYS[0])
    assert await retry(kudos_core) == 1  # fails again: next try later
    [waiting] = await retries(kudos_core.database)
    assert (waiting.status, waiting.attempts) == ("retry_later", 2)
    clock.advance(RETRY_DELAYS[1])
    assert await retry(kudos_core) == 1
    [(channel, post)] = sender.posts
    assert channel == "#kudos"
    assert post.plain_text() == "🎉 @bob and @carol got kudos from @alice: for the booth"
    [(giver, notice)] = sender.dms
    assert giver == ALICE
    assert notice.plain_text() == (
        "Your kudos to @bob and @carol is posted in the kudos channel now "
        "(it could not be posted at first)."
    )
    kudos = await only_kudos(kudos_core.database)
    assert kudos.posted_channel_id == "#kudos" and kudos.posted_message_id is not None
    [done] = await retries(kudos_core.database)
    assert done.status == "posted"
    clock.advance(RETRY_DELAYS[-1])
    assert await retry(kudos_core) == 0
    assert len(sender.posts) == 1


async def test_a_post_whose_answer_was_lost_is_checked_not_posted_twice(
    kudos_core: BotCore, sender: FlakyPostSender, clock: FixedClock
) -> None:
    sender.lose_answer = True
    await give(kudos_core, at(BOB), " for the booth")
    assert len(sender.posts) == 1
    clock.advance(RETRY_DELAYS[0])
    assert await retry(kudos_core) == 1
    assert len(sender.posts) == 1  # found by its key
    assert [user for user, _ in sender.dms] == [ALICE]
    assert (await only_kudos(kudos_core.database)).posted_message_id == "1"


async def test_a_permanently_refused_post_is_not_retried(
    kudos_core: BotCore, sender: FlakyPostSender, clock: FixedClock
) -> None:
    sender.failures = [DeliveryReason.CHANNEL_GONE]
    await give(kudos_core, at(BOB), " for the booth")
    assert await retries(kudos_core.database) == []


async def test_an_undone_kudos_is_not_posted_later(
    kudos_core: BotCore, sender: FlakyPostSender, clock: FixedClock
) -> None:
    sender.failures = [DeliveryReason.UNREACHABLE]
    await give(kudos_core, at(BOB), " for the booth")
    assert "removed" in await give(kudos_core, "undo")
    clock.advance(RETRY_DELAYS[0])
    assert await retry(kudos_core) == 0
    assert sender.posts == [] and sender.dms == []


async def test_the_background_service_posts_due_kudos(
    kudos_core: BotCore,
    sender: FlakyPostSender,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(background, "FIRST_PASS_DELAY_SECONDS", 0)
    sender.failures = [DeliveryReason.RATE_LIMITED]
    await give(kudos_core, at(BOB), " for the booth")
    clock.advance(RETRY_DELAYS[0])
    task = asyncio.create_task(background.run(kudos_core))
    try:
        for _ in range(500):  # wait for the first pass, not for a time
            if sender.posts:
                break
            await asyncio.sleep(0.01)
    finally:
        task.cancel()
    assert len(sender.posts) == 1
