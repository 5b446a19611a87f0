"""Reading a request's typed arguments: as the platform typed them, or from its text.

Text platforms (console, Slack) send what the member typed; the command's text
parser (or the default one: a sub-command word, then the rest as the first
option's text) reads it into :class:`~bot.requests.Arguments`. Structured
platforms (Discord) send the options typed. Either way, option values given as
text are then read by the option's own reader, so ``/kudos remove #12`` and a
Discord ``id: 12`` reach the handler as the same number, and a number outside
the declared range is refused with the same words everywhere.
"""

from __future__ import annotations

from bot.commands.spec import CommandSpec, Option
from bot.errors import UserError
from bot.requests import BLANKS, Arguments, ArgumentValue, Request


def arguments_for(command: CommandSpec, request: Request) -> Arguments:
    """The sub-command and raw option values of ``request`` (not yet read; see below)."""
    if request.arguments is not None:
        return request.arguments
    if command.parse_text is not None:
        return command.parse_text(request)
    return default_text_arguments(command, request.text)


def default_text_arguments(command: CommandSpec, text: str) -> Arguments:
    """``top month`` -> sub-command ``top`` with ``month`` as its first option's text."""
    text = text.strip(BLANKS)
    head, _, rest = text.partition(" ")
    sub = command.subcommand(head.lower()) if command.subcommands else None
    if sub is not None:
        return Arguments(sub.name, _first_option_text(sub.options, rest.strip(BLANKS)))
    return Arguments(None, _first_option_text(command.options, text))


def _first_option_text(options: tuple[Option, ...], text: str) -> dict[str, ArgumentValue]:
    if not options or not text:
        return {}
    return {options[0].name: text}


def read_values(options: tuple[Option, ...], arguments: Arguments) -> Arguments:
    """Option values given as text read into their kinds; typed numbers range-checked.

    Raises:
        UserError: A value cannot be read, or a number is out of its range.
    """
    values = dict(arguments.values)
    for option in options:
        value = values.get(option.name)
        if isinstance(value, str) and option.read_text is not None:
            values[option.name] = option.read_text(value)
        elif isinstance(value, int) and not isinstance(value, bool):
            check_range(option, value)
    return Arguments(arguments.subcommand, values)


def check_range(option: Option, value: int) -> None:
    """Refuse a number outside the option's declared range, naming the range."""
    low, high = option.min_value, option.max_value
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = f"from {low} to {high}" if high is not None else f"from {low}"
        raise UserError(f"{option.name} must be a number {bounds}; nothing changed.")
