"""What a command handler is given for one request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.commands.services import CommandServices
from bot.requests import Arguments, Request


@dataclass(frozen=True, slots=True)
class CommandContext:
    """One request, its typed arguments, and the services handlers may use.

    Attributes:
        args: The sub-command and option values, typed by the platform (Discord)
            or read from the member's text (console, Slack).
    """

    request: Request
    args: Arguments
    services: CommandServices
    now: datetime  # aware UTC
    today: date  # in the organisation's time zone
