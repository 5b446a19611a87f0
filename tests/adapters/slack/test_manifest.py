"""The app manifest declares every command, event and scope the adapter uses."""

from __future__ import annotations

from pathlib import Path

import yaml

from adapters.slack.translate import SLASH_COMMANDS

MANIFEST = Path(__file__).resolve().parents[3] / "adapters" / "slack" / "manifest.yaml"


def test_manifest_matches_the_adapter() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text())
    commands = {c["command"] for c in manifest["features"]["slash_commands"]}
    assert commands == set(SLASH_COMMANDS)
    assert all(c["should_escape"] for c in manifest["features"]["slash_commands"])
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert events == {"app_mention", "message.im"}
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"commands", "chat:write", "im:write", "users:read", "files:write"} <= scopes
