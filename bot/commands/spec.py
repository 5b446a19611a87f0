"""How a command is declared: its name, sub-commands, typed options, who may use it, its help.

One declaration per command (see :mod:`bot.commands.catalogue`) feeds everything
that used to be written by hand in several places: the router, ``/help``, the
Slack app manifest and the Discord command tree. Platforms where members type the
whole command (console, Slack) send text, which the core reads into the declared
options; platforms with structured commands (Discord) send the options already
typed, in :class:`~bot.requests.Arguments`.

The same declaration is where a second way into a command plugs in: a button or a
form submission names a command key, a sub-command and option values, exactly
what a Discord interaction carries, so it is routed like any other command.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from bot.replies import CommandSpan, Reply
from bot.requests import Arguments, ArgumentValue, Request

if TYPE_CHECKING:
    from bot.commands.registry import CommandContext

Handler = Callable[["CommandContext"], Awaitable[Reply]]
#: Reads a command's text (console, Slack) into its sub-command and option values.
TextParser = Callable[[Request], Arguments]
#: Turns an option typed as text into its value; raises ``UserError`` naming the fix.
TextReader = Callable[[str], ArgumentValue]


class ArgKind(StrEnum):
    """What an option holds; each platform offers the matching input."""

    MEMBER = "member"  # one person: a Mention of kind USER
    MEMBERS = "members"  # up to ``Option.limit`` people: a tuple of Mentions
    TEXT = "text"  # member text; mentions in it are tokens into Request.mentions
    SEND_TIME = "send_time"  # a local date and time, YYYY-MM-DD HH:MM
    CHANNEL = "channel"  # a channel to post in: a Mention of kind CHANNEL
    CHOICE = "choice"  # one of ``Option.choices``
    NUMBER = "number"  # a whole number within ``Option.min_value``..``max_value``
    FLAG = "flag"  # yes or no; typed as one of ``Option.words`` on text platforms


@dataclass(frozen=True, slots=True)
class Option:
    """One typed argument of a command or sub-command.

    Attributes:
        name: The option's name (Discord shows it; values are keyed by it).
        kind: What it holds.
        description: One line for menus (Discord's option description).
        required: Whether it must be given.
        choices: The values a CHOICE option offers.
        limit: How many people a MEMBERS option takes.
        min_value: Smallest NUMBER, or shortest TEXT.
        max_value: Largest NUMBER, or longest TEXT.
        words: Words that set a FLAG on text platforms (``/deadlines ics``).
        read_text: Turns the text typed for it into its value (text platforms).
    """

    name: str
    kind: ArgKind
    description: str
    required: bool = True
    choices: tuple[str, ...] = ()
    limit: int = 1
    min_value: int | None = None
    max_value: int | None = None
    words: tuple[str, ...] = ()
    read_text: TextReader | None = None


@dataclass(frozen=True, slots=True)
class SubCommand:
    """A sub-command (``/kudos top``); ``handler`` answers it.

    Attributes:
        typed_as: Other words members type for it on text platforms, which also
            name it in help (``/broadcast announcements ...`` is ``post`` to the
            announcements channel).
        staff_refusal: What a member who is not staff is told, for a staff-only one.
    """

    name: str
    description: str
    handler: Handler
    options: tuple[Option, ...] = ()
    staff_only: bool = False
    staff_refusal: str | None = None
    typed_as: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CommandSpec:
    """One command, declared once.

    Attributes:
        name: The core's name for it (``kudos``); platforms may show another
            (see :class:`CommandNames`).
        summary: The ``/help`` line.
        usage: How ``/help`` shows it.
        handler: Answers the command; for commands with sub-commands, the
            sub-command's handler answers instead.
        description: The short line Slack's command menu shows (``{name}`` stands for
            the command's name there); the summary when empty.
        usage_hint: What Slack shows after the command name while typing.
        examples: Shown in ``/help`` (the first) and in the command's own help.
        options: Typed arguments, for commands without sub-commands.
        subcommands: Sub-commands, in menu order.
        parse_text: Reads typed text into the options (the default takes the
            first word as a sub-command and the rest as the options' text).
        staff_only: The whole command is for staff (checked before anything is read).
        needs_database: False for commands that only read the knowledge file:
            they are answered even while the database is down.
        server_only: Acts on a server's members or channels, so Discord offers
            it in servers only.
        platform_name: The name platforms show by default, when the core's own
            is reserved there (Slack and many Discord bots take ``/help``).
        actions: Sub-commands only buttons and forms reach (the Undo of one
            kudos, a form's submission): never in help, menus or the Discord tree,
            and never read from typed text. Their options are what the action's
            values and the form's fields fill.
    """

    name: str
    summary: str
    usage: CommandSpan
    handler: Handler
    description: str = ""
    usage_hint: str = ""
    examples: tuple[CommandSpan, ...] = ()
    options: tuple[Option, ...] = ()
    subcommands: tuple[SubCommand, ...] = ()
    parse_text: TextParser | None = None
    staff_only: bool = False
    needs_database: bool = True
    server_only: bool = False
    platform_name: str | None = None
    actions: tuple[SubCommand, ...] = ()

    def subcommand(self, name: str | None) -> SubCommand | None:
        """The sub-command called ``name`` (or typed as it), if any."""
        if name is None:
            return None
        for sub in self.subcommands:
            if name == sub.name or name in sub.typed_as:
                return sub
        return None

    def options_for(self, subcommand: str | None) -> tuple[Option, ...]:
        sub = self.subcommand(subcommand)
        return sub.options if sub is not None else self.options

    def action_subcommand(self, name: str | None) -> SubCommand | None:
        """What a click or a form names: an action-only sub-command, else a menu one."""
        if name is None:
            return None
        for sub in self.actions:
            if name == sub.name:
                return sub
        return self.subcommand(name)

    @property
    def menu_description(self) -> str:
        """The short line for platform menus: ``description``, else the summary."""
        return self.description or self.summary.rstrip(".")


class Catalogue:
    """Every command, in ``/help`` order."""

    def __init__(self, commands: tuple[CommandSpec, ...] = ()) -> None:
        self._commands: dict[str, CommandSpec] = {}
        for command in commands:
            self.register(command)

    def register(self, command: CommandSpec) -> None:
        if command.name in self._commands:
            raise ValueError(f"command /{command.name} declared twice")
        self._commands[command.name] = command

    def get(self, name: str) -> CommandSpec | None:
        return self._commands.get(name)

    def __iter__(self) -> Iterator[CommandSpec]:
        return iter(self._commands.values())

    def __contains__(self, name: object) -> bool:
        return name in self._commands

    def __len__(self) -> int:
        return len(self._commands)


@dataclass(frozen=True, slots=True)
class CommandNames:
    """What one installation calls each command on one platform.

    A workspace that already has another app's ``/kudos`` renames ours with a
    setting such as ``SLACK_COMMAND_NAMES=kudos:props``; members then type
    ``/props``, help shows ``/props`` and the manifest declares ``/props``.
    """

    renamed: Mapping[str, str] = field(default_factory=dict)

    def name_for(self, command: CommandSpec) -> str:
        """The name members type for ``command`` here."""
        return self.renamed.get(command.name) or command.platform_name or command.name

    def shown(self, catalogue: Catalogue, core_name: str) -> str:
        """The platform name for a core name (unknown names are shown as they are)."""
        command = catalogue.get(core_name)
        return self.name_for(command) if command is not None else core_name

    def core_names(self, catalogue: Catalogue) -> dict[str, str]:
        """Platform name -> core name, for every command."""
        return {self.name_for(command): command.name for command in catalogue}


def parse_command_names(text: str, catalogue: Catalogue) -> CommandNames:
    """``kudos:props, help:bothelp`` -> the renames, checked against the catalogue.

    Raises:
        ValueError: A pair is malformed, names no command, uses a name that is not a
            valid command name, or two commands end up with one name (the settings
            loader names the variable).
    """
    renamed: dict[str, str] = {}
    for pair in (piece.strip() for piece in text.split(",")):
        if not pair:
            continue
        core_name, separator, shown = (
            part.strip().lower().lstrip("/") for part in pair.partition(":")
        )
        if not separator or not core_name or not shown:
            raise ValueError(f"'{pair}' should be command:new-name, e.g. kudos:props")
        if core_name not in catalogue:
            known = ", ".join(command.name for command in catalogue)
            raise ValueError(f"there is no command '{core_name}' (commands: {known})")
        if not _valid_name(shown):
            raise ValueError(
                f"'{shown}' is not a usable command name (1-32 lower-case letters, digits, - or _)"
            )
        renamed[core_name] = shown
    names = CommandNames(renamed)
    taken: dict[str, str] = {}
    for command in catalogue:
        shown = names.name_for(command)
        if shown in taken:
            raise ValueError(f"/{taken[shown]} and /{command.name} would both be /{shown}")
        taken[shown] = command.name
    return names


def _valid_name(name: str) -> bool:
    """Slack and Discord both take 1-32 lower-case letters, digits, ``-`` and ``_``."""
    return 1 <= len(name) <= 32 and all(c.isascii() and (c.isalnum() or c in "-_") for c in name)
