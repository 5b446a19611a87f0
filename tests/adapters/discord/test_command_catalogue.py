"""One declaration feeds /help, the Slack manifest and the Discord command tree.

A command added to the catalogue (with its handler, nothing else) appears in all
three, with its typed options; renaming a command per installation changes all
of them and what the platform sends in.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import yaml
from discord import app_commands

from adapters.discord.app import MemberBotClient, build_client
from adapters.discord.commands import build_commands
from adapters.discord.interactions import InteractionHandler
from adapters.discord.translate import Community
from adapters.slack.commands import manifest_text, slash_commands
from bot.commands.registry import CommandContext
from bot.commands.spec import ArgKind, CommandNames, CommandSpec, Option, SubCommand
from bot.core import BotCore
from bot.replies import CommandSpan, Reply, text_message
from bot.requests import Mention, Request, UserRef
from tests.adapters.discord.conftest import ANA, BEN, discord_settings, run_interaction
from tests.adapters.discord.payloads import (
    INTEGER,
    command_interaction,
    option,
    sub_command,
    user_option,
)
from tests.fakes.fake_discord import APPLICATION_ID, FakeDiscord

ALICE = UserRef("console", "local", "alice", "Alice")


async def _high_five(ctx: CommandContext) -> Reply:
    """Says back exactly what it was given, typed: who, and how many times."""
    who = ctx.args.get("user")
    times = ctx.args.get("times")
    assert isinstance(who, Mention) and who.user is not None
    assert isinstance(times, int) and not isinstance(times, bool)
    return Reply(text_message(f"High five to {who.user.name}, {times} times!"))


async def _high_five_help(ctx: CommandContext) -> Reply:
    return Reply(text_message("Give someone a high five."))


HIGHFIVE = CommandSpec(
    name="highfive",
    summary="Give a colleague a high five.",
    usage=CommandSpan("highfive", "give @someone TIMES", action="give"),
    description="High-five a colleague",
    usage_hint="give @someone 3",
    handler=_high_five_help,
    subcommands=(
        SubCommand(
            "give",
            "High-five someone.",
            _high_five,
            options=(
                Option("user", ArgKind.MEMBER, "Who gets it"),
                Option("times", ArgKind.NUMBER, "How many", min_value=1, max_value=10),
            ),
        ),
    ),
)


def _request(command: str, text: str = "") -> Request:
    return Request("console", "local", "console", ALICE, command, text)


async def test_a_declared_command_is_in_help_the_manifest_and_the_discord_tree(
    core: BotCore,
) -> None:
    core.commands.register(HIGHFIVE)
    help_reply = await core.handle(_request("help"))
    assert help_reply is not None
    assert "/highfive give @someone TIMES — Give a colleague a high five." in help_reply.text

    manifest = yaml.safe_load(manifest_text(core.commands, CommandNames()))
    (declared,) = [c for c in manifest["features"]["slash_commands"] if c["command"] == "/highfive"]
    assert (declared["description"], declared["usage_hint"]) == (
        "High-five a colleague",
        "give @someone 3",
    )
    assert slash_commands(core.commands, CommandNames())["/highfive"] == "highfive"

    handler = InteractionHandler(core=core, community=Community())
    tree = {
        command.name: command for command in build_commands(core.commands, CommandNames(), handler)
    }
    group = tree["highfive"]
    assert isinstance(group, app_commands.Group)
    (give,) = group.commands
    assert isinstance(give, app_commands.Command)
    options = {p.name: p for p in give.parameters}
    assert options["user"].type.name == "user" and options["user"].required
    assert options["times"].type.name == "integer"
    assert (options["times"].min_value, options["times"].max_value) == (1, 10)
    # The shipped commands come from the same declarations.
    assert {"ask", "deadlines", "kudos", "thanks", "broadcast", "reminders", "bothelp"} <= set(tree)


@pytest.fixture
async def renamed_client(
    core: BotCore, fake_discord: FakeDiscord
) -> AsyncIterator[MemberBotClient]:
    """A client for a server whose other bot already has /kudos: ours is /props."""
    core.commands.register(HIGHFIVE)
    client = build_client(settings=discord_settings(discord_command_names="kudos:props"))
    assert isinstance(client, MemberBotClient)
    client.attach(core)
    await client.login("test-token")
    try:
        yield client
    finally:
        await client.close()


async def _answer(client: MemberBotClient, fake: FakeDiscord, payload: dict) -> str:
    await run_interaction(client, payload)
    (followup,) = fake.calls("POST", f"/webhooks/{APPLICATION_ID}/{payload['token']}")
    return str(followup.json["content"])


async def test_discord_serves_a_renamed_command_and_names_it_so_in_replies(
    renamed_client: MemberBotClient, fake_discord: FakeDiscord
) -> None:
    (sync,) = fake_discord.calls("PUT", "/commands")
    names = {command["name"] for command in sync.json}
    assert "props" in names and "kudos" not in names and "highfive" in names
    text = await _answer(
        renamed_client, fake_discord, command_interaction("props", sub_command("help"), user=ANA)
    )
    assert "/props give" in text and "/kudos" not in text


async def test_discord_options_reach_the_handler_typed(
    renamed_client: MemberBotClient, fake_discord: FakeDiscord
) -> None:
    payload = command_interaction(
        "highfive",
        sub_command("give", user_option("user", BEN), option("times", 3, kind=INTEGER)),
        user=ANA,
        mentioned=(BEN,),
    )
    assert (
        await _answer(renamed_client, fake_discord, payload) == "High five to Ben Okafor, 3 times!"
    )
