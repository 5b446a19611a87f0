"""ConsoleSender.send_group_dm: printed once, addressed to everyone in it."""

from __future__ import annotations

import io

import pytest

from adapters.console.app import ConsoleSender
from bot.errors import DeliveryError
from bot.outbound import DeliveryKey, GroupMessenger
from bot.replies import text_message
from bot.requests import UserRef

ALICE = UserRef("console", "local", "alice", "alice")
BOB = UserRef("console", "local", "bob", "bob")


async def test_a_group_dm_is_printed_once_to_both() -> None:
    stdout = io.StringIO()
    sender = ConsoleSender(stdout=stdout)
    assert isinstance(sender, GroupMessenger) and not sender.group_dm_shared
    [posted] = await sender.send_group_dm(
        users=(ALICE, BOB), message=text_message("Welcome, both!"), key=DeliveryKey("mi1")
    )
    assert stdout.getvalue().count("Welcome, both!") == 1
    assert "[group DM to @alice, @bob] Welcome, both!" in stdout.getvalue()
    assert posted.channel_id == "dm:alice,bob"


async def test_a_group_dm_with_a_bot_prints_nothing() -> None:
    stdout = io.StringIO()
    robot = UserRef("console", "local", "robot", "robot", is_bot=True)
    with pytest.raises(DeliveryError):
        await ConsoleSender(stdout=stdout).send_group_dm(
            users=(ALICE, robot), message=text_message("hi")
        )
    assert stdout.getvalue() == ""
