"""The app manifest declares exactly the commands, events and scopes the bot uses.

The manifest is generated from the command catalogue; the committed file must be
exactly what the generator writes, so a command added to the catalogue without
regenerating it fails here, not in a workspace.

Scopes are derived from the adapter's own source: every Web API method it calls
must be listed below with the scopes it needs, so a new call without a manifest
scope (or a scope nothing needs any more) fails here, not in a workspace.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.commands import main, manifest_text, shortcuts, slash_commands
from bot.commands.catalogue import default_catalogue
from bot.commands.reminders import SUMMARY as REMINDERS_SUMMARY
from bot.commands.spec import CommandNames, parse_command_names
from bot.core import BotCore

ADAPTER = Path(__file__).resolve().parents[3] / "adapters" / "slack"
MANIFEST = ADAPTER / "manifest.yaml"

#: Bot scopes each Web API method needs (docs.slack.dev/reference/methods).
METHOD_SCOPES: dict[str, frozenset[str]] = {
    "auth_test": frozenset(),
    "apps_connections_open": frozenset(),  # app-level token (connections:write), no bot scope
    "chat_postMessage": frozenset({"chat:write"}),
    "chat_postEphemeral": frozenset({"chat:write"}),
    "chat_delete": frozenset({"chat:write"}),
    "conversations_open": frozenset({"im:write", "mpim:write"}),  # DMs and group DMs
    # did a post whose answer was lost arrive? (public, private channels, DMs, group DMs)
    "conversations_history": frozenset(
        {"channels:history", "groups:history", "im:history", "mpim:history"}
    ),
    "files_upload_v2": frozenset({"files:write"}),
    "users_info": frozenset({"users:read"}),
    "users_list": frozenset({"users:read"}),
    # modals and the App Home tab need no scope of their own
    "views_open": frozenset(),
    "views_publish": frozenset(),
    "usergroups_users_list": frozenset({"usergroups:read"}),
}
#: Manifest bot event for each Bolt event listener, and the scope that delivers it.
EVENTS: dict[str, tuple[str, str | None]] = {
    "app_mention": ("app_mention", "app_mentions:read"),
    "message": ("message.im", "im:history"),  # the listener answers direct messages only
    "app_home_opened": ("app_home_opened", None),  # no scope: the home tab is the app's own
}
#: Slash commands need ``commands``; kudos and announcements go to public channels
#: the bot has not joined, which needs ``chat:write.public``.
ALWAYS = frozenset({"commands", "chat:write.public"})
EXPECTED_SCOPES = frozenset(
    {
        "app_mentions:read",
        "channels:history",
        "chat:write",
        "chat:write.public",
        "commands",
        "files:write",
        "groups:history",
        "im:history",
        "im:write",
        "mpim:history",
        "mpim:write",
        "usergroups:read",
        "users:read",
    }
)


def _manifest() -> dict[str, Any]:
    return yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))


def _adapter_source() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted(ADAPTER.glob("*.py")))


def _called_web_api_methods() -> set[str]:
    names = set(re.findall(r"client\.([A-Za-z_0-9]+)", _adapter_source()))
    return {
        name
        for name in names
        if name != "api_call" and callable(getattr(AsyncWebClient, name, None))
    }


def _listened_events() -> set[str]:
    return set(re.findall(r"app\.event\(\"([a-z_.]+)\"\)", _adapter_source()))


def test_every_called_method_is_known_here() -> None:
    called = _called_web_api_methods()
    assert "chat_postMessage" in called and "conversations_open" in called  # the scan works
    assert called <= set(METHOD_SCOPES), called - set(METHOD_SCOPES)


def test_scopes_are_exactly_what_the_adapter_needs() -> None:
    needed = set(ALWAYS)
    for method in _called_web_api_methods():
        needed |= METHOD_SCOPES[method]
    for event in _listened_events():
        if scope := EVENTS[event][1]:
            needed.add(scope)
    scopes = set(_manifest()["oauth_config"]["scopes"]["bot"])
    assert scopes == needed == EXPECTED_SCOPES


def test_events_are_exactly_the_ones_listened_to() -> None:
    events = set(_manifest()["settings"]["event_subscriptions"]["bot_events"])
    assert events == {EVENTS[name][0] for name in _listened_events()}
    assert events == {"app_home_opened", "app_mention", "message.im"}


def test_the_committed_manifest_is_the_generated_one() -> None:
    generated = manifest_text(default_catalogue(), CommandNames())
    assert MANIFEST.read_text(encoding="utf-8") == generated, (
        "adapters/slack/manifest.yaml is out of date: run "
        "python -m adapters.slack.commands > adapters/slack/manifest.yaml"
    )


def test_every_core_command_has_a_slack_command_in_the_manifest(core: BotCore) -> None:
    commands = _manifest()["features"]["slash_commands"]
    slash = slash_commands(core.commands, CommandNames())
    assert [c["command"] for c in commands] == list(slash)
    assert set(slash.values()) == {command.name for command in core.commands}
    assert slash["/bothelp"] == "help"  # Slack reserves /help
    assert {"broadcast", "reminders"} <= set(slash.values())
    for command in commands:
        # Escaped text is what translate decodes: <@U123>, <#C123|name>, &amp;.
        assert command["should_escape"] is True, command["command"]
        assert command["description"], command["command"]


def test_urls_and_mode_agree() -> None:
    manifest = _manifest()
    request_url = manifest["settings"]["event_subscriptions"]["request_url"]
    assert request_url.endswith("/slack/events")
    assert {c["url"] for c in manifest["features"]["slash_commands"]} == {request_url}
    # The manifest as shipped creates a Socket Mode app, as its header comment says.
    assert manifest["settings"]["socket_mode_enabled"] is True
    header = MANIFEST.read_text(encoding="utf-8").split("display_information:")[0]
    assert "socket_mode_enabled: true" in header
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True  # DMs reach the bot
    # Buttons, modals and shortcuts arrive at the same endpoint as everything else.
    assert manifest["settings"]["interactivity"] == {"is_enabled": True, "request_url": request_url}


def test_shortcuts_and_the_home_tab_are_declared() -> None:
    # The app listens to each shortcut: tests/adapters/slack/test_home.py sends them.
    manifest = _manifest()
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    declared = {(s["callback_id"], s["type"]) for s in manifest["features"]["shortcuts"]}
    assert declared == {(s.callback_id, s.type) for s in shortcuts(default_catalogue())}
    assert declared == {("give_kudos", "global"), ("give_kudos_for_message", "message")}


def test_reminders_is_described_the_same_way_everywhere(core: BotCore) -> None:
    commands = _manifest()["features"]["slash_commands"]
    (reminders,) = [c for c in commands if c["command"] == "/reminders"]
    assert reminders["description"] == REMINDERS_SUMMARY
    assert core.commands.get("reminders").summary == f"{REMINDERS_SUMMARY}."  # type: ignore[union-attr]
    # what it says is what it does: off/on is about staff's broadcast DMs, and the deadline
    # part is the member's own reminder, never the channel's deadline reminders
    assert "broadcast DMs" in REMINDERS_SUMMARY and "a deadline you choose" in REMINDERS_SUMMARY
    assert "deadline reminders" not in REMINDERS_SUMMARY


def test_a_renamed_command_is_declared_under_its_new_name(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--names", "kudos:props", "--url", "https://bot.example.org/", "--http-mode"]) == 0
    manifest = yaml.safe_load(capsys.readouterr().out)
    commands = {c["command"]: c for c in manifest["features"]["slash_commands"]}
    assert "/kudos" not in commands
    assert commands["/props"]["description"].endswith("(also /props top, mine, undo, help)")
    assert {c["url"] for c in commands.values()} == {"https://bot.example.org/slack/events"}
    assert manifest["settings"]["socket_mode_enabled"] is False


@pytest.mark.parametrize(
    ("names", "problem"),
    [
        ("kudos", "should be command:new-name"),
        ("kudoz:props", "there is no command 'kudoz'"),
        ("kudos:Pr ops", "is not a usable command name"),
        ("kudos:thanks", "/kudos and /thanks would both be /thanks"),
    ],
)
def test_bad_command_names_are_refused_with_the_reason(names: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        parse_command_names(names, default_catalogue())
