"""Running the Slack bot: start-up checks, HTTP or Socket Mode, and a clean stop.

Start-up checks the tokens once (``auth.test``, and ``apps.connections.open``
in Socket Mode): a problem is one clear line on stderr and a non-zero exit.
SIGINT/SIGTERM stop the bot at any point, even while Socket Mode is still
connecting. On the way out it stops taking requests, finishes the work behind
requests it already acknowledged (bounded), then stops the background services
and closes the database: a rolling restart behind a load balancer loses nothing
that Slack was told is being handled.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
import sys
from collections.abc import Callable

import aiohttp
from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from adapters.slack.app import EVENTS_PATH, SlackBot, build_sender, build_slack_bot, create_web_app
from adapters.slack.settings import SlackSettings
from adapters.slack.startup import StartupFailure, open_socket_mode_url, verify_bot_token
from adapters.slack.work import PostAckWork
from bot.cli.common import EXIT_UNAVAILABLE, EXIT_USAGE, build_core
from bot.config import Settings

log = logging.getLogger(__name__)

#: How long shutdown lets acknowledged requests finish before abandoning them.
SHUTDOWN_GRACE_SECONDS = 15.0
#: How long shutdown waits for HTTP requests already received to get their ack.
ACK_SHUTDOWN_SECONDS = 5.0
#: How long shutdown lets background services finish in-flight sends.
BACKGROUND_STOP_SECONDS = 10.0
#: How long the first Socket Mode connection may take before start-up gives up.
SOCKET_CONNECT_TIMEOUT_SECONDS = 60.0
#: SDK messages about the Socket Mode connection; kept to one line each.
SOCKET_MODE_LOGGER = "adapters.slack.socket_mode"

ReadyCallback = Callable[[str], None]


async def serve(
    core_settings: Settings,
    slack_settings: SlackSettings,
    *,
    stop: asyncio.Event | None = None,
    on_ready: ReadyCallback | None = None,
    shutdown_grace: float = SHUTDOWN_GRACE_SECONDS,
) -> int:
    """Run the bot until SIGINT/SIGTERM (or ``stop`` is set); returns the exit code.

    ``on_ready`` is called once the bot takes requests, with the HTTP endpoint's
    URL or ``"socket-mode"``.
    """
    stop = stop or asyncio.Event()
    async with aiohttp.ClientSession() as session:
        sender = build_sender(slack_settings, session=session)
        try:
            identity = await verify_bot_token(sender.client)
            socket_url = (
                await open_socket_mode_url(sender.client, slack_settings.slack_app_token)
                if slack_settings.socket_mode
                else None
            )
        except StartupFailure as failure:
            print(failure, file=sys.stderr)
            return failure.exit_code
        log.info(
            "Slack tokens accepted",
            extra={"slack_team": identity.team_id, "slack_bot_user": identity.bot_user_id},
        )
        core = build_core(core_settings, outbound=sender)
        try:
            await core.start()
            work = PostAckWork()
            bot = build_slack_bot(
                core=core, settings=slack_settings, sender=sender, identity=identity, work=work
            )
            settle_heap()
            background = asyncio.create_task(core.run_background(), name="memberbot-background")
            restore_signals = _stop_on_signals(stop)
            try:
                if socket_url is not None:
                    return await _serve_socket_mode(
                        bot, slack_settings.slack_app_token, socket_url, stop, on_ready
                    )
                return await _serve_http(bot, slack_settings.port, stop, on_ready)
            finally:
                restore_signals()
                await work.drain(shutdown_grace)
                background.cancel()
                await asyncio.wait([background], timeout=BACKGROUND_STOP_SECONDS)
        finally:
            await core.database.dispose()


def settle_heap() -> None:
    """Take what start-up built (libraries, the knowledge index) out of garbage collection.

    A full collection walks every tracked object: over a hundred thousand after
    start-up, a pause of 100+ ms during which no ack goes out. Frozen, those are
    skipped and a full collection walks only what was made since.
    """
    gc.collect()
    gc.freeze()


async def _serve_http(
    bot: SlackBot, port: int, stop: asyncio.Event, on_ready: ReadyCallback | None
) -> int:
    runner = web.AppRunner(
        create_web_app(bot.app), access_log=None, shutdown_timeout=ACK_SHUTDOWN_SECONDS
    )
    await runner.setup()
    try:
        try:
            await web.TCPSite(runner, "0.0.0.0", port).start()
        except OSError as error:
            print(
                f"configuration error: cannot listen on PORT {port} ({error.strerror or error})",
                file=sys.stderr,
            )
            return EXIT_USAGE
        bound_port = runner.addresses[0][1]
        log.info("Slack HTTP endpoint ready", extra={"port": bound_port, "path": EVENTS_PATH})
        if on_ready is not None:
            on_ready(f"http://127.0.0.1:{bound_port}{EVENTS_PATH}")
        await stop.wait()
        log.info("stopping: no new Slack requests are taken")
    finally:
        # Stops listening, then lets requests already received get their ack.
        await runner.cleanup()
    return 0


async def _serve_socket_mode(
    bot: SlackBot,
    app_token: str,
    socket_url: str,
    stop: asyncio.Event,
    on_ready: ReadyCallback | None,
) -> int:
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
            return 0
        if connecting not in done:
            print(
                "Slack is unreachable: the Socket Mode connection did not open within "
                f"{SOCKET_CONNECT_TIMEOUT_SECONDS:.0f} s; check the network, then start again",
                file=sys.stderr,
            )
            return EXIT_UNAVAILABLE
        connecting.result()
        log.info("Slack Socket Mode connected")
        if on_ready is not None:
            on_ready("socket-mode")
        await stopping
        log.info("stopping: closing the Socket Mode connection")
        return 0
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


def _stop_on_signals(stop: asyncio.Event) -> Callable[[], None]:
    """Set ``stop`` on SIGINT/SIGTERM; returns a function that restores the defaults."""
    loop = asyncio.get_running_loop()
    installed: list[signal.Signals] = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
            installed.append(sig)

    def restore() -> None:
        for sig in installed:
            loop.remove_signal_handler(sig)

    return restore
