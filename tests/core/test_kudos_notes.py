"""Thank-you notes whose DM failed or was left unfinished: retries, the quota, /kudos mine."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from bot.clock import FixedClock
from bot.config import Settings
from bot.core import BotCore
from bot.knowledge_store import KnowledgeStore
from bot.kudos.background import KudosRetries
from bot.kudos.notes import ATTEMPT_LEASE, MAX_ATTEMPTS, RETRY_DELAYS, retry_due_notes
from bot.replies import MentionSpan
from bot.requests import Mention, MentionKind, UserRef
from bot.storage import Database
from bot.storage.models import ThankYouNote
from tests.core.kudos_support import (
    ALICE,
    BOB,
    CAROL,
    DAN,
    PLATFORM,
    at,
    other,
    request,
)
from tests.support.cores import start_core
from tests.support.recording import RecordingSender


@pytest.fixture
def sender() -> RecordingSender:
    return RecordingSender(platform=PLATFORM)


@pytest.fixture
async def notes_core(
    settings: Settings,
    database: Database,
    clock: FixedClock,
    sender: RecordingSender,
    frozen_knowledge: KnowledgeStore,
) -> BotCore:
    return await start_core(
        settings=settings,
        database=database,
        knowledge=frozen_knowledge,
        clock=clock,
        outbound=sender,
    )


async def thank(core: BotCore, *parts: str | Mention, sender: UserRef = ALICE) -> str:
    reply = await core.handle(request(*parts, command="thanks", sender=sender))
    assert reply is not None
    return reply.text


async def retry(core: BotCore) -> int:
    assert core.outbound is not None
    return await retry_due_notes(
        core.database, core.outbound, now=core.now(), tz=core.settings.timezone
    )


async def notes(database: Database) -> list[ThankYouNote]:
    async with database.session() as session:
        return list(await session.scalars(select(ThankYouNote).order_by(ThankYouNote.id)))


async def test_a_note_that_failed_for_a_moment_is_retried_later(
    notes_core: BotCore, sender: RecordingSender, clock: FixedClock
) -> None:
    sender.unreachable.add(BOB.user_id)
    text = await thank(notes_core, at(BOB), " thank you for the booth <!channel>")
    assert "I couldn't reach @bob just now" in text
    assert "I'll keep trying to deliver it privately" in text
    assert "@bob can already read it with /kudos mine" in text
    [note] = await notes(notes_core.database)
    assert (note.status, note.attempts) == ("retry_later", 1)
    assert note.next_attempt_at == clock.now() + RETRY_DELAYS[0]

    assert await retry(notes_core) == 0  # not due yet
    sender.unreachable.clear()
    clock.advance(RETRY_DELAYS[0])
    assert await retry(notes_core) == 1
    [(user, message)] = sender.dms
    assert user == BOB
    assert message.plain_text().startswith(
        "💌 @alice sent you a thank-you note on Monday, November 23, 2026:"
    )
    assert "thank you for the booth" in message.plain_text()
    assert "<!channel>" not in message.plain_text()
    assert not any(isinstance(span, MentionSpan) for span in message.spans())
    [note] = await notes(notes_core.database)
    assert (note.status, note.attempts, note.delivered_at) == ("delivered", 2, clock.now())
    clock.advance(timedelta(days=1))
    assert await retry(notes_core) == 0
    assert len(sender.dms) == 1


async def test_retries_stop_at_the_cap(
    notes_core: BotCore, sender: RecordingSender, clock: FixedClock
) -> None:
    sender.unreachable.add(BOB.user_id)
    await thank(notes_core, at(BOB), " thanks!")
    for delay in RETRY_DELAYS:
        clock.advance(delay)
        assert await retry(notes_core) == 1
    [note] = await notes(notes_core.database)
    assert note.status == "failed"
    assert note.attempts == MAX_ATTEMPTS == sender.failed_dms
    assert note.failure_reason == f"gave up after {MAX_ATTEMPTS} attempts: unreachable"
    clock.advance(timedelta(days=2))
    assert await retry(notes_core) == 0
    assert sender.failed_dms == MAX_ATTEMPTS


async def test_a_permanently_failed_note_does_not_use_the_quota(
    notes_core: BotCore, sender: RecordingSender
) -> None:
    sender.closed_dms.add(BOB.user_id)
    for _ in range(5):
        assert "does not count toward your daily limit" in await thank(
            notes_core, at(BOB), " thanks!"
        )
    assert "delivered privately to @carol" in await thank(notes_core, at(CAROL), " thanks!")
    # Notes that may still arrive do count: 4 more reach the limit of 5.
    sender.unreachable.add(DAN.user_id)
    for _ in range(4):
        assert "I couldn't reach @dan just now" in await thank(notes_core, at(DAN), " hi")
    assert "all 5 thank-you notes" in await thank(notes_core, at(CAROL), " again")


async def test_undelivered_notes_are_shown_to_their_recipient_and_not_sent_again(
    notes_core: BotCore, sender: RecordingSender, clock: FixedClock
) -> None:
    sender.closed_dms.add(BOB.user_id)
    await thank(notes_core, at(BOB), " for the grant ", other(MentionKind.EVERYONE, "@here"))
    sender.closed_dms.clear()
    sender.unreachable.add(BOB.user_id)
    clock.advance(timedelta(hours=1))
    await thank(notes_core, at(BOB), " for the booth", sender=CAROL)
    reply = await notes_core.handle(request("mine", sender=BOB))
    assert reply is not None
    text = reply.text
    assert "2 thank-you notes couldn't reach you by direct message, so here they are:" in text
    assert "• Monday, November 23, 2026 — from @carol: for the booth" in text
    assert "• Monday, November 23, 2026 — from @alice: for the grant @" in text
    assert "@here" not in text
    assert reply.message.mentioned_users() == []
    assert "Nothing yet" not in text
    # Read in /kudos mine: the retry does not DM the same note later.
    sender.unreachable.clear()
    clock.advance(timedelta(hours=1))
    assert await retry(notes_core) == 0
    assert sender.dms == []
    assert [n.status for n in await notes(notes_core.database)] == ["failed", "read"]
    # Still there the next time, and nothing for anyone else.
    again = await notes_core.handle(request("mine", sender=BOB))
    assert again is not None and "2 thank-you notes couldn't reach you" in again.text
    alice = await notes_core.handle(request("mine"))
    assert alice is not None and "couldn't reach you" not in alice.text


async def test_a_delivered_note_is_not_listed_as_undelivered(
    notes_core: BotCore, sender: RecordingSender
) -> None:
    await thank(notes_core, at(BOB), " thanks!")
    reply = await notes_core.handle(request("mine", sender=BOB))
    assert reply is not None
    assert "couldn't reach you" not in reply.text
    assert "You have also received 1 private thank-you note by direct message." in reply.text


async def test_concurrent_retry_workers_send_each_note_once(
    notes_core: BotCore, sender: RecordingSender, clock: FixedClock
) -> None:
    sender.unreachable.update({BOB.user_id, CAROL.user_id, DAN.user_id})
    for person in (BOB, CAROL, DAN):
        await thank(notes_core, at(person), " thanks!")
    sender.unreachable.clear()
    clock.advance(RETRY_DELAYS[0])
    done = await asyncio.gather(*(retry(notes_core) for _ in range(4)))
    assert sum(done) == 3
    assert sorted(user.user_id for user, _ in sender.dms) == ["U2", "U3", "U4"]
    assert {n.status for n in await notes(notes_core.database)} == {"delivered"}


async def test_notes_of_another_platform_are_left_to_its_adapter(
    notes_core: BotCore, sender: RecordingSender, clock: FixedClock
) -> None:
    sender.unreachable.add(BOB.user_id)
    await thank(notes_core, at(BOB), " thanks!")
    sender.unreachable.clear()
    sender.platform = "discord"
    clock.advance(RETRY_DELAYS[0])
    assert await retry(notes_core) == 0
    assert sender.dms == []


async def test_the_background_service_retries_due_notes(
    notes_core: BotCore, sender: RecordingSender, clock: FixedClock
) -> None:
    sender.unreachable.add(BOB.user_id)
    await thank(notes_core, at(BOB), " thanks!")
    sender.unreachable.clear()
    clock.advance(RETRY_DELAYS[0])
    retries = KudosRetries(
        database=notes_core.database,
        outbound=sender,
        clock=clock,
        timezone=notes_core.settings.timezone,
        first_delay=0,
    )
    task = asyncio.create_task(retries.run())
    try:
        for _ in range(500):  # wait for the first pass, not for a time
            if sender.dms:
                break
            await asyncio.sleep(0.01)
    finally:
        task.cancel()
    assert [user for user, _ in sender.dms] == [BOB]


async def test_a_note_whose_send_failed_unexpectedly_is_kept_and_retried(
    settings: Settings, database: Database, clock: FixedClock, frozen_knowledge: KnowledgeStore
) -> None:
    sender = RecordingSender(platform=PLATFORM, broken_dms=True)
    core = BotCore(
        settings=settings,
        database=database,
        knowledge=frozen_knowledge,
        clock=clock,
        outbound=sender,
    )
    await core.start()
    text = await thank(core, at(BOB), " thanks for the booth!")
    assert "went wrong" not in text and "I couldn't reach @bob just now" in text
    [note] = await notes(database)
    assert note.status == "retry_later" and sender.dms == []
    sender.broken_dms = False
    clock.advance(RETRY_DELAYS[0])
    assert await retry(core) == 1
    assert [user for user, _ in sender.dms] == [BOB]


async def test_a_note_left_pending_by_a_crash_is_sent_later(
    settings: Settings, database: Database, clock: FixedClock, frozen_knowledge: KnowledgeStore
) -> None:
    sender = RecordingSender(platform=PLATFORM)
    core = BotCore(
        settings=settings,
        database=database,
        knowledge=frozen_knowledge,
        clock=clock,
        outbound=sender,
    )
    await core.start()
    await thank(core, at(BOB), " thanks for the booth!")
    # The process died after storing the note and before its DM went out.
    async with database.session() as session:
        await session.execute(update(ThankYouNote).values(status="pending", delivered_at=None))
    sender.dms.clear()
    sender.sent_keys.clear()
    assert await retry(core) == 0  # its attempt may still be under way
    clock.advance(ATTEMPT_LEASE)
    assert await retry(core) == 1
    assert [user for user, _ in sender.dms] == [BOB]
    [note] = await notes(database)
    assert (note.status, note.attempts) == ("delivered", 2)
    clock.advance(timedelta(hours=1))
    assert await retry(core) == 0


async def test_a_note_whose_outcome_was_lost_is_checked_not_sent_twice(
    settings: Settings, database: Database, clock: FixedClock, frozen_knowledge: KnowledgeStore
) -> None:
    sender = RecordingSender(platform=PLATFORM)
    core = BotCore(
        settings=settings,
        database=database,
        knowledge=frozen_knowledge,
        clock=clock,
        outbound=sender,
    )
    await core.start()
    await thank(core, at(BOB), " thanks!")
    # The DM went out, then the process died before recording it.
    async with database.session() as session:
        await session.execute(update(ThankYouNote).values(status="pending", delivered_at=None))
    clock.advance(ATTEMPT_LEASE)
    assert await retry(core) == 1
    assert len(sender.dms) == 1  # found by its key, not sent again
    [note] = await notes(database)
    assert note.status == "delivered"
