"""Interaction payloads for buttons, selects, modals and right-click menus, as Discord sends.

Each is a gateway INTERACTION_CREATE body, fed through discord.py's own parsing
(``client._connection.parse_interaction_create``):

* type 3 MESSAGE_COMPONENT: a click on a button or a choice in a select, carrying
  the message it is on (with its components, as the bot sent them);
* type 5 MODAL_SUBMIT: a submitted modal, its inputs inside labels (type 18) with
  the people picked in ``resolved``;
* type 2 APPLICATION_COMMAND with command type 2 (user) or 3 (message): a
  right-click menu, its target in ``resolved``.
"""

from __future__ import annotations

import itertools
from typing import Any

from tests.fakes.fake_discord import APPLICATION_ID, BOT_USER, FakeUser

COMPONENT = 3
MODAL_SUBMIT = 5
APPLICATION_COMMAND = 2
USER_MENU = 2
MESSAGE_MENU = 3
BUTTON = 2
STRING_SELECT = 3
TEXT_INPUT = 4
USER_SELECT = 5
CHANNEL_SELECT = 8
LABEL = 18
EPHEMERAL = 64

_ids = itertools.count(1400000000000000000)


def next_interaction_id() -> int:
    return next(_ids)


def _member(user: FakeUser, roles: tuple[int, ...]) -> dict[str, Any]:
    return {
        "user": user.as_discord(),
        "roles": [str(role) for role in roles],
        "joined_at": "2024-01-01T00:00:00+00:00",
        "nick": None,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "permissions": "2248473465835073",
    }


def _resolved_member(user: FakeUser) -> dict[str, Any]:
    member = _member(user, ())
    del member["user"]
    return member


def _envelope(
    kind: int,
    data: dict[str, Any],
    *,
    user: FakeUser,
    guild_id: int,
    channel_id: int,
    roles: tuple[int, ...] = (),
    interaction_id: int | None = None,
) -> dict[str, Any]:
    """What every interaction carries: who, where, its id and token."""
    number = interaction_id or next_interaction_id()
    return {
        "id": str(number),
        "application_id": str(APPLICATION_ID),
        "type": kind,
        "token": f"token-{number}",
        "version": 1,
        "data": data,
        "guild_id": str(guild_id),
        "channel_id": str(channel_id),
        "channel": {
            "id": str(channel_id),
            "type": 0,
            "guild_id": str(guild_id),
            "name": "general",
            "position": 0,
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": None,
        },
        "member": _member(user, roles),
        "locale": "en-US",
        "guild_locale": "en-US",
        "app_permissions": "2248473465835073",
        "entitlements": [],
        "authorizing_integration_owners": {"0": str(guild_id)},
        "context": 0,
        "attachment_size_limit": 8388608,
    }


def sent_message(
    body: dict[str, Any], *, message_id: str, channel_id: int, author: FakeUser = BOT_USER
) -> dict[str, Any]:
    """A message as Discord describes it, from the body the bot sent (its components too)."""
    return {
        "id": message_id,
        "channel_id": str(channel_id),
        "author": author.as_discord(),
        "content": body.get("content", ""),
        "timestamp": "2026-11-23T15:00:00.000000+00:00",
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "components": body.get("components", []),
        "pinned": False,
        "type": 0,
        "flags": int(body.get("flags", 0)),
    }


def buttons_in(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The buttons of a sent message body, in order."""
    return [
        item
        for row in body.get("components", [])
        for item in row.get("components", [])
        if item.get("type") == BUTTON
    ]


def button_id(body: dict[str, Any], label: str) -> str:
    """The custom id of the button labelled ``label`` in a sent message body."""
    found = [b["custom_id"] for b in buttons_in(body) if b.get("label") == label]
    assert found, f"no {label!r} button in {buttons_in(body)}"
    return str(found[0])


def click(
    custom_id: str,
    *,
    message: dict[str, Any],
    user: FakeUser,
    guild_id: int,
    channel_id: int,
    roles: tuple[int, ...] = (),
    values: list[str] | None = None,
    interaction_id: int | None = None,
) -> dict[str, Any]:
    """A MESSAGE_COMPONENT interaction: a button press (or a select's choice, ``values``)."""
    data: dict[str, Any] = {
        "custom_id": custom_id,
        "component_type": BUTTON if values is None else STRING_SELECT,
    }
    if values is not None:
        data["values"] = values
    payload = _envelope(
        COMPONENT,
        data,
        user=user,
        guild_id=guild_id,
        channel_id=channel_id,
        roles=roles,
        interaction_id=interaction_id,
    )
    payload["message"] = message
    return payload


def text_input(custom_id: str, value: str) -> dict[str, Any]:
    return {
        "type": LABEL,
        "component": {"type": TEXT_INPUT, "custom_id": custom_id, "value": value},
    }


def user_select(custom_id: str, users: list[FakeUser]) -> dict[str, Any]:
    return {
        "type": LABEL,
        "component": {
            "type": USER_SELECT,
            "custom_id": custom_id,
            "values": [str(u.id) for u in users],
        },
    }


def string_select(custom_id: str, values: list[str]) -> dict[str, Any]:
    return {
        "type": LABEL,
        "component": {"type": STRING_SELECT, "custom_id": custom_id, "values": values},
    }


def modal_submit(
    custom_id: str,
    inputs: list[dict[str, Any]],
    *,
    user: FakeUser,
    guild_id: int,
    channel_id: int,
    roles: tuple[int, ...] = (),
    picked: tuple[FakeUser, ...] = (),
) -> dict[str, Any]:
    """A MODAL_SUBMIT interaction; ``picked`` users appear in ``resolved``."""
    data: dict[str, Any] = {"custom_id": custom_id, "components": inputs}
    if picked:
        data["resolved"] = {
            "users": {str(u.id): u.as_discord() for u in picked},
            "members": {str(u.id): _resolved_member(u) for u in picked},
        }
    return _envelope(
        MODAL_SUBMIT, data, user=user, guild_id=guild_id, channel_id=channel_id, roles=roles
    )


def user_menu(
    name: str, target: FakeUser, *, user: FakeUser, guild_id: int, channel_id: int
) -> dict[str, Any]:
    """A right-click on a member: a USER application command."""
    data = {
        "id": str(next_interaction_id()),
        "name": name,
        "type": USER_MENU,
        "target_id": str(target.id),
        "guild_id": str(guild_id),
        "resolved": {
            "users": {str(target.id): target.as_discord()},
            "members": {str(target.id): _resolved_member(target)},
        },
    }
    return _envelope(APPLICATION_COMMAND, data, user=user, guild_id=guild_id, channel_id=channel_id)


def message_menu(
    name: str,
    author: FakeUser,
    *,
    content: str,
    message_id: int,
    user: FakeUser,
    guild_id: int,
    channel_id: int,
) -> dict[str, Any]:
    """A right-click on a message: a MESSAGE application command."""
    message = sent_message(
        {"content": content}, message_id=str(message_id), channel_id=channel_id, author=author
    )
    data = {
        "id": str(next_interaction_id()),
        "name": name,
        "type": MESSAGE_MENU,
        "target_id": str(message_id),
        "guild_id": str(guild_id),
        "resolved": {"messages": {str(message_id): message}},
    }
    return _envelope(APPLICATION_COMMAND, data, user=user, guild_id=guild_id, channel_id=channel_id)
