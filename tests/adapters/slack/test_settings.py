"""Slack settings: Bolt's usual names, one clear line and exit 2 when something is missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.slack.settings import SlackSettings
from bot.cli import main as cli_main
from bot.config import load_settings
from bot.errors import ConfigError

SLACK_VARIABLES = (
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "SLACK_API_URL",
    "PORT",
    "SLACK_KUDOS_CHANNEL",
    "SLACK_ANNOUNCEMENTS_CHANNEL",
    "SLACK_STAFF_USER_IDS",
    "SLACK_STAFF_USERGROUP_ID",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in SLACK_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("DATA_DIR", str(tmp_path))


def test_http_mode_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "secret")
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9/api")
    monkeypatch.setenv("SLACK_STAFF_USER_IDS", "U1, U2")
    monkeypatch.setenv("SLACK_KUDOS_CHANNEL", "CKUDOS")
    settings = load_settings(SlackSettings)
    assert not settings.socket_mode
    assert settings.port == 3000
    assert settings.slack_api_url == "http://127.0.0.1:9/api/"
    assert settings.staff_user_ids == frozenset({"U1", "U2"})
    assert settings.channels == {"kudos": "CKUDOS"}


def test_socket_mode_needs_no_signing_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1")
    assert load_settings(SlackSettings).socket_mode


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, "SLACK_BOT_TOKEN: is required"),
        ({"SLACK_BOT_TOKEN": "xoxp-user"}, "SLACK_BOT_TOKEN: must be the Bot User OAuth Token"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET is required in HTTP mode"),
        (
            {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-2"},
            "SLACK_APP_TOKEN: must be an app-level token",
        ),
    ],
)
def test_bad_settings_give_one_line(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], expected: str
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=expected):
        load_settings(SlackSettings)


def test_run_without_a_token_exits_2_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["run", "slack"]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert error.startswith("configuration error: SLACK_BOT_TOKEN")
