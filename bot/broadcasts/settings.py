"""Settings of the broadcast dispatcher (``.env``: the reminders and broadcasts section)."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import Field, field_validator

from bot.config import EnvSettings

AUTO = "auto"


@dataclass(frozen=True, slots=True)
class Pace:
    """How fast one bot process sends: sends per second (None: unpaced) and sends in flight."""

    max_per_second: float | None
    concurrency: int


#: What ``auto`` means per platform (per bot process).
#:
#: Slack publishes no workspace-wide figure for chat.postMessage and answers the
#: excess with 429 + Retry-After, which its SDK waits out at no other cost: so
#: no fixed pace, and enough sends in flight that some are always ready when
#: Slack's window reopens (with few, all of them sit out a Retry-After at once
#: and the broadcast runs up to a fifth slower than the limit allows).
#: Discord allows a bot 50 requests/s in all, a DM costs up to two (open the DM
#: channel, send), and 429 answers count towards its invalid-request limit
#: (10,000 per 10 minutes, then a temporary ban): so pace ahead of the limit.
AUTO_PACE: dict[str, Pace] = {
    "slack": Pace(max_per_second=None, concurrency=32),
    "discord": Pace(max_per_second=20.0, concurrency=8),
}
#: Other platforms (the console): unpaced, a few at a time.
DEFAULT_PACE = Pace(max_per_second=None, concurrency=8)


class BroadcastSettings(EnvSettings):
    """How fast broadcasts go out: ``auto`` (per platform, see :data:`AUTO_PACE`) or numbers."""

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

    def pace(self, platform: str) -> Pace:
        """The pace for ``platform``: the ``auto`` defaults with any number set overriding."""
        auto = AUTO_PACE.get(platform, DEFAULT_PACE)
        rate = auto.max_per_second
        if self.broadcast_max_per_second != AUTO:
            rate = float(self.broadcast_max_per_second) or None
        concurrency = auto.concurrency
        if self.broadcast_concurrency != AUTO:
            concurrency = int(self.broadcast_concurrency)
        return Pace(max_per_second=rate, concurrency=concurrency)
