"""``/mentoring report`` (staff only: totals and the pairs needing attention, no private
answer), and a member's own answers: ``status`` says private answers exist and
``my-answers`` shows them to that member alone, in a direct message only (SQLite and
PostgreSQL). No private answer reaches a log line."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot.clock import FixedClock
from bot.core import BotCore
from bot.replies import Reply, Visibility
from bot.requests import UserRef
from tests.core.kudos_support import request
from tests.core.mentoring_chat_support import (
    ALICE,
    BOB,
    CAROL,
    PRIVATE,
    PRIVATE_VALUES,
    bot,
    confirmed_pair,
    debug_logging,
    handled,
    logged,
    press,
    say,
    sender,
    staff_says,
    submit,
)
from tests.core.test_mentoring_chat_checkins import checkins, last_buttons, month
from tests.e2e.test_console_actions import chat
from tests.e2e.test_console_mentoring import APPLICATION
from tests.support.recording import RecordingSender

__all__ = ["bot", "debug_logging", "sender"]  # fixtures
GIVEN = (PRIVATE["gender"], PRIVATE["race_ethnicity"])


async def in_dm(bot: BotCore, text: str, user: UserRef) -> Reply:
    return await handled(
        bot, replace(request(text, sender=user, command="mentoring"), is_direct=True)
    )


def shows_private(text: str) -> bool:
    return any(value in text for value in PRIVATE_VALUES)


async def test_staff_report_counts_the_year_and_names_pairs_needing_attention(
    bot: BotCore, clock: FixedClock, sender: RecordingSender
) -> None:
    await confirmed_pair(bot)
    month(clock, 2026, 12)
    await checkins(bot).run_pass()
    await press(bot, last_buttons(sender, "U1")["Not yet"], user=ALICE)
    await press(bot, last_buttons(sender, "U2")["Need help"], user=BOB)
    month(clock, 2027, 1)
    await checkins(bot).run_pass()
    await press(bot, last_buttons(sender, "U1")["Met"], user=ALICE)
    clock.set(datetime(2027, 11, 25, 15, 0, tzinfo=UTC))
    await checkins(bot).run_pass()  # the feedback forms
    opened = await press(bot, last_buttons(sender, "U2")["Give feedback"], user=BOB)
    assert opened.form is not None
    await submit(bot, opened.form, {"rating": "great", "comment": "Lovely year"}, user=BOB)

    report = (await staff_says(bot, "report Spring 2027")).text
    assert (
        "Mentoring report for Spring 2027: 1 matches, 0 meeting every month, 1 asked for "
        "help, 0 paused, 0 left. Months met: 1 of 2 asked (50%)." in report
    )
    assert "End-of-year feedback: 1 of 2 answered (great 1)." in report
    assert "alice mentors bob: asked for help in 1 month(s); met 1 of 2 months" in report
    assert "--checkins" in report
    assert not shows_private(report)


async def test_the_report_is_for_staff_only(bot: BotCore) -> None:
    await confirmed_pair(bot)
    refused = await say(bot, "report Spring 2027", user=BOB)
    assert "only association staff" in refused.text
    assert "Mentoring report" not in refused.text
    assert "no cohort called 'Autumn'" in (await staff_says(bot, "report Autumn")).text


async def test_status_lists_the_application_and_points_to_the_private_answers(
    bot: BotCore,
) -> None:
    await confirmed_pair(bot)
    bob = (await say(bot, "status", user=BOB)).text
    for line in ("Name: bob", "E-mail: bob@example.org", "Role: mentee", "Goals: grow"):
        assert line in bob
    assert "Association member: yes" in bob and "18 or over: yes" in bob
    assert "Private answers: given (only staff see them)" in bob
    assert "/mentoring my-answers shows your private answers to you alone" in bob
    assert "/mentoring forget deletes them" in bob
    assert not shows_private(bob)
    alice = (await say(bot, "status", user=ALICE)).text
    assert "Private answers: none" in alice and "my-answers" not in alice


async def test_my_answers_asked_in_a_channel_go_to_the_member_by_dm(
    bot: BotCore, sender: RecordingSender
) -> None:
    await confirmed_pair(bot)
    reply = await say(bot, "my-answers", user=BOB)
    assert reply.text == "I sent your answers to you in a direct message."
    assert reply.visibility is Visibility.SENDER
    (_user, dm), *_ = [(u, m) for u, m in reversed(sender.dms) if u.user_id == "U2"]
    assert all(value in dm.plain_text() for value in GIVEN)
    assert "Prefer a match of the same gender: yes" in dm.plain_text()
    assert not any(shows_private(m.plain_text()) for u, m in sender.dms if u.user_id != "U2")
    assert not any(shows_private(m.plain_text()) for _channel, m in sender.posts)


async def test_my_answers_in_a_dm_are_the_members_own_only(bot: BotCore) -> None:
    await confirmed_pair(bot)
    bob = (await in_dm(bot, "my-answers", BOB)).text
    assert all(value in bob for value in GIVEN) and "Goals: grow" in bob
    alice = (await in_dm(bot, "my-answers", ALICE)).text
    assert "alice@example.org" in alice and "Private answers: none." in alice
    assert not shows_private(alice) and "bob@example.org" not in alice
    carol = (await in_dm(bot, "my-answers", CAROL)).text
    assert "no mentoring application" in carol
    await say(bot, "forget", user=BOB)
    assert "Private answers: none." in (await in_dm(bot, "my-answers", BOB)).text


async def test_my_answers_are_never_shown_in_a_channel_when_no_dm_can_be_sent(
    bot: BotCore, sender: RecordingSender
) -> None:
    await confirmed_pair(bot)
    sender.closed_dms.add("U2")
    reply = await say(bot, "my-answers", user=BOB)
    assert "shown only in a direct message" in reply.text
    assert not shows_private(reply.text)


async def test_no_private_answer_in_a_log_line(
    bot: BotCore, caplog: pytest.LogCaptureFixture, debug_logging: None
) -> None:
    caplog.set_level(logging.DEBUG)
    await confirmed_pair(bot)
    await say(bot, "status", user=BOB)
    await say(bot, "my-answers", user=BOB)
    await in_dm(bot, "my-answers", BOB)
    await staff_says(bot, "report Spring 2027")
    assert any("mentoring check-in report" in r.getMessage() for r in caplog.records)
    assert not shows_private(logged(caplog.records))


async def test_in_the_console_my_answers_arrive_as_a_dm(core: BotCore) -> None:
    await chat(core, "/mentoring open Spring 2027", staff=True)
    await chat(core, *APPLICATION)
    output = await chat(core, "/mentoring my-answers")
    dm = output.split("[DM to @")[1]
    assert "Gender: nonbinary" in dm and "Race/ethnicity: Latina" in dm
    assert "bot> I sent your answers to you in a direct message." in output
