"""/kudos and /thanks through BotCore.handle, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from bot.clock import FixedClock
from bot.config import Settings
from bot.core import BotCore
from bot.errors import DeliveryError, StorageUnavailable
from bot.knowledge_store import KnowledgeStore
from bot.kudos.store import posts_saved
from bot.outbound import PostedMessage
from bot.replies import MentionSpan, Visibility
from bot.requests import MentionKind, UserRef
from bot.storage import Database
from bot.storage.models import Kudos, Member, ThankYouNote
from tests.core.kudos_support import (
    ALICE,
    BOB,
    CAROL,
    DAN,
    PLATFORM,
    at,
    member,
    other,
    request,
    stored_counts,
)
from tests.support.recording import RecordingSender


@pytest.fixture
async def kudos_core(
    settings: Settings,
    database: Database,
    clock: FixedClock,
    outbound: RecordingSender,
    frozen_knowledge: KnowledgeStore,
) -> BotCore:
    core = BotCore(
        settings=settings,
        database=database,
        knowledge=frozen_knowledge,
        clock=clock,
        outbound=outbound,
    )
    outbound.platform = PLATFORM  # as the adapter serving these requests would
    await core.start()
    return core


async def test_kudos_is_stored_posted_and_confirmed_privately(
    kudos_core: BotCore, outbound: RecordingSender
) -> None:
    reply = await kudos_core.handle(request(at(BOB), " for running the sensory storytime"))
    assert reply is not None
    assert reply.visibility is Visibility.SENDER
    assert "Your kudos to @bob is posted" in reply.text
    assert len(outbound.posts) == 1
    channel, message = outbound.posts[0]
    assert channel == "#kudos"
    expected = "🎉 @bob got kudos from @alice: for running the sensory storytime"
    assert message.plain_text() == expected
    assert message.mentioned_users() == [BOB, ALICE]
    await posts_saved(kudos_core.database)  # written just after the reply
    async with kudos_core.database.session() as session:
        kudos = await session.scalar(select(Kudos))
    assert kudos is not None
    assert (kudos.posted_channel_id, kudos.posted_message_id) == ("#kudos", "1")
    assert kudos.reason == "for running the sensory storytime"
    assert await stored_counts(kudos_core.database) == (1, 1, 0)


async def test_several_recipients_in_one_kudos(
    kudos_core: BotCore, outbound: RecordingSender
) -> None:
    reply = await kudos_core.handle(request(at(BOB), ", ", at(CAROL), " for the Día booth"))
    assert reply is not None and "@bob and @carol" in reply.text
    assert outbound.posts[0][1].mentioned_users() == [BOB, CAROL, ALICE]
    assert await stored_counts(kudos_core.database) == (1, 2, 0)


async def test_mass_mentions_in_the_reason_never_notify(
    kudos_core: BotCore, outbound: RecordingSender
) -> None:
    await kudos_core.handle(
        request(
            at(BOB),
            " for telling ",
            other(MentionKind.EVERYONE, "@everyone"),
            " and ",
            other(MentionKind.GROUP, "<!subteam^S1>"),
            " and ",
            at(CAROL),
            " <!channel> <!here> <!everyone> <@&42> @here",
        )
    )
    message = outbound.posts[0][1]
    assert message.mentioned_users() == [BOB, ALICE]
    text = message.plain_text()
    crowds = ("@everyone", "<!subteam", "<!channel>", "<!here>", "<!everyone>", "<@&42>", "@here")
    for crowd in crowds:
        assert crowd not in text
    assert "@carol" in text  # named, not pinged


@pytest.mark.parametrize(
    "parts",
    [
        pytest.param((at(ALICE), " for me"), id="self"),
        pytest.param(
            (at(member("U1", "Alice L."), "<@U1|Alice L.>"), " for me"), id="self-second-form"
        ),
        pytest.param((at(BOB), " and ", at(ALICE), " for us"), id="two-with-giver"),
        pytest.param((at(member("B1", "memberbot", bot=True)), " for x"), id="bot"),
        pytest.param((other(MentionKind.GROUP, "<!subteam^S1>"), " for x"), id="group"),
        pytest.param(
            (at(BOB), " ", other(MentionKind.UNKNOWN_USER, "<@U404>"), " x"), id="unknown"
        ),
        pytest.param((at(BOB), ", ", at(CAROL)), id="no-reason"),
        pytest.param(("great job ", at(BOB)), id="no-leading-recipient"),
        pytest.param(("@bobby for the booth",), id="undecoded-plain-at"),
        pytest.param(("<@U77 for the booth",), id="malformed-mention"),
        pytest.param((at(BOB), " " + "x" * 501), id="too-long"),
    ],
)
async def test_refused_kudos_store_and_post_nothing(
    kudos_core: BotCore, outbound: RecordingSender, parts: tuple
) -> None:
    reply = await kudos_core.handle(request(*parts))
    assert reply is not None
    assert "Nothing was sent" in reply.text
    assert outbound.posts == []
    assert await stored_counts(kudos_core.database) == (0, 0, 0)


async def test_refused_kudos_can_be_retried_with_the_same_delivery_id(
    kudos_core: BotCore, outbound: RecordingSender
) -> None:
    # A refusal is a UserError: the core releases the delivery id, nothing is lost.
    await kudos_core.handle(request(at(ALICE), " for me", delivery_id="d-1"))
    reply = await kudos_core.handle(request(at(BOB), " for you", delivery_id="d-1"))
    assert reply is not None and "posted" in reply.text


async def test_daily_quota_counts_recipients_and_resets_at_local_midnight(
    kudos_core: BotCore, outbound: RecordingSender, clock: FixedClock
) -> None:
    for index in range(5):
        reply = await kudos_core.handle(request(at(member(f"U{10 + index}")), " for help"))
        assert reply is not None and "posted" in reply.text
    refused = await kudos_core.handle(request(at(BOB), " for one more"))
    assert refused is not None
    assert "all 5 kudos" in refused.text
    assert "resets at midnight CST, in 15 hours" in refused.text
    clock.advance(timedelta(hours=15))  # local midnight
    reply = await kudos_core.handle(request(at(BOB), " for one more"))
    assert reply is not None and "posted" in reply.text
    assert await stored_counts(kudos_core.database) == (6, 6, 0)


async def test_retried_delivery_stores_one_kudos_and_posts_once(
    kudos_core: BotCore, outbound: RecordingSender
) -> None:
    first = await kudos_core.handle(request(at(BOB), " for x", delivery_id="Ev1"))
    again = await kudos_core.handle(request(at(BOB), " for x", delivery_id="Ev1"))
    assert first is not None and again is None
    assert len(outbound.posts) == 1
    assert await stored_counts(kudos_core.database) == (1, 1, 0)


async def test_concurrent_retries_of_one_delivery_act_once(
    kudos_core: BotCore, outbound: RecordingSender
) -> None:
    replies = await asyncio.gather(
        *(kudos_core.handle(request(at(BOB), " for x", delivery_id="Ev2")) for _ in range(5))
    )
    assert sum(reply is not None for reply in replies) == 1
    assert len(outbound.posts) == 1
    assert await stored_counts(kudos_core.database) == (1, 1, 0)


async def test_quota_holds_under_concurrent_kudos_from_one_giver(
    kudos_core: BotCore, outbound: RecordingSender
) -> None:
    replies = await asyncio.gather(
        *(kudos_core.handle(request(at(member(f"U{20 + i}")), " for x")) for i in range(8))
    )
    assert sum("posted" in reply.text for reply in replies if reply) == 5
    assert await stored_counts(kudos_core.database) == (5, 5, 0)


async def test_kudos_is_kept_when_the_post_fails(kudos_core: BotCore) -> None:
    kudos_core.outbound = RecordingSender(
        posts_fail_with=DeliveryError("channel_not_found", permanent=True),
        deletes_fail_with=DeliveryError("message_not_found", permanent=True),
    )
    reply = await kudos_core.handle(request(at(BOB), " for x"))
    assert reply is not None
    assert "is saved" in reply.text and "could not post" in reply.text
    assert await stored_counts(kudos_core.database) == (1, 1, 0)
    undone = await kudos_core.handle(request("undo"))
    assert undone is not None and "had not been posted" in undone.text


async def test_undo_within_the_window_deletes_the_kudos_and_its_post(
    kudos_core: BotCore, outbound: RecordingSender, clock: FixedClock
) -> None:
    await kudos_core.handle(request(at(CAROL), " for the first"))
    await kudos_core.handle(request(at(BOB), " for the second"))
    clock.advance(timedelta(minutes=4, seconds=59))
    reply = await kudos_core.handle(request("undo"))
    assert reply is not None
    assert "your kudos to @bob is removed, and its post deleted" in reply.text
    assert outbound.deleted == [PostedMessage(PLATFORM, "#kudos", "2")]
    assert await stored_counts(kudos_core.database) == (1, 1, 0)


async def test_undo_after_the_window_is_refused(
    kudos_core: BotCore, outbound: RecordingSender, clock: FixedClock
) -> None:
    await kudos_core.handle(request(at(BOB), " for x"))
    clock.advance(timedelta(minutes=6))
    reply = await kudos_core.handle(request("undo"))
    assert reply is not None
    assert "within 5 minutes" in reply.text and "@bob" in reply.text
    assert outbound.deleted == []
    assert await stored_counts(kudos_core.database) == (1, 1, 0)


async def test_undo_only_touches_the_givers_own_kudos(
    kudos_core: BotCore, outbound: RecordingSender
) -> None:
    await kudos_core.handle(request(at(CAROL), " for x"))
    reply = await kudos_core.handle(request("undo", sender=BOB))
    assert reply is not None and "nothing to undo" in reply.text
    assert await stored_counts(kudos_core.database) == (1, 1, 0)


async def test_failed_post_delete_is_reported(
    kudos_core: BotCore, outbound: RecordingSender
) -> None:
    await kudos_core.handle(request(at(BOB), " for x"))
    kudos_core.outbound = RecordingSender(
        posts_fail_with=DeliveryError("channel_not_found", permanent=True),
        deletes_fail_with=DeliveryError("message_not_found", permanent=True),
    )
    reply = await kudos_core.handle(request("undo"))
    assert reply is not None and "could not delete its post" in reply.text
    assert await stored_counts(kudos_core.database) == (0, 0, 0)


async def test_thanks_is_a_private_dm(kudos_core: BotCore, outbound: RecordingSender) -> None:
    reply = await kudos_core.handle(
        request(at(BOB), " thank you for covering my desk @everyone", command="thanks")
    )
    assert reply is not None
    assert reply.visibility is Visibility.SENDER
    assert "delivered privately to @bob" in reply.text
    assert outbound.posts == []
    [(user, message)] = outbound.dms
    assert user == BOB
    assert "@alice sent you a thank-you note" in message.plain_text()
    assert "@everyone" not in message.plain_text()
    assert not any(isinstance(span, MentionSpan) for span in message.spans())
    async with kudos_core.database.session() as session:
        note = await session.scalar(select(ThankYouNote))
    assert note is not None and note.status == "delivered"
    assert note.note == "thank you for covering my desk @everyone"


async def test_thanks_to_closed_dms_is_saved_and_reported(
    kudos_core: BotCore, outbound: RecordingSender
) -> None:
    outbound.closed_dms.add(BOB.user_id)
    reply = await kudos_core.handle(request(at(BOB), " thanks!", command="thanks"))
    assert reply is not None
    assert (
        "I could not deliver your note to @bob by direct message: "
        "they don't accept direct messages from me." in reply.text
    )
    assert "saved and @bob can read it with /kudos mine" in reply.text
    assert "does not count toward your daily limit of 5 thank-you notes" in reply.text
    async with kudos_core.database.session() as session:
        note = await session.scalar(select(ThankYouNote))
    assert note is not None
    assert (note.status, note.failure_reason) == ("failed", "dms_closed")


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ((at(ALICE), " thanks me"), "yourself"),
        ((at(BOB), " ", at(CAROL), " thanks"), "one person at a time"),
        ((at(BOB),), "Please write your note"),
        (("thanks everyone",), "I couldn't find a member in 'thanks everyone'"),
        (("bob hi",), "I couldn't find a member in 'bob' — did you mean @bob?"),
        ((at(BOB), " for"), "Please write your note after the name, like: /thanks @bob"),
        ((other(MentionKind.EVERYONE, "@here"), " thanks"), "@here"),
    ],
)
async def test_refused_thanks_store_and_send_nothing(
    kudos_core: BotCore, outbound: RecordingSender, parts: tuple, expected: str
) -> None:
    reply = await kudos_core.handle(request(*parts, command="thanks"))
    assert reply is not None and expected in reply.text
    assert outbound.dms == []
    assert await stored_counts(kudos_core.database) == (0, 0, 0)


class FlakyDatabase(Database):
    """A real database that can be switched to "unavailable", as during an outage."""

    down = False

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        if self.down:
            raise StorageUnavailable("database is locked")
        async with super().session() as session:
            yield session

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncConnection]:
        if self.down:
            raise StorageUnavailable("database is locked")
        async with super().transaction() as connection:
            yield connection


@pytest.mark.parametrize("command", ["kudos", "thanks"])
async def test_an_outage_after_delivery_never_leads_to_a_second_delivery(
    settings: Settings,
    clock: FixedClock,
    frozen_knowledge: KnowledgeStore,
    tmp_path: Path,
    command: str,
) -> None:
    database = FlakyDatabase(url=f"sqlite:///{tmp_path / 'flaky.sqlite3'}")
    # Delivers fine, then the database goes down (before the post reference is saved).
    sender = RecordingSender(platform=PLATFORM, on_sent=lambda: setattr(database, "down", True))
    core = BotCore(
        settings=settings,
        database=database,
        knowledge=frozen_knowledge,
        clock=clock,
        outbound=sender,
    )
    await core.start()
    try:
        first = await core.handle(request(at(BOB), " for x", command=command, delivery_id="E1"))
        assert first is not None
        assert "posted" in first.text or "delivered" in first.text
        await posts_saved(database)  # the post reference is written after the reply
        database.down = False
        # the platform retries: the delivery id is still claimed, so nothing happens twice
        assert (
            await core.handle(request(at(BOB), " for x", command=command, delivery_id="E1")) is None
        )
        assert len(sender.posts) + len(sender.dms) == 1
        kudos, _, notes = await stored_counts(database)
        assert kudos + notes == 1
        async with database.session() as session:
            # the outage hit before the outcome was saved: still as it was before sending
            if command == "kudos":
                assert await session.scalar(select(Kudos.posted_message_id)) is None
            else:
                assert await session.scalar(select(ThankYouNote.status)) == "pending"
    finally:
        await database.dispose()


@pytest.mark.parametrize(
    ("parts", "reason"),
    [
        pytest.param((at(BOB), ", for x"), "for x", id="comma"),
        pytest.param((at(BOB), ". for dot"), "for dot", id="full-stop"),
        pytest.param((at(BOB), " - for the booth,"), "for the booth", id="dash-and-trailing"),
        pytest.param((at(BOB), ", ", at(CAROL), ", for the booth and"), "for the booth", id="two"),
        pytest.param((at(BOB), " :tada: for x"), ":tada: for x", id="emoji-kept"),
    ],
)
async def test_separators_around_the_reason_are_dropped_from_the_post(
    kudos_core: BotCore, outbound: RecordingSender, parts: tuple, reason: str
) -> None:
    reply = await kudos_core.handle(request(*parts))
    assert reply is not None and "posted" in reply.text
    assert outbound.posts[0][1].plain_text().endswith(f"got kudos from @alice: {reason}")
    async with kudos_core.database.session() as session:
        assert await session.scalar(select(Kudos.reason)) == reason


@pytest.mark.parametrize(
    "parts",
    [
        pytest.param((at(BOB), " for"), id="for"),
        pytest.param((at(BOB), " and"), id="and"),
        pytest.param((at(BOB), ", for"), id="comma-for"),
        pytest.param((at(BOB), " FOR ..."), id="for-dots"),
    ],
)
async def test_filler_words_alone_are_no_reason(
    kudos_core: BotCore, outbound: RecordingSender, parts: tuple
) -> None:
    reply = await kudos_core.handle(request(*parts))
    assert reply is not None
    assert "Please say why" in reply.text and "/kudos @bob for " in reply.text
    assert "Nothing was sent" in reply.text
    assert outbound.posts == []
    assert await stored_counts(kudos_core.database) == (0, 0, 0)


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (
            ("bob for x",),
            "I couldn't find a member in 'bob' — did you mean @bob? Nothing was sent. "
            "Type @ and pick them from the list that pops up, like: /kudos @bob for x",
        ),
        (("bob",), "did you mean @bob?"),
        (("great job ", at(BOB)), "Please put the person first. Nothing was sent. Like this: "),
        (("great job ", at(BOB)), "/kudos @bob great job"),
        (("for the booth",), "I couldn't find a member in 'for the booth'. Nothing was sent."),
    ],
)
async def test_a_missing_recipient_is_named(
    kudos_core: BotCore, outbound: RecordingSender, parts: tuple, expected: str
) -> None:
    reply = await kudos_core.handle(request(*parts))
    assert reply is not None and expected in reply.text
    assert outbound.posts == []
    assert await stored_counts(kudos_core.database) == (0, 0, 0)


async def test_a_second_undo_does_not_remove_an_older_kudos(
    kudos_core: BotCore, outbound: RecordingSender, clock: FixedClock
) -> None:
    await kudos_core.handle(request(at(CAROL), " for the first"))
    clock.advance(timedelta(minutes=1))
    await kudos_core.handle(request(at(BOB), " for the second"))
    first = await kudos_core.handle(request("undo"))
    second = await kudos_core.handle(request("undo"))
    assert first is not None and "your kudos to @bob is removed" in first.text
    assert second is not None and "already taken back" in second.text
    assert "nothing left to undo" in second.text
    assert outbound.deleted == [PostedMessage(PLATFORM, "#kudos", "2")]
    assert await stored_counts(kudos_core.database) == (1, 1, 0)
    # A kudos given after the undo can be taken back again.
    clock.advance(timedelta(minutes=1))
    await kudos_core.handle(request(at(DAN), " for the third"))
    third = await kudos_core.handle(request("undo"))
    assert third is not None and "your kudos to @dan is removed" in third.text
    assert await stored_counts(kudos_core.database) == (1, 1, 0)


async def test_a_second_undo_after_the_only_kudos_says_it_was_taken_back(
    kudos_core: BotCore,
) -> None:
    await kudos_core.handle(request(at(BOB), " for the only one"))
    first = await kudos_core.handle(request("undo"))
    second = await kudos_core.handle(request("undo"))
    assert first is not None and "your kudos to @bob is removed" in first.text
    assert second is not None and "already taken back" in second.text
    assert "haven't given any kudos" not in second.text


async def test_undo_is_exact_when_kudos_share_a_time(
    kudos_core: BotCore, outbound: RecordingSender
) -> None:
    # The clock never moves (as in tests and with --today): every kudos has one time.
    await kudos_core.handle(request(at(CAROL), " for the first"))
    await kudos_core.handle(request(at(BOB), " for the second"))
    first = await kudos_core.handle(request("undo"))
    second = await kudos_core.handle(request("undo"))
    assert first is not None and "your kudos to @bob is removed" in first.text
    assert second is not None and "already taken back" in second.text
    assert outbound.deleted == [PostedMessage(PLATFORM, "#kudos", "2")]
    async with kudos_core.database.session() as session:
        assert list(await session.scalars(select(Kudos.reason))) == ["for the first"]
    # A kudos given after the undo, in the same instant, is the latest: it can go.
    await kudos_core.handle(request(at(DAN), " for the third"))
    third = await kudos_core.handle(request("undo"))
    assert third is not None and "your kudos to @dan is removed" in third.text
    fourth = await kudos_core.handle(request("undo"))
    assert fourth is not None and "already taken back" in fourth.text
    async with kudos_core.database.session() as session:
        assert list(await session.scalars(select(Kudos.reason))) == ["for the first"]


async def test_a_double_submitted_undo_removes_one_kudos(
    kudos_core: BotCore, outbound: RecordingSender, clock: FixedClock
) -> None:
    await kudos_core.handle(request(at(CAROL), " for the first"))
    clock.advance(timedelta(minutes=1))
    await kudos_core.handle(request(at(BOB), " for the second"))
    # Two clicks: two platform deliveries (different ids) arriving together.
    replies = await asyncio.gather(
        kudos_core.handle(request("undo", delivery_id="click-1")),
        kudos_core.handle(request("undo", delivery_id="click-2")),
    )
    texts = sorted(reply.text for reply in replies if reply is not None)
    assert len(texts) == 2
    assert sum("is removed" in text for text in texts) == 1
    assert sum("nothing left to undo" in text for text in texts) == 1
    assert await stored_counts(kudos_core.database) == (1, 1, 0)
    async with kudos_core.database.session() as session:
        assert await session.scalar(select(Kudos.reason)) == "for the first"


async def _member_row(database: Database, user: UserRef) -> Member:
    async with database.session() as session:
        row = await session.scalar(select(Member).where(Member.user_id == user.user_id))
    assert row is not None
    return row


async def test_an_unchanged_sender_is_not_rewritten_on_every_command(
    kudos_core: BotCore, clock: FixedClock
) -> None:
    started = clock.now()
    await kudos_core.handle(request("top", sender=CAROL))
    clock.advance(timedelta(minutes=20))
    await kudos_core.handle(request("top", sender=CAROL))
    assert (await _member_row(kudos_core.database, CAROL)).last_seen == started
    # A new display name is written at once ...
    renamed = member(CAROL.user_id, "Carol R.")
    await kudos_core.handle(request("top", sender=renamed))
    row = await _member_row(kudos_core.database, CAROL)
    assert (row.display_name, row.last_seen) == ("Carol R.", clock.now())
    # ... and last_seen is refreshed once the hour is over.
    clock.advance(timedelta(hours=1))
    await kudos_core.handle(request("top", sender=renamed))
    assert (await _member_row(kudos_core.database, CAROL)).last_seen == clock.now()


async def test_a_kudos_refreshes_the_names_of_its_recipients(kudos_core: BotCore) -> None:
    await kudos_core.handle(request(at(BOB), " for x"))
    await kudos_core.handle(request(at(member(BOB.user_id, "Bob B.")), " for y"))
    assert (await _member_row(kudos_core.database, BOB)).display_name == "Bob B."


async def test_an_undo_right_after_giving_deletes_the_post(
    kudos_core: BotCore, outbound: RecordingSender
) -> None:
    # The post reference is saved after the giver's confirmation; undo waits for it.
    give = await kudos_core.handle(request(at(BOB), " for x"))
    assert give is not None and "posted" in give.text
    reply = await kudos_core.handle(request("undo"))
    assert reply is not None and "its post deleted" in reply.text
    assert outbound.deleted == [PostedMessage(PLATFORM, "#kudos", "1")]
