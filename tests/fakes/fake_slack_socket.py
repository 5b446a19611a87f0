"""Local Socket Mode endpoints: a websocket like Slack's, and one that never answers.

Both run on the test's own event loop at 127.0.0.1 (port 0). Point
``FakeSlack.socket_mode_url`` at ``url`` so ``apps.connections.open`` hands it out.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

from aiohttp import WSMsgType, web


class SocketModeServer:
    """A websocket endpoint like Slack's: says hello, sends envelopes, collects the acks."""

    def __init__(self) -> None:
        self.connected = asyncio.Event()
        self.connections = 0
        self.acks: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.url = ""
        self._socket: web.WebSocketResponse | None = None

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._socket = socket
        self.connections += 1
        await socket.send_str(json.dumps({"type": "hello", "num_connections": 1}))
        self.connected.set()
        async for message in socket:
            if message.type == WSMsgType.TEXT:
                await self.acks.put(json.loads(message.data))
        return socket

    async def send(self, envelope: dict[str, Any]) -> None:
        assert self._socket is not None, "no Socket Mode client is connected"
        await self._socket.send_str(json.dumps(envelope))


@contextlib.asynccontextmanager
async def socket_mode_server() -> AsyncIterator[SocketModeServer]:
    server = SocketModeServer()
    app = web.Application()
    app.router.add_get("/link", server.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    server.url = f"ws://127.0.0.1:{runner.addresses[0][1]}/link"
    try:
        yield server
    finally:
        await runner.cleanup()


class SilentServer:
    """Accepts TCP connections and never answers: a websocket handshake that hangs."""

    def __init__(self) -> None:
        self.connected = asyncio.Event()
        self.url = ""
        self._writers: list[asyncio.StreamWriter] = []

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.append(writer)
        self.connected.set()
        with contextlib.suppress(ConnectionError):
            await reader.read()  # until the client gives up

    def close_connections(self) -> None:
        for writer in self._writers:
            writer.close()


@contextlib.asynccontextmanager
async def silent_server() -> AsyncIterator[SilentServer]:
    silent = SilentServer()
    server = await asyncio.start_server(silent._accept, "127.0.0.1", 0)
    silent.url = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/link"
    try:
        yield silent
    finally:
        silent.close_connections()
        server.close()
        await server.wait_closed()
