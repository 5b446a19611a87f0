"""Interactive payloads as Slack sends them (``payload=<JSON>``, form-encoded and signed).

Used by the interactive and home tests and by the HTTP benchmark. The shapes follow
Slack's reference payloads for ``block_actions``, ``view_submission``,
``shortcut`` and ``message_action``.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import aiohttp

from tests.adapters.slack.support import FORM, TEAM_ID, signed_headers

_triggers = itertools.count(1)


def trigger() -> str:
    return f"{next(_triggers)}.{time.time_ns()}.interactive"


def _user(user_id: str) -> dict[str, Any]:
    return {"id": user_id, "username": user_id.lower(), "name": user_id.lower(), "team_id": TEAM_ID}


def _common(kind: str, user_id: str, trigger_id: str | None) -> dict[str, Any]:
    return {
        "type": kind,
        "token": "legacy-verification-token",
        "api_app_id": "A0001",
        "team": {"id": TEAM_ID, "domain": "librarians"},
        "user": _user(user_id),
        "trigger_id": trigger_id or trigger(),
        "is_enterprise_install": False,
        "enterprise": None,
    }


def interactive_body(payload: Mapping[str, Any]) -> str:
    """The form-encoded body Slack posts for any interactive payload."""
    return urlencode({"payload": json.dumps(payload)})


def block_actions(
    value: str,
    *,
    user_id: str,
    response_url: str | None,
    channel_id: str = "C1",
    select: bool = False,
    home: bool = False,
    trigger_id: str | None = None,
    action_id: str = "memberbot.0",
) -> dict[str, Any]:
    """A click on a button (or a chosen select option) carrying ``value``."""
    stamp = f"{time.time():.6f}"
    action: dict[str, Any] = {"action_id": action_id, "block_id": "b1", "action_ts": stamp}
    if select:
        action |= {
            "type": "static_select",
            "selected_option": {"text": {"type": "plain_text", "text": "x"}, "value": value},
        }
    else:
        action |= {"type": "button", "value": value, "text": {"type": "plain_text", "text": "x"}}
    payload = _common("block_actions", user_id, trigger_id) | {"actions": [action]}
    if home:
        payload |= {
            "container": {"type": "view", "view_id": "VHOME"},
            "view": {"id": "VHOME", "type": "home", "blocks": [], "state": {"values": {}}},
        }
    else:
        payload |= {
            "container": {"type": "message", "message_ts": stamp, "channel_id": channel_id},
            "channel": {"id": channel_id, "name": "general"},
            "message": {"type": "message", "ts": stamp, "text": "preview"},
            "state": {"values": {}},
        }
        if response_url:
            payload["response_url"] = response_url
    return payload


def view_submission(
    view: Mapping[str, Any], values: Mapping[str, Any], *, user_id: str
) -> dict[str, Any]:
    """``view`` (as the fake recorded it, with its id) submitted with ``values``.

    ``values`` maps block id -> the element's state (``{"type": ..., "value": ...}``);
    the element's ``action_id`` is taken from the view.
    """
    state: dict[str, dict[str, Any]] = {}
    for block in view.get("blocks") or []:
        name = block.get("block_id")
        if name in values:
            state[name] = {block["element"]["action_id"]: dict(values[name])}
    submitted = {**view, "state": {"values": state}, "team_id": TEAM_ID, "hash": "1.abc"}
    return _common("view_submission", user_id, None) | {"view": submitted, "response_urls": []}


def shortcut(callback_id: str, *, user_id: str) -> dict[str, Any]:
    return _common("shortcut", user_id, None) | {
        "callback_id": callback_id,
        "action_ts": f"{time.time():.6f}",
    }


def message_shortcut(
    callback_id: str, *, user_id: str, author_id: str, text: str, response_url: str
) -> dict[str, Any]:
    stamp = f"{time.time():.6f}"
    return _common("message_action", user_id, None) | {
        "callback_id": callback_id,
        "action_ts": stamp,
        "message_ts": stamp,
        "response_url": response_url,
        "channel": {"id": "C1", "name": "general"},
        "message": {"type": "message", "user": author_id, "text": text, "ts": stamp},
    }


@dataclass(frozen=True)
class Answer:
    """What the endpoint answered: Bolt's ack (a modal's errors travel in its body)."""

    status: int
    body: str

    def json(self) -> dict[str, Any]:
        return json.loads(self.body) if self.body else {}


async def send(session: aiohttp.ClientSession, url: str, payload: Mapping[str, Any]) -> Answer:
    """Post one signed interactive payload to the bot's endpoint."""
    body = interactive_body(payload)
    headers = signed_headers(body, content_type=FORM)
    async with session.post(url, data=body.encode(), headers=headers) as response:
        return Answer(response.status, await response.text())


def button_values(blocks: Any) -> dict[str, str]:
    """Label -> value of every button in ``blocks`` (JSON text or a list)."""
    loaded = json.loads(blocks) if isinstance(blocks, str) else blocks
    found: dict[str, str] = {}
    for block in loaded or []:
        for element in block.get("elements") or [] if block.get("type") == "actions" else []:
            if element.get("type") == "button":
                found[element["text"]["text"]] = element["value"]
    return found
