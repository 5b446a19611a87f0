"""Ask someone reaches the staff channel each platform is configured with.

SLACK_STAFF_CHANNEL and DISCORD_STAFF_CHANNEL_ID name it; the console prints it as
#staff. A question passed on through the real Slack endpoint lands there.
"""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from adapters.slack.settings import SlackSettings
from bot.clock import FixedClock
from bot.config import Settings
from bot.knowledge_store import KnowledgeStore
from bot.outbound import ChannelPurpose
from bot.storage import Database
from tests.adapters.discord.conftest import discord_settings
from tests.adapters.slack.conftest import make_bot, serve
from tests.adapters.slack.interactive_support import block_actions, button_values, send
from tests.adapters.slack.support import SIGNING_SECRET, slash_command_body
from tests.fakes.fake_slack import FakeSlack, FakeUser

UNANSWERED = "Where can I park my bike at the conference hotel?"


def test_the_staff_channel_settings_name_the_staff_purpose() -> None:
    slack = SlackSettings(  # type: ignore[call-arg]
        _env_file=None,
        slack_bot_token="xoxb-1",
        slack_signing_secret="s",
        slack_staff_channel=" CSTAFF ",
    )
    assert slack.channels[ChannelPurpose.STAFF.value] == "CSTAFF"
    discord = discord_settings(discord_staff_channel_id="123456789012345678")
    assert discord.channel_ids[ChannelPurpose.STAFF.value] == "123456789012345678"
    assert ChannelPurpose.STAFF.value not in discord_settings().channel_ids
    with pytest.raises(ValidationError, match="not a Discord channel id"):
        discord_settings(discord_staff_channel_id="#staff")


async def test_ask_someone_on_slack_posts_in_the_staff_channel(
    sqlite_database: Database,
    settings: Settings,
    clock: FixedClock,
    frozen_knowledge: KnowledgeStore,
) -> None:
    with FakeSlack(users=[FakeUser("U1", "ana", display_name="Ana")]) as fake:
        slack_settings = SlackSettings(  # type: ignore[call-arg]
            _env_file=None,
            slack_bot_token="xoxb-test-token",
            slack_signing_secret=SIGNING_SECRET,
            slack_api_url=fake.api_url,
            slack_staff_channel="CSTAFF",
        )
        bot = await make_bot(
            settings=settings,
            slack_settings=slack_settings,
            database=sqlite_database,
            clock=clock,
            knowledge=frozen_knowledge,
        )
        async for endpoint in serve(bot):
            body = slash_command_body("/ask", UNANSWERED, response_url=fake.response_url("q"))
            assert (await endpoint.command(body)).status == 200
            await fake.wait_for(lambda f: bool(f.responses()))
            ask = button_values(fake.responses()[-1].params["blocks"])["Ask someone"]
            click = block_actions(ask, user_id="U1", response_url=fake.response_url("c"))
            assert (await send(endpoint.session, endpoint.url, click)).status == 200
            await fake.wait_for(lambda f: any(c.path == "/response/c" for c in f.responses()))
        (post,) = fake.delivered("chat.postMessage")
        assert post.params["channel"] == "CSTAFF"
        assert UNANSWERED in str(post.params["blocks"]) + str(post.params["text"])
        (told,) = [c for c in fake.responses() if c.path == "/response/c"]
        assert "passed your question on" in told.params["text"]
