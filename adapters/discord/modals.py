"""Forms as Discord modals, and a submitted modal's values for the core.

A modal's ``custom_id`` is the form's encoded reference and a token of its
opening (see :func:`modal_custom_id`), and each input's ``custom_id`` is its
field's name, so a submission is read from the payload alone (no state): text
inputs give text, member pickers users, channel pickers a channel, a choice its
word.

Each opening of a modal has its own token, the id of the interaction that opened
it (in base 36), and its submission's delivery id is made from it: a modal
submitted twice (a double tap on Submit, the client re-sending after a dropped
connection) arrives as two interactions with two ids but one token, so the core
acts once. Opening the form again is a new token, and acts again.

Member and channel pickers and choices are selects inside the modal (Discord's
labelled components, discord.py 2.6+); a date and time is a text input with the
format as its placeholder.

A modal cannot stay open with errors on Discord. A submission the core refuses
field by field is answered privately with the errors and a button that reopens the
form filled with what was typed: that form is kept in :class:`OpenForms`, in
memory for 15 minutes. After a restart the button says the form has expired.
"""

from __future__ import annotations

import re
import time
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import discord

from adapters.discord.components import shorten
from adapters.discord.translate import PLATFORM, user_ref
from bot.actions import FieldKind, Form, FormField
from bot.requests import ArgumentValue, Mention, MentionKind, clean_member_text

#: Discord's modal limits.
TITLE_LIMIT = 45
LABEL_LIMIT = 45
DESCRIPTION_LIMIT = 100
PLACEHOLDER_LIMIT = 100
TEXT_LIMIT = 4000
FIELDS_LIMIT = 5
DATETIME_PLACEHOLDER = "YYYY-MM-DD HH:MM"
#: Component types in a modal submission.
TEXT_INPUT = 4
STRING_SELECT = 3
USER_SELECT = 5
CHANNEL_SELECT = 8
POSTABLE_CHANNELS = [discord.ChannelType.text, discord.ChannelType.news]
#: Discord's limit on a modal's ``custom_id``.
CUSTOM_ID_LIMIT = 100
#: Between a form's reference and its opening token in a modal's ``custom_id``; never
#: in an encoded reference (``bot/actions.py``), so an id without it is a reference.
OPENING_SEPARATOR = "~"
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_TOKEN = re.compile(r"[0-9a-z]{1,13}")


class FormModal(discord.ui.Modal):
    """A modal to send; its submission reaches the dispatcher, never a callback here."""


def form_modal(form: Form, *, opening: int | None = None) -> FormModal:
    """The modal for ``form``, prefilled with each field's ``initial``.

    Args:
        form: The form to open.
        opening: The id of the interaction opening it, carried as its token.

    Raises:
        ValueError: More fields than a modal holds (five).
    """
    if len(form.fields) > FIELDS_LIMIT:
        raise ValueError(f"a Discord modal holds {FIELDS_LIMIT} fields, not {len(form.fields)}")
    modal = FormModal(
        title=shorten(form.title, TITLE_LIMIT), custom_id=modal_custom_id(form, opening=opening)
    )
    for field in form.fields:
        label, description = _label_texts(field)
        modal.add_item(
            discord.ui.Label(text=label, description=description, component=_input(field))
        )
    modal.stop()  # never kept by discord.py: the dispatcher reads every submission
    return modal


def opening_token(interaction_id: int) -> str:
    """The token of one opening of a modal: the opening interaction's id in base 36."""
    digits = ""
    number = interaction_id
    while True:
        number, digit = divmod(number, len(_DIGITS))
        digits = _DIGITS[digit] + digits
        if not number:
            return digits


def modal_custom_id(form: Form, *, opening: int | None) -> str:
    """``<reference>~<token>``; the reference alone when they would not fit Discord's
    100 characters (its submission is then told apart by its own interaction id)."""
    ref = form.ref.encode()
    if opening is None:
        return ref
    custom_id = f"{ref}{OPENING_SEPARATOR}{opening_token(opening)}"
    return custom_id if len(custom_id) <= CUSTOM_ID_LIMIT else ref


@dataclass(frozen=True, slots=True)
class Submitted:
    """A submitted modal's ``custom_id`` read back: the form's reference, and the
    token of the opening it was submitted from (``None`` for a modal without one)."""

    ref: str
    token: str | None = None

    @property
    def opening(self) -> int | None:
        """The id of the interaction that opened the modal, if it carries one."""
        return int(self.token, len(_DIGITS)) if self.token is not None else None

    def delivery_id(self, *, interaction_id: int, user_id: int) -> str:
        """The submission's delivery id: one per opening (and member), so the same
        opened modal submitted twice acts once; without a token, the interaction's."""
        if self.token is None:
            return str(interaction_id)
        return f"modal:{user_id}:{self.token}"


def read_custom_id(custom_id: str) -> Submitted:
    """A submitted modal's ``custom_id``: old ones (a reference alone) read as before."""
    ref, separator, token = custom_id.rpartition(OPENING_SEPARATOR)
    if not separator or not _TOKEN.fullmatch(token):
        return Submitted(custom_id)
    return Submitted(ref, token)


def _label_texts(field: FormField) -> tuple[str, str | None]:
    """The label (45 characters) and a description carrying the hint or the rest."""
    description = field.hint or (field.label if len(field.label) > LABEL_LIMIT else "")
    short = shorten(field.label, LABEL_LIMIT)
    return short, shorten(description, DESCRIPTION_LIMIT) if description else None


def _input(field: FormField) -> discord.ui.Item[Any]:
    match field.kind:
        case FieldKind.MEMBER | FieldKind.MEMBERS:
            people = _mentions(field.initial)
            return discord.ui.UserSelect(
                custom_id=field.name,
                placeholder=field.placeholder or None,
                min_values=1 if field.required else 0,
                max_values=1 if field.kind is FieldKind.MEMBER else max(1, field.limit),
                required=field.required,
                default_values=[
                    discord.SelectDefaultValue(
                        id=int(m.user.user_id), type=discord.SelectDefaultValueType.user
                    )
                    for m in people
                    if m.user is not None and m.user.user_id.isdigit()
                ],
            )
        case FieldKind.CHANNEL:
            channels = [
                m for m in _mentions(field.initial) if m.channel_id and m.channel_id.isdigit()
            ]
            return discord.ui.ChannelSelect(
                custom_id=field.name,
                placeholder=field.placeholder or None,
                channel_types=POSTABLE_CHANNELS,
                min_values=1 if field.required else 0,
                max_values=1,
                required=field.required,
                default_values=[
                    discord.SelectDefaultValue(
                        id=int(m.channel_id or 0), type=discord.SelectDefaultValueType.channel
                    )
                    for m in channels
                ],
            )
        case FieldKind.CHOICE:
            return discord.ui.Select(
                custom_id=field.name,
                placeholder=field.placeholder or None,
                required=field.required,
                min_values=1 if field.required else 0,
                options=[
                    discord.SelectOption(
                        label=choice, value=choice, default=choice == field.initial
                    )
                    for choice in field.choices
                ],
            )
    return discord.ui.TextInput(
        custom_id=field.name,
        style=discord.TextStyle.paragraph
        if field.kind is FieldKind.LONG_TEXT
        else discord.TextStyle.short,
        placeholder=shorten(_placeholder(field), PLACEHOLDER_LIMIT) or None,
        default=_initial_text(field.initial),
        required=field.required,
        max_length=min(field.max_length or TEXT_LIMIT, TEXT_LIMIT),
    )


def _placeholder(field: FormField) -> str:
    if field.kind is FieldKind.DATETIME:
        return (
            f"{DATETIME_PLACEHOLDER}, e.g. {field.placeholder}"
            if field.placeholder
            else (DATETIME_PLACEHOLDER)
        )
    return field.placeholder


def _initial_text(value: ArgumentValue) -> str | None:
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, str) and value:
        return shorten(value, TEXT_LIMIT)
    return None


def _mentions(value: ArgumentValue) -> tuple[Mention, ...]:
    if isinstance(value, Mention):
        return (value,)
    if isinstance(value, tuple):
        return value
    return ()


def submitted_values(
    data: Mapping[str, Any], *, state: Any, workspace_id: str
) -> dict[str, ArgumentValue]:
    """A modal submission's values by field name, typed as :mod:`bot.actions` says.

    Args:
        data: The interaction's ``data`` (``components`` and ``resolved``).
        state: discord.py's connection state, to read resolved users.
        workspace_id: The neutral workspace of the people picked.
    """
    resolved = data.get("resolved") or {}
    values: dict[str, ArgumentValue] = {}
    for component in _inputs(data.get("components") or []):
        name = component["custom_id"]
        kind = component.get("type")
        if kind == TEXT_INPUT:
            values[name] = clean_member_text(str(component.get("value") or ""))
        elif kind == USER_SELECT:
            values[name] = tuple(
                _person(str(user_id), resolved, state=state, workspace_id=workspace_id)
                for user_id in component.get("values") or []
            )
        elif kind == CHANNEL_SELECT:
            chosen = [str(channel_id) for channel_id in component.get("values") or []]
            values[name] = (
                Mention(MentionKind.CHANNEL, f"<#{chosen[0]}>", channel_id=chosen[0])
                if chosen
                else None
            )
        elif kind == STRING_SELECT:
            chosen = component.get("values") or []
            values[name] = str(chosen[0]) if chosen else None
    return values


def _inputs(components: list[Any]) -> Iterator[Mapping[str, Any]]:
    """Every input in a submission: inside labels (type 18) or action rows (type 1)."""
    for component in components:
        if not isinstance(component, Mapping):
            continue
        if "custom_id" in component:
            yield component
        inner = component.get("component")
        if isinstance(inner, Mapping):
            yield from _inputs([inner])
        yield from _inputs(list(component.get("components") or []))


def _person(user_id: str, resolved: Mapping[str, Any], *, state: Any, workspace_id: str) -> Mention:
    data = (resolved.get("users") or {}).get(user_id)
    if data is None:
        return Mention(MentionKind.UNKNOWN_USER, f"<@{user_id}>")
    user = discord.User(state=state, data=data)
    nick = ((resolved.get("members") or {}).get(user_id) or {}).get("nick")
    ref = user_ref(user, workspace_id=workspace_id)
    if nick:
        ref = replace(ref, display_name=nick)
    assert ref.platform == PLATFORM
    return Mention(MentionKind.USER, f"@{ref.name}", user=ref)


def prefilled(form: Form, values: Mapping[str, ArgumentValue]) -> Form:
    """``form`` with each field filled with what was submitted for it."""
    fields = tuple(
        replace(field, initial=values[field.name]) if values.get(field.name) else field
        for field in form.fields
    )
    return replace(form, fields=fields)


class OpenForms:
    """Forms kept for their reopen button: at most ``size``, each for ``ttl`` seconds.

    Only a convenience (the form filled again); a form that expired or was lost in a
    restart is started again from its command.
    """

    def __init__(self, *, size: int = 1000, ttl: float = 15 * 60) -> None:
        self._size = size
        self._ttl = ttl
        self._forms: OrderedDict[str, tuple[float, int, Form]] = OrderedDict()

    def keep(self, token: str, form: Form, *, user_id: int) -> None:
        self._forms[token] = (time.monotonic() + self._ttl, user_id, form)
        self._forms.move_to_end(token)
        while len(self._forms) > self._size:
            self._forms.popitem(last=False)

    def get(self, token: str, *, user_id: int) -> Form | None:
        """The form kept under ``token`` for this member (another member gets none)."""
        kept = self._forms.get(token)
        if kept is None or kept[0] < time.monotonic():
            self._forms.pop(token, None)
            return None
        return kept[2] if kept[1] == user_id else None

    def find(self, custom_id: str, *, user_id: int) -> Form | None:
        """The latest form with this reference opened for this member, if still kept."""
        for expires, owner, form in reversed(self._forms.values()):
            if owner == user_id and expires >= time.monotonic() and form.ref.encode() == custom_id:
                return form
        return None
