"""A local TCP server that speaks just enough of the PostgreSQL wire protocol to refuse
every connection with one error, as a real server does while it starts up.

PostgreSQL answers a client's startup message with an ErrorResponse and closes the
connection when it cannot take connections yet (SQLSTATE 57P03, "the database system
is starting up"). Drivers see exactly what they would see from the real server.
"""

from __future__ import annotations

import asyncio
import queue
import struct
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field

SSL_REQUEST_CODE = 80877103
GSSENC_REQUEST_CODE = 80877104
STARTING_UP = ("57P03", "the database system is starting up")


def error_response(sqlstate: str, message: str) -> bytes:
    """An ErrorResponse ('E') message with severity FATAL."""
    fields = b""
    for code, value in (("S", "FATAL"), ("V", "FATAL"), ("C", sqlstate), ("M", message)):
        fields += code.encode() + value.encode() + b"\0"
    fields += b"\0"
    return b"E" + struct.pack("!I", len(fields) + 4) + fields


@dataclass
class FakePostgres:
    """Refuses each connection with ``error`` (SQLSTATE, message) until told otherwise."""

    error: tuple[str, str] = STARTING_UP
    port: int = 0
    connections: int = 0
    _server: asyncio.base_events.Server | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/test"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                length = struct.unpack("!I", await reader.readexactly(4))[0]
                body = await reader.readexactly(length - 4)
                code = struct.unpack("!I", body[:4])[0]
                if code in (SSL_REQUEST_CODE, GSSENC_REQUEST_CODE):
                    writer.write(b"N")  # no encryption: go on in plain text
                    await writer.drain()
                    continue
                writer.write(error_response(*self.error))
                await writer.drain()
                break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


@asynccontextmanager
async def fake_postgres(error: tuple[str, str] = STARTING_UP) -> AsyncIterator[FakePostgres]:
    """A running :class:`FakePostgres` on 127.0.0.1 (a free port)."""
    fake = FakePostgres(error=error)
    server = await asyncio.start_server(fake._handle, "127.0.0.1", 0)
    fake._server = server
    fake.port = server.sockets[0].getsockname()[1]
    async with server:
        yield fake


@contextmanager
def fake_postgres_in_thread(error: tuple[str, str] = STARTING_UP) -> Iterator[FakePostgres]:
    """A :class:`FakePostgres` on its own event loop thread, for a bot run as a subprocess."""
    started: queue.Queue[FakePostgres] = queue.Queue()
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()

    async def serve() -> None:
        async with fake_postgres(error) as fake:
            started.put(fake)
            await stop.wait()

    thread = threading.Thread(target=loop.run_until_complete, args=(serve(),), daemon=True)
    thread.start()
    try:
        yield started.get(timeout=10)
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(timeout=10)
        loop.close()
