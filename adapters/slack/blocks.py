"""Actions, forms and the home as Block Kit; a submitted modal's state as form values.

* Buttons and selects become ``actions`` blocks. A button's ``value`` (a select
  option's ``value``) is the encoded :class:`~bot.actions.ActionRef`, exactly what
  the core checks when it comes back; ``action_id`` only tells our listener it is
  ours (``memberbot.N``).
* A :class:`~bot.actions.Form` becomes a modal: one ``input`` block per field, its
  ``block_id`` and ``action_id`` the field's name, so field errors map back to
  blocks. ``private_metadata`` is the encoded reference and nothing else.
* A :class:`~bot.home.Home` becomes a ``home`` view: a header per section, its
  items as rich text with their actions below.

Slack's limits are respected here (titles 24 characters, button labels 75, at most
25 elements per actions block and 100 blocks per view) by cutting, never failing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from adapters.slack.directory import PLATFORM, UserDirectory
from adapters.slack.render import render
from bot.actions import Action, Button, ButtonStyle, FieldKind, Form, FormField, Select
from bot.home import Home
from bot.requests import ArgumentValue, Mention, MentionKind, clean_member_text

#: ``action_id`` prefix of every button and select the bot renders.
ACTION_PREFIX = "memberbot."
#: ``callback_id`` of every modal the bot opens; the reference is in ``private_metadata``.
FORM_CALLBACK = "memberbot_form"
MAX_VIEW_BLOCKS = 100
MAX_ACTION_ELEMENTS = 25
_LIMITS = {"title": 24, "submit": 24, "button": 75, "label": 2000, "placeholder": 150}
_HINT_LIMIT = 2000
_CONFIRM_LIMITS = {"title": 100, "text": 300, "confirm": 30, "deny": 30}
_TEXT_INPUT_LIMIT = 3000
_DATETIME_FORMAT = "%Y-%m-%d %H:%M"

Block = dict[str, Any]


def _plain(text: str, limit: int) -> dict[str, Any]:
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    return {"type": "plain_text", "text": shown or " ", "emoji": False}


# ------------------------------------------------------------------ actions


def action_blocks(actions: Iterable[Action]) -> list[Block]:
    """Buttons and selects as ``actions`` blocks (25 elements each)."""
    elements = [_element(action, index) for index, action in enumerate(actions)]
    return [
        {"type": "actions", "elements": elements[start : start + MAX_ACTION_ELEMENTS]}
        for start in range(0, len(elements), MAX_ACTION_ELEMENTS)
    ]


def _element(action: Action, index: int) -> dict[str, Any]:
    if isinstance(action, Button):
        return _button(action, index)
    assert isinstance(action, Select)
    return _select(action, index)


def _button(button: Button, index: int) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "action_id": f"{ACTION_PREFIX}{index}",
        "text": _plain(button.label, _LIMITS["button"]),
        "value": button.ref.encode(),
    }
    if button.style is not ButtonStyle.DEFAULT:
        element["style"] = str(button.style)
    if button.confirm is not None:
        prompt = button.confirm
        element["confirm"] = {
            "title": _plain(prompt.title, _CONFIRM_LIMITS["title"]),
            "text": _plain(prompt.text, _CONFIRM_LIMITS["text"]),
            "confirm": _plain(prompt.confirm, _CONFIRM_LIMITS["confirm"]),
            "deny": _plain(prompt.deny, _CONFIRM_LIMITS["deny"]),
        }
        if button.style is ButtonStyle.DANGER:
            element["confirm"]["style"] = "danger"
    return element


def _select(select: Select, index: int) -> dict[str, Any]:
    return {
        "type": "static_select",
        "action_id": f"{ACTION_PREFIX}{index}",
        "placeholder": _plain(select.placeholder, _LIMITS["placeholder"]),
        "options": [
            {"text": _plain(option.label, _LIMITS["button"]), "value": option.ref.encode()}
            for option in select.options
        ],
    }


def clicked_value(action: Mapping[str, Any]) -> str:
    """The encoded reference a clicked button or chosen option carries (``""``: none)."""
    if action.get("type") == "static_select":
        option = action.get("selected_option") or {}
        return str(option.get("value") or "") if isinstance(option, Mapping) else ""
    return str(action.get("value") or "")


# -------------------------------------------------------------------- forms


def modal_view(form: Form, *, zone: ZoneInfo) -> dict[str, Any]:
    """The modal ``views.open`` shows for ``form``."""
    return {
        "type": "modal",
        "callback_id": FORM_CALLBACK,
        "private_metadata": form.ref.encode(),
        "title": _plain(form.title, _LIMITS["title"]),
        "submit": _plain(form.submit_label, _LIMITS["submit"]),
        "close": _plain("Cancel", _LIMITS["submit"]),
        "blocks": [_input_block(field, zone=zone) for field in form.fields][:MAX_VIEW_BLOCKS],
    }


def _input_block(field: FormField, *, zone: ZoneInfo) -> Block:
    block: Block = {
        "type": "input",
        "block_id": field.name,
        "label": _plain(field.label, _LIMITS["label"]),
        "optional": not field.required,
        "element": {"action_id": field.name, **_input_element(field, zone=zone)},
    }
    if field.hint:
        block["hint"] = _plain(field.hint, _HINT_LIMIT)
    return block


def _input_element(field: FormField, *, zone: ZoneInfo) -> dict[str, Any]:
    initial = field.initial
    element: dict[str, Any]
    match field.kind:
        case FieldKind.MEMBER:
            element = {"type": "users_select"}
            if users := _slack_users(initial):
                element["initial_user"] = users[0]
        case FieldKind.MEMBERS:
            element = {"type": "multi_users_select", "max_selected_items": max(1, field.limit)}
            if users := _slack_users(initial):
                element["initial_users"] = users[: field.limit]
        case FieldKind.CHANNEL:
            element = {
                "type": "conversations_select",
                "filter": {"include": ["public", "private"], "exclude_bot_users": True},
            }
            if isinstance(initial, Mention) and initial.channel_id:
                element["initial_conversation"] = initial.channel_id
        case FieldKind.TEXT | FieldKind.LONG_TEXT:
            element = {
                "type": "plain_text_input",
                "multiline": field.kind is FieldKind.LONG_TEXT,
                "max_length": min(field.max_length or _TEXT_INPUT_LIMIT, _TEXT_INPUT_LIMIT),
            }
            if isinstance(initial, str) and initial:
                element["initial_value"] = initial[:_TEXT_INPUT_LIMIT]
        case FieldKind.CHOICE:
            options = [{"text": _plain(c, 75), "value": c} for c in field.choices[:100]]
            element = {"type": "static_select", "options": options}
            chosen = [option for option in options if option["value"] == initial]
            if chosen:
                element["initial_option"] = chosen[0]
        case FieldKind.DATETIME:
            element = {"type": "datetimepicker"}
            if (moment := _initial_moment(initial, zone)) is not None:
                element["initial_date_time"] = moment
    if field.placeholder and field.kind is not FieldKind.DATETIME:
        element["placeholder"] = _plain(field.placeholder, _LIMITS["placeholder"])
    return element


def _slack_users(initial: ArgumentValue) -> list[str]:
    people = (initial,) if isinstance(initial, Mention) else initial
    if not isinstance(people, tuple):
        return []
    return [
        person.user.user_id
        for person in people
        if isinstance(person, Mention) and person.user and person.user.platform == PLATFORM
    ]


def _initial_moment(initial: ArgumentValue, zone: ZoneInfo) -> int | None:
    """A prefilled send time (organisation time) as the picker's Unix time."""
    moment: datetime | None = None
    if isinstance(initial, datetime):
        moment = initial
    elif isinstance(initial, str) and initial:
        try:
            moment = datetime.strptime(initial, _DATETIME_FORMAT)
        except ValueError:
            return None
    if moment is None:
        return None
    aware = moment if moment.tzinfo else moment.replace(tzinfo=zone)
    return int(aware.timestamp())


async def submitted_values(
    state: Mapping[str, Any], *, workspace_id: str, users: UserDirectory
) -> dict[str, ArgumentValue]:
    """A modal's ``view.state.values`` as the core's field values, keyed by field name.

    Read by the element's type, so nothing about the form needs remembering between
    opening it and its submission: member pickers become user Mentions (looked up,
    so a name is shown), the channel a channel Mention, text cleaned like typed text,
    the date-time picker an aware datetime (the core converts it).
    """
    values: dict[str, ArgumentValue] = {}
    for block_id, actions in state.items():
        if not isinstance(actions, Mapping):
            continue
        for element in actions.values():
            if isinstance(element, Mapping):
                values[str(block_id)] = await _element_value(
                    element, workspace_id=workspace_id, users=users
                )
    return values


async def _element_value(
    element: Mapping[str, Any], *, workspace_id: str, users: UserDirectory
) -> ArgumentValue:
    kind = element.get("type")
    if kind == "users_select":
        user_id = element.get("selected_user")
        return await _member(str(user_id), workspace_id, users) if user_id else None
    if kind == "multi_users_select":
        chosen = element.get("selected_users") or []
        return tuple([await _member(str(u), workspace_id, users) for u in chosen])
    if kind in {"conversations_select", "channels_select"}:
        channel = element.get("selected_conversation") or element.get("selected_channel")
        if not channel:
            return None
        return Mention(MentionKind.CHANNEL, f"#{channel}", channel_id=str(channel))
    if kind == "plain_text_input":
        value = element.get("value")
        return clean_member_text(str(value)) if value is not None else None
    if kind == "static_select":
        option = element.get("selected_option") or {}
        return str(option.get("value")) if isinstance(option, Mapping) and option else None
    if kind == "datetimepicker":
        stamp = element.get("selected_date_time")
        return datetime.fromtimestamp(int(stamp), tz=UTC) if stamp is not None else None
    return None


async def _member(user_id: str, workspace_id: str, users: UserDirectory) -> Mention:
    user = await users.lookup(user_id, workspace_id=workspace_id)
    if user is None:
        return Mention(MentionKind.UNKNOWN_USER, f"@{user_id}")
    return Mention(MentionKind.USER, f"@{user.name}", user=user)


def field_error_blocks(errors: Mapping[str, str], view: Mapping[str, Any]) -> dict[str, str]:
    """Field errors for the blocks the open modal has (Slack refuses unknown block ids)."""
    blocks = view.get("blocks") or []
    named = {block.get("block_id") for block in blocks if isinstance(block, Mapping)}
    return {name: message[:2000] for name, message in errors.items() if name in named}


# --------------------------------------------------------------------- home


def home_view(home: Home) -> dict[str, Any]:
    """The App Home tab for ``home``: sections with headers, items with their actions."""
    blocks: list[Block] = []
    if home.notice is not None:
        blocks += render(home.notice).blocks
        blocks.append({"type": "divider"})
    for section in home.sections:
        blocks.append({"type": "header", "text": _plain(section.title, 150)})
        for item in section.items:
            blocks += render(item.message).blocks
            blocks += action_blocks(item.actions)
    if len(blocks) > MAX_VIEW_BLOCKS:
        blocks = blocks[:MAX_VIEW_BLOCKS]
    return {"type": "home", "blocks": blocks}
