"""Settings of the broadcast dispatcher (``.env``: the reminders and broadcasts section)."""

from __future__ import annotations

from pydantic import Field, field_validator

from bot.config import EnvSettings

AUTO = "auto"

#: Sends per second per bot process when ``BROADCAST_MAX_PER_SECOND=auto``.
#: Discord: a bot may make 50 requests/s in all, a DM costs up to two (open the
#: DM channel, send), and 429 answers count towards Discord's invalid-request
#: limit (10,000 per 10 minutes, then a temporary ban), so stay ahead of it.
#: Platforms not listed (Slack, console) are paced by their own 429 answers: Slack's
#: limits vary by workspace and method, and its SDK waits out each ``Retry-After``.
AUTO_MAX_PER_SECOND: dict[str, float] = {"discord": 20.0}


class BroadcastSettings(EnvSettings):
    """How fast broadcasts go out."""

    broadcast_max_per_second: str = Field(
        default=AUTO,
        description="Sends per second per process: auto (per platform), a number, 0 (none).",
    )
    broadcast_concurrency: int = Field(default=8, ge=1, le=64)

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

    def max_per_second(self, platform: str) -> float | None:
        """The pace for ``platform``; None leaves it to the platform's 429 answers."""
        if self.broadcast_max_per_second == AUTO:
            return AUTO_MAX_PER_SECOND.get(platform)
        return float(self.broadcast_max_per_second) or None
