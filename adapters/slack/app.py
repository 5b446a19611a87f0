"""Slack wiring: the Bolt AsyncApp and the pieces it is built from.

``memberbot run slack`` (see :mod:`adapters.slack.serve`) uses Socket Mode when
``SLACK_APP_TOKEN`` is set (no public URL needed), otherwise serves HTTP on
``PORT`` at ``/slack/events`` with signing-secret verification. HTTP workers
hold no state of their own beyond caches, so several can run behind a load
balancer sharing one PostgreSQL.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.logger.messages import (
    warning_client_prioritized_and_token_skipped,
    warning_token_skipped,
)
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import ACTION_PREFIX, FORM_CALLBACK
from adapters.slack.client import build_client
from adapters.slack.commands import shortcuts
from adapters.slack.directory import StaffDirectory, UserDirectory
from adapters.slack.handlers import SlackHandlers
from adapters.slack.http_guard import guard_path
from adapters.slack.interactive import SlackInteractions
from adapters.slack.sender import SlackSender
from adapters.slack.settings import SlackSettings
from adapters.slack.work import PostAckWork
from bot.core import BotCore

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"


class _BoltTokenNotices(logging.Filter):
    """Drops Bolt's start-up notices about ``token`` vs ``client``.

    Bolt reads ``SLACK_BOT_TOKEN`` from the environment on its own and then warns
    that it will use the client we give it (which carries that same token).
    """

    NOTICES = frozenset({warning_client_prioritized_and_token_skipped(), warning_token_skipped()})

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() not in self.NOTICES


_BOLT_APP_LOGGER = logging.getLogger("slack_bolt.AsyncApp")
if not any(isinstance(f, _BoltTokenNotices) for f in _BOLT_APP_LOGGER.filters):
    _BOLT_APP_LOGGER.addFilter(_BoltTokenNotices())


class _AckFirstApp(AsyncApp):
    """An AsyncApp that tells the post-ack work while requests wait for their ack."""

    def __init__(self, *, work: PostAckWork, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._work = work

    async def async_dispatch(self, req: AsyncBoltRequest) -> BoltResponse:
        self._work.request_started()
        try:
            return await super().async_dispatch(req)
        finally:
            self._work.request_finished()


@dataclass(frozen=True, slots=True)
class SlackBot:
    """A ready Bolt app plus the pieces tests and benchmarks look at."""

    app: AsyncApp
    core: BotCore
    sender: SlackSender
    handlers: SlackHandlers

    @property
    def work(self) -> PostAckWork:
        return self.handlers.work


def build_sender(
    settings: SlackSettings,
    *,
    client: AsyncWebClient | None = None,
    session: aiohttp.ClientSession | None = None,
) -> SlackSender:
    """The outbound sender; build it first, the core takes it as its ``outbound``."""
    client = client or build_client(
        token=settings.slack_bot_token, base_url=settings.slack_api_url, session=session
    )
    return SlackSender(
        client=client, channels=settings.channels, command_names=settings.command_names
    )


def build_slack_bot(
    *,
    core: BotCore,
    settings: SlackSettings,
    sender: SlackSender,
    request_verification_enabled: bool = True,
    identity: AuthorizeResult | None = None,
    work: PostAckWork | None = None,
) -> SlackBot:
    """Wire the core into a Bolt AsyncApp with every listener registered.

    ``identity`` is the bot's ``auth.test`` result (see
    :func:`adapters.slack.startup.verify_bot_token`). With it, Bolt authorizes
    requests without calling Slack; without it Bolt calls ``auth.test`` itself
    on the first request.
    """
    client = sender.client
    work = work or PostAckWork()
    handlers = SlackHandlers(
        core=core,
        sender=sender,
        users=UserDirectory(client=client),
        staff=StaffDirectory(
            client=client,
            staff_user_ids=settings.staff_user_ids,
            staff_usergroup_id=settings.slack_staff_usergroup_id,
        ),
        work=work,
        names=settings.command_names,
    )
    authorize = None
    if identity is not None:

        async def authorize() -> AuthorizeResult:
            return identity

    app = _AckFirstApp(
        work=work,
        name="memberbot",
        client=client,
        authorize=authorize,
        signing_secret=settings.slack_signing_secret,
        request_verification_enabled=request_verification_enabled and not settings.socket_mode,
    )
    for slash_command in handlers.slash_commands:
        app.command(slash_command)(handlers.on_command)
    app.event("app_mention")(handlers.on_app_mention)
    app.event("message")(handlers.on_message)
    interactions = SlackInteractions(handlers)
    handlers.interactions = interactions
    # Buttons and selects of ours only; inputs inside modals dispatch no actions.
    app.action(re.compile("^" + re.escape(ACTION_PREFIX)))(interactions.on_block_action)
    app.view(FORM_CALLBACK)(interactions.on_view_submission)
    for shortcut in shortcuts(core.commands):
        app.shortcut(shortcut.callback_id)(interactions.on_shortcut)
    app.event("app_home_opened")(interactions.on_app_home_opened)
    return SlackBot(app=app, core=core, sender=sender, handlers=handlers)


def create_web_app(app: AsyncApp) -> web.Application:
    """The HTTP endpoint: Bolt at ``/slack/events`` plus a health check for load balancers."""
    web_app = app.web_app(path=EVENTS_PATH)
    # Malformed requests get a 400/401 and one log line, not a 500 and a traceback.
    web_app.middlewares.append(guard_path(EVENTS_PATH))
    web_app.router.add_get(HEALTH_PATH, _health)
    return web_app


async def _health(request: web.Request) -> web.Response:
    return web.Response(text="ok")
