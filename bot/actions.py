"""Buttons, selects and forms: the neutral action model every adapter renders.

A :class:`~bot.replies.Reply` may carry actions (buttons, a select) and may ask the
platform to open a :class:`Form`. Each action names what it does as an
:class:`ActionRef`: a command, a sub-command and option values. A click or a form
submission comes back to the core as a :class:`~bot.requests.Request` of kind
``action`` or ``form`` carrying the encoded reference, and is routed like a command:
the same delivery-id idempotency, the same staff checks, the same option reading.
The values are references the core checks against the member who clicked (is this
their broadcast, their latest kudos?), never state it trusts.

The encoding, in one place
--------------------------
``<command>:<sub-command>[:<value>...]``, e.g. ``bc:confirm:21`` or ``kd:undo-one:7``.

* ``<command>`` is a short code from :data:`COMMAND_CODES` (``bc`` = broadcast) or
  the command's core name (``reminders``).
* ``<sub-command>`` names one of the command's sub-commands, or one of its
  action-only ones (:attr:`~bot.commands.spec.CommandSpec.actions`); it may be
  empty for a command without sub-commands.
* Values are positional, in the order the sub-command declares its options, and
  use only ``A-Z a-z 0-9 . _ -``, at most 80 each (ids, months, choices, deadline
  ids). Free text never travels in a value: a form's fields carry it.
* The whole value is at most :data:`MAX_VALUE_LENGTH` (100) characters, Discord's
  ``custom_id`` limit; Slack takes 255 for an ``action_id`` and 2,000 for a value.

:func:`parse_action` refuses anything else with :class:`MalformedAction`, which the
core answers politely; it never guesses.

Adapters: render :class:`Button` and :class:`Select` with ``encode()`` of their
reference as the ``custom_id`` (Discord) or ``value`` (Slack); build the click's
request with :func:`click_request` and a form submission's with
:func:`form_request`. Set ``delivery_id`` to the platform's id of the click or of
the opened form (Slack ``view.id``), so a retried delivery acts once. A submission
the core refuses field by field comes back as ``Reply.field_errors`` (keyed by
field name): Slack keeps the modal open with them; the console asks again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from bot.errors import UserError
from bot.requests import Arguments, ArgumentValue, Request, RequestKind, UserRef

#: Discord's ``custom_id`` limit; every encoded action fits it.
MAX_VALUE_LENGTH = 100
#: Short codes for commands whose references appear on many messages.
COMMAND_CODES: Mapping[str, str] = {
    "ask": "ask",
    "bc": "broadcast",
    "dl": "deadlines",
    "kd": "kudos",
    "rm": "reminders",
}
_CODE_OF = {command: code for code, command in COMMAND_CODES.items()}
_NAME = re.compile(r"[a-z][a-z0-9_-]{0,31}")
_VALUE = re.compile(r"[A-Za-z0-9._-]{0,80}")
SEPARATOR = ":"

#: What a member is told when a button or form is not one the bot made (or is from an
#: older version of it).
MALFORMED_TEXT = (
    "Sorry, I don't recognise that button or form, so nothing was done. "
    "Please use the command instead (try /bothelp)."
)


class MalformedAction(UserError):
    """An action value that does not follow the encoding; the member is told politely."""

    def __init__(self, detail: str) -> None:
        super().__init__(MALFORMED_TEXT)
        self.detail = detail  # for the log, never shown


class FieldErrors(UserError):
    """A form submission refused field by field: ``errors`` maps field name -> message.

    Handlers raise it for a form's own fields; the core turns it into
    ``Reply.field_errors`` (the message lists them too, for platforms that show text).
    """

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = dict(errors)


@dataclass(frozen=True, slots=True)
class ActionRef:
    """What a click or a submission asks for: a command, a sub-command, option values.

    Attributes:
        command: The command's core name (``broadcast``).
        subcommand: One of its sub-commands or action-only sub-commands; ``None``
            for a command without sub-commands.
        values: Option values in the sub-command's declared order, as text (the
            core reads and checks them like typed options).
    """

    command: str
    subcommand: str | None = None
    values: tuple[str, ...] = ()

    def encode(self) -> str:
        """The compact form (see the module docstring); checked, so it always parses back.

        Raises:
            ValueError: A name or value outside the encoding, or longer than 100
                characters (a programming error, never member input).
        """
        code = _CODE_OF.get(self.command, self.command)
        parts = [code, self.subcommand or "", *(str(value) for value in self.values)]
        encoded = SEPARATOR.join(parts)
        try:
            decoded = parse_action(encoded)
        except MalformedAction as error:
            raise ValueError(f"cannot encode {self!r}: {error.detail}") from None
        if decoded != self:
            raise ValueError(f"cannot encode {self!r}: it reads back as {decoded!r}")
        return encoded


def parse_action(value: str) -> ActionRef:
    """An encoded action value read back; anything not made by :meth:`ActionRef.encode`
    is refused.

    Raises:
        MalformedAction: Too long, wrong shape, a name or value with characters
            outside the encoding.
    """
    if not isinstance(value, str) or not value:
        raise MalformedAction("empty value")
    if len(value) > MAX_VALUE_LENGTH:
        raise MalformedAction(f"{len(value)} characters")
    parts = value.split(SEPARATOR)
    if len(parts) < 2:
        raise MalformedAction("no sub-command part")
    code, subcommand, *values = parts
    command = COMMAND_CODES.get(code, code)
    if not _NAME.fullmatch(command):
        raise MalformedAction("bad command")
    if subcommand and not _NAME.fullmatch(subcommand):
        raise MalformedAction("bad sub-command")
    if not all(_VALUE.fullmatch(part) for part in values):
        raise MalformedAction("bad value")
    return ActionRef(command, subcommand or None, tuple(values))


class ButtonStyle(StrEnum):
    """How a button looks: Slack ``primary``/``danger``, Discord primary/danger/secondary."""

    DEFAULT = "default"
    PRIMARY = "primary"
    DANGER = "danger"


@dataclass(frozen=True, slots=True)
class ConfirmPrompt:
    """Asked before a click is sent (Slack's ``confirm`` dialog; the console asks y/n)."""

    title: str
    text: str
    confirm: str = "Yes"
    deny: str = "No"


#: The platforms' smallest limits (Slack, Discord), checked when a model is built so a
#: platform never refuses what the core made.
MAX_LABEL = 75  # button and select option text (Slack 75, Discord 80)
MAX_FIELD_LABEL = 45  # a form field's label (Discord 45, Slack 2,000)
MAX_TITLE = 24  # a form's title and submit label (Slack 24, Discord 45)
MAX_FIELDS = 5  # fields in one form (Discord 5, Slack 100)


def _check_length(what: str, text: str, limit: int) -> None:
    if not 1 <= len(text) <= limit:
        raise ValueError(f"{what} {text!r} must be 1 to {limit} characters")


@dataclass(frozen=True, slots=True)
class Button:
    """One button. A button that opens a form is a button whose command answers with
    ``Reply.form`` (the platform opens it with the click's trigger)."""

    label: str
    ref: ActionRef
    style: ButtonStyle = ButtonStyle.DEFAULT
    confirm: ConfirmPrompt | None = None

    def __post_init__(self) -> None:
        _check_length("button label", self.label, MAX_LABEL)


@dataclass(frozen=True, slots=True)
class SelectOption:
    """One choice of a select; choosing it is a click on ``ref``."""

    label: str
    ref: ActionRef

    def __post_init__(self) -> None:
        _check_length("option label", self.label, MAX_LABEL)


@dataclass(frozen=True, slots=True)
class Select:
    """A drop-down of choices (at most 25: Discord's limit)."""

    placeholder: str
    options: tuple[SelectOption, ...]

    def __post_init__(self) -> None:
        if not 1 <= len(self.options) <= 25:
            raise ValueError("a select offers 1 to 25 options")


Action = Button | Select


class FieldKind(StrEnum):
    """What a form field asks for; each platform shows the matching input.

    The values a submission carries per kind: ``MEMBER`` a Mention of a user,
    ``MEMBERS`` a tuple of them, ``CHANNEL`` a Mention of a channel, ``TEXT`` and
    ``LONG_TEXT`` a string, ``CHOICE`` one of the field's choices, ``DATETIME`` a
    string ``YYYY-MM-DD HH:MM`` (organisation time) or a datetime (a naive one is
    organisation time; an aware one, such as Slack's date-time picker gives, is
    converted).
    """

    MEMBER = "member"
    MEMBERS = "members"
    CHANNEL = "channel"
    TEXT = "text"
    LONG_TEXT = "long_text"
    CHOICE = "choice"
    DATETIME = "datetime"


@dataclass(frozen=True, slots=True)
class FormField:
    """One field; ``name`` is the option of the submitted sub-command it fills.

    Attributes:
        initial: Prefilled value (``Edit`` reopens a form with what was there).
        limit: How many people a ``MEMBERS`` field takes.
        max_length: Longest text a text field takes.
    """

    name: str
    label: str
    kind: FieldKind
    required: bool = True
    choices: tuple[str, ...] = ()
    initial: ArgumentValue = None
    placeholder: str = ""
    hint: str = ""
    limit: int = 1
    max_length: int | None = None

    def __post_init__(self) -> None:
        _check_length("field label", self.label, MAX_FIELD_LABEL)


@dataclass(frozen=True, slots=True)
class Form:
    """A form (Slack modal, Discord modal, console questions) whose submission is ``ref``.

    ``ref``'s own values (the broadcast being edited) travel with the form (Slack
    ``private_metadata``, Discord modal ``custom_id``); the fields add the rest.
    """

    title: str
    ref: ActionRef
    fields: tuple[FormField, ...]
    submit_label: str = "Submit"

    def __post_init__(self) -> None:
        _check_length("form title", self.title, MAX_TITLE)
        _check_length("submit label", self.submit_label, MAX_TITLE)
        if not 1 <= len(self.fields) <= MAX_FIELDS:
            raise ValueError(f"a form has 1 to {MAX_FIELDS} fields")

    def field(self, name: str) -> FormField | None:
        return next((field for field in self.fields if field.name == name), None)


def click_request(
    value: str,
    *,
    platform: str,
    workspace_id: str,
    channel_id: str | None,
    sender: UserRef,
    delivery_id: str | None = None,
    is_staff: bool = False,
    is_direct: bool = False,
) -> Request:
    """The request for a click on a button or a select option carrying ``value``.

    ``value`` is passed as received: the core parses and checks it, and answers a
    malformed one politely.
    """
    return Request(
        platform=platform,
        workspace_id=workspace_id,
        channel_id=channel_id,
        sender=sender,
        command=_command_of(value),
        delivery_id=delivery_id,
        is_staff=is_staff,
        is_direct=is_direct,
        kind=RequestKind.ACTION,
        action=value,
    )


def form_request(
    value: str,
    fields: Mapping[str, ArgumentValue],
    *,
    platform: str,
    workspace_id: str,
    channel_id: str | None,
    sender: UserRef,
    delivery_id: str | None = None,
    is_staff: bool = False,
    is_direct: bool = False,
) -> Request:
    """The request for a submitted form: its ``ref`` as encoded, and the field values.

    Empty fields may be left out or given as ``None``/``""``; member text in text
    fields should already be cleaned (:func:`bot.requests.clean_member_text`).
    """
    return Request(
        platform=platform,
        workspace_id=workspace_id,
        channel_id=channel_id,
        sender=sender,
        command=_command_of(value),
        delivery_id=delivery_id,
        is_staff=is_staff,
        is_direct=is_direct,
        kind=RequestKind.FORM,
        action=value,
        arguments=Arguments(None, dict(fields)),
    )


def _command_of(value: str) -> str:
    """The command a value names, for logs and routing; ``""`` when it names none."""
    try:
        return parse_action(value).command
    except MalformedAction:
        return ""
