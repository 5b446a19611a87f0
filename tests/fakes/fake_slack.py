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
* ``hold(method)``: calls of one method (or ``RESPONSE_URL`` posts) wait for an
  answer until the test releases them, like a slow Slack; ``arrivals(method)``
  shows which calls came in, answered or not.
* ``response_delay``: every Web API answer waits this many seconds.
* ``reset_next(method, times=...)`` and ``reset_rate`` (with ``seed``): the call
  is carried out (a message is posted), then the connection is dropped without
  an answer, as when a proxy or the network fails after Slack accepted it.
* ``non_json_next(method, times=..., status=503)``: answer with
  ``Content-Type: application/json`` and a body that is not JSON, as a proxy
  in front of Slack does (``upstream connect error``).
* ``history_error``: ``conversations.history`` answers this error code.

Usage::

    with FakeSlack(users=[FakeUser("U1", "ana")]) as slack:
        client = AsyncWebClient(token="xoxb-test", base_url=slack.api_url)
"""

from __future__ import annotations

import asyncio
import itertools
import random
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.fake_slack_api import (
    BOT_ID,
    BOT_USER_ID,
    MESSAGE_METHODS,
    TEAM_ID,
    FakeUser,
    RecordedCall,
    SlackApiMethods,
    failure_response,
    parse_params,
)

__all__ = [
    "BOT_ID",
    "BOT_USER_ID",
    "RESPONSE_URL",
    "TEAM_ID",
    "FakeSlack",
    "FakeUser",
    "Hold",
    "RecordedCall",
]

#: ``hold()``/``arrivals()`` name for posts to a slash command's response_url.
RESPONSE_URL = "response_url"
#: What a proxy in front of Slack answers when Slack is not reachable behind it.
NON_JSON_BODY = "upstream connect error or disconnect/reset before headers. reset reason: overflow"


@dataclass
class _PlannedFailure:
    status: int
    retry_after: int
    remaining: int


class Hold:
    """Calls of one method wait while this is held; ``release()`` lets them through."""

    def __init__(self, fake: FakeSlack, method: str, event: asyncio.Event) -> None:
        self._fake = fake
        self.method = method
        self._event = event

    def release(self) -> None:
        self._fake._release(self.method, self._event)

    def __enter__(self) -> Hold:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


@dataclass
class FakeSlack(SlackApiMethods):
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
    reset_rate: float = 0.0
    history_error: str | None = None

    def __post_init__(self) -> None:
        self._users: dict[str, FakeUser] = {user.id: user for user in self.users}
        self._lock = threading.Lock()
        self._calls: list[RecordedCall] = []
        self._failures: dict[str, list[_PlannedFailure]] = {}
        self._resets: dict[str, int] = {}
        self._non_json: dict[str, list[_PlannedFailure]] = {}
        self._channel_messages: dict[str, list[dict[str, Any]]] = {}
        self._random = random.Random(self.seed)
        self._ts = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._window_start = 0.0
        self._window_count = 0
        self.uploads: dict[str, bytes] = {}
        self.views: dict[str, dict[str, Any]] = {}
        self.home_views: dict[str, dict[str, Any]] = {}
        self.expired_triggers: set[str] = set()
        self._used_triggers: set[str] = set()
        self._arrivals: list[str] = []
        self._holds: dict[str, asyncio.Event] = {}
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
        with self._lock:
            held = list(self._holds.items())
        for method, event in held:  # a held call would keep the server from stopping
            self._release(method, event)
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

    def reset_next(self, method: str, *, times: int = 1) -> None:
        """Carry out the next ``times`` calls of ``method``, then drop the connection."""
        with self._lock:
            self._resets[method] = self._resets.get(method, 0) + times

    def non_json_next(self, method: str, *, times: int = 1, status: int = 503) -> None:
        """Answer the next ``times`` calls of ``method`` with a non-JSON ``application/json``."""
        with self._lock:
            self._non_json.setdefault(method, []).append(
                _PlannedFailure(status=status, retry_after=0, remaining=times)
            )

    def hold(self, method: str) -> Hold:
        """Keep calls of ``method`` (or ``RESPONSE_URL`` posts) unanswered until released."""
        event = asyncio.Event()
        with self._lock:
            self._holds[method] = event
        return Hold(self, method, event)

    def _release(self, method: str, event: asyncio.Event) -> None:
        with self._lock:
            if self._holds.get(method) is event:
                del self._holds[method]
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(event.set)

    # ------------------------------------------------------------------ inspection

    def arrivals(self, method: str) -> int:
        """How many calls of ``method`` came in, whether answered yet or not."""
        with self._lock:
            return self._arrivals.count(method)

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

    def messages_in(self, channel: str) -> list[dict[str, Any]]:
        """Messages that arrived in ``channel`` (connection dropped or not), oldest first."""
        with self._lock:
            return list(self._channel_messages.get(channel, []))

    def all_messages(self) -> dict[str, list[dict[str, Any]]]:
        """Every channel's messages, oldest first."""
        with self._lock:
            return {channel: list(found) for channel, found in self._channel_messages.items()}

    def clear(self) -> None:
        with self._lock:
            self._calls.clear()
            self._arrivals.clear()

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
        params = parse_params(request, body)
        method = request.match_info["method"]
        await self._arrive(method)
        if self.response_delay:
            await asyncio.sleep(self.response_delay)
        non_json = self._planned_non_json(method)
        if non_json is not None:
            self._record(method, request, body, params, non_json, NON_JSON_BODY)
            return web.Response(
                text=NON_JSON_BODY,
                status=non_json,
                headers={"Content-Type": "application/json"},
            )
        status, payload, headers = self._answer_api(method, request, params)
        reset = status == 200 and self._reset_now(method)
        self._record(method, request, body, params, status, payload, connection_reset=reset)
        if reset and request.transport is not None:
            request.transport.abort()  # carried out, never answered
        return web.json_response(payload, status=status, headers=headers)

    def _planned_non_json(self, method: str) -> int | None:
        with self._lock:
            queue = self._non_json.get(method)
            if not queue:
                return None
            planned = queue[0]
            planned.remaining -= 1
            if planned.remaining <= 0:
                queue.pop(0)
            return planned.status

    def _reset_now(self, method: str) -> bool:
        with self._lock:
            if self._resets.get(method, 0) > 0:
                self._resets[method] -= 1
                return True
            return (
                method in MESSAGE_METHODS
                and bool(self.reset_rate)
                and self._random.random() < self.reset_rate
            )

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
        return failure_response(planned.status, planned.retry_after)

    def _random_failure(self, method: str) -> tuple[int, dict[str, Any], dict[str, str]] | None:
        if method not in MESSAGE_METHODS:
            return None
        if self.rate_limit_per_second is not None:
            now = time.monotonic()
            if now - self._window_start >= 1.0:
                self._window_start, self._window_count = now, 0
            if self._window_count >= self.rate_limit_per_second:
                return failure_response(429, self.rate_limit_retry_after)
            self._window_count += 1
        if self.failure_rate and self._random.random() < self.failure_rate:
            return failure_response(500, 0)
        return None

    def _authorized(self, request: web.Request, params: dict[str, Any]) -> bool:
        header = request.headers.get("Authorization", "")
        token = header.removeprefix("Bearer ").strip() or str(params.get("token", ""))
        if self.valid_tokens is not None:
            return token in self.valid_tokens
        return token.startswith(("xox", "xapp-"))

    async def _arrive(self, method: str) -> None:
        """Note the call, then wait while the method is held."""
        with self._lock:
            self._arrivals.append(method)
            held = self._holds.get(method)
        if held is not None:
            await held.wait()

    async def _handle_response_url(self, request: web.Request) -> web.Response:
        body = await request.read()
        params = parse_params(request, body)
        await self._arrive(RESPONSE_URL)
        reset = self._reset_now(RESPONSE_URL)
        self._record(request.path, request, body, params, 200, "ok", connection_reset=reset)
        if reset and request.transport is not None:
            request.transport.abort()  # shown to the member, never answered
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
        *,
        connection_reset: bool = False,
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
            connection_reset=connection_reset,
        )
        with self._lock:
            self._calls.append(call)
