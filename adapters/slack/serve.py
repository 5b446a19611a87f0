"""The Slack adapter: start-up checks, HTTP or Socket Mode, and a clean stop.

:class:`SlackAdapter` is what :class:`bot.runner.Runner` drives. Opening checks
the tokens once (``auth.test``, and ``apps.connections.open`` in Socket Mode):
a problem is a :class:`~bot.exits.StartupFailure` (one clear line, exit 2 for a
token to fix, 3 for Slack unreachable). Serving stops at SIGINT/SIGTERM at any
point, even while Socket Mode is still connecting. On the way out it stops
taking requests and finishes the work behind requests it already acknowledged
(bounded), before the runner stops the background services and closes the
database: a rolling restart behind a load balancer loses nothing that Slack was
told is being handled.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Callable

import aiohttp
from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.authorization import AuthorizeResult

from adapters.slack.app import EVENTS_PATH, SlackBot, build_sender, build_slack_bot, create_web_app
from adapters.slack.sender import SlackSender
from adapters.slack.settings import SlackSettings
from adapters.slack.startup import open_socket_mode_url, verify_bot_token
from adapters.slack.work import PostAckWork
from bot.core import BotCore
from bot.exits import EXIT_UNAVAILABLE, EXIT_USAGE, StartupFailure

log = logging.getLogger(__name__)

#: How long shutdown lets acknowledged requests finish before abandoning them.
SHUTDOWN_GRACE_SECONDS = 15.0
#: How long shutdown waits for HTTP requests already received to get their ack.
ACK_SHUTDOWN_SECONDS = 5.0
#: How long the first Socket Mode connection may take before start-up gives up.
SOCKET_CONNECT_TIMEOUT_SECONDS = 60.0
#: SDK messages about the Socket Mode connection; kept to one line each.
SOCKET_MODE_LOGGER = "adapters.slack.socket_mode"

ReadyCallback = Callable[[str], None]


class SlackAdapter:
    """Slack for the runner: HTTP on ``PORT``, or Socket Mode when ``SLACK_APP_TOKEN`` is set.

    Args:
        settings: The Slack settings, already loaded.
        on_ready: Called once the bot takes requests, with the HTTP endpoint's
            URL or ``"socket-mode"``.
        shutdown_grace: Seconds acknowledged work may take to finish at stop.
    """

    def __init__(
        self,
        settings: SlackSettings,
        *,
        on_ready: ReadyCallback | None = None,
        shutdown_grace: float = SHUTDOWN_GRACE_SECONDS,
    ) -> None:
        self.settings = settings
        self.on_ready = on_ready
        self.shutdown_grace = shutdown_grace
        self._session: aiohttp.ClientSession | None = None
        self._sender: SlackSender | None = None
        self._identity: AuthorizeResult | None = None
        self._socket_url: str | None = None

    async def open(self) -> SlackSender:
        """Check SLACK_BOT_TOKEN (and SLACK_APP_TOKEN in Socket Mode); the sender."""
        self._session = aiohttp.ClientSession()
        sender = build_sender(self.settings, session=self._session)
        self._identity = await verify_bot_token(sender.client)
        if self.settings.socket_mode:
            self._socket_url = await open_socket_mode_url(
                sender.client, self.settings.slack_app_token
            )
        log.info(
            "Slack tokens accepted",
            extra={
                "slack_team": self._identity.team_id,
                "slack_bot_user": self._identity.bot_user_id,
            },
        )
        self._sender = sender
        return sender

    async def serve(
        self, core: BotCore, *, stop: asyncio.Event, started: Callable[[], None]
    ) -> None:
        """Serve HTTP or Socket Mode until ``stop``; then finish the acknowledged work."""
        assert self._sender is not None, "open() first"
        work = PostAckWork()
        bot = build_slack_bot(
            core=core,
            settings=self.settings,
            sender=self._sender,
            identity=self._identity,
            work=work,
        )
        settle_heap()
        try:
            if self._socket_url is not None:
                await _serve_socket_mode(
                    bot, self.settings.slack_app_token, self._socket_url, stop, self._ready(started)
                )
            else:
                await _serve_http(bot, self.settings.port, stop, self._ready(started))
        finally:
            await work.drain(self.shutdown_grace)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    def _ready(self, started: Callable[[], None]) -> ReadyCallback:
        def ready(address: str) -> None:
            started()
            if self.on_ready is not None:
                self.on_ready(address)

        return ready


def settle_heap() -> None:
    """Take what start-up built (libraries, the knowledge index) out of garbage collection.

    A full collection walks every tracked object: over a hundred thousand after
    start-up, a pause of 100+ ms during which no ack goes out. Frozen, those are
    skipped and a full collection walks only what was made since.
    """
    gc.collect()
    gc.freeze()


async def _serve_http(
    bot: SlackBot, port: int, stop: asyncio.Event, on_ready: ReadyCallback
) -> None:
    runner = web.AppRunner(
        create_web_app(bot.app), access_log=None, shutdown_timeout=ACK_SHUTDOWN_SECONDS
    )
    await runner.setup()
    try:
        try:
            await web.TCPSite(runner, "0.0.0.0", port).start()
        except OSError as error:
            raise StartupFailure(
                f"configuration error: cannot listen on PORT {port} ({error.strerror or error})",
                exit_code=EXIT_USAGE,
            ) from error
        bound_port = runner.addresses[0][1]
        log.info("Slack HTTP endpoint ready", extra={"port": bound_port, "path": EVENTS_PATH})
        on_ready(f"http://127.0.0.1:{bound_port}{EVENTS_PATH}")
        await stop.wait()
        log.info("stopping: no new Slack requests are taken")
    finally:
        # Stops listening, then lets requests already received get their ack.
        await runner.cleanup()


async def _serve_socket_mode(
    bot: SlackBot,
    app_token: str,
    socket_url: str,
    stop: asyncio.Event,
    on_ready: ReadyCallback,
) -> None:
    handler = AsyncSocketModeHandler(bot.app, app_token, logger=_socket_mode_logger())
    # The URL start-up just checked the app token with: no second apps.connections.open.
    handler.client.wss_uri = socket_url
    connecting = asyncio.create_task(handler.connect_async(), name="slack-socket-connect")
    stopping = asyncio.create_task(stop.wait(), name="slack-stop")
    try:
        done, _ = await asyncio.wait(
            {connecting, stopping},
            timeout=SOCKET_CONNECT_TIMEOUT_SECONDS,
            return_when=asyncio.FIRST_COMPLETED,
        )
        if stopping in done:
            log.info("stopped before the Socket Mode connection was open")
            return
        if connecting not in done:
            raise StartupFailure(
                "Slack is unreachable: the Socket Mode connection did not open within "
                f"{SOCKET_CONNECT_TIMEOUT_SECONDS:.0f} s; check the network, then start again",
                exit_code=EXIT_UNAVAILABLE,
            )
        connecting.result()
        log.info("Slack Socket Mode connected")
        on_ready("socket-mode")
        await stopping
        log.info("stopping: closing the Socket Mode connection")
    finally:
        for task in (connecting, stopping):
            task.cancel()
        await asyncio.wait([connecting, stopping])
        await handler.close_async()


class _OneLine(logging.Filter):
    """The SDK logs every failed connection attempt with a traceback; keep its message."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        return True


def _socket_mode_logger() -> logging.Logger:
    logger = logging.getLogger(SOCKET_MODE_LOGGER)
    if not any(isinstance(f, _OneLine) for f in logger.filters):
        logger.addFilter(_OneLine())
    return logger
