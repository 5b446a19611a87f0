"""A fake Discord REST API and gateway: a real aiohttp server on 127.0.0.1 (port 0).

discord.py's own HTTP client (routes, JSON and multipart bodies, rate-limit
handling) runs against it once ``discord.http.Route.BASE`` points here. Every
request is recorded so tests assert on what Discord would have received.

A minimal gateway websocket (``gateway_url``, see ``fake_discord_gateway``) lets
the whole bot run against it; ``fake.gateway.dispatch()`` delivers events such as
INTERACTION_CREATE. ``GET /gateway/bot`` answers one shard and
``gateway_bot_url`` (this gateway unless told otherwise).

Knobs make it misbehave the way Discord does:

* ``rate_limit_next(fragment, times=...)``: the next matching requests get
  ``429`` with a ``Via`` header and ``{"retry_after": 0.05, "global": false}``.
* ``fail_next(fragment, times=..., status=500, after=0)``: the next matching
  requests (after letting ``after`` of them through) fail.
* ``closed_dms``: user ids whose DMs are closed (``403``, code ``50007``).
* ``reset_next(fragment, times=...)`` and ``reset_rate`` (with ``seed``): the
  request is carried out (a message is created), then the connection is dropped
  without an answer, as when the network fails after Discord accepted it.
* A message created with a ``nonce`` and ``enforce_nonce: true`` is created once:
  a repeat of the nonce within ``nonce_memory`` seconds gets the first message
  back (Discord keeps nonces "a few minutes"). ``created_in(channel)`` lists the
  messages that really exist.
* Threads: ``POST /channels/{id}/threads`` makes a thread without a message (type
  12 = private) in a channel of ``guild_channels``; ``PUT
  /channels/{thread}/thread-members/{user}`` adds a member; ``GET
  /guilds/{id}/threads/active`` lists the guild's threads (each with its
  ``last_message_id``); ``GET /channels/{id}`` describes a channel or thread.
  ``threads`` holds them, ``thread_members`` who is in each.
  ``no_thread_permission``: channel ids where making a thread is refused (``403``,
  code ``50013`` Missing Permissions).
* ``gateway.close_code``: answer IDENTIFY by closing the gateway with this code
  (``4014``: privileged intents not enabled; ``4004``: bad token).

Usage::

    async with FakeDiscord(users=[FakeUser(111, "ana")]) as fake:
        discord.http.Route.BASE = fake.api_base
"""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.fake_discord_gateway import FakeGateway

API_PREFIX = "/api/v10"
BOT_ID = 900000000000000001
APPLICATION_ID = 900000000000000002
#: Snowflakes the fake hands out start here (a real-looking timestamp in 2024).
FIRST_SNOWFLAKE = 1200000000000000000
RETRY_AFTER = 0.05
GATEWAY_PATH = "/gateway/"
#: A second gateway path, for telling which URL a client connected to.
OTHER_GATEWAY_PATH = "/other-gateway/"


@dataclass(frozen=True)
class FakeUser:
    """A Discord user as the API describes it."""

    id: int
    username: str
    global_name: str | None = None
    bot: bool = False

    def as_discord(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "username": self.username,
            "global_name": self.global_name,
            "discriminator": "0",
            "avatar": None,
            "bot": self.bot,
        }


BOT_USER = FakeUser(BOT_ID, "memberbot", bot=True)


@dataclass(frozen=True)
class RecordedRequest:
    """One request the fake received: JSON body (or ``payload_json``) and any uploads."""

    method: str
    path: str  # without the /api/v10 prefix
    query: dict[str, str]
    headers: dict[str, str]
    json: Any
    files: dict[str, bytes]
    status: int
    response_id: str | None = None  # the id of the message the fake created, if any
    #: A repeated nonce: answered with the message created before, nothing new posted.
    deduplicated: bool = False
    #: Carried out, then the connection dropped without an answer.
    connection_reset: bool = False
    #: When it arrived (``time.monotonic()``), for timing interaction answers.
    received_at: float = 0.0


@dataclass
class _Failure:
    fragment: str
    times: int
    status: int
    after: int = 0  # matching requests let through before failing


@dataclass
class FakeDiscord:
    """The fake server; use as ``async with FakeDiscord(...) as fake``."""

    users: list[FakeUser] = field(default_factory=list)
    guild_members: dict[int, list[FakeUser]] = field(default_factory=dict)
    closed_dms: set[int] = field(default_factory=set)
    requests: list[RecordedRequest] = field(default_factory=list)
    dm_channels: dict[int, int] = field(default_factory=dict)  # channel id -> user id
    guild_channels: dict[int, int] = field(default_factory=dict)  # channel id -> guild id
    threads: dict[int, dict[str, Any]] = field(default_factory=dict)  # thread id -> payload
    thread_members: dict[int, set[int]] = field(default_factory=dict)  # thread id -> user ids
    no_thread_permission: set[int] = field(default_factory=set)
    gateway_bot_url: str | None = None
    port: int = 0
    reset_rate: float = 0.0
    seed: int = 1234
    nonce_memory: float = 180.0

    def __post_init__(self) -> None:
        self._ids = itertools.count(FIRST_SNOWFLAKE)
        self._failures: list[_Failure] = []
        self._resets: list[_Failure] = []
        self._random = random.Random(self.seed)
        #: (channel id, nonce) -> (when, the message created)
        self._nonces: dict[tuple[int, str], tuple[float, dict[str, Any]]] = {}
        self._created: dict[int, list[dict[str, Any]]] = {}
        self._runner: web.AppRunner | None = None
        self._changed = asyncio.Event()
        self.gateway = FakeGateway(
            bot_user=BOT_USER.as_discord(),
            application_id=APPLICATION_ID,
            resume_url=lambda: self.gateway_url,
            on_change=self._changed.set,
        )

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}{GATEWAY_PATH}"

    @property
    def other_gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}{OTHER_GATEWAY_PATH}"

    async def __aenter__(self) -> FakeDiscord:
        app = web.Application()
        app.router.add_get(GATEWAY_PATH, self.gateway.handle)
        app.router.add_get(OTHER_GATEWAY_PATH, self.gateway.handle)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.gateway.close_all()
        if self._runner is not None:
            await self._runner.cleanup()

    # -- knobs -------------------------------------------------------------------

    def rate_limit_next(self, fragment: str, *, times: int = 1) -> None:
        self._failures.append(_Failure(fragment=fragment, times=times, status=429))

    def fail_next(
        self, fragment: str, *, times: int = 1, status: int = 500, after: int = 0
    ) -> None:
        self._failures.append(_Failure(fragment=fragment, times=times, status=status, after=after))

    def reset_next(self, fragment: str, *, times: int = 1) -> None:
        """Carry out the next ``times`` matching requests, then drop their connections."""
        self._resets.append(_Failure(fragment=fragment, times=times, status=200))

    def next_id(self) -> int:
        return next(self._ids)

    async def wait_for(self, predicate: Callable[[FakeDiscord], bool]) -> None:
        """Wait until ``predicate(fake)`` holds; re-checked after every request or gateway frame."""
        while not predicate(self):
            self._changed.clear()
            await self._changed.wait()

    # -- queries for tests ---------------------------------------------------------

    def calls(
        self, method: str | None = None, fragment: str = "", *, status: int | None = None
    ) -> list[RecordedRequest]:
        return [
            r
            for r in self.requests
            if (method is None or r.method == method)
            and fragment in r.path
            and (status is None or r.status == status)
        ]

    def messages_in(self, channel_id: int) -> list[RecordedRequest]:
        """Requests that posted a new message in one channel (or DM channel)."""
        posted = self.calls("POST", f"/channels/{channel_id}/messages", status=200)
        return [r for r in posted if not r.deduplicated]

    def dms_to(self, user_id: int) -> list[RecordedRequest]:
        """Messages successfully delivered to a user's DM channel."""
        channels = [cid for cid, uid in self.dm_channels.items() if uid == user_id]
        return [r for cid in channels for r in self.messages_in(cid)]

    def created_in(self, channel_id: int) -> list[dict[str, Any]]:
        """Messages that exist in a channel (a deduplicated repeat is not a new one)."""
        return list(self._created.get(channel_id, []))

    def created_dms_to(self, user_id: int) -> list[dict[str, Any]]:
        channels = [cid for cid, uid in self.dm_channels.items() if uid == user_id]
        return [m for cid in channels for m in self.created_in(cid)]

    def threads_in(self, channel_id: int) -> list[dict[str, Any]]:
        """Threads that exist under one channel."""
        return [t for t in self.threads.values() if t["parent_id"] == str(channel_id)]

    # -- server ----------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        arrived = time.monotonic()
        body, files = await _read_body(request)
        path = request.path.removeprefix(API_PREFIX)
        response = self._injected_failure(request.method, path) or self._route(request, body)
        reset = 200 <= response.status < 300 and self._reset_now(request.method, path)
        self.requests.append(
            RecordedRequest(
                method=request.method,
                path=path,
                query=dict(request.query),
                headers=dict(request.headers),
                json=body,
                files=files,
                status=response.status,
                response_id=_created_id(response),
                deduplicated=response.headers.get(_DEDUPLICATED) == "1",
                connection_reset=reset,
                received_at=arrived,
            )
        )
        self._changed.set()
        if reset and request.transport is not None:
            request.transport.abort()  # carried out, never answered
        return response

    def _reset_now(self, method: str, path: str) -> bool:
        for planned in self._resets:
            if planned.times > 0 and planned.fragment in f"{method} {path}":
                planned.times -= 1
                return True
        is_message = method == "POST" and path.endswith("/messages")
        return is_message and bool(self.reset_rate) and self._random.random() < self.reset_rate

    def _injected_failure(self, method: str, path: str) -> web.Response | None:
        for failure in self._failures:
            if failure.times > 0 and failure.fragment in f"{method} {path}":
                if failure.after > 0:
                    failure.after -= 1
                    continue
                failure.times -= 1
                if failure.status == 429:
                    return _json(
                        {
                            "message": "You are being rate limited.",
                            "retry_after": RETRY_AFTER,
                            "global": False,
                        },
                        status=429,
                        headers={"Via": "1.1 google", "Retry-After": "1"},
                    )
                return _json(
                    _ERROR_BODIES.get(failure.status, _SERVER_ERROR), status=failure.status
                )
        return None

    def _route(self, request: web.Request, body: Any) -> web.Response:
        parts = request.path.removeprefix(API_PREFIX).strip("/").split("/")
        method = request.method
        match (method, parts):
            case ("GET", ["users", "@me"]):
                return _json(BOT_USER.as_discord())
            case ("GET", ["oauth2", "applications", "@me"]):
                return _json(self._application())
            case ("GET", ["gateway", "bot"]):
                return _json(
                    {
                        "url": self.gateway_bot_url or self.gateway_url,
                        "shards": 1,
                        "session_start_limit": {
                            "total": 1000,
                            "remaining": 1000,
                            "reset_after": 0,
                            "max_concurrency": 1,
                        },
                    }
                )
            case ("POST", ["interactions", interaction_id, _token, "callback"]):
                return _json(self._callback(interaction_id, body))
            case ("POST", ["webhooks", _app, _token]):
                return _json(self._message(channel_id=0, body=body, webhook=True))
            case ("PATCH", ["webhooks", _app, _token, "messages", _message]):
                return _json(self._message(channel_id=0, body=body, webhook=True))
            case ("DELETE", ["webhooks", _app, _token, "messages", _message]):
                return web.Response(status=204)
            case ("POST", ["users", "@me", "channels"]):
                return _json(self._dm_channel(int(body["recipient_id"])))
            case ("POST", ["channels", channel_id, "messages"]):
                return self._channel_message(int(channel_id), body)
            case ("DELETE", ["channels", _channel, "messages", _message]):
                return web.Response(status=204)
            case ("PUT", ["applications", _app, "guilds", _guild, "commands"]):
                return _json([self._command(c) for c in body])
            case ("PUT", ["applications", _app, "commands"]):
                return _json([self._command(c) for c in body])
            case ("POST", ["channels", channel_id, "threads"]):
                return self._new_thread(int(channel_id), body)
            case ("PUT", ["channels", thread_id, "thread-members", user_id]):
                return self._add_thread_member(int(thread_id), int(user_id))
            case ("GET", ["guilds", guild_id, "threads", "active"]):
                guild_threads = [t for t in self.threads.values() if t["guild_id"] == guild_id]
                return _json({"threads": guild_threads, "members": []})
            case ("GET", ["channels", channel_id]):
                return self._channel(int(channel_id))
            case ("GET", ["guilds", guild_id, "members"]):
                return _json(self._members(int(guild_id), request.query))
        return _json({"message": "404: Not Found", "code": 0}, status=404)

    # -- answers -------------------------------------------------------------------------

    def _application(self) -> dict[str, Any]:
        return {
            "id": str(APPLICATION_ID),
            "name": "memberbot",
            "description": "",
            "icon": None,
            "bot_public": False,
            "bot_require_code_grant": False,
            "owner": FakeUser(900000000000000003, "owner").as_discord(),
            "verify_key": "0" * 64,
            "flags": 0,
        }

    def _callback(self, interaction_id: str, body: Any) -> dict[str, Any]:
        flags = int((body.get("data") or {}).get("flags", 0))
        return {
            "interaction": {
                "id": interaction_id,
                "type": 2,
                "response_message_loading": body.get("type") == 5,
                "response_message_ephemeral": bool(flags & 64),
            },
            "resource": {"type": body.get("type")},
        }

    def _new_thread(self, channel_id: int, body: Any) -> web.Response:
        guild_id = self.guild_channels.get(channel_id)
        if guild_id is None:
            return _json({"message": "Unknown Channel", "code": 10003}, status=404)
        if channel_id in self.no_thread_permission:
            return _json({"message": "Missing Permissions", "code": 50013}, status=403)
        thread_id = self.next_id()
        thread = {
            "id": str(thread_id),
            "type": int(body.get("type", 11)),
            "guild_id": str(guild_id),
            "parent_id": str(channel_id),
            "owner_id": str(BOT_ID),
            "name": body["name"],
            "last_message_id": None,
            "message_count": 0,
            "member_count": 1,
            "rate_limit_per_user": 0,
            "flags": 0,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": int(body.get("auto_archive_duration", 4320)),
                "archive_timestamp": "2026-11-23T15:00:00.000000+00:00",
                "locked": False,
                "invitable": bool(body.get("invitable", True)),
            },
        }
        self.threads[thread_id] = thread
        self.thread_members[thread_id] = {BOT_ID}
        return _json(thread, status=201)

    def _add_thread_member(self, thread_id: int, user_id: int) -> web.Response:
        if thread_id not in self.threads:
            return _json({"message": "Unknown Channel", "code": 10003}, status=404)
        self.thread_members[thread_id].add(user_id)
        self.threads[thread_id]["member_count"] = len(self.thread_members[thread_id])
        return web.Response(status=204)

    def _channel(self, channel_id: int) -> web.Response:
        if channel_id in self.threads:
            return _json(self.threads[channel_id])
        guild_id = self.guild_channels.get(channel_id)
        if guild_id is None:
            return _json({"message": "Unknown Channel", "code": 10003}, status=404)
        return _json(
            {
                "id": str(channel_id),
                "type": 0,
                "guild_id": str(guild_id),
                "name": f"channel-{channel_id}",
                "position": 0,
                "permission_overwrites": [],
                "nsfw": False,
                "parent_id": None,
            }
        )

    def _channel_message(self, channel_id: int, body: Any) -> web.Response:
        user_id = self.dm_channels.get(channel_id)
        if user_id is not None and user_id in self.closed_dms:
            return _json(
                {"message": "Cannot send messages to this user", "code": 50007}, status=403
            )
        nonce = (body or {}).get("nonce")
        if nonce is not None and (body or {}).get("enforce_nonce"):
            seen = self._nonces.get((channel_id, str(nonce)))
            if seen is not None and time.monotonic() - seen[0] < self.nonce_memory:
                return _json(seen[1], headers={_DEDUPLICATED: "1"})
        created = self._message(channel_id=channel_id, body=body)
        if nonce is not None:
            created["nonce"] = nonce
            self._nonces[(channel_id, str(nonce))] = (time.monotonic(), created)
        self._created.setdefault(channel_id, []).append(created)
        if channel_id in self.threads:
            self.threads[channel_id]["last_message_id"] = created["id"]
            self.threads[channel_id]["message_count"] += 1
        return _json(created)

    def _message(self, *, channel_id: int, body: Any, webhook: bool = False) -> dict[str, Any]:
        body = body or {}
        return {
            "id": str(self.next_id()),
            "channel_id": str(channel_id or self.next_id()),
            "author": BOT_USER.as_discord(),
            "content": body.get("content", ""),
            "timestamp": "2026-11-23T15:00:00.000000+00:00",
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": body.get("embeds", []),
            "components": body.get("components", []),
            "pinned": False,
            "type": 0,
            "flags": int(body.get("flags", 0)),
            **({"webhook_id": str(APPLICATION_ID)} if webhook else {}),
        }

    def _dm_channel(self, user_id: int) -> dict[str, Any]:
        channel_id = next((c for c, u in self.dm_channels.items() if u == user_id), None)
        if channel_id is None:
            channel_id = self.next_id()
            self.dm_channels[channel_id] = user_id
        user = next((u for u in self.users if u.id == user_id), FakeUser(user_id, f"user{user_id}"))
        return {
            "id": str(channel_id),
            "type": 1,
            "recipients": [user.as_discord()],
            "last_message_id": None,
        }

    def _command(self, command: dict[str, Any]) -> dict[str, Any]:
        return {
            "description": "",  # context menus have none; Discord answers an empty one
            **command,
            "id": str(self.next_id()),
            "application_id": str(APPLICATION_ID),
            "version": "1",
            "default_member_permissions": None,
            "dm_permission": True,
            "nsfw": False,
        }

    def _members(self, guild_id: int, query: Any) -> list[dict[str, Any]]:
        limit = int(query.get("limit", 1))
        after = int(query.get("after", 0))
        members = sorted(self.guild_members.get(guild_id, []), key=lambda u: u.id)
        page = [u for u in members if u.id > after][:limit]
        return [
            {
                "user": u.as_discord(),
                "nick": None,
                "roles": [],
                "joined_at": "2024-01-01T00:00:00+00:00",
            }
            for u in page
        ]


_SERVER_ERROR = {"message": "Internal Server Error", "code": 0}
#: A header the fake marks its own deduplicated answers with (for the record only).
_DEDUPLICATED = "X-Fake-Deduplicated"
#: What Discord answers with these statuses (message and JSON error code).
_ERROR_BODIES = {
    401: {"message": "401: Unauthorized", "code": 0},
    403: {"message": "Missing Access", "code": 50001},
    404: {"message": "404: Not Found", "code": 0},
}


def _json(data: Any, *, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    # discord.py only parses bodies whose Content-Type is exactly application/json.
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def _created_id(response: web.Response) -> str | None:
    if response.status != 200 or not isinstance(response.body, bytes):
        return None
    created = json.loads(response.body)
    return str(created["id"]) if isinstance(created, dict) and "id" in created else None


async def _read_body(request: web.Request) -> tuple[Any, dict[str, bytes]]:
    """JSON bodies as is; multipart bodies as their ``payload_json`` plus uploaded files."""
    if request.content_type.startswith("multipart/"):
        payload: Any = None
        files: dict[str, bytes] = {}
        reader = await request.multipart()
        async for part in reader:
            data = await part.read()  # type: ignore[union-attr]
            if part.name == "payload_json":
                payload = json.loads(data)
            else:
                files[part.filename or part.name or "file"] = bytes(data)
        return payload, files
    if request.can_read_body:
        raw = await request.read()
        return (json.loads(raw) if raw else None), {}
    return None, {}
