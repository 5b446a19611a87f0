from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.config import (
    DEFAULT_KNOWLEDGE_FILE,
    Settings,
    follow_organisation_zone,
    load_settings,
    parse_offsets,
)
from bot.errors import ConfigError
from bot.knowledge import load_knowledge
from bot.knowledge_store import KnowledgeStore
from tests.support.knowledge import FROZEN_KNOWLEDGE_FILE

CHICAGO_LINE = "timezone: America/Chicago\n"


def test_defaults_are_the_associations(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BOT_TIMEZONE", raising=False)
    settings = load_settings(Settings, _env_file=None)
    assert settings.bot_timezone is None  # the knowledge file names the zone
    assert settings.timezone == load_knowledge(DEFAULT_KNOWLEDGE_FILE).organisation.zone
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


def knowledge_in(tmp_path: Path, zone: str) -> Path:
    """A copy of the frozen knowledge file whose organisation is in ``zone``."""
    text = FROZEN_KNOWLEDGE_FILE.read_text(encoding="utf-8")
    path = tmp_path / "knowledge.yaml"
    # The organisation block comes first; a deadline's own zone (later) stays.
    path.write_text(text.replace(CHICAGO_LINE, f"timezone: {zone}\n", 1), encoding="utf-8")
    assert load_knowledge(path).organisation.timezone == zone
    return path


def test_the_knowledge_file_sets_the_organisation_zone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Once, BOT_TIMEZONE (default America/Chicago) ruled /broadcast times and kudos
    # periods while reminders followed the file: two zones in one bot.
    monkeypatch.delenv("BOT_TIMEZONE", raising=False)
    settings = load_settings(
        Settings, _env_file=None, knowledge_file=knowledge_in(tmp_path, "Europe/Paris")
    )

    assert settings.timezone == ZoneInfo("Europe/Paris")


def test_a_bot_timezone_that_disagrees_with_the_file_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOT_TIMEZONE", "America/Chicago")
    path = knowledge_in(tmp_path, "Europe/Paris")
    settings = load_settings(Settings, _env_file=None, knowledge_file=path)

    with pytest.raises(ConfigError) as caught:
        follow_organisation_zone(settings, KnowledgeStore(path=path))
    assert str(caught.value) == (
        "BOT_TIMEZONE: America/Chicago differs from organisation.timezone (Europe/Paris) in "
        f"{path}; the knowledge file sets the organisation's time zone: remove BOT_TIMEZONE "
        "or make the two equal"
    )


def test_an_equal_bot_timezone_is_accepted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TIMEZONE", "Europe/Paris")
    path = knowledge_in(tmp_path, "Europe/Paris")
    settings = load_settings(Settings, _env_file=None, knowledge_file=path)

    follow_organisation_zone(settings, KnowledgeStore(path=path))

    assert settings.timezone == ZoneInfo("Europe/Paris")


async def test_a_reloaded_file_moves_the_zone_everywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("BOT_TIMEZONE", "Europe/Paris")
    path = knowledge_in(tmp_path, "Europe/Paris")
    settings = load_settings(Settings, _env_file=None, knowledge_file=path)
    store = KnowledgeStore(path=path)
    follow_organisation_zone(settings, store)
    paris_text = path.read_text(encoding="utf-8")
    path.write_text(paris_text.replace("Europe/Paris", "Asia/Tokyo", 1), encoding="utf-8")

    assert await store.reload() is None

    # The file staff edit wins while the bot runs, and the disagreement is logged.
    assert settings.timezone == ZoneInfo("Asia/Tokyo")
    assert "BOT_TIMEZONE: Europe/Paris differs from organisation.timezone (Asia/Tokyo)" in (
        caplog.text
    )


@pytest.mark.parametrize("command", [["console"], ["ask", "hello"]])
def test_the_bot_will_not_start_with_two_zones(tmp_path: Path, command: list[str]) -> None:
    env = {
        "BOT_TIMEZONE": "Europe/Paris",
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DATA_DIR": str(tmp_path),
        "KNOWLEDGE_FILE": str(FROZEN_KNOWLEDGE_FILE),
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", *command],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        input="",
        timeout=60,
    )

    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == [
        "configuration error: BOT_TIMEZONE: Europe/Paris differs from organisation.timezone "
        f"(America/Chicago) in {FROZEN_KNOWLEDGE_FILE}; the knowledge file sets the "
        "organisation's time zone: remove BOT_TIMEZONE or make the two equal"
    ]


def test_memberbot_check_refuses_a_file_the_bot_would_not_start_with(tmp_path: Path) -> None:
    paris = knowledge_in(tmp_path, "Europe/Paris")
    env = {
        "BOT_TIMEZONE": "America/Chicago",
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", "check", str(paris)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )

    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "BOT_TIMEZONE: America/Chicago differs from organisation.timezone (Europe/Paris) in "
        f"{paris}; the knowledge file sets the organisation's time zone: remove BOT_TIMEZONE "
        "or make the two equal"
    ]
