"""Buttons and forms in the console chat, driven end to end through stdin and stdout.

Choices are numbered under a reply and pressed by typing the number; forms are
asked field by field, again for a field the core refused, and cancelled by an
empty required answer or /cancel.
"""

from __future__ import annotations

import io

from sqlalchemy import func, select

from adapters.console.app import ConsoleApp, ConsoleSender
from adapters.console.roster import ConsoleRoster
from adapters.console.translate import console_user
from bot.core import BotCore
from bot.storage.models import Broadcast, Kudos

UNANSWERED = "Where can I park my bike at the conference hotel?"


async def chat(core: BotCore, *lines: str, staff: bool = False, roster: bool = False) -> str:
    stdout = io.StringIO()
    core.outbound = ConsoleSender(stdout=stdout)
    me = console_user("alice")
    known = None
    if roster:
        known = ConsoleRoster(core.database, me=me)
        await known.join(core.now())
    app = ConsoleApp(
        core=core,
        user=me,
        stdin=io.StringIO("".join(line + "\n" for line in lines)),
        stdout=stdout,
        is_staff=staff,
        interactive=False,
        roster=known,
    )
    await app.run()
    return stdout.getvalue()


async def count(core: BotCore, model: type) -> int:
    async with core.database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_undo_is_a_numbered_choice_with_its_confirm_prompt(core: BotCore) -> None:
    output = await chat(core, "/kudos @bob for the storytime", "1", "n", "1", "y", "1")
    assert "[1] Undo" in output
    assert "Take back this kudos? Its post is deleted and it no longer counts. Type y" in output
    assert "bot> OK, nothing was done." in output
    assert "bot> Done: your kudos to @bob is removed" in output
    assert "[deleted message" in output
    # The choices went with the reply they were under: "1" afterwards is a question.
    assert output.count("Done: your kudos to @bob is removed") == 1
    assert await count(core, Kudos) == 0


async def test_a_number_out_of_range_is_explained(core: BotCore) -> None:
    output = await chat(core, "/kudos @bob for the storytime", "7", "2")
    assert "bot> There is no choice 7: type a number from 1 to 1" in output
    assert await count(core, Kudos) == 1


async def test_the_kudos_form_asks_each_field_and_again_for_an_unknown_name(
    core: BotCore,
) -> None:
    await chat(core, "/help", roster=True)
    output = await chat(
        core, "/kudos", "@zed", "@maria", "for the storytime", "/kudos @x", roster=True
    )
    assert "bot> Give kudos: answer each question" in output
    assert "bot> Who gets the kudos (@name, up to 3)" in output
    assert "bot> I don't know @zed; check the spelling." in output
    assert "bot> What they did" in output
    assert "[posted in #kudos] 🎉 @maria got kudos from @alice: for the storytime" in output
    assert "[1] Undo" in output
    assert await count(core, Kudos) == 1


async def test_an_empty_answer_or_cancel_cancels_the_form(core: BotCore) -> None:
    output = await chat(core, "/kudos", "", "/kudos", "@bob", "/cancel", "/kudos", "@bob")
    assert output.count("bot> Cancelled; nothing was sent.") == 3  # the last by end of input
    assert "[posted in" not in output
    assert await count(core, Kudos) == 0


async def test_a_broadcast_drafted_in_the_form_refused_field_is_asked_again_then_confirmed(
    core: BotCore,
) -> None:
    output = await chat(
        core,
        "/broadcast",
        "1",  # announcements
        "",  # no channel
        "Book fair on Friday!",
        "next friday",  # not a send time: asked again
        "2026-12-04 09:00",
        "1",  # Confirm
        staff=True,
    )
    assert "bot> New broadcast: answer each question" in output
    assert "bot> Send to ([1] announcements  [2] channel  [3] dm" in output
    assert "bot> Send time (organisation time): 'next friday' is not a send time" in output
    # asked again, without offering to keep what was refused
    assert "(YYYY-MM-DD HH:MM; empty: it goes out as soon as you confirm; optional" in output
    assert "now: next friday" not in output
    assert "bot> Preview of broadcast #1" in output
    assert "[1] Confirm  [2] Cancel  [3] Edit" in output
    assert "bot> Broadcast #1 is scheduled" in output


async def test_edit_reopens_the_form_with_what_was_written(core: BotCore) -> None:
    output = await chat(
        core,
        "/broadcast announcements at 2026-12-04 09:00 Book fair on Friday!",
        "3",  # Edit
        "",  # audience kept
        "",  # channel: still none
        "Book fair moved to Saturday!",
        "",  # send time kept
        staff=True,
    )
    assert "bot> Edit broadcast: answer each question" in output
    assert "(now: Book fair on Friday!; empty keeps it)" in output
    assert "now: 2026-12-04 09:00; empty keeps it)" in output
    assert "bot> Preview of broadcast #2" in output and "Book fair moved to Saturday!" in output
    async with core.database.session() as session:
        rows = dict((await session.execute(select(Broadcast.id, Broadcast.status))).all())
    assert rows == {1: "cancelled", 2: "draft"}


async def test_ask_someone_passes_the_question_to_the_staff_channel(core: BotCore) -> None:
    output = await chat(core, UNANSWERED, "1", "1")
    assert "[1] Ask someone" in output
    assert "[posted in #staff] A member asked something I could not answer" in output
    assert f"Question: {UNANSWERED}" in output and "From: @alice" in output
    assert "bot> Thanks: I passed your question on to the staff" in output
    assert output.count("[posted in #staff]") == 1
