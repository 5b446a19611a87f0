"""Reading a click's or a form's values into a sub-command's typed options.

A click carries option values as text in its encoded reference (``bc:confirm:21``);
a form adds the values of its fields. Both are read against the sub-command's
declared options, so a number is a number in range and a choice one of its
choices. A value that could only come from a forged or outdated button is refused
with :class:`~bot.actions.MalformedAction`; a form's fields that cannot be read are
refused together, keyed by field, with :class:`~bot.actions.FieldErrors`.
"""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.actions import ActionRef, FieldErrors, MalformedAction
from bot.commands.arguments import check_range
from bot.commands.spec import ArgKind, CommandSpec, Option, SubCommand
from bot.errors import UserError
from bot.requests import Arguments, ArgumentValue, Mention, MentionKind, Request, RequestKind

log = logging.getLogger(__name__)

REQUIRED_TEXT = "Please fill this in."


def action_target(command: CommandSpec, ref: ActionRef) -> SubCommand | None:
    """The sub-command ``ref`` names (``None``: the command itself).

    Raises:
        MalformedAction: It names no sub-command of ``command``.
    """
    if ref.subcommand is None:
        return None
    sub = command.action_subcommand(ref.subcommand)
    if sub is None:
        raise MalformedAction(f"/{command.name} has no sub-command {ref.subcommand!r}")
    return sub


def action_arguments(
    command: CommandSpec, ref: ActionRef, request: Request, *, zone: ZoneInfo
) -> Arguments:
    """The typed values of a click (``ref``'s values) or a form (its fields as well).

    A form's fields never override the reference's own values: a form that edits
    broadcast #21 cannot be turned into one that edits #22.

    Raises:
        MalformedAction: A value no button of the bot would carry.
        FieldErrors: Form fields that are missing or cannot be read.
        UserError: A number outside its declared range.
    """
    sub = action_target(command, ref)
    options = sub.options if sub is not None else command.options
    if len(ref.values) > len(options):
        raise MalformedAction(f"{len(ref.values)} values for {len(options)} options")
    values: dict[str, ArgumentValue] = {}
    for option, raw in zip(options, ref.values, strict=False):
        values[option.name] = _reference_value(option, raw)
    if request.kind is RequestKind.FORM and request.arguments is not None:  # its fields
        fields = {k: v for k, v in request.arguments.values.items() if k not in values}
        values.update(_form_values(options[len(ref.values) :], fields, zone=zone))
    return Arguments(sub.name if sub is not None else None, values)


def _reference_value(option: Option, raw: str) -> ArgumentValue:
    """One value of an encoded reference, typed; only numbers, choices and short words."""
    if raw == "":
        if option.required:
            raise MalformedAction(f"{option.name} is empty")
        return None
    if option.kind is ArgKind.NUMBER:
        if not raw.isascii() or not raw.isdigit():
            raise MalformedAction(f"{option.name} is not a number")
        number = int(raw)
        check_range(option, number)
        return number
    if option.kind is ArgKind.CHOICE:
        if raw not in option.choices:
            raise MalformedAction(f"{option.name} is not one of its choices")
        return raw
    if option.kind is ArgKind.FLAG:
        if raw not in {"0", "1"}:
            raise MalformedAction(f"{option.name} is not 0 or 1")
        return raw == "1"
    if option.kind is ArgKind.TEXT:
        return _read(option, raw)
    raise MalformedAction(f"{option.name} ({option.kind}) cannot travel in a reference")


def _read(option: Option, raw: str) -> ArgumentValue:
    return option.read_text(raw) if option.read_text is not None else raw


def _form_values(
    options: tuple[Option, ...], fields: dict[str, ArgumentValue], *, zone: ZoneInfo
) -> dict[str, ArgumentValue]:
    known = {option.name for option in options}
    if unknown := sorted(set(fields) - known):
        log.info("form fields ignored", extra={"fields": ",".join(unknown)})
    values: dict[str, ArgumentValue] = {}
    errors: dict[str, str] = {}
    for option in options:
        try:
            values[option.name] = _field_value(option, fields.get(option.name), zone=zone)
        except UserError as error:
            errors[option.name] = error.message
    if errors:
        raise FieldErrors(errors)
    return values


def _field_value(option: Option, value: ArgumentValue, *, zone: ZoneInfo) -> ArgumentValue:
    """One field's value as its option's kind, or a UserError saying what to fix."""
    if isinstance(value, str):
        value = value.strip()
    if value is None or value == "" or value == ():
        if option.required:
            raise UserError(REQUIRED_TEXT)
        return None
    match option.kind:
        case ArgKind.MEMBER | ArgKind.MEMBERS:
            return _people(option, value)
        case ArgKind.CHANNEL:
            if not (isinstance(value, Mention) and value.kind is MentionKind.CHANNEL):
                raise UserError("Please pick a channel.")
            return value
        case ArgKind.SEND_TIME:
            return _send_time(option, value, zone=zone)
        case ArgKind.NUMBER:
            number = _number(value)
            check_range(option, number)
            return number
        case ArgKind.CHOICE:
            if value not in option.choices:
                raise UserError(f"Please pick one of: {', '.join(option.choices)}.")
            return _read(option, value) if isinstance(value, str) else value
        case ArgKind.TEXT:
            if not isinstance(value, str):
                raise UserError("Please write some text here.")
            _check_length(option, value)
            return _read(option, value)
        case ArgKind.FLAG:
            if not isinstance(value, bool):
                raise UserError("Please answer yes or no.")
            return value
    raise UserError("This field cannot be read.")


def _people(option: Option, value: ArgumentValue) -> ArgumentValue:
    people = (value,) if isinstance(value, Mention) else value
    if not isinstance(people, tuple) or not all(
        isinstance(person, Mention) and person.kind is MentionKind.USER for person in people
    ):
        raise UserError("Please pick people from the list.")
    if option.kind is ArgKind.MEMBER:
        if len(people) != 1:
            raise UserError("Please pick one person.")
        return people[0]
    if len(people) > option.limit:
        raise UserError(f"Please pick at most {option.limit} people.")
    return people


def _send_time(option: Option, value: ArgumentValue, *, zone: ZoneInfo) -> ArgumentValue:
    if isinstance(value, datetime):
        # A picker's aware time (Slack gives a Unix time) is organisation time here.
        return value.astimezone(zone).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, str):
        return _read(option, value)
    raise UserError("Please give a date and time, YYYY-MM-DD HH:MM.")


def _number(value: ArgumentValue) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    raise UserError("Please write a whole number.")


def _check_length(option: Option, text: str) -> None:
    if option.max_value is not None and len(text) > option.max_value:
        raise UserError(
            f"That is {len(text):,} characters; please keep it to {option.max_value:,}."
        )
