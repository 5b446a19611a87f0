"""/ask, /deadlines and /bothelp through discord.py's interaction parsing and the fake API."""

from __future__ import annotations

from adapters.discord.app import MemberBotClient
from tests.adapters.discord.conftest import ANA, run_interaction
from tests.adapters.discord.payloads import GUILD_ID, command_interaction, option, sub_command
from tests.fakes.fake_discord import APPLICATION_ID, FakeDiscord

EPHEMERAL = 64
GUILD_CONTEXT = 0
DEFERRED_CHANNEL_MESSAGE = 5


async def test_login_syncs_commands_to_the_configured_guild(
    client: MemberBotClient, fake_discord: FakeDiscord
) -> None:
    (sync,) = fake_discord.calls("PUT", "/commands")
    assert sync.path == f"/applications/{APPLICATION_ID}/guilds/{GUILD_ID}/commands"
    commands = {command["name"]: command for command in sync.json}
    assert set(commands) == {
        "ask",
        "ask-staff",
        "deadlines",
        "bothelp",
        "thanks",
        "kudos",
        "broadcast",
        "reminders",
        "unanswered",
        "mentoring",
        "Give kudos",  # the right-click menus on a member and on a message
        "Give kudos for this message",
    }
    kudos = commands["kudos"]
    subcommands = {option["name"] for option in kudos["options"]}
    assert {"give", "top", "mine", "undo", "help"} <= subcommands
    give = next(o for o in kudos["options"] if o["name"] == "give")
    assert [(o["name"], o["type"], o.get("required", False)) for o in give["options"]] == [
        ("user", 6, True),
        ("reason", 3, True),
        ("user2", 6, False),
        ("user3", 6, False),
    ]
    # Commands acting on a server's members are offered in servers only, not in DMs.
    for name in ("kudos", "thanks", "broadcast", "reminders"):
        assert commands[name]["contexts"] == [GUILD_CONTEXT], name
        assert commands[name]["dm_permission"] is False, name
    for name in ("ask", "deadlines", "bothelp"):
        assert commands[name].get("dm_permission", True) is True, name


async def test_ask_defers_ephemerally_then_follows_up(
    client: MemberBotClient, fake_discord: FakeDiscord
) -> None:
    payload = command_interaction(
        "ask", option("question", "When do mentoring applications close?"), user=ANA
    )
    await run_interaction(client, payload)

    (callback,) = fake_discord.calls("POST", f"/interactions/{payload['id']}/")
    assert callback.json["type"] == DEFERRED_CHANNEL_MESSAGE
    assert callback.json["data"]["flags"] & EPHEMERAL
    (followup,) = fake_discord.calls("POST", f"/webhooks/{APPLICATION_ID}/{payload['token']}")
    assert "October 11" in followup.json["content"]
    assert followup.json["flags"] & EPHEMERAL
    assert followup.json["allowed_mentions"] == {"parse": [], "users": []}


async def test_help_names_the_commands_as_typed_on_discord(
    client: MemberBotClient, fake_discord: FakeDiscord
) -> None:
    help_payload = command_interaction("bothelp", user=ANA)
    await run_interaction(client, help_payload)
    [answer] = fake_discord.calls("POST", f"/webhooks/{APPLICATION_ID}/{help_payload['token']}")
    text = answer.json["content"]
    assert "**/kudos give @someone for WHY**" in text
    assert "**/deadlines calendar:True**" in text
    assert "**/reminders remind mentoring-applications-2021 1w**" in text
    assert "**/bothelp**" in text and "/help" not in text
    kudos_payload = command_interaction("kudos", sub_command("help"), user=ANA)
    await run_interaction(client, kudos_payload)
    [answer] = fake_discord.calls("POST", f"/webhooks/{APPLICATION_ID}/{kudos_payload['token']}")
    text = answer.json["content"]
    assert "**/kudos show @someone**" in text
    assert "**/kudos top week**" in text
