"""Commands and the registry the router dispatches through."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from bot.outbound import OutboundSender
from bot.replies import CommandSpan, Reply
from bot.requests import Request

if TYPE_CHECKING:
    from bot.core import BotCore


@dataclass(frozen=True, slots=True)
class CommandContext:
    """Everything a command handler needs for one request."""

    request: Request
    core: BotCore
    outbound: OutboundSender | None
    now: datetime  # aware UTC
    today: date  # in the organisation's time zone


Handler = Callable[[CommandContext], Awaitable[Reply]]


@dataclass(frozen=True, slots=True)
class Command:
    """A command members can type; ``usage`` and ``summary`` feed ``/help``."""

    name: str
    summary: str
    usage: CommandSpan
    handler: Handler
    examples: tuple[CommandSpan, ...] = ()
    staff_only: bool = False
    #: False for commands that only read the knowledge file: they are answered even
    #: while the database is down (their writes, such as the member's last-seen time,
    #: are skipped), and a retried delivery of one is harmless.
    needs_database: bool = True


class CommandRegistry:
    def __init__(self) -> None:
        self._commands: dict[str, Command] = {}

    def register(self, command: Command) -> None:
        if command.name in self._commands:
            raise ValueError(f"command /{command.name} registered twice")
        self._commands[command.name] = command

    def get(self, name: str) -> Command | None:
        return self._commands.get(name)

    def __iter__(self) -> Iterator[Command]:
        return iter(self._commands.values())

    def __contains__(self, name: str) -> bool:
        return name in self._commands
