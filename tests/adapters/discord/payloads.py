"""Interaction and message payloads shaped like the ones Discord sends over the gateway."""

from __future__ import annotations

import itertools
from typing import Any

from tests.fakes.fake_discord import APPLICATION_ID, FakeUser

GUILD_ID = 700000000000000001
CHANNEL_ID = 700000000000000002
KUDOS_CHANNEL_ID = 700000000000000003
STAFF_ROLE_ID = 700000000000000004
OTHER_ROLE_ID = 700000000000000005
COMMAND_ID = 700000000000000006

#: Option types Discord uses in interaction data.
SUB_COMMAND = 1
STRING = 3
INTEGER = 4
BOOLEAN = 5
USER = 6
CHANNEL = 7
#: Discord channel types.
TEXT_CHANNEL = 0

_interaction_ids = itertools.count(1300000000000000000)


def option(name: str, value: Any, *, kind: int = STRING) -> dict[str, Any]:
    snowflake = kind in (USER, CHANNEL)
    return {"name": name, "type": kind, "value": str(value) if snowflake else value}


def channel_option(name: str, channel_id: int) -> dict[str, Any]:
    return option(name, channel_id, kind=CHANNEL)


def resolved_channel(channel_id: int, name: str = "news") -> dict[str, Any]:
    """A channel as Discord describes it in an interaction's ``resolved.channels``."""
    return {
        "id": str(channel_id),
        "type": TEXT_CHANNEL,
        "name": name,
        "permissions": "2248473465835073",
        "parent_id": None,
    }


def user_option(name: str, user: FakeUser) -> dict[str, Any]:
    return option(name, user.id, kind=USER)


def sub_command(name: str, *options: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "type": SUB_COMMAND, "options": list(options)}


def member_payload(user: FakeUser, *, roles: tuple[int, ...] = ()) -> dict[str, Any]:
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


def command_interaction(
    name: str,
    *options: dict[str, Any],
    user: FakeUser,
    mentioned: tuple[FakeUser, ...] = (),
    channels: tuple[int, ...] = (),
    roles: tuple[int, ...] = (),
    guild_id: int | None = GUILD_ID,
    channel_id: int = CHANNEL_ID,
) -> dict[str, Any]:
    """An APPLICATION_COMMAND interaction (type 2), in a guild or (``guild_id=None``) a DM.

    ``mentioned`` users and ``channels`` named in options appear in ``resolved``.
    """
    interaction_id = next(_interaction_ids)
    data: dict[str, Any] = {
        "id": str(COMMAND_ID),
        "name": name,
        "type": 1,
        "options": list(options),
        "resolved": {
            "users": {str(u.id): u.as_discord() for u in mentioned},
            **({"channels": {str(c): resolved_channel(c) for c in channels}} if channels else {}),
            **(
                {"members": {str(u.id): _resolved_member(u) for u in mentioned}}
                if guild_id is not None
                else {}
            ),
        },
    }
    payload: dict[str, Any] = {
        "id": str(interaction_id),
        "application_id": str(APPLICATION_ID),
        "type": 2,
        "token": f"token-{interaction_id}",
        "version": 1,
        "data": data,
        "channel_id": str(channel_id),
        "locale": "en-US",
        "app_permissions": "2248473465835073",
        "entitlements": [],
        "authorizing_integration_owners": {"0": str(guild_id)} if guild_id else {"1": str(user.id)},
        "context": 0 if guild_id else 1,
        "attachment_size_limit": 8388608,
    }
    if guild_id is not None:
        data["guild_id"] = str(guild_id)
        payload["guild_id"] = str(guild_id)
        payload["guild_locale"] = "en-US"
        payload["member"] = member_payload(user, roles=roles)
        payload["channel"] = {
            "id": str(channel_id),
            "type": 0,
            "guild_id": str(guild_id),
            "name": "general",
            "position": 0,
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": None,
        }
    else:
        payload["user"] = user.as_discord()
        payload["channel"] = {"id": str(channel_id), "type": 1, "recipients": [user.as_discord()]}
    return payload


def _resolved_member(user: FakeUser) -> dict[str, Any]:
    member = member_payload(user)
    del member["user"]  # resolved members come without the user; it is in resolved.users
    return member
