"""Settings of the broadcast dispatcher (``.env``: the reminders and broadcasts section).

They are part of :class:`bot.config.Settings`, so a bad value stops the bot at start
with one line, before anything runs (not later, inside the background service).
"""

from __future__ import annotations

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.outbound import Pace

AUTO = "auto"


class BroadcastSettings(BaseSettings):
    """How fast broadcasts go out: ``auto`` (the outbound sender's own default) or numbers.

    Not derived from :class:`bot.config.EnvSettings` (which imports this module to
    include these fields), but configured alike.
    """

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False)

    broadcast_max_per_second: str = Field(
        default=AUTO, description="Sends per second per process: auto, a number, or 0 (unpaced)."
    )
    broadcast_concurrency: str = Field(
        default=AUTO, description="Sends in flight per process: auto or 1 to 64."
    )

    @field_validator("broadcast_max_per_second")
    @classmethod
    def _rate(cls, value: str) -> str:
        value = value.strip().lower() or AUTO
        if value == AUTO:
            return value
        try:
            rate = float(value)
        except ValueError:
            raise ValueError(
                f"'{value}' is not 'auto' or a number of messages per second"
            ) from None
        if not 0 <= rate <= 1000:
            raise ValueError(f"'{value}' must be between 0 and 1000 messages per second")
        return value

    @field_validator("broadcast_concurrency")
    @classmethod
    def _concurrency(cls, value: str) -> str:
        value = value.strip().lower() or AUTO
        if value != AUTO and not (value.isdigit() and 1 <= int(value) <= 64):
            raise ValueError(f"'{value}' is not 'auto' or a whole number from 1 to 64")
        return value

    def pace(self, auto: Pace) -> Pace:
        """``auto`` (the sender's :attr:`~bot.outbound.OutboundSender.default_pace`) with
        any number set here overriding its part."""
        rate = auto.max_per_second
        if self.broadcast_max_per_second != AUTO:
            rate = float(self.broadcast_max_per_second) or None
        concurrency = auto.concurrency
        if self.broadcast_concurrency != AUTO:
            concurrency = int(self.broadcast_concurrency)
        return Pace(max_per_second=rate, concurrency=concurrency)
