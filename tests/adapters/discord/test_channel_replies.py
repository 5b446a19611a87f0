"""Replies the core marks for the channel: posted there, or privately when the bot may not.

No shipped command answers in the channel today (Slack's adapter honours the
same flag), so the test registers one core command that does and exposes it as
an application command through the adapter's own handler.
"""

from __future__ import annotations

import discord
import pytest

from adapters.discord.app import MemberBotClient
from bot.commands.registry import CommandContext
from bot.commands.spec import CommandSpec
from bot.core import BotCore
from bot.replies import CommandSpan, Reply, Visibility, text_message
from tests.adapters.discord.conftest import ANA, run_interaction
from tests.adapters.discord.payloads import CHANNEL_ID, command_interaction
from tests.fakes.fake_discord import APPLICATION_ID, FakeDiscord

PARAGRAPH = "The mixer moved to the Harold Washington Library. " * 10
#: Three paragraphs of ~500 characters fill one message, so six make two.
LONG_ANSWER = "\n\n".join(f"{n}. {PARAGRAPH}" for n in range(6))


@pytest.fixture
def shout(client: MemberBotClient, core: BotCore) -> None:
    """A core command replying for the whole channel, and /shout invoking it."""

    async def handler(ctx: CommandContext) -> Reply:
        return Reply(text_message(LONG_ANSWER), visibility=Visibility.CHANNEL)

    core.commands.register(
        CommandSpec(
            name="shout", summary="Answer everyone.", usage=CommandSpan("shout"), handler=handler
        )
    )

    @client.tree.command(name="shout", description="Answer everyone.")
    async def shout_command(interaction: discord.Interaction) -> None:
        await client.handler.handle(interaction, command="shout")


async def test_a_channel_reply_is_posted_in_the_channel_and_the_placeholder_removed(
    client: MemberBotClient, fake_discord: FakeDiscord, shout: None
) -> None:
    payload = command_interaction("shout", user=ANA)
    await run_interaction(client, payload)
    posts = fake_discord.messages_in(CHANNEL_ID)
    assert len(posts) == 2 and all(len(p.json["content"]) <= 2000 for p in posts)
    assert "\n\n".join(p.json["content"] for p in posts).count("Harold Washington") == 60
    webhook = f"/webhooks/{APPLICATION_ID}/{payload['token']}"
    assert fake_discord.calls("POST", webhook) == []  # no private copy
    (removed,) = fake_discord.calls("DELETE", webhook)
    assert removed.path.endswith("/messages/@original")


async def test_a_channel_the_bot_cannot_write_in_gets_the_rest_privately_without_repeats(
    client: MemberBotClient, fake_discord: FakeDiscord, shout: None
) -> None:
    # The first part reaches the channel, then Discord refuses: the member gets
    # only the missing part privately, not the whole answer a second time.
    fake_discord.fail_next(f"POST /channels/{CHANNEL_ID}/messages", status=403, after=1)
    payload = command_interaction("shout", user=ANA)
    await run_interaction(client, payload)
    assert len(fake_discord.calls("POST", f"/channels/{CHANNEL_ID}/messages", status=403)) == 1
    (in_channel,) = fake_discord.messages_in(CHANNEL_ID)
    (private,) = fake_discord.calls("POST", f"/webhooks/{APPLICATION_ID}/{payload['token']}")
    assert private.json["flags"] & 64
    channel_text, private_text = in_channel.json["content"], private.json["content"]
    assert channel_text.startswith("0.") and private_text.startswith("3.")
    assert (channel_text + private_text).count("Harold Washington") == 60
