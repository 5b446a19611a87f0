"""What the fake Slack answers: workspace members and the Web API methods it implements.

:class:`SlackApiMethods` is mixed into :class:`tests.fakes.fake_slack.FakeSlack`;
each ``_api_<method>`` runs under the fake's lock and returns the JSON payload.
"""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
TEAM_ID = "T0001"

#: Methods that deliver a message; rate limits and random failures apply to them.
MESSAGE_METHODS = frozenset({"chat.postMessage", "chat.postEphemeral"})
#: conversations.open takes at most 8 users for a multi-person DM.
MPIM_MAX_USERS = 8


@dataclass
class FakeUser:
    """One workspace member as ``users.info`` / ``users.list`` describe it."""

    id: str
    name: str
    display_name: str = ""
    real_name: str = ""
    is_bot: bool = False
    deleted: bool = False
    team_id: str = TEAM_ID

    def as_slack(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "team_id": self.team_id,
            "name": self.name,
            "real_name": self.real_name or self.name,
            "deleted": self.deleted,
            "is_bot": self.is_bot,
            "profile": {
                "display_name": self.display_name,
                "real_name": self.real_name or self.name,
            },
        }


@dataclass(frozen=True)
class RecordedCall:
    """One HTTP request the fake received, with what it answered."""

    method: str  # Slack API method ("chat.postMessage"), or the path for other endpoints
    http_method: str
    path: str
    headers: dict[str, str]
    body: bytes
    params: dict[str, Any]
    status: int
    response: dict[str, Any] | str
    at: float
    #: The fake did what was asked, then dropped the connection without answering.
    connection_reset: bool = False

    @property
    def ok(self) -> bool:
        return self.status == 200 and (
            not isinstance(self.response, dict) or bool(self.response.get("ok", True))
        )


class SlackApiMethods:
    """The Web API methods; the fake supplies the state they read and change."""

    _users: dict[str, FakeUser]
    _calls: list[RecordedCall]
    _ts: itertools.count[int]
    _file_ids: itertools.count[int]
    uploads: dict[str, bytes]
    usergroups: dict[str, list[str]]
    users_page_size: int
    missing_channels: set[str]
    archived_channels: set[str]
    socket_mode_url: str | None
    history_error: str | None
    #: Messages posted per channel, oldest first, as conversations.history returns them.
    _channel_messages: dict[str, list[dict[str, Any]]]
    #: Views opened, updated or published, by id; the latest home view per member.
    views: dict[str, dict[str, Any]]
    home_views: dict[str, dict[str, Any]]
    expired_triggers: set[str]
    _used_triggers: set[str]

    @property
    def url(self) -> str:
        raise NotImplementedError

    def _api_auth_test(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://fake.slack.test/",
            "team": "Fake Librarians",
            "user": "memberbot",
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
        }

    def _api_apps_connections_open(self, params: dict[str, Any]) -> dict[str, Any]:
        if not self.socket_mode_url:
            return {"ok": False, "error": "not_allowed_token_type"}
        return {"ok": True, "url": self.socket_mode_url}

    def _api_chat_postMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = str(params.get("channel", ""))
        problem = self._channel_problem(channel)
        if problem:
            return {"ok": False, "error": problem}
        if not params.get("text") and not params.get("blocks"):
            return {"ok": False, "error": "no_text"}
        metadata = params.get("metadata")
        if isinstance(metadata, str):
            try:
                metadata = json.loads(metadata)
            except ValueError:
                return {"ok": False, "error": "invalid_metadata_format"}
        ts = self._next_ts()
        message: dict[str, Any] = {
            "type": "message",
            "text": params.get("text", ""),
            "ts": ts,
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
        }
        if metadata:
            message["metadata"] = metadata
        self._channel_messages.setdefault(channel, []).append(message)
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _api_conversations_history(self, params: dict[str, Any]) -> dict[str, Any]:
        """Newest first, ``limit`` per page, ``metadata`` only with ``include_all_metadata``."""
        if self.history_error:
            return {"ok": False, "error": self.history_error}
        channel = str(params.get("channel", ""))
        problem = self._channel_problem(channel)
        if problem:
            return {"ok": False, "error": problem}
        oldest = float(params.get("oldest") or 0)
        with_metadata = str(params.get("include_all_metadata", "")).lower() in {"1", "true"}
        messages = [
            m for m in reversed(self._channel_messages.get(channel, [])) if float(m["ts"]) > oldest
        ]
        limit = int(params.get("limit") or 100)
        start = int(params.get("cursor") or 0)
        page = messages[start : start + limit]
        more = start + limit < len(messages)
        return {
            "ok": True,
            "messages": [
                m if with_metadata else {k: v for k, v in m.items() if k != "metadata"}
                for m in page
            ],
            "has_more": more,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    def _api_chat_postEphemeral(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = str(params.get("channel", ""))
        problem = self._channel_problem(channel)
        if problem:
            return {"ok": False, "error": problem}
        if str(params.get("user", "")) not in self._users:
            return {"ok": False, "error": "user_not_in_channel"}
        return {"ok": True, "message_ts": self._next_ts()}

    def _api_chat_delete(self, params: dict[str, Any]) -> dict[str, Any]:
        channel, ts = str(params.get("channel", "")), str(params.get("ts", ""))
        posted = {
            (c.params.get("channel"), c.response.get("ts"))
            for c in self._calls
            if c.method == "chat.postMessage" and isinstance(c.response, dict) and c.ok
        }
        deleted = {
            (c.params.get("channel"), c.params.get("ts"))
            for c in self._calls
            if c.method == "chat.delete" and c.ok
        }
        if (channel, ts) not in posted or (channel, ts) in deleted:
            return {"ok": False, "error": "message_not_found"}
        return {"ok": True, "channel": channel, "ts": ts}

    def _api_conversations_open(self, params: dict[str, Any]) -> dict[str, Any]:
        user_ids = [u for u in str(params.get("users", "")).split(",") if u]
        if not 1 <= len(user_ids) <= MPIM_MAX_USERS:
            return {"ok": False, "error": "users_list_not_supplied"}
        for user_id in user_ids:
            user = self._users.get(user_id)
            if user is None:
                return {"ok": False, "error": "user_not_found"}
            if user.is_bot:
                return {"ok": False, "error": "cannot_dm_bot"}
            if user.deleted:
                return {"ok": False, "error": "user_disabled"}
        if len(user_ids) == 1:
            return {"ok": True, "channel": {"id": "D" + user_ids[0]}}
        # A multi-person DM: the same channel for the same people, in any order.
        return {"ok": True, "channel": {"id": "G" + "-".join(sorted(user_ids)), "is_mpim": True}}

    def _api_users_info(self, params: dict[str, Any]) -> dict[str, Any]:
        user = self._users.get(str(params.get("user", "")))
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": user.as_slack()}

    def _api_users_list(self, params: dict[str, Any]) -> dict[str, Any]:
        members = list(self._users.values())
        limit = min(int(params.get("limit") or self.users_page_size), self.users_page_size)
        start = int(params.get("cursor") or 0)
        page = members[start : start + limit]
        next_start = start + limit
        next_cursor = str(next_start) if next_start < len(members) else ""
        return {
            "ok": True,
            "members": [user.as_slack() for user in page],
            "response_metadata": {"next_cursor": next_cursor},
        }

    def _api_usergroups_users_list(self, params: dict[str, Any]) -> dict[str, Any]:
        group = str(params.get("usergroup", ""))
        if group not in self.usergroups:
            return {"ok": False, "error": "no_such_subteam"}
        return {"ok": True, "users": list(self.usergroups[group])}

    def _api_files_getUploadURLExternal(self, params: dict[str, Any]) -> dict[str, Any]:
        if not params.get("filename") or not params.get("length"):
            return {"ok": False, "error": "invalid_arguments"}
        file_id = f"F{next(self._file_ids):06d}"
        return {"ok": True, "upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}

    def _api_files_completeUploadExternal(self, params: dict[str, Any]) -> dict[str, Any]:
        files = params.get("files")
        if isinstance(files, str):
            files = json.loads(files)
        if not files or any(f.get("id") not in self.uploads for f in files):
            return {"ok": False, "error": "file_not_found"}
        channel = params.get("channel_id")
        if channel:
            problem = self._channel_problem(str(channel))
            if problem:
                return {"ok": False, "error": problem}
        return {
            "ok": True,
            "files": [{"id": f["id"], "title": f.get("title", "")} for f in files],
        }

    # ------------------------------------------------------------- views (modals, home)

    def _api_views_open(self, params: dict[str, Any]) -> dict[str, Any]:
        """A modal opened with a trigger; each trigger works once, as on Slack."""
        trigger = str(params.get("trigger_id") or "")
        if not trigger or trigger in self.expired_triggers:
            return {"ok": False, "error": "expired_trigger_id"}
        if trigger in self._used_triggers:
            return {"ok": False, "error": "trigger_exchanged"}
        view, problem = _checked_view(params, "modal")
        if problem:
            return {"ok": False, "error": problem}
        self._used_triggers.add(trigger)
        return {"ok": True, "view": self._store_view(view)}

    def _api_views_update(self, params: dict[str, Any]) -> dict[str, Any]:
        view_id = str(params.get("view_id") or "")
        if view_id not in self.views:
            return {"ok": False, "error": "not_found"}
        view, problem = _checked_view(params, str(self.views[view_id].get("type")))
        if problem:
            return {"ok": False, "error": problem}
        return {"ok": True, "view": self._store_view(view, view_id=view_id)}

    def _api_views_publish(self, params: dict[str, Any]) -> dict[str, Any]:
        """The member's App Home tab; the latest one per member is in ``home_views``."""
        user_id = str(params.get("user_id") or "")
        if user_id not in self._users:
            return {"ok": False, "error": "user_not_found"}
        view, problem = _checked_view(params, "home")
        if problem:
            return {"ok": False, "error": problem}
        stored = self._store_view(view)
        self.home_views[user_id] = stored
        return {"ok": True, "view": stored}

    def _store_view(self, view: dict[str, Any], *, view_id: str | None = None) -> dict[str, Any]:
        view_id = view_id or f"V{next(self._ts):08d}"
        stored = {**view, "id": view_id}
        self.views[view_id] = stored
        return stored

    def _channel_problem(self, channel: str) -> str | None:
        if not channel:
            return "channel_not_found"
        if channel in self.missing_channels:
            return "channel_not_found"
        if channel in self.archived_channels:
            return "is_archived"
        return None

    def _next_ts(self) -> str:
        # Real-looking timestamps (now), so a lookup with ``oldest`` finds them.
        return f"{int(time.time())}.{next(self._ts):06d}"


#: Slack's limits for views, checked so a view Slack would refuse fails in tests too.
_VIEW_TITLE_LIMIT = 24
_VIEW_BLOCK_LIMIT = 100
_METADATA_LIMIT = 3000


def _checked_view(params: dict[str, Any], kind: str) -> tuple[dict[str, Any], str | None]:
    view = params.get("view")
    if isinstance(view, str):
        try:
            view = json.loads(view)
        except ValueError:
            return {}, "invalid_arguments"
    if not isinstance(view, dict) or view.get("type") != kind:
        return {}, "invalid_arguments"
    blocks = view.get("blocks") or []
    if len(blocks) > _VIEW_BLOCK_LIMIT:
        return view, "invalid_arguments"
    if kind == "modal":
        titles = [view.get("title"), view.get("submit"), view.get("close")]
        if any(t and len(t.get("text", "")) > _VIEW_TITLE_LIMIT for t in titles):
            return view, "invalid_arguments"
        if len(str(view.get("private_metadata") or "")) > _METADATA_LIMIT:
            return view, "invalid_arguments"
    return view, None


def failure_response(status: int, retry_after: int) -> tuple[int, dict[str, Any], dict[str, str]]:
    if status == 429:
        return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)}
    return status, {"ok": False, "error": "internal_error"}, {}


def parse_params(request: web.Request, body: bytes) -> dict[str, Any]:
    """Merge query string, form and JSON bodies the way Slack accepts them."""
    params: dict[str, Any] = dict(request.query)
    content_type = request.headers.get("Content-Type", "")
    if "application/json" in content_type and body:
        try:
            loaded = json.loads(body)
        except ValueError:
            loaded = None
        if isinstance(loaded, dict):
            params.update(loaded)
    elif "application/x-www-form-urlencoded" in content_type and body:
        params.update(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    return params
