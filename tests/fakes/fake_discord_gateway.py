"""The fake Discord's gateway websocket: just enough for discord.py to connect.

HELLO on connect, an ACK for every heartbeat, READY in answer to IDENTIFY (or
a close with a chosen code), and :meth:`FakeGateway.dispatch` to deliver events
such as INTERACTION_CREATE the way Discord does. Served by
:class:`tests.fakes.fake_discord.FakeDiscord` on the same port as its REST API.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from aiohttp import WSMsgType, web

#: Gateway opcodes (Discord's numbering).
OP_DISPATCH, OP_HEARTBEAT, OP_IDENTIFY, OP_HELLO, OP_HEARTBEAT_ACK = 0, 1, 2, 10, 11
HEARTBEAT_INTERVAL_MS = 45000


@dataclass(frozen=True)
class GatewayConnection:
    """One websocket a client opened: the path and query it used, and its IDENTIFY."""

    path: str
    query: dict[str, str]
    identify: dict[str, Any] | None = None


@dataclass
class FakeGateway:
    """Gateway state and behaviour; ``close_code`` answers IDENTIFY with that close.

    Discord closes with ``4014`` when a privileged intent is not enabled in the
    Developer Portal and ``4004`` for a bad token.
    """

    bot_user: dict[str, Any]
    application_id: int
    resume_url: Callable[[], str]
    on_change: Callable[[], None]
    connections: list[GatewayConnection] = field(default_factory=list)
    close_code: int | None = None

    def __post_init__(self) -> None:
        self._ready: list[web.WebSocketResponse] = []
        self._sequence = itertools.count(1)

    @property
    def ready_connections(self) -> int:
        """Connections that identified and got READY (and are still open)."""
        return len(self._ready)

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send an event to every identified client."""
        for socket in self._ready:
            await socket.send_json(self._event(event, data))

    async def close_all(self) -> None:
        for socket in list(self._ready):
            await socket.close()

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        """One client connection, from HELLO until either side closes."""
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        index = len(self.connections)
        self.connections.append(GatewayConnection(path=request.path, query=dict(request.query)))
        await socket.send_json({"op": OP_HELLO, "d": {"heartbeat_interval": HEARTBEAT_INTERVAL_MS}})
        try:
            async for frame in socket:
                if frame.type != WSMsgType.TEXT:
                    continue
                payload = json.loads(frame.data)
                if payload.get("op") == OP_HEARTBEAT:
                    await socket.send_json({"op": OP_HEARTBEAT_ACK})
                elif payload.get("op") == OP_IDENTIFY:
                    self.connections[index] = replace(
                        self.connections[index], identify=payload["d"]
                    )
                    await self._answer_identify(socket, payload["d"])
                self.on_change()
        finally:
            if socket in self._ready:
                self._ready.remove(socket)
            self.on_change()
        return socket

    async def _answer_identify(self, socket: web.WebSocketResponse, identify: dict) -> None:
        if self.close_code is not None:
            await socket.close(code=self.close_code, message=b"refused by the fake")
            return
        ready: dict[str, Any] = {
            "v": 10,
            "user": self.bot_user,
            "guilds": [],
            "session_id": "fake-session",
            "resume_gateway_url": self.resume_url(),
            "application": {"id": str(self.application_id), "flags": 0},
        }
        if "shard" in identify:
            ready["shard"] = identify["shard"]
        await socket.send_json(self._event("READY", ready))
        self._ready.append(socket)

    def _event(self, name: str, data: dict[str, Any]) -> dict[str, Any]:
        return {"op": OP_DISPATCH, "t": name, "s": next(self._sequence), "d": data}
