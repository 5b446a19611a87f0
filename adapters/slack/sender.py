"""SlackSender: the core's OutboundSender on the Slack Web API.

Exactly once on Slack: every message sent with a :class:`~bot.outbound.DeliveryKey`
carries Slack message ``metadata`` (event type ``memberbot_delivery``, payload: the
key and a digest of the text). When a post may have arrived without the bot
hearing so (the connection dropped, a 5xx, or ``key.maybe_sent``), the sender
reads the channel's recent history with ``include_all_metadata`` and, if the
message is there, returns it instead of posting it again. The client never
retries ``chat.postMessage`` blindly (see :mod:`adapters.slack.client`).

Commands a message names (:class:`~bot.replies.CommandSpan`) go under the
installation's names (``SLACK_COMMAND_NAMES``), as in replies. A message's actions
go under it as an ``actions`` block, rendered as under a
reply (:func:`adapters.slack.blocks.action_blocks`); the digest covers the text
only, so a message is recognised whatever buttons it carries.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import ClientConnectorError, ClientError
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from adapters.slack.blocks import action_blocks
from adapters.slack.client import sender_resolves_doubt
from adapters.slack.directory import PLATFORM, slack_error, user_ref_from_member
from adapters.slack.render import render
from bot.actions import Action
from bot.commands.catalogue import default_catalogue
from bot.commands.naming import typed_form, with_command_forms
from bot.commands.spec import CommandNames
from bot.errors import DeliveryError, DeliveryReason
from bot.outbound import ChannelTarget, DeliveryKey, Pace, PostedMessage
from bot.replies import Attachment, Message, Reply
from bot.requests import UserRef

log = logging.getLogger(__name__)

#: Slack error codes mapped to the core's closed set of reasons; any other code
#: is a temporary platform error (retried).
SLACK_ERROR_REASONS: dict[str, DeliveryReason] = {
    "user_not_found": DeliveryReason.RECIPIENT_GONE,
    "users_not_found": DeliveryReason.RECIPIENT_GONE,
    "user_disabled": DeliveryReason.RECIPIENT_INACTIVE,
    "account_inactive": DeliveryReason.RECIPIENT_INACTIVE,
    "cannot_dm_bot": DeliveryReason.BOT_RECIPIENT,
    "channel_not_found": DeliveryReason.CHANNEL_GONE,
    "not_in_channel": DeliveryReason.CHANNEL_GONE,
    "is_archived": DeliveryReason.CHANNEL_GONE,
    "msg_too_long": DeliveryReason.INVALID_MESSAGE,
    "no_text": DeliveryReason.INVALID_MESSAGE,
    "invalid_blocks": DeliveryReason.INVALID_MESSAGE,
    "invalid_metadata_format": DeliveryReason.INVALID_MESSAGE,
    "restricted_action": DeliveryReason.FORBIDDEN,
    "message_not_found": DeliveryReason.NOT_FOUND,
    "cant_delete_message": DeliveryReason.NOT_FOUND,
    "not_authed": DeliveryReason.FORBIDDEN,
    "invalid_auth": DeliveryReason.FORBIDDEN,
    "token_revoked": DeliveryReason.FORBIDDEN,
    "missing_scope": DeliveryReason.FORBIDDEN,
    "ekm_access_denied": DeliveryReason.FORBIDDEN,
    "ratelimited": DeliveryReason.RATE_LIMITED,
}
USERS_PAGE_SIZE = 200
#: Broadcast pace under ``auto``. Slack publishes no workspace-wide figure for
#: chat.postMessage and answers the excess with 429 + Retry-After, which the
#: client waits out at no other cost: so no fixed pace, and enough sends in
#: flight that some are always ready when Slack's window reopens (with few, all
#: of them sit out a Retry-After at once and a broadcast runs up to a fifth
#: slower than the limit allows).
SLACK_PACE = Pace(max_per_second=None, concurrency=32)

#: The metadata event type that marks the bot's keyed messages.
METADATA_EVENT_TYPE = "memberbot_delivery"
#: Sends of one keyed message before reporting it unconfirmed (each after a check).
SEND_TRIES = 3
#: Wait before sending again after a 5xx or an unreachable Slack.
RESEND_DELAY_SECONDS = 0.5
#: How far back a check looks: beyond any retry schedule of the core (broadcast
#: grace, note and kudos-post retries all end within a day).
HISTORY_LOOKBACK_SECONDS = 2 * 24 * 3600
HISTORY_PAGE_SIZE = 200
HISTORY_PAGES = 10
#: Slack answers these when the app lacks the history scopes (im:history,
#: mpim:history, channels:history, groups:history): the check is impossible, so the message is
#: sent (a possible repeat is better than a lost deadline reminder).
HISTORY_UNREADABLE = frozenset({"missing_scope", "not_allowed_token_type", "not_in_channel"})


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
        metadata = _metadata(key, rendered.text) if key else None
        if key and key.maybe_sent:
            found = await self._find_sent(channel, metadata)
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
                failure = _delivery_error("chat.postMessage", error)
                may_have_arrived = _may_have_arrived(error)
                if not may_have_arrived:  # Slack refused it (or 429s outlasted the client)
                    raise failure from error
            except ClientConnectorError as error:  # never connected: nothing was sent
                failure = _unreachable("chat.postMessage", error)
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
                found = await self._find_sent(channel, metadata)
                if found is not None:
                    log.info("message had arrived; not sent again", extra=_context(channel, key))
                    return found
                if failure.reason == DeliveryReason.UNCONFIRMED:
                    continue  # it did not arrive: send again at once
            if attempt < SEND_TRIES:
                await asyncio.sleep(RESEND_DELAY_SECONDS * attempt)
        raise failure

    async def _find_sent(
        self, channel: str, metadata: dict[str, Any] | None
    ) -> PostedMessage | None:
        """The message carrying ``metadata`` if it is in ``channel`` already.

        Raises:
            DeliveryError: ``unconfirmed`` when the history could not be read for
                now (the caller tries again later and checks first again).
        """
        if metadata is None:
            return None
        wanted = metadata["event_payload"]
        oldest = f"{time.time() - HISTORY_LOOKBACK_SECONDS:.6f}"
        cursor: str | None = None
        for _ in range(HISTORY_PAGES):
            try:
                page = await self._client.conversations_history(
                    channel=channel,
                    oldest=oldest,
                    limit=HISTORY_PAGE_SIZE,
                    include_all_metadata=True,
                    cursor=cursor,
                )
            except SlackApiError as error:
                code, _status = slack_error(error)
                if code in HISTORY_UNREADABLE:
                    log.error(
                        "cannot check whether a message arrived: give the Slack app the "
                        "im:history, mpim:history, channels:history and groups:history "
                        "scopes; sending it",
                        extra={"channel": channel, "slack_error": code},
                    )
                    return None
                raise DeliveryError(
                    "could not check whether a message arrived",
                    reason=DeliveryReason.UNCONFIRMED,
                    detail=code,
                ) from error
            except (ClientError, TimeoutError) as error:
                raise DeliveryError(
                    "could not check whether a message arrived",
                    reason=DeliveryReason.UNCONFIRMED,
                    detail=type(error).__name__,
                ) from error
            for found in page.get("messages") or ():
                if _carries(found, wanted):
                    return PostedMessage(
                        platform=PLATFORM, channel_id=channel, message_id=found["ts"]
                    )
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
            if not page.get("has_more") or not cursor:
                return None
        return None

    async def _call(
        self, method: str, call: Callable[[], Awaitable[AsyncSlackResponse]]
    ) -> AsyncSlackResponse:
        try:
            return await call()
        except SlackApiError as error:
            raise _delivery_error(method, error) from error
        except (ClientError, TimeoutError) as error:
            raise _unreachable(method, error) from error


def _metadata(key: DeliveryKey, text: str) -> dict[str, Any]:
    """Slack message metadata naming the delivery; the digest guards against another
    installation of the bot using the same key in the same conversation."""
    digest = hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:16]
    return {
        "event_type": METADATA_EVENT_TYPE,
        "event_payload": {"key": key.value, "digest": digest},
    }


def _carries(message: dict[str, Any], wanted: dict[str, Any]) -> bool:
    metadata = message.get("metadata") or {}
    return (
        metadata.get("event_type") == METADATA_EVENT_TYPE
        and (metadata.get("event_payload") or {}) == wanted
    )


def _posted(channel: str, response: AsyncSlackResponse) -> PostedMessage:
    return PostedMessage(
        platform=PLATFORM,
        channel_id=str(response.get("channel") or channel),
        message_id=str(response["ts"]),
    )


def _may_have_arrived(error: SlackApiError) -> bool:
    """A 5xx (or an answer that was not Slack's JSON) may follow an accepted post."""
    code, status = slack_error(error)
    return status is None or status >= 500 or code.startswith("http_")


def _context(channel: str, key: DeliveryKey | None) -> dict[str, object]:
    return {"channel": channel, "delivery_key": key.value if key else None}


def _unreachable(method: str, error: BaseException) -> DeliveryError:
    log.warning("Slack unreachable", extra={"slack_method": method, "error": repr(error)})
    return DeliveryError(
        f"Slack could not be reached for {method}",
        reason=DeliveryReason.UNREACHABLE,
        detail=type(error).__name__,
    )


def _delivery_error(method: str, error: SlackApiError) -> DeliveryError:
    """Slack's refusal as a DeliveryError; never fails, whatever Slack answered."""
    code, status = slack_error(error)
    reason = SLACK_ERROR_REASONS.get(code, DeliveryReason.PLATFORM_ERROR)
    error_out = DeliveryError(f"Slack {method} failed: {code}", reason=reason, detail=code)
    log.warning(
        "Slack refused a call",
        extra={
            "slack_method": method,
            "slack_error": code,
            "status": status,
            "reason": reason.value,
            "permanent": error_out.permanent,
        },
    )
    return error_out
