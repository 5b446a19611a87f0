"""Settings of the broadcast dispatcher (``.env``: the reminders and broadcasts section)."""

from __future__ import annotations

from pydantic import Field

from bot.config import EnvSettings


class BroadcastSettings(EnvSettings):
    """How fast broadcasts go out.

    The default suits Slack and Discord alike: a DM costs two API calls (open the
    DM, post), and Discord allows about 50 calls per second for the whole bot.
    """

    broadcast_max_per_second: float = Field(default=10.0, ge=0, le=1000)
    broadcast_concurrency: int = Field(default=8, ge=1, le=64)
