from __future__ import annotations

import subprocess
import sys

import pytest

from bot.config import Settings, load_settings, parse_offsets
from bot.errors import ConfigError


def test_defaults_are_the_associations(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BOT_TIMEZONE", raising=False)
    settings = load_settings(Settings, _env_file=None)
    assert settings.bot_timezone == "America/Chicago"
    assert settings.resolved_database_url.startswith("sqlite:///")
    assert settings.reminder_offsets == (7, 1)


def test_bad_timezone_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TIMEZONE", "Mars/Base")
    with pytest.raises(ConfigError) as caught:
        load_settings(Settings, _env_file=None)
    assert str(caught.value).startswith("BOT_TIMEZONE: 'Mars/Base' is not a known")


def test_bad_integer_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KUDOS_DAILY_QUOTA", "lots")
    with pytest.raises(ConfigError, match=r"^KUDOS_DAILY_QUOTA: "):
        load_settings(Settings, _env_file=None)


def test_offsets_parse_and_refuse_garbage() -> None:
    assert parse_offsets("1, 7,7") == (7, 1)
    with pytest.raises(ValueError, match="whole days"):
        parse_offsets("a week")


def test_cli_reports_a_bad_setting_in_one_line(tmp_path) -> None:
    env = {"BOT_TIMEZONE": "Nowhere/Special", "PATH": "/usr/bin:/bin", "DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "hello"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "configuration error: BOT_TIMEZONE: 'Nowhere/Special' is not a known IANA time zone "
        "(try America/Chicago)"
    ]
