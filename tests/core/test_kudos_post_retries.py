"""Kudos posts that failed for a moment, or whose process stopped before posting, are
posted later, once, and the giver is told."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from bot.clock import FixedClock
from bot.config import Settings
from bot.core import BotCore
from bot.errors import DeliveryReason
from bot.knowledge_store import KnowledgeStore
from bot.kudos.background import KudosRetries
from bot.kudos.notes import ATTEMPT_LEASE, RETRY_DELAYS
from bot.kudos.post_retries import retry_due_posts
from bot.kudos.store import posts_saved
from bot.storage import Database
from bot.storage.models import Kudos, KudosPostRetry
from tests.core.kudos_support import ALICE, BOB, CAROL, PLATFORM, at, request
from tests.support.recording import RecordingSender


@pytest.fixture
def sender() -> RecordingSender:
    return RecordingSender(platform=PLATFORM)


@pytest.fixture
async def kudos_core(
    settings: Settings,
    database: Database,
    clock: FixedClock,
    sender: RecordingSender,
    frozen_knowledge: KnowledgeStore,
) -> BotCore:
    return await started_core(settings, database, clock, sender, frozen_knowledge)


async def started_core(
    settings: Settings,
    database: Database,
    clock: FixedClock,
    sender: RecordingSender,
    knowledge: KnowledgeStore,
) -> BotCore:
    core = BotCore(
        settings=settings, database=database, knowledge=knowledge, clock=clock, outbound=sender
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
    kudos_core: BotCore, sender: RecordingSender, clock: FixedClock
) -> None:
    sender.post_failures = [DeliveryReason.PLATFORM_ERROR, DeliveryReason.UNREACHABLE]
    text = await give(kudos_core, at(BOB), " and ", at(CAROL), " for the booth")
    assert text == (
        "Your kudos to @bob and @carol is saved and counts on the leaderboard. I couldn't "
        "post it in the kudos channel just now; I'll keep trying and DM you when it's up. "
        "Meanwhile they can see it with /kudos mine."
    )
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
    kudos_core: BotCore, sender: RecordingSender, clock: FixedClock
) -> None:
    sender.lose_answer = True
    await give(kudos_core, at(BOB), " for the booth")
    assert len(sender.posts) == 1
    clock.advance(RETRY_DELAYS[0])
    assert await retry(kudos_core) == 1
    assert len(sender.posts) == 1  # found by its key
    assert [user for user, _ in sender.dms] == [ALICE]
    assert (await only_kudos(kudos_core.database)).posted_message_id == "1"


async def test_a_permanently_refused_post_is_not_retried_nor_promised(
    kudos_core: BotCore, sender: RecordingSender, clock: FixedClock
) -> None:
    sender.post_failures = [DeliveryReason.CHANNEL_GONE]
    text = await give(kudos_core, at(BOB), " for the booth")
    assert "could not post it" in text and "DM you" not in text
    [refused] = await retries(kudos_core.database)
    assert (refused.status, refused.failure_reason) == ("failed", "channel_gone")
    clock.advance(RETRY_DELAYS[-1])
    assert await retry(kudos_core) == 0
    assert sender.posts == [] and sender.dms == []


async def test_a_post_at_the_first_attempt_leaves_nothing_to_retry(
    kudos_core: BotCore, sender: RecordingSender, clock: FixedClock
) -> None:
    await give(kudos_core, at(BOB), " for the booth")
    await give(kudos_core, at(CAROL), " for the flyers")
    await posts_saved(kudos_core.database)
    assert await retries(kudos_core.database) == []
    clock.advance(ATTEMPT_LEASE + RETRY_DELAYS[-1])
    assert await retry(kudos_core) == 0
    assert len(sender.posts) == 2 and sender.dms == []


@pytest.mark.parametrize("stop", ["before_platform", "after_platform"])
async def test_a_kudos_whose_process_stopped_before_it_was_posted_is_posted_once(
    settings: Settings,
    database: Database,
    clock: FixedClock,
    sender: RecordingSender,
    frozen_knowledge: KnowledgeStore,
    stop: str,
) -> None:
    """The bot is killed between storing a kudos and the end of its first post; a
    new bot process on the same database posts it (unless the platform has it) and
    tells the giver."""
    stopping = await started_core(settings, database, clock, sender, frozen_knowledge)
    sender.stop = stop
    giving = asyncio.create_task(give(stopping, at(BOB), " for the booth"))
    await asyncio.wait_for(sender.stopped.wait(), timeout=10)
    giving.cancel()  # the process is gone: nothing after the post attempt runs
    with pytest.raises(asyncio.CancelledError):
        await giving
    assert len(sender.posts) == (1 if stop == "after_platform" else 0)
    restarted = await started_core(settings, database, clock, sender, frozen_knowledge)
    assert await retry(restarted) == 0  # the first attempt holds it for its lease
    clock.advance(ATTEMPT_LEASE)
    assert await retry(restarted) == 1
    [(channel, post)] = sender.posts
    assert channel == "#kudos"
    assert post.plain_text() == "🎉 @bob got kudos from @alice: for the booth"
    [(giver, notice)] = sender.dms
    assert giver == ALICE
    assert notice.plain_text() == (
        "Your kudos to @bob is posted in the kudos channel now (it could not be posted at first)."
    )
    assert (await only_kudos(database)).posted_message_id == "1"
    [done] = await retries(database)
    assert (done.status, done.attempts) == ("posted", 2)
    clock.advance(RETRY_DELAYS[-1])
    assert await retry(restarted) == 0
    assert len(sender.posts) == 1 and len(sender.dms) == 1


async def test_an_undone_kudos_is_not_posted_later(
    kudos_core: BotCore, sender: RecordingSender, clock: FixedClock
) -> None:
    sender.post_failures = [DeliveryReason.UNREACHABLE]
    await give(kudos_core, at(BOB), " for the booth")
    assert "removed" in await give(kudos_core, "undo")
    clock.advance(RETRY_DELAYS[0])
    assert await retry(kudos_core) == 0
    assert sender.posts == [] and sender.dms == []


async def test_the_background_service_posts_due_kudos(
    kudos_core: BotCore, sender: RecordingSender, clock: FixedClock
) -> None:
    sender.post_failures = [DeliveryReason.RATE_LIMITED]
    await give(kudos_core, at(BOB), " for the booth")
    clock.advance(RETRY_DELAYS[0])
    retries = KudosRetries(
        database=kudos_core.database,
        outbound=sender,
        clock=clock,
        timezone=kudos_core.settings.timezone,
        first_delay=0,
    )
    task = asyncio.create_task(retries.run())
    try:
        for _ in range(500):  # wait for the first pass, not for a time
            if sender.posts:
                break
            await asyncio.sleep(0.01)
    finally:
        task.cancel()
    assert len(sender.posts) == 1
