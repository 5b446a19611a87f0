"""Buttons and forms where members feel them, through BotCore.handle on SQLite and PostgreSQL.

Broadcast previews (Confirm, Cancel, Edit) and the broadcast form; kudos Undo and
the kudos form; Post to the kudos channel under a staff digest; Ask someone under
an answer the bot could not give. Each click is pressed twice, by the wrong
member, and with forged values.
"""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.actions import Button, Form, click_request, form_request
from bot.clock import FixedClock
from bot.config import Settings
from bot.core import BotCore
from bot.errors import UserError
from bot.knowledge_store import KnowledgeStore
from bot.replies import Reply
from bot.requests import ArgumentValue, Mention, MentionKind, Request, UserRef
from bot.storage import Database
from bot.storage.models import Broadcast, Kudos
from tests.core.kudos_support import ALICE, BOB, CAROL, at, request
from tests.support.cores import start_core
from tests.support.recording import RecordingSender

STAFF = UserRef("slack", "T1", "U9", "sam")
UNANSWERED = "Where can I park my bike at the conference hotel?"


@pytest.fixture
def sender() -> RecordingSender:
    return RecordingSender(
        platform="slack", channels={"kudos": "#kudos", "staff": "#staff"}, members=[ALICE, BOB]
    )


@pytest.fixture
async def bot(
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


def click(value: str, *, user: UserRef = ALICE, staff: bool = False, delivery: str = "") -> Request:
    return click_request(
        value,
        platform=user.platform,
        workspace_id=user.workspace_id,
        channel_id="C-general",
        sender=user,
        delivery_id=delivery or None,
        is_staff=staff,
    )


def submit(
    form: Form, fields: dict[str, ArgumentValue], *, user: UserRef = ALICE, staff: bool = False
) -> Request:
    return form_request(
        form.ref.encode(),
        fields,
        platform=user.platform,
        workspace_id=user.workspace_id,
        channel_id="C-general",
        sender=user,
        is_staff=staff,
    )


async def handled(bot: BotCore, incoming: Request) -> Reply:
    reply = await bot.handle(incoming)
    assert reply is not None
    return reply


def button(reply: Reply, label: str) -> Button:
    found = [a for a in reply.actions if isinstance(a, Button) and a.label == label]
    assert found, [getattr(a, "label", a) for a in reply.actions]
    return found[0]


def staff_says(text: str) -> Request:
    return request(text, sender=STAFF, command="broadcast", staff=True)


# -- broadcasts --------------------------------------------------------------------------


async def test_a_preview_offers_confirm_cancel_and_edit(bot: BotCore) -> None:
    preview = await handled(bot, staff_says("announcements Hello all"))
    number = re.search(r"broadcast #(\d+)", preview.text).group(1)  # type: ignore[union-attr]
    assert [(b.label, b.ref.encode()) for b in preview.actions] == [  # type: ignore[union-attr]
        ("Confirm", f"bc:confirm:{number}"),
        ("Cancel", f"bc:cancel:{number}"),
        ("Edit", f"bc:edit:{number}"),
    ]
    cancelled = await handled(bot, click(f"bc:cancel:{number}", user=STAFF, staff=True))
    assert f"Broadcast #{number} is cancelled" in cancelled.text
    again = await handled(bot, click(f"bc:cancel:{number}", user=STAFF, staff=True))
    assert "already cancelled" in again.text


async def test_broadcast_without_text_opens_the_form_and_its_submission_previews(
    bot: BotCore,
) -> None:
    opened = await handled(bot, staff_says(""))
    assert opened.form is not None
    assert "Broadcasts" in opened.text  # the help stays as the fallback
    assert [f.name for f in opened.form.fields] == ["audience", "channel", "message", "at"]
    assert opened.form.ref.encode() == "bc:compose"
    preview = await handled(
        bot,
        submit(
            opened.form,
            {"audience": "dm", "message": "Gift memberships close soon", "at": "2026-12-01 09:00"},
            user=STAFF,
            staff=True,
        ),
    )
    assert "Preview of broadcast #1" in preview.text and "DM to 3 members" in preview.text
    scheduled = await handled(
        bot, click(button(preview, "Confirm").ref.encode(), user=STAFF, staff=True)
    )
    assert "Broadcast #1 is scheduled" in scheduled.text


async def test_the_broadcast_form_refuses_fields_by_name(bot: BotCore) -> None:
    opened = await handled(bot, staff_says(""))
    assert opened.form is not None
    missing = await handled(
        bot, submit(opened.form, {"audience": "channel", "message": "Hi"}, user=STAFF, staff=True)
    )
    assert set(missing.field_errors) == {"channel"}
    past = await handled(
        bot,
        submit(
            opened.form,
            {"audience": "announcements", "message": "Hi", "at": "2020-01-01 09:00"},
            user=STAFF,
            staff=True,
        ),
    )
    assert set(past.field_errors) == {"at"} and "in the past" in past.field_errors["at"]
    audience = await handled(
        bot, submit(opened.form, {"audience": "everyone", "message": "Hi"}, user=STAFF, staff=True)
    )
    assert set(audience.field_errors) == {"audience"}
    async with bot.database.session() as session:
        assert (await session.scalars(select(Broadcast))).all() == []


async def test_edit_reopens_the_form_filled_and_replaces_the_draft(bot: BotCore) -> None:
    channel = Mention(MentionKind.CHANNEL, "#news", channel_id="CNEWS")
    request_with_channel = Request(
        platform="slack",
        workspace_id="T1",
        channel_id="C-general",
        sender=STAFF,
        command="broadcast",
        text="\x1f0\x1f at 2026-12-01 09:00 Book fair Friday",
        mentions=(channel,),
        is_staff=True,
    )
    preview = await handled(bot, request_with_channel)
    edit = await handled(bot, click(button(preview, "Edit").ref.encode(), user=STAFF, staff=True))
    form = edit.form
    assert form is not None and form.ref.encode() == "bc:compose:1"
    initial = {f.name: f.initial for f in form.fields}
    assert initial["audience"] == "channel"
    assert isinstance(initial["channel"], Mention) and initial["channel"].channel_id == "CNEWS"
    assert initial["message"] == "Book fair Friday"
    assert initial["at"] == "2026-12-01 09:00"
    # Someone else (staff too) cannot edit Sam's draft, by Edit or by a forged field.
    tess = UserRef("slack", "T1", "U8", "tess")
    refused = await handled(bot, click("bc:edit:1", user=tess, staff=True))
    assert "drafted by someone else" in refused.text and refused.form is None
    blank = await handled(bot, staff_says(""))
    assert blank.form is not None
    forged = await handled(
        bot,
        submit(
            blank.form,
            {"replaces": 1, "audience": "announcements", "message": "Mine now"},
            user=tess,
            staff=True,
        ),
    )
    assert "drafted by someone else" in forged.text
    # Sam submits the edited form: a new draft, the old one dropped.
    fields = {**initial, "message": "Book fair moved to Saturday"}
    edited = await handled(bot, submit(form, fields, user=STAFF, staff=True))
    assert "Preview of broadcast #2" in edited.text and "Saturday" in edited.text
    async with bot.database.session() as session:
        statuses = dict((await session.execute(select(Broadcast.id, Broadcast.status))).all())
    assert statuses == {1: "cancelled", 2: "draft"}
    stale = await handled(bot, click("bc:edit:1", user=STAFF, staff=True))
    assert "can no longer be edited" in stale.text


async def test_broadcast_buttons_are_staff_only(bot: BotCore) -> None:
    await handled(bot, staff_says("announcements Hello all"))
    for value in ("bc:confirm:1", "bc:edit:1", "bc:compose"):
        refused = await handled(bot, click(value, user=ALICE, staff=False))
        assert "for association staff only" in refused.text, value


# -- kudos -----------------------------------------------------------------------------


async def kudos_ids(database: Database) -> list[int]:
    async with database.session() as session:
        return list(await session.scalars(select(Kudos.id).order_by(Kudos.id)))


async def test_undo_under_the_confirmation_takes_back_that_kudos_once(
    bot: BotCore, sender: RecordingSender
) -> None:
    given = await handled(bot, request(at(BOB), " for the storytime"))
    undo = button(given, "Undo")
    assert undo.confirm is not None and undo.style == "danger"
    (kudos_id,) = await kudos_ids(bot.database)
    assert undo.ref.encode() == f"kd:undo-one:{kudos_id}"
    # Bob presses Alice's Undo (or replays its value): refused, the kudos stays.
    refused = await handled(bot, click(undo.ref.encode(), user=BOB))
    assert "not one you gave" in refused.text
    assert await kudos_ids(bot.database) == [kudos_id]
    done = await handled(bot, click(undo.ref.encode(), user=ALICE, delivery="c1"))
    assert "your kudos to @bob is removed" in done.text
    assert await kudos_ids(bot.database) == []
    assert len(sender.deleted) == 1
    again = await handled(bot, click(undo.ref.encode(), user=ALICE, delivery="c2"))
    assert "already taken back" in again.text
    assert len(sender.deleted) == 1


async def test_an_old_undo_never_takes_back_a_newer_kudos(bot: BotCore) -> None:
    first = await handled(bot, request(at(BOB), " for the storytime"))
    await handled(bot, request(at(CAROL), " for the book list"))
    refused = await handled(bot, click(button(first, "Undo").ref.encode(), user=ALICE))
    assert "You have given kudos since" in refused.text
    assert len(await kudos_ids(bot.database)) == 2


async def test_concurrent_undo_clicks_take_back_once(bot: BotCore, sender: RecordingSender) -> None:
    given = await handled(bot, request(at(BOB), " for the storytime"))
    value = button(given, "Undo").ref.encode()
    replies = await asyncio.gather(
        *(bot.handle(click(value, user=ALICE, delivery=f"d{i}")) for i in range(3))
    )
    texts = [reply.text for reply in replies if reply is not None]
    assert sum("already taken back" in t or "nothing to undo" in t for t in texts) == 2, texts
    assert await kudos_ids(bot.database) == []
    assert len(sender.deleted) == 1


async def test_undo_after_the_window_is_refused(bot: BotCore, clock: FixedClock) -> None:
    given = await handled(bot, request(at(BOB), " for the storytime"))
    clock.advance(timedelta(minutes=bot.settings.kudos_undo_minutes + 1))
    late = await handled(bot, click(button(given, "Undo").ref.encode(), user=ALICE))
    assert "within" in late.text
    assert len(await kudos_ids(bot.database)) == 1


async def test_kudos_without_arguments_opens_the_form(bot: BotCore) -> None:
    opened = await handled(bot, request(""))
    form = opened.form
    assert form is not None and form.ref.encode() == "kd:give"
    people = form.field("user")
    assert people is not None and people.kind == "members" and people.limit == 3
    empty = await handled(bot, submit(form, {"user": (), "reason": ""}))
    assert set(empty.field_errors) == {"user", "reason"}
    too_many = (at(BOB), at(CAROL), at(BOB), at(CAROL))
    crowd = await handled(bot, submit(form, {"user": too_many, "reason": "for x"}))
    assert set(crowd.field_errors) == {"user"}
    myself = await handled(bot, submit(form, {"user": (at(ALICE),), "reason": "for me"}))
    assert "yourself" in myself.text
    given = await handled(bot, submit(form, {"user": (at(BOB),), "reason": "for the storytime"}))
    assert "Done!" in given.text and button(given, "Undo")
    assert len(await kudos_ids(bot.database)) == 1


async def test_post_the_digest_to_the_kudos_channel_once(
    bot: BotCore, sender: RecordingSender
) -> None:
    await handled(bot, request(at(BOB), " for the storytime"))
    digest = await handled(bot, request("digest", sender=STAFF, staff=True))
    post = button(digest, "Post to the kudos channel")
    assert post.ref.encode() == "kd:post-digest:2026-11"
    member_press = await handled(bot, click(post.ref.encode(), user=BOB))
    assert "only association staff" in member_press.text
    before = len(sender.posts)
    first, second = await asyncio.gather(
        handled(bot, click(post.ref.encode(), user=STAFF, staff=True, delivery="p1")),
        handled(bot, click(post.ref.encode(), user=STAFF, staff=True, delivery="p2")),
    )
    assert sorted(("Posted" in r.text, "already posted" in r.text) for r in (first, second)) == [
        (False, True),
        (True, False),
    ]
    digests = [(channel, m) for channel, m in sender.posts[before:]]
    assert len(digests) == 1 and digests[0][0] == "#kudos"
    assert "November 2026" in digests[0][1].plain_text()
    future = await handled(bot, click("kd:post-digest:2099-01", user=STAFF, staff=True))
    assert "hasn't started yet" in future.text


# -- Ask someone -------------------------------------------------------------------------


async def test_ask_someone_passes_the_question_on_once(
    bot: BotCore, sender: RecordingSender
) -> None:
    answered = await handled(bot, request("When do mentoring applications close?", command="ask"))
    assert all(getattr(a, "label", "") != "Ask someone" for a in answered.actions)
    missed = await handled(bot, request(UNANSWERED, command="ask"))
    ask = button(missed, "Ask someone")
    # Bob presses (or replays) the button under Alice's answer: her question stays hers.
    not_his = await handled(bot, click(ask.ref.encode(), user=BOB))
    assert "asked by someone else" in not_his.text and sender.posts == []
    passed = await handled(bot, click(ask.ref.encode(), user=ALICE))
    assert "passed your question on" in passed.text
    (channel, message) = sender.posts[-1]
    assert channel == "#staff"
    assert UNANSWERED in message.plain_text() and "From: @alice" in message.plain_text()
    assert "/unanswered answer" in message.plain_text()  # staff answer it; it reaches Alice
    again = await handled(bot, click(ask.ref.encode(), user=ALICE))
    assert "already passed on" in again.text
    assert len(sender.posts) == 1
    forged = await handled(bot, click("ask:forward:999", user=ALICE))
    assert "could not find that question" in forged.text


async def test_ask_someone_without_a_staff_channel_names_the_contact(
    bot: BotCore, sender: RecordingSender
) -> None:
    sender.channels = {"kudos": "#kudos"}
    missed = await handled(bot, request(UNANSWERED, command="ask"))
    refused = await handled(bot, click(button(missed, "Ask someone").ref.encode()))
    assert "could not pass your question on" in refused.text and "@" in refused.text
    # Once a staff channel is set up, the same button works (nothing was claimed).
    sender.channels = {"staff": "#staff"}
    passed = await handled(bot, click(button(missed, "Ask someone").ref.encode()))
    assert "passed your question on" in passed.text


async def test_ask_someone_is_refused_after_a_day(bot: BotCore, clock: FixedClock) -> None:
    missed = await handled(bot, request(UNANSWERED, command="ask"))
    clock.advance(timedelta(days=2))
    late = await handled(bot, click(button(missed, "Ask someone").ref.encode()))
    assert "more than a day ago" in late.text


async def test_an_undo_racing_a_new_kudos_takes_back_nothing(bot: BotCore) -> None:
    """The button's check and the undo are one decision: a kudos given in between wins."""
    first = await handled(bot, request(at(BOB), " for the storytime"))
    (first_id,) = await kudos_ids(bot.database)
    assert button(first, "Undo").ref.encode() == f"kd:undo-one:{first_id}"
    # a newer kudos lands after the button was checked but before the undo runs
    await handled(bot, request(at(CAROL), " for the book list"))
    undo_request = click(f"kd:undo-one:{first_id}", user=ALICE)

    with pytest.raises(UserError, match="You have given kudos since"):
        await bot.services.kudos.undo_last(
            request=undo_request, now=bot.now(), expected_kudos_id=first_id
        )
    assert len(await kudos_ids(bot.database)) == 2
