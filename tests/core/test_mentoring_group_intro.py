"""Introductions where the platform has group DMs (Slack): one message per match naming
both people, sent once whatever happens to the connection (SQLite and PostgreSQL)."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from bot.clock import FixedClock
from bot.core import BotCore
from bot.errors import DeliveryError, DeliveryReason
from bot.mentoring.checkins import MentoringCheckins
from tests.core.mentoring_chat_support import (
    PRIVATE_VALUES,
    STAFF,
    bot,
    button,
    debug_logging,
    logged,
    matched_pair,
    only_match_id,
    press,
    staff_says,
)
from tests.support.recording import RecordingSender

__all__ = ["bot", "debug_logging"]  # fixtures


@pytest.fixture
def sender() -> RecordingSender:
    return RecordingSender(
        platform="slack", channels={"kudos": "#kudos", "staff": "#staff"}, group_dm_shared=True
    )


async def confirm(bot: BotCore) -> str:
    await matched_pair(bot)
    preview = await staff_says(bot, "match Spring 2027")
    confirmed = await press(bot, button(preview, "Confirm").ref.encode(), user=STAFF, staff=True)
    return confirmed.text


def checkins(bot: BotCore) -> MentoringCheckins:
    """The background pass, which also introduces confirmed pairs not introduced yet."""
    return MentoringCheckins(bot.services.mentoring.pairs)


async def test_confirm_introduces_each_match_once_in_one_group_dm_naming_both(
    bot: BotCore,
    sender: RecordingSender,
    caplog: pytest.LogCaptureFixture,
    debug_logging: None,
) -> None:
    caplog.set_level(logging.DEBUG)
    confirmed = await confirm(bot)
    assert "Confirmed 1 matches" in confirmed and "Introductions sent: 1" in confirmed
    await bot.services.mentoring.pairs.introduce("Spring 2027")  # a second run sends nothing
    assert (await checkins(bot).run_pass()).sent == 0
    assert sender.dms == []  # no DM to each: the pair shares one conversation
    [(users, message)] = sender.group_dms
    assert [user.user_id for user in users] == ["U1", "U2"]
    text = message.plain_text()
    assert "alice" in text and "(mentor)" in text and "bob" in text and "(mentee)" in text
    assert "storytime" in text and "first meeting" in text
    assert set(sender.sent_keys) == {f"mi{await only_match_id(bot)}"}
    everything = text + logged(caplog.records)
    for value in PRIVATE_VALUES:
        assert value not in everything


async def test_a_group_introduction_whose_answer_was_lost_is_not_sent_twice(
    bot: BotCore, clock: FixedClock, sender: RecordingSender
) -> None:
    sender.lose_answer = True  # Slack took the message; the bot never heard so
    confirmed = await confirm(bot)
    assert "Introductions sent: 0" in confirmed and "Not reachable here" in confirmed
    assert (await checkins(bot).run_pass()).sent == 0  # a claim this fresh may be in flight
    clock.advance(timedelta(minutes=11))
    assert (await checkins(bot).run_pass()).sent == 1  # found, not sent again
    assert (await checkins(bot).run_pass()).sent == 0
    assert len(sender.group_dms) == 1 and sender.dms == []


async def test_a_refused_group_dm_introduces_each_person_by_dm_instead(
    bot: BotCore, sender: RecordingSender
) -> None:
    # Slack before the app is reinstalled with mpim:write: nothing was sent.
    sender.group_dms_fail_with = DeliveryError("missing_scope", reason=DeliveryReason.FORBIDDEN)
    confirmed = await confirm(bot)
    assert "Introductions sent: 2" in confirmed and "Not reachable here" not in confirmed
    assert (await checkins(bot).run_pass()).sent == 0
    assert sender.group_dms == []
    assert sorted(user.user_id for user, _ in sender.dms) == ["U1", "U2"]
    match_id = await only_match_id(bot)
    assert set(sender.sent_keys) == {f"mi{match_id}-mentor", f"mi{match_id}-mentee"}
