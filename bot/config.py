"""Settings, read once from the environment and ``.env`` into typed objects.

A missing or bad value becomes one :class:`~bot.errors.ConfigError` line that
names the variable, never a traceback.
"""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.broadcasts.settings import BroadcastSettings
from bot.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_KNOWLEDGE_FILE = PROJECT_ROOT / "data" / "knowledge.yaml"
DEFAULT_TIMEZONE = "America/Chicago"
#: Largest knowledge file loaded (bytes); the sample file is about 50 kB.
DEFAULT_KNOWLEDGE_MAX_BYTES = 2_000_000

SettingsT = TypeVar("SettingsT", bound=BaseSettings)


class EnvSettings(BaseSettings):
    """Base for every settings class: plain env names, ``.env`` support, no extras."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False)


class Settings(EnvSettings, BroadcastSettings):
    """Core settings shared by every adapter (the broadcast pace included), all
    validated at start."""

    data_dir: Path = Field(default=Path("var"), description="Where the default SQLite file lives.")
    database_url: str = Field(default="", description="Any SQLAlchemy URL; default SQLite file.")
    database_start_timeout_seconds: float = Field(
        default=30.0,
        ge=0,
        le=3600,
        description="How long the bot waits at start for a database that is not ready yet.",
    )
    knowledge_file: Path = DEFAULT_KNOWLEDGE_FILE
    knowledge_reload_seconds: float = Field(default=5.0, ge=0)
    knowledge_settle_seconds: float = Field(
        default=2.0,
        ge=0,
        le=600,
        description="A changed knowledge file is loaded once it has not changed for this long.",
    )
    knowledge_max_bytes: int = Field(
        default=DEFAULT_KNOWLEDGE_MAX_BYTES,
        ge=1_000,
        le=100_000_000,
        description="Knowledge files larger than this are refused.",
    )
    bot_timezone: str = DEFAULT_TIMEZONE
    log_level: str = "INFO"
    kudos_daily_quota: int = Field(default=5, ge=1, le=1000)
    kudos_max_length: int = Field(default=500, ge=20, le=3000)
    kudos_undo_minutes: int = Field(default=5, ge=1, le=1440)
    reminder_offsets_days: str = "7,1"
    reminder_time: str = "09:00"
    delivery_grace_hours: float = Field(default=6.0, ge=0)

    @field_validator("data_dir")
    @classmethod
    def _data_dir_is_a_directory(cls, value: Path) -> Path:
        # Checked here, before anything starts; whether it is writable is checked
        # where the database file is opened (only a SQLite database writes there).
        if value.exists() and not value.is_dir():
            raise ValueError(f"{value} is a file, not a directory")
        return value

    @field_validator("bot_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"'{value}' is not a known IANA time zone (try America/Chicago)"
            ) from exc
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError(f"'{value}' is not one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return level

    @field_validator("reminder_offsets_days")
    @classmethod
    def _offsets(cls, value: str) -> str:
        parse_offsets(value)
        return value

    @field_validator("reminder_time")
    @classmethod
    def _reminder_time(cls, value: str) -> str:
        try:
            time.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"'{value}' is not a time like 09:00") from exc
        return value

    @property
    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self.bot_timezone)

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'memberbot.sqlite3'}"

    @property
    def reminder_offsets(self) -> tuple[int, ...]:
        return parse_offsets(self.reminder_offsets_days)

    @property
    def reminder_local_time(self) -> time:
        return time.fromisoformat(self.reminder_time)


def parse_offsets(value: str) -> tuple[int, ...]:
    """Parse ``"7,1"`` into ``(7, 1)``: whole days before a deadline."""
    try:
        offsets = tuple(
            sorted({int(part) for part in value.split(",") if part.strip()}, reverse=True)
        )
    except ValueError as exc:
        raise ValueError(f"'{value}' is not a comma-separated list of whole days like 7,1") from exc
    if any(day < 0 or day > 365 for day in offsets):
        raise ValueError(f"'{value}': each offset must be between 0 and 365 days")
    return offsets


def parse_id_list(value: str) -> frozenset[str]:
    """Parse a comma-separated list of platform ids (``"U1, U2"``)."""
    return frozenset(part.strip() for part in value.split(",") if part.strip())


def load_settings(cls: type[SettingsT] = Settings, **overrides: object) -> SettingsT:  # type: ignore[assignment]
    """Build a settings object, turning validation errors into one clear line."""
    try:
        return cls(**overrides)
    except ValidationError as exc:
        raise ConfigError(describe_validation_error(exc)) from None


def describe_validation_error(exc: ValidationError) -> str:
    problems = []
    for error in exc.errors():
        name = str(error["loc"][0]).upper() if error["loc"] else "settings"
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "missing":
            message = "is required but not set (see .env.example)"
        elif "input" in error and error["type"] != "value_error":
            message = f"{message} (got {error['input']!r})"
        problems.append(f"{name}: {message}")
    return "; ".join(problems)
