"""SlackSender: the core's OutboundSender on the Slack Web API.

Exactly once on Slack: every message sent with a :class:`~bot.outbound.DeliveryKey`
carries Slack message ``metadata`` (event type ``memberbot_delivery``, payload: the
key and a digest of the text). When a post may have arrived without the bot
hearing so (the connection dropped, a 5xx, or ``key.maybe_sent``), the sender
reads the channel's recent history with ``include_all_metadata`` and, if the
message is there, returns it instead of posting it again (that check is
:mod:`adapters.slack.sent_check`). The client never retries ``chat.postMessage``
blindly (see :mod:`adapters.slack.client`). Slack's errors become the core's
reasons in :mod:`adapters.slack.delivery_errors`.

Commands a message names (:class:`~bot.replies.CommandSpan`) go under the
installation's names (``SLACK_COMMAND_NAMES``), as in replies. A message's actions
go under it as an ``actions`` block, rendered as under a
reply (:func:`adapters.slack.blocks.action_blocks`); the digest covers the text
only, so a message is recognised whatever buttons it carries.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable

from aiohttp import ClientConnectorError, ClientError
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from adapters.slack.blocks import action_blocks
from adapters.slack.client import sender_resolves_doubt
from adapters.slack.delivery_errors import delivery_error, post_may_have_arrived, unreachable
from adapters.slack.directory import PLATFORM, user_ref_from_member
from adapters.slack.render import render
from adapters.slack.sent_check import delivery_metadata, find_sent
from bot.actions import Action
from bot.commands.catalogue import default_catalogue
from bot.commands.naming import typed_form, with_command_forms
from bot.commands.spec import CommandNames
from bot.errors import DeliveryError, DeliveryReason
from bot.outbound import ChannelTarget, DeliveryKey, Pace, PostedMessage
from bot.replies import Attachment, Message, Reply
from bot.requests import UserRef

log = logging.getLogger(__name__)

USERS_PAGE_SIZE = 200
#: Broadcast pace under ``auto``. Slack publishes no workspace-wide figure for
#: chat.postMessage and answers the excess with 429 + Retry-After, which the
#: client waits out at no other cost: so no fixed pace, and enough sends in
#: flight that some are always ready when Slack's window reopens (with few, all
#: of them sit out a Retry-After at once and a broadcast runs up to a fifth
#: slower than the limit allows).
SLACK_PACE = Pace(max_per_second=None, concurrency=32)

#: Sends of one keyed message before reporting it unconfirmed (each after a check).
SEND_TRIES = 3
#: Wait before sending again after a 5xx or an unreachable Slack.
RESEND_DELAY_SECONDS = 0.5


class SlackSender:
    """Posts, DMs, deletes and lists members through one AsyncWebClient.

    The client carries the retry handlers (see :mod:`adapters.slack.client`), so
    a 429 is waited out and a 500 retried before anything is reported here.
    """

    platform = PLATFORM
    default_pace = SLACK_PACE
    group_dm_shared = True  # conversations.open with several users: one multi-person DM

    def __init__(
        self,
        *,
        client: AsyncWebClient,
        channels: dict[str, str] | None = None,
        workspace_id: str | None = None,
        command_names: CommandNames | None = None,
    ) -> None:
        self._client = client
        self._command_form = typed_form(default_catalogue(), command_names or CommandNames({}))
        self._channels = dict(channels or {})
        self._workspace_id = workspace_id
        self._dm_channels: dict[str, str] = {}

    @property
    def client(self) -> AsyncWebClient:
        return self._client

    async def post(
        self,
        *,
        target: ChannelTarget,
        message: Message,
        key: DeliveryKey | None = None,
        actions: tuple[Action, ...] = (),
    ) -> PostedMessage:
        channel = target.channel_id or (
            self._channels.get(target.purpose.value) if target.purpose else None
        )
        channel = channel or target.fallback_channel_id
        if not channel:
            raise DeliveryError("no Slack channel to post to", reason=DeliveryReason.NO_CHANNEL)
        return await self._post_message(channel, message, key, actions)

    async def send_dm(
        self,
        *,
        user: UserRef,
        message: Message,
        key: DeliveryKey | None = None,
        actions: tuple[Action, ...] = (),
    ) -> PostedMessage:
        if user.is_bot:
            raise DeliveryError(f"{user.name} is a bot", reason=DeliveryReason.BOT_RECIPIENT)
        channel = await self.open_dm(user)
        return await self._post_message(channel, message, key, actions)

    async def send_group_dm(
        self,
        *,
        users: tuple[UserRef, ...],
        message: Message,
        key: DeliveryKey | None = None,
        actions: tuple[Action, ...] = (),
    ) -> tuple[PostedMessage, ...]:
        """One message in the multi-person DM of ``users`` (needs the ``mpim:write`` scope)."""
        for user in users:
            if user.is_bot:
                raise DeliveryError(f"{user.name} is a bot", reason=DeliveryReason.BOT_RECIPIENT)
        ids = ",".join(user.user_id for user in users)
        response = await self._call(
            "conversations.open", lambda: self._client.conversations_open(users=ids)
        )
        channel = str(response["channel"]["id"])
        return (await self._post_message(channel, message, key, actions),)

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
                functools.partial(self._client.users_list, limit=USERS_PAGE_SIZE, cursor=cursor),
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

    async def _post_message(
        self,
        channel: str,
        message: Message,
        key: DeliveryKey | None,
        actions: tuple[Action, ...] = (),
    ) -> PostedMessage:
        rendered = render(with_command_forms(Reply(message), self._command_form).message)
        blocks = rendered.blocks + action_blocks(actions)
        metadata = delivery_metadata(key, rendered.text) if key else None
        if key and key.maybe_sent:
            found = await find_sent(self._client, channel, metadata)
            if found is not None:
                log.info("message already delivered", extra=_context(channel, key))
                return found
        failure = DeliveryError("chat.postMessage not tried", reason=DeliveryReason.UNREACHABLE)
        for attempt in range(1, (SEND_TRIES if key else 1) + 1):
            resolving = sender_resolves_doubt.set(key is not None)
            try:
                response = await self._client.chat_postMessage(
                    channel=channel,
                    text=rendered.text,
                    blocks=blocks,
                    unfurl_links=False,
                    metadata=metadata,
                )
                return _posted(channel, response)
            except SlackApiError as error:
                failure = delivery_error("chat.postMessage", error)
                may_have_arrived = post_may_have_arrived(error)
                if not may_have_arrived:  # Slack refused it (or 429s outlasted the client)
                    raise failure from error
            except ClientConnectorError as error:  # never connected: nothing was sent
                failure = unreachable("chat.postMessage", error)
                may_have_arrived = False
            except (ClientError, TimeoutError) as error:
                log.warning(
                    "Slack connection dropped during a post",
                    extra={**_context(channel, key), "error": repr(error)},
                )
                failure = DeliveryError(
                    "chat.postMessage: the connection dropped; the message may have arrived",
                    reason=DeliveryReason.UNCONFIRMED,
                    detail=type(error).__name__,
                )
                may_have_arrived = True
            finally:
                sender_resolves_doubt.reset(resolving)
            if key is None:
                break
            if may_have_arrived:
                found = await find_sent(self._client, channel, metadata)
                if found is not None:
                    log.info("message had arrived; not sent again", extra=_context(channel, key))
                    return found
                if failure.reason == DeliveryReason.UNCONFIRMED:
                    continue  # it did not arrive: send again at once
            if attempt < SEND_TRIES:
                await asyncio.sleep(RESEND_DELAY_SECONDS * attempt)
        raise failure

    async def _call(
        self, method: str, call: Callable[[], Awaitable[AsyncSlackResponse]]
    ) -> AsyncSlackResponse:
        try:
            return await call()
        except SlackApiError as error:
            raise delivery_error(method, error) from error
        except (ClientError, TimeoutError) as error:
            raise unreachable(method, error) from error


def _posted(channel: str, response: AsyncSlackResponse) -> PostedMessage:
    return PostedMessage(
        platform=PLATFORM,
        channel_id=str(response.get("channel") or channel),
        message_id=str(response["ts"]),
    )


def _context(channel: str, key: DeliveryKey | None) -> dict[str, object]:
    return {"channel": channel, "delivery_key": key.value if key else None}
