"""Slack wiring: the Bolt AsyncApp, its HTTP server or Socket Mode, and ``run()``.

``memberbot run slack`` uses Socket Mode when ``SLACK_APP_TOKEN`` is set (no
public URL needed), otherwise serves HTTP on ``PORT`` at ``/slack/events`` with
signing-secret verification. HTTP workers hold no state of their own beyond
caches, so several can run behind a load balancer sharing one PostgreSQL.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from dataclasses import dataclass

from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.app.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.client import build_client
from adapters.slack.directory import StaffDirectory, UserDirectory
from adapters.slack.handlers import SlackHandlers
from adapters.slack.sender import SlackSender
from adapters.slack.settings import SlackSettings
from adapters.slack.translate import SLASH_COMMANDS
from bot.cli.common import EXIT_USAGE, build_core, load_cli_settings, run_async
from bot.config import Settings, load_settings
from bot.core import BotCore
from bot.errors import ConfigError

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"


@dataclass(frozen=True, slots=True)
class SlackBot:
    """A ready Bolt app plus the pieces tests and benchmarks look at."""

    app: AsyncApp
    core: BotCore
    sender: SlackSender
    handlers: SlackHandlers


def build_sender(settings: SlackSettings, *, client: AsyncWebClient | None = None) -> SlackSender:
    """The outbound sender; build it first, the core takes it as its ``outbound``."""
    client = client or build_client(token=settings.slack_bot_token, base_url=settings.slack_api_url)
    return SlackSender(client=client, channels=settings.channels)


def build_slack_bot(
    *,
    core: BotCore,
    settings: SlackSettings,
    sender: SlackSender,
    request_verification_enabled: bool = True,
) -> SlackBot:
    """Wire the core into a Bolt AsyncApp with every listener registered."""
    client = sender.client
    handlers = SlackHandlers(
        core=core,
        sender=sender,
        users=UserDirectory(client=client),
        staff=StaffDirectory(
            client=client,
            staff_user_ids=settings.staff_user_ids,
            staff_usergroup_id=settings.slack_staff_usergroup_id,
        ),
    )
    app = AsyncApp(
        client=client,
        signing_secret=settings.slack_signing_secret,
        request_verification_enabled=request_verification_enabled and not settings.socket_mode,
    )
    for slash_command in SLASH_COMMANDS:
        app.command(slash_command)(handlers.on_command)
    app.event("app_mention")(handlers.on_app_mention)
    app.event("message")(handlers.on_message)
    return SlackBot(app=app, core=core, sender=sender, handlers=handlers)


def create_web_app(app: AsyncApp) -> web.Application:
    """The HTTP endpoint: Bolt at ``/slack/events`` plus a health check for load balancers."""
    web_app = app.web_app(path=EVENTS_PATH)
    web_app.router.add_get(HEALTH_PATH, _health)
    return web_app


async def _health(request: web.Request) -> web.Response:
    return web.Response(text="ok")


def run() -> int:
    """``memberbot run slack``: returns the process exit code."""
    try:
        core_settings = load_cli_settings()
        slack_settings = load_settings(SlackSettings)
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return EXIT_USAGE
    return run_async(lambda: serve(core_settings, slack_settings))


async def serve(core_settings: Settings, slack_settings: SlackSettings) -> int:
    """Run the bot until SIGINT/SIGTERM."""
    sender = build_sender(slack_settings)
    core = build_core(core_settings, outbound=sender)
    await core.start()
    bot = build_slack_bot(core=core, settings=slack_settings, sender=sender)
    stop = asyncio.Event()
    _stop_on_signals(stop)
    background = asyncio.create_task(core.run_background(), name="memberbot-background")
    try:
        if slack_settings.socket_mode:
            await _serve_socket_mode(bot.app, slack_settings.slack_app_token, stop)
        else:
            await _serve_http(bot.app, slack_settings.port, stop)
    finally:
        background.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await background
        await core.database.dispose()
    return 0


async def _serve_http(app: AsyncApp, port: int, stop: asyncio.Event) -> None:
    runner = web.AppRunner(create_web_app(app), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "0.0.0.0", port).start()
    log.info("Slack HTTP endpoint ready", extra={"port": port, "path": EVENTS_PATH})
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


async def _serve_socket_mode(app: AsyncApp, app_token: str, stop: asyncio.Event) -> None:
    handler = AsyncSocketModeHandler(app, app_token)
    await handler.connect_async()
    log.info("Slack Socket Mode connected")
    try:
        await stop.wait()
    finally:
        await handler.close_async()


def _stop_on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
