"""Acknowledging a command under rate limits: retried within Discord's 3-second window."""

from __future__ import annotations

import logging
import time

import pytest

from adapters.discord.app import MemberBotClient
from adapters.discord.interactions import ACK_WINDOW_SECONDS
from tests.adapters.discord.conftest import ANA, run_interaction
from tests.adapters.discord.payloads import command_interaction, option
from tests.fakes.fake_discord import APPLICATION_ID, FakeDiscord


async def test_a_callback_rate_limited_past_the_librarys_retries_is_still_acknowledged(
    client: MemberBotClient, fake_discord: FakeDiscord
) -> None:
    # discord.py tries a callback five times; Discord's 429s can outlast that.
    fake_discord.rate_limit_next("/callback", times=7)
    payload = command_interaction("ask", option("question", "what is Día?"), user=ANA)
    await run_interaction(client, payload)
    callbacks = fake_discord.calls("POST", f"/interactions/{payload['id']}/")
    assert [call.status for call in callbacks] == [429] * 7 + [200]
    [answer] = fake_discord.calls("POST", f"/webhooks/{APPLICATION_ID}/{payload['token']}")
    assert "Día" in str(answer.json)


async def test_a_rate_limit_that_outlasts_the_window_gives_up_in_it_with_one_line(
    client: MemberBotClient, fake_discord: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    fake_discord.rate_limit_next("/callback", times=1000)
    payload = command_interaction("ask", option("question", "what is Día?"), user=ANA)
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="adapters.discord.interactions"):
        await run_interaction(client, payload)
    assert time.monotonic() - started < ACK_WINDOW_SECONDS + 0.3
    callbacks = fake_discord.calls("POST", f"/interactions/{payload['id']}/")
    assert len(callbacks) > 5 and all(call.status == 429 for call in callbacks)
    [line] = [r for r in caplog.records if r.name == "adapters.discord.interactions"]
    assert line.getMessage().startswith("could not acknowledge interaction")
    assert line.exc_info is None
    # Nothing more is tried for an interaction Discord no longer takes answers for.
    assert fake_discord.calls("POST", f"/webhooks/{APPLICATION_ID}/") == []
