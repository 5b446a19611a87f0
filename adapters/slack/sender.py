"""SlackSender: the core's OutboundSender on the Slack Web API."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from adapters.slack.directory import PLATFORM, user_ref_from_member
from adapters.slack.render import render
from bot.errors import DeliveryError
from bot.outbound import ChannelTarget, Pace, PostedMessage
from bot.replies import Attachment, Message
from bot.requests import UserRef

log = logging.getLogger(__name__)

#: Slack errors that retrying cannot fix: the person, channel or message is gone
#: or closed to the bot.
PERMANENT_ERRORS = frozenset(
    {
        "user_not_found",
        "users_not_found",
        "user_disabled",
        "account_inactive",
        "cannot_dm_bot",
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "msg_too_long",
        "no_text",
        "invalid_blocks",
        "restricted_action",
        "message_not_found",
        "cant_delete_message",
        "not_authed",
        "invalid_auth",
        "token_revoked",
        "missing_scope",
        "ekm_access_denied",
    }
)
USERS_PAGE_SIZE = 200
#: Broadcast pace under ``auto``. Slack publishes no workspace-wide figure for
#: chat.postMessage and answers the excess with 429 + Retry-After, which the
#: client waits out at no other cost: so no fixed pace, and enough sends in
#: flight that some are always ready when Slack's window reopens (with few, all
#: of them sit out a Retry-After at once and a broadcast runs up to a fifth
#: slower than the limit allows).
SLACK_PACE = Pace(max_per_second=None, concurrency=32)

ResultT = TypeVar("ResultT")


class SlackSender:
    """Posts, DMs, deletes and lists members through one AsyncWebClient.

    The client carries the retry handlers (see :mod:`adapters.slack.client`), so
    a 429 is waited out and a 500 retried before anything is reported here.
    """

    platform = PLATFORM
    default_pace = SLACK_PACE

    def __init__(
        self,
        *,
        client: AsyncWebClient,
        channels: dict[str, str] | None = None,
        workspace_id: str | None = None,
    ) -> None:
        self._client = client
        self._channels = dict(channels or {})
        self._workspace_id = workspace_id
        self._dm_channels: dict[str, str] = {}

    @property
    def client(self) -> AsyncWebClient:
        return self._client

    async def post(self, *, target: ChannelTarget, message: Message) -> PostedMessage:
        channel = target.channel_id or (
            self._channels.get(target.purpose.value) if target.purpose else None
        )
        channel = channel or target.fallback_channel_id
        if not channel:
            raise DeliveryError("no Slack channel to post to", permanent=True, reason="no_channel")
        return await self._post_message(channel, message)

    async def send_dm(self, *, user: UserRef, message: Message) -> PostedMessage:
        if user.is_bot:
            raise DeliveryError(f"{user.name} is a bot", permanent=True, reason="cannot_dm_bot")
        channel = await self.open_dm(user)
        return await self._post_message(channel, message)

    async def delete(self, *, posted: PostedMessage) -> None:
        await self._call(
            "chat.delete",
            lambda: self._client.chat_delete(channel=posted.channel_id, ts=posted.message_id),
        )

    async def list_members(self) -> list[UserRef]:
        """Every active human member (bots, Slackbot and deactivated accounts skipped)."""
        workspace_id = await self.workspace_id()
        members: list[UserRef] = []
        cursor: str | None = None
        while True:
            page = await self._call(
                "users.list",
                lambda cursor=cursor: self._client.users_list(limit=USERS_PAGE_SIZE, cursor=cursor),
            )
            for member in page.get("members") or ():
                if member.get("deleted") or member.get("is_bot") or member.get("id") == "USLACKBOT":
                    continue
                members.append(user_ref_from_member(member, workspace_id=workspace_id))
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor:
                return members

    async def open_dm(self, user: UserRef) -> str:
        """The DM channel with ``user`` (conversations.open), remembered per member."""
        cached = self._dm_channels.get(user.user_id)
        if cached:
            return cached
        response = await self._call(
            "conversations.open", lambda: self._client.conversations_open(users=user.user_id)
        )
        channel = str(response["channel"]["id"])
        self._dm_channels[user.user_id] = channel
        return channel

    async def send_files(self, *, user: UserRef, attachments: tuple[Attachment, ...]) -> None:
        """Upload files into a DM with ``user`` (files_upload_v2)."""
        channel = await self.open_dm(user)
        uploads = [
            {"content": a.data, "filename": a.filename, "title": a.filename} for a in attachments
        ]
        await self._call(
            "files.upload",
            lambda: self._client.files_upload_v2(channel=channel, file_uploads=uploads),
        )

    async def workspace_id(self) -> str:
        if self._workspace_id is None:
            response = await self._call("auth.test", self._client.auth_test)
            self._workspace_id = str(response["team_id"])
        return self._workspace_id

    async def _post_message(self, channel: str, message: Message) -> PostedMessage:
        rendered = render(message)
        response = await self._call(
            "chat.postMessage",
            lambda: self._client.chat_postMessage(
                channel=channel, text=rendered.text, blocks=rendered.blocks, unfurl_links=False
            ),
        )
        return PostedMessage(
            platform=PLATFORM, channel_id=str(response["channel"]), message_id=str(response["ts"])
        )

    async def _call(
        self, method: str, call: Callable[[], Awaitable[AsyncSlackResponse]]
    ) -> AsyncSlackResponse:
        try:
            return await call()
        except SlackApiError as error:
            raise _delivery_error(method, error) from error
        except (ClientError, TimeoutError) as error:
            log.warning("Slack unreachable", extra={"slack_method": method, "error": repr(error)})
            raise DeliveryError(
                f"Slack could not be reached for {method}", permanent=False, reason="unreachable"
            ) from error


def _delivery_error(method: str, error: SlackApiError) -> DeliveryError:
    response: Any = error.response
    code = str(response.get("error", "")) or f"http_{response.status_code}"
    permanent = code in PERMANENT_ERRORS
    log.warning(
        "Slack refused a call",
        extra={
            "slack_method": method,
            "slack_error": code,
            "status": response.status_code,
            "permanent": permanent,
        },
    )
    return DeliveryError(f"Slack {method} failed: {code}", permanent=permanent, reason=code)
