"""Settings, read once from the environment and ``.env`` into typed objects.

A missing or bad value becomes one :class:`~bot.errors.ConfigError` line that
names the variable, never a traceback.

The organisation's time zone is not a setting of its own: it is the knowledge
file's ``organisation.timezone``, which staff edit with the deadlines written in
it, so dates read, shown and scheduled can never use two zones.
``BOT_TIMEZONE`` is optional; when set it must name the same zone, or the bot
does not start (one line, exit 2).
"""

from __future__ import annotations

import logging
from datetime import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, PrivateAttr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.broadcasts.settings import BroadcastSettings
from bot.errors import ConfigError

if TYPE_CHECKING:
    from bot.knowledge import Knowledge
    from bot.knowledge_store import KnowledgeStore

PROJECT_ROOT = Path(__file__).resolve().parent.parent
#: The sample shipped inside the package, for an installed bot without a checkout.
PACKAGED_KNOWLEDGE_FILE = Path(__file__).resolve().parent / "knowledge" / "sample_knowledge.yaml"
#: In a checkout, the staff-editable copy in data/; installed, the packaged sample.
DEFAULT_KNOWLEDGE_FILE = PROJECT_ROOT / "data" / "knowledge.yaml"
if not DEFAULT_KNOWLEDGE_FILE.is_file():
    DEFAULT_KNOWLEDGE_FILE = PACKAGED_KNOWLEDGE_FILE
#: The zone offered as an example when a time zone name is not known.
DEFAULT_TIMEZONE = "America/Chicago"
#: Largest knowledge file loaded (bytes); the sample file is about 50 kB.
DEFAULT_KNOWLEDGE_MAX_BYTES = 2_000_000

SettingsT = TypeVar("SettingsT", bound=BaseSettings)
log = logging.getLogger(__name__)


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
    bot_timezone: str | None = Field(
        default=None,
        description=(
            "Optional: the organisation's time zone, which must equal the knowledge file's "
            "organisation.timezone (the zone in use); the bot refuses to start otherwise."
        ),
    )
    log_level: str = "INFO"
    kudos_daily_quota: int = Field(default=5, ge=1, le=1000)
    kudos_max_length: int = Field(default=500, ge=20, le=3000)
    kudos_undo_minutes: int = Field(default=5, ge=1, le=1440)
    reminder_offsets_days: str = "7,1"
    reminder_time: str = "09:00"
    delivery_grace_hours: float = Field(default=6.0, ge=0)
    _organisation_zone: ZoneInfo | None = PrivateAttr(default=None)

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
    def _known_timezone(cls, value: str | None) -> str | None:
        if value is None:
            return None
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
        """The organisation's time zone: the knowledge file's ``organisation.timezone``.

        The zone of the knowledge the bot serves (see :func:`follow_organisation_zone`);
        for a one-off command that serves none, the file's as it is on disk.

        Raises:
            ConfigError: ``BOT_TIMEZONE`` names another zone.
            KnowledgeFileError: the knowledge file cannot be loaded (one-off commands).
        """
        if self._organisation_zone is None:
            from bot.knowledge.loader import parse_knowledge, read_knowledge_text

            text = read_knowledge_text(self.knowledge_file, max_bytes=self.knowledge_max_bytes)
            self.use_organisation_zone(parse_knowledge(text, path=str(self.knowledge_file)))
        assert self._organisation_zone is not None
        return self._organisation_zone

    def use_organisation_zone(self, knowledge: Knowledge, *, check: bool = True) -> None:
        """Use ``knowledge``'s time zone from now on.

        Args:
            knowledge: The knowledge being served.
            check: Refuse a zone other than ``BOT_TIMEZONE`` (at start; a reload
                follows the file, see :func:`follow_organisation_zone`).

        Raises:
            ConfigError: ``check`` and ``BOT_TIMEZONE`` is set to another zone.
        """
        zone = knowledge.organisation.timezone
        if check and self.bot_timezone is not None and self.bot_timezone != zone:
            raise ConfigError(zone_mismatch(self.bot_timezone, zone, self.knowledge_file))
        self._organisation_zone = ZoneInfo(zone)

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


def zone_mismatch(setting: str, knowledge_zone: str, path: Path) -> str:
    """The one line saying ``BOT_TIMEZONE`` and the knowledge file disagree."""
    return (
        f"BOT_TIMEZONE: {setting} differs from organisation.timezone ({knowledge_zone}) in "
        f"{path}; the knowledge file sets the organisation's time zone: remove BOT_TIMEZONE "
        "or make the two equal"
    )


def follow_organisation_zone(settings: Settings, store: KnowledgeStore) -> None:
    """Use the served knowledge's time zone, now and after every reload.

    Raises:
        ConfigError: at start, when ``BOT_TIMEZONE`` names another zone.
    """
    settings.use_organisation_zone(store.knowledge)

    async def _follow(knowledge: Knowledge) -> None:
        zone = knowledge.organisation.timezone
        if settings.bot_timezone is not None and settings.bot_timezone != zone:
            # The file staff edit wins while the bot runs; a restart refuses the mismatch.
            log.error(zone_mismatch(settings.bot_timezone, zone, settings.knowledge_file))
        settings.use_organisation_zone(knowledge, check=False)

    store.on_reload(_follow)


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


def load_settings(cls: type[SettingsT], **overrides: Any) -> SettingsT:
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
