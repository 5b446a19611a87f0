"""A fake Slack Web API: a real aiohttp server on 127.0.0.1 (port 0) in its own thread.

The real ``slack_sdk`` client code (HTTP, JSON, retry handlers) runs against it,
so tests and benchmarks see what Slack would have received. Every call is
recorded. Knobs make it misbehave the way Slack does:

* ``fail_next(method, times=..., status=429|500, retry_after=...)``: the next
  calls of one method fail.
* ``rate_limit_per_second``: message-posting calls beyond this many per second
  get ``429`` with ``Retry-After``.
* ``failure_rate`` (with a fixed ``seed``): that fraction of message-posting
  calls get ``500``.

Usage::

    with FakeSlack(users=[FakeUser("U1", "ana")]) as slack:
        client = AsyncWebClient(token="xoxb-test", base_url=slack.api_url)
"""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
TEAM_ID = "T0001"

#: Methods that deliver a message; rate limits and random failures apply to them.
MESSAGE_METHODS = frozenset({"chat.postMessage", "chat.postEphemeral"})


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

    @property
    def ok(self) -> bool:
        return self.status == 200 and (
            not isinstance(self.response, dict) or bool(self.response.get("ok", True))
        )


@dataclass
class _PlannedFailure:
    status: int
    retry_after: int
    remaining: int


@dataclass
class FakeSlack:
    """The fake server; start with ``with FakeSlack() as slack`` or ``start()``/``stop()``."""

    users: Iterable[FakeUser] = ()
    usergroups: dict[str, list[str]] = field(default_factory=dict)
    valid_tokens: frozenset[str] | None = None  # None: any xox.../xapp- token
    rate_limit_per_second: float | None = None
    rate_limit_retry_after: int = 1
    failure_rate: float = 0.0
    seed: int = 1234
    users_page_size: int = 200
    missing_channels: set[str] = field(default_factory=set)
    archived_channels: set[str] = field(default_factory=set)
    socket_mode_url: str | None = None
    response_delay: float = 0.0

    def __post_init__(self) -> None:
        self._users: dict[str, FakeUser] = {user.id: user for user in self.users}
        self._lock = threading.Lock()
        self._calls: list[RecordedCall] = []
        self._failures: dict[str, list[_PlannedFailure]] = {}
        self._random = random.Random(self.seed)
        self._ts = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._window_start = 0.0
        self._window_count = 0
        self.uploads: dict[str, bytes] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self.port = 0

    # ----------------------------------------------------------------- lifecycle

    def start(self) -> FakeSlack:
        ready = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._serve, args=(ready,), name="fake-slack", daemon=True
        )
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("fake Slack did not start")
        return self

    def stop(self) -> None:
        if self._loop is None or self._thread is None:
            return
        runner = self._runner
        if runner is not None:
            asyncio.run_coroutine_threadsafe(runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()
        self._loop = None
        self._thread = None

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _serve(self, ready: threading.Event) -> None:
        assert self._loop is not None
        asyncio.set_event_loop(self._loop)
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_route("*", "/api/{method}", self._handle_api)
        app.router.add_post("/response/{token}", self._handle_response_url)
        app.router.add_post("/upload/{file_id}", self._handle_upload)
        self._runner = web.AppRunner(app, access_log=None)
        self._loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        self._loop.run_until_complete(site.start())
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        ready.set()
        self._loop.run_forever()

    # ------------------------------------------------------------------ addresses

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        """Give this to ``AsyncWebClient(base_url=...)``."""
        return f"{self.url}/api/"

    def response_url(self, token: str = "r1") -> str:
        """A ``response_url`` for slash-command payloads; ``respond()`` posts here."""
        return f"{self.url}/response/{token}"

    # ---------------------------------------------------------------------- knobs

    def add_user(self, user: FakeUser) -> None:
        with self._lock:
            self._users[user.id] = user

    def fail_next(
        self, method: str, *, times: int = 1, status: int = 429, retry_after: int = 0
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail with ``status``."""
        with self._lock:
            self._failures.setdefault(method, []).append(
                _PlannedFailure(status=status, retry_after=retry_after, remaining=times)
            )

    # ------------------------------------------------------------------ inspection

    def calls(self, method: str | None = None) -> list[RecordedCall]:
        with self._lock:
            return [c for c in self._calls if method is None or c.method == method]

    def delivered(self, method: str = "chat.postMessage") -> list[RecordedCall]:
        """Successful calls of ``method`` (messages Slack would have shown)."""
        return [c for c in self.calls(method) if c.ok]

    def responses(self) -> list[RecordedCall]:
        """Everything posted to a ``response_url`` (``respond()`` in Bolt)."""
        return [c for c in self.calls() if c.path.startswith("/response/")]

    def api_calls(self) -> list[RecordedCall]:
        """Web API calls except ``auth.test`` (which Bolt makes on its own)."""
        return [c for c in self.calls() if c.path.startswith("/api/") and c.method != "auth.test"]

    def clear(self) -> None:
        with self._lock:
            self._calls.clear()

    async def wait_for(
        self, predicate: Callable[[FakeSlack], bool], *, timeout: float = 5.0
    ) -> None:
        """Poll until ``predicate(self)`` holds; for work done after an ``ack()``."""
        deadline = time.monotonic() + timeout
        while not predicate(self):
            if time.monotonic() > deadline:
                raise AssertionError(f"fake Slack: condition not met in {timeout}s: {self.calls()}")
            await asyncio.sleep(0.01)

    async def wait_for_calls(self, method: str, count: int = 1, *, timeout: float = 5.0) -> None:
        await self.wait_for(lambda fake: len(fake.calls(method)) >= count, timeout=timeout)

    # ------------------------------------------------------------------- handlers

    async def _handle_api(self, request: web.Request) -> web.Response:
        body = await request.read()
        params = _parse_params(request, body)
        method = request.match_info["method"]
        if self.response_delay:
            await asyncio.sleep(self.response_delay)
        status, payload, headers = self._answer_api(method, request, params)
        self._record(method, request, body, params, status, payload)
        return web.json_response(payload, status=status, headers=headers)

    def _answer_api(
        self, method: str, request: web.Request, params: dict[str, Any]
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        with self._lock:
            failure = self._planned_failure(method) or self._random_failure(method)
        if failure is not None:
            return failure
        if not self._authorized(request, params):
            return 200, {"ok": False, "error": "invalid_auth"}, {}
        handler = getattr(self, "_api_" + method.replace(".", "_"), None)
        if handler is None:
            return 200, {"ok": False, "error": "unknown_method"}, {}
        with self._lock:
            return 200, handler(params), {}

    def _planned_failure(self, method: str) -> tuple[int, dict[str, Any], dict[str, str]] | None:
        queue = self._failures.get(method)
        if not queue:
            return None
        planned = queue[0]
        planned.remaining -= 1
        if planned.remaining <= 0:
            queue.pop(0)
        return _failure_response(planned.status, planned.retry_after)

    def _random_failure(self, method: str) -> tuple[int, dict[str, Any], dict[str, str]] | None:
        if method not in MESSAGE_METHODS:
            return None
        if self.rate_limit_per_second is not None:
            now = time.monotonic()
            if now - self._window_start >= 1.0:
                self._window_start, self._window_count = now, 0
            if self._window_count >= self.rate_limit_per_second:
                return _failure_response(429, self.rate_limit_retry_after)
            self._window_count += 1
        if self.failure_rate and self._random.random() < self.failure_rate:
            return _failure_response(500, 0)
        return None

    def _authorized(self, request: web.Request, params: dict[str, Any]) -> bool:
        header = request.headers.get("Authorization", "")
        token = header.removeprefix("Bearer ").strip() or str(params.get("token", ""))
        if self.valid_tokens is not None:
            return token in self.valid_tokens
        return token.startswith(("xox", "xapp-"))

    async def _handle_response_url(self, request: web.Request) -> web.Response:
        body = await request.read()
        params = _parse_params(request, body)
        self._record(request.path, request, body, params, 200, "ok")
        return web.Response(text="ok")

    async def _handle_upload(self, request: web.Request) -> web.Response:
        body = await request.read()
        file_id = request.match_info["file_id"]
        with self._lock:
            self.uploads[file_id] = body
        self._record(request.path, request, body, {}, 200, "OK")
        return web.Response(text="OK - " + str(len(body)))

    def _record(
        self,
        method: str,
        request: web.Request,
        body: bytes,
        params: dict[str, Any],
        status: int,
        payload: dict[str, Any] | str,
    ) -> None:
        call = RecordedCall(
            method=method,
            http_method=request.method,
            path=request.path,
            headers=dict(request.headers),
            body=body,
            params=params,
            status=status,
            response=payload,
            at=time.monotonic(),
        )
        with self._lock:
            self._calls.append(call)

    # ------------------------------------------------------------- API methods
    # Each runs under the lock and returns the JSON payload.

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
        ts = self._next_ts()
        message = {"type": "message", "text": params.get("text", ""), "ts": ts, "user": BOT_USER_ID}
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

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
        if len(user_ids) != 1:
            return {"ok": False, "error": "users_list_not_supplied"}
        user = self._users.get(user_ids[0])
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        if user.is_bot:
            return {"ok": False, "error": "cannot_dm_bot"}
        if user.deleted:
            return {"ok": False, "error": "user_disabled"}
        return {"ok": True, "channel": {"id": "D" + user.id}}

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

    def _channel_problem(self, channel: str) -> str | None:
        if not channel:
            return "channel_not_found"
        if channel in self.missing_channels:
            return "channel_not_found"
        if channel in self.archived_channels:
            return "is_archived"
        return None

    def _next_ts(self) -> str:
        return f"1700000000.{next(self._ts):06d}"


def _failure_response(status: int, retry_after: int) -> tuple[int, dict[str, Any], dict[str, str]]:
    if status == 429:
        return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)}
    return status, {"ok": False, "error": "internal_error"}, {}


def _parse_params(request: web.Request, body: bytes) -> dict[str, Any]:
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
