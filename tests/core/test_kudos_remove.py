"""Staff take down a kudos with /kudos remove ID: audited, post deleted, counts updated."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.clock import FixedClock
from bot.config import Settings
from bot.core import BotCore
from bot.knowledge_store import KnowledgeStore
from bot.requests import Mention, UserRef
from bot.storage import Database
from bot.storage.models import AuditLog, Kudos
from tests.core.kudos_support import ALICE, BOB, CAROL, DAN, PLATFORM, at, request, stored_counts
from tests.support.recording import RecordingSender

STAFF = DAN


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
    outbound.platform = PLATFORM
    await core.start()
    return core


async def say(
    core: BotCore, *parts: str | Mention, sender: UserRef = ALICE, staff: bool = False
) -> str:
    reply = await core.handle(request(*parts, sender=sender, staff=staff))
    assert reply is not None
    return reply.text


async def only_kudos_id(database: Database) -> int:
    async with database.session() as session:
        ids = list(await session.scalars(select(Kudos.id)))
    assert len(ids) == 1
    return ids[0]


async def test_staff_remove_a_kudos_its_post_and_its_counts_with_an_audit_row(
    kudos_core: BotCore, outbound: RecordingSender, clock: FixedClock
) -> None:
    await say(kudos_core, at(BOB), ", ", at(CAROL), " for something unkind")
    kudos_id = await only_kudos_id(kudos_core.database)
    clock.advance(timedelta(hours=2))  # long past the giver's own undo
    reply = await say(kudos_core, f"remove {kudos_id}", sender=STAFF, staff=True)
    assert f"Removed kudos #{kudos_id} from @alice to @bob and @carol." in reply
    assert "its post is deleted" in reply and "audit log" in reply
    assert [posted.message_id for posted in outbound.deleted] == ["1"]
    assert await stored_counts(kudos_core.database) == (0, 0, 0)
    assert "Kudos you gave: 0" in await say(kudos_core, "mine")
    assert "No kudos yet" in await say(kudos_core, "top all")
    async with kudos_core.database.session() as session:
        audit = (await session.scalars(select(AuditLog))).one()
    assert audit.action == "kudos_remove"
    assert audit.actor.startswith("dan (") and audit.broadcast_id is None
    assert f"kudos #{kudos_id} from @alice to @bob, @carol" in audit.audience
    assert audit.text == "for something unkind"
    # removed once: a second attempt (a double-submit) finds nothing and says so
    again = await say(kudos_core, f"remove #{kudos_id}", sender=STAFF, staff=True)
    assert f"There is no kudos #{kudos_id} here" in again and "Nothing was removed" in again


async def test_members_cannot_remove_a_kudos(
    kudos_core: BotCore, outbound: RecordingSender
) -> None:
    await say(kudos_core, at(BOB), " for the booth")
    kudos_id = await only_kudos_id(kudos_core.database)
    reply = await say(kudos_core, f"remove {kudos_id}", sender=CAROL)
    assert "for association staff only" in reply and "nothing was removed" in reply
    assert outbound.deleted == []
    assert await stored_counts(kudos_core.database) == (1, 1, 0)


@pytest.mark.parametrize("typed", ["", "abc", "12b", "²", "-3", "99999999999999999999"])
async def test_remove_without_a_kudos_number_explains_the_usage(
    kudos_core: BotCore, typed: str
) -> None:
    await say(kudos_core, at(BOB), " for the booth")
    reply = await say(kudos_core, f"remove {typed}", sender=STAFF, staff=True)
    assert "/kudos remove 12" in reply and "Nothing was removed" in reply
    assert await stored_counts(kudos_core.database) == (1, 1, 0)


async def test_staff_see_kudos_numbers_and_members_do_not(kudos_core: BotCore) -> None:
    await say(kudos_core, at(BOB), " for the booth")
    kudos_id = await only_kudos_id(kudos_core.database)
    assert f"#{kudos_id} " in await say(kudos_core, at(BOB), sender=STAFF, staff=True)
    assert f"#{kudos_id} " not in await say(kudos_core, at(BOB), sender=CAROL)
    assert f"#{kudos_id} " in await say(kudos_core, "mine", staff=True)
    assert "/kudos remove ID" in await say(kudos_core, "help", sender=STAFF, staff=True)
    assert "remove" not in await say(kudos_core, "help", sender=CAROL)


async def test_a_too_late_undo_names_the_kudos_for_staff(
    kudos_core: BotCore, clock: FixedClock
) -> None:
    await say(kudos_core, at(BOB), " for x")
    kudos_id = await only_kudos_id(kudos_core.database)
    clock.advance(timedelta(minutes=30))
    reply = await say(kudos_core, "undo")
    assert f"ask a staff member to remove kudos #{kudos_id}" in reply
    staff_reply = await say(kudos_core, f"remove {kudos_id}", sender=STAFF, staff=True)
    assert "Removed" in staff_reply


async def test_staff_cannot_remove_another_workspaces_kudos(kudos_core: BotCore) -> None:
    await say(kudos_core, at(BOB), " for the booth")
    kudos_id = await only_kudos_id(kudos_core.database)
    elsewhere = replace(
        request(f"remove {kudos_id}", sender=STAFF, staff=True), workspace_id="T-other"
    )
    reply = await kudos_core.handle(elsewhere)
    assert reply is not None and f"There is no kudos #{kudos_id} here" in reply.text
    assert await stored_counts(kudos_core.database) == (1, 1, 0)
