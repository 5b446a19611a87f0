"""Was a keyed message sent already? The Slack sender's check before sending again.

Every message sent with a :class:`~bot.outbound.DeliveryKey` carries Slack message
``metadata`` (event type ``memberbot_delivery``, payload: the key and a digest of
the text; :func:`delivery_metadata`). When a post may have arrived without the bot
hearing so, :func:`find_sent` reads the channel's recent history with
``include_all_metadata`` and returns the message if it is there.
"""

from __future__ import annotations

import hashlib
import logging
import time
from typing import Any

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.directory import PLATFORM, slack_error
from bot.errors import DeliveryError, DeliveryReason
from bot.outbound import DeliveryKey, PostedMessage

#: The sender's log lines keep the sender's logger name, wherever their code sits.
log = logging.getLogger("adapters.slack.sender")

#: The metadata event type that marks the bot's keyed messages.
METADATA_EVENT_TYPE = "memberbot_delivery"
#: How far back a check looks: beyond any retry schedule of the core (broadcast
#: grace, note and kudos-post retries all end within a day).
HISTORY_LOOKBACK_SECONDS = 2 * 24 * 3600
HISTORY_PAGE_SIZE = 200
HISTORY_PAGES = 10
#: Slack answers these when the app lacks the history scopes (im:history,
#: mpim:history, channels:history, groups:history): the check is impossible, so the message is
#: sent (a possible repeat is better than a lost deadline reminder).
HISTORY_UNREADABLE = frozenset({"missing_scope", "not_allowed_token_type", "not_in_channel"})


async def find_sent(
    client: AsyncWebClient, channel: str, metadata: dict[str, Any] | None
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
            page = await client.conversations_history(
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
                return PostedMessage(platform=PLATFORM, channel_id=channel, message_id=found["ts"])
        cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
        if not page.get("has_more") or not cursor:
            return None
    return None


def delivery_metadata(key: DeliveryKey, text: str) -> dict[str, Any]:
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
