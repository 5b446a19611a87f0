"""``/mentoring`` in chat through BotCore.handle (SQLite and PostgreSQL): applying by
form, status, withdraw and forget; staff open, match, pin/forbid and confirm by
buttons; introductions once per person; staff-only sub-commands refused to members."""

from __future__ import annotations

import logging

import pytest

from bot.core import BotCore
from bot.requests import Arguments, Request
from tests.core.mentoring_chat_support import (
    ALICE,
    BOB,
    CAROL,
    PRIVATE,
    PRIVATE_VALUES,
    STAFF,
    apply_by_form,
    bot,
    button,
    debug_logging,
    handled,
    logged,
    matched_pair,
    only_match_id,
    press,
    say,
    sender,
    staff_says,
)
from tests.support.recording import RecordingSender

__all__ = ["bot", "debug_logging", "sender"]  # fixtures


async def test_applying_by_form_saves_each_step_and_never_repeats_private_answers(
    bot: BotCore, caplog: pytest.LogCaptureFixture, debug_logging: None
) -> None:
    caplog.set_level(logging.DEBUG)
    await staff_says(bot, "open Spring 2027")
    replies = await apply_by_form(bot, BOB, role="mentee", email="Bob@Example.org", private=PRIVATE)
    assert "Saved privately" in replies[-1].text
    status = await say(bot, "status", user=BOB)
    assert "Spring 2027 cohort (open)" in status.text
    assert "Role: mentee" in status.text and "bob@example.org" in status.text
    assert "storytime, supervision" in status.text
    assert "Private answers: given" in status.text
    seen = " ".join(r.text for r in [*replies, status]) + logged(caplog.records)
    for value in PRIVATE_VALUES:
        assert value not in seen
    forgotten = await say(bot, "forget", user=BOB)
    assert "private answers are deleted" in forgotten.text
    assert "Private answers: none" in (await say(bot, "status", user=BOB)).text
    assert "Nothing to delete" in (await say(bot, "forget", user=BOB)).text


async def test_a_form_with_a_bad_email_or_missing_capacity_is_refused_field_by_field(
    bot: BotCore,
) -> None:
    await staff_says(bot, "open Spring 2027")
    from tests.core.mentoring_chat_support import submit

    opened = await say(bot, "apply")
    assert opened.form is not None
    bad = await submit(bot, opened.form, {"role": "mentor", "email": "not-an-address"})
    assert "email" in bad.field_errors
    good = await submit(bot, opened.form, {"role": "mentor", "email": "alice@example.org"})
    assert good.form is not None
    missing = await submit(bot, good.form, {"member": "yes"})
    assert set(missing.field_errors) == {"capacity"}


async def test_withdraw_while_open_and_status_after(bot: BotCore) -> None:
    await staff_says(bot, "open Spring 2027")
    await apply_by_form(bot, CAROL, role="mentee", email="carol@example.org")
    assert "withdrawn" in (await say(bot, "withdraw", user=CAROL)).text
    assert "no mentoring application" in (await say(bot, "status", user=CAROL)).text


async def test_apply_with_no_open_cohort_says_so(bot: BotCore) -> None:
    assert "No mentoring cohort is taking applications" in (await say(bot, "apply")).text


async def test_members_are_refused_the_staff_sub_commands_and_buttons(bot: BotCore) -> None:
    for text in ("open Spring 2027", "match Spring 2027", "confirm Spring 2027", "show"):
        assert "only association staff" in (await say(bot, text)).text
    await matched_pair(bot)
    preview = await staff_says(bot, "match Spring 2027")
    refused = await press(bot, button(preview, "Confirm").ref.encode(), user=ALICE)
    assert "only association staff" in refused.text
    assert "0 confirmed" in (await staff_says(bot, "show Spring 2027")).text


async def test_staff_review_by_buttons_then_confirm_introduces_each_person_once(
    bot: BotCore,
    sender: RecordingSender,
    caplog: pytest.LogCaptureFixture,
    debug_logging: None,
) -> None:
    caplog.set_level(logging.DEBUG)
    await matched_pair(bot)
    preview = await staff_says(bot, "match Spring 2027")
    assert "alice mentors bob" in preview.text and "shared interests: storytime" in preview.text
    assert "score" in preview.text and "Nothing is sent until you confirm" in preview.text
    pinned = await press(bot, button(preview, "Pin").ref.encode(), user=STAFF, staff=True)
    assert "pinned" in pinned.text
    assert sender.dms == []  # nothing sent before confirming
    confirmed = await press(bot, button(pinned, "Confirm").ref.encode(), user=STAFF, staff=True)
    assert "Confirmed 1 matches" in confirmed.text and "Introductions sent: 2" in confirmed.text
    again = await press(bot, button(pinned, "Confirm").ref.encode(), user=STAFF, staff=True)
    assert "already matched" in again.text
    await bot.services.mentoring.pairs.introduce("Spring 2027")  # a second run sends nothing
    assert sorted(user.user_id for user, _ in sender.dms) == ["U1", "U2"]
    to_alice = next(m for u, m in sender.dms if u == ALICE or u.user_id == "U1").plain_text()
    to_bob = next(m for u, m in sender.dms if u.user_id == "U2").plain_text()
    assert "Your mentee is" in to_alice and "bob" in to_alice
    assert "Your mentor is" in to_bob and "alice" in to_bob
    assert "storytime" in to_bob and "first meeting" in to_bob
    match_id = await only_match_id(bot)
    assert set(sender.sent_keys) == {f"mi{match_id}-mentor", f"mi{match_id}-mentee"}
    everything = (
        " ".join(m.plain_text() for _, m in sender.dms)
        + " ".join(m.plain_text() for _, m in sender.posts)
        + preview.text
        + logged(caplog.records)
    )
    for value in PRIVATE_VALUES:
        assert value not in everything
    status = await say(bot, "status", user=BOB)
    assert "Matched with: alice@example.org" in status.text


async def test_forbid_by_button_leaves_the_mentee_unmatched_with_a_reason(bot: BotCore) -> None:
    await matched_pair(bot)
    preview = await staff_says(bot, "match Spring 2027")
    forbidden = await press(bot, button(preview, "Forbid").ref.encode(), user=STAFF, staff=True)
    assert "0 pairs" in forbidden.text and "bob@example.org:" in forbidden.text
    stale = await press(bot, button(preview, "Pin").ref.encode(), user=STAFF, staff=True)
    assert "replaced by a newer one" in stale.text
    assert "0 pins" in (await staff_says(bot, "show Spring 2027")).text


async def test_mentoring_alone_explains_and_offers_apply_while_a_cohort_is_open(
    bot: BotCore,
) -> None:
    closed = await say(bot, "")
    assert "mentoring program" in closed.text and closed.actions == ()
    await staff_says(bot, "open Spring 2027")
    opened = await say(bot, "")
    applying = await press(bot, button(opened, "Apply").ref.encode())
    assert applying.form is not None and applying.form.title == "Mentoring: about you"
    typed = await handled(
        bot,
        Request(
            platform="slack",
            workspace_id="T1",
            channel_id="C-general",
            sender=ALICE,
            command="mentoring",
            arguments=Arguments("apply", {}),
        ),
    )
    assert typed.form is not None  # as Discord sends it: the sub-command already typed
