"""The one AsyncWebClient the adapter uses, with Slack's retry rules built in."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

import aiohttp
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.slack.work import outside_work_slot

#: 429s are waited out (Slack says how long in Retry-After); a few in a row is
#: normal during a broadcast, so allow several before giving up.
RATE_LIMIT_RETRIES = 5
#: 500/503 and dropped connections are retried with backoff, then reported.
SERVER_ERROR_RETRIES = 2
CONNECTION_ERROR_RETRIES = 2
REQUEST_TIMEOUT_SECONDS = 30


#: Methods that post a message: a dropped connection after Slack accepted one
#: must not make the client send it again blindly, and neither must a 5xx when
#: the sender resolves the doubt itself (``adapters.slack.sender``: it looks the
#: message up by its metadata before sending again). A 429 is always safe to
#: retry: Slack refused the call.
MESSAGE_POSTING_METHODS = ("chat.postMessage",)
#: True while the sender posts a keyed message (it checks before resending).
sender_resolves_doubt: ContextVar[bool] = ContextVar("sender_resolves_doubt", default=False)


def _posts_a_message(request: HttpRequest) -> bool:
    return request.url.rstrip("/").endswith(MESSAGE_POSTING_METHODS)


class SafeServerErrorRetryHandler(AsyncServerErrorRetryHandler):
    """Retries 500/503, except posts the sender checks itself (they may have arrived)."""

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if _posts_a_message(request) and sender_resolves_doubt.get():
            return False
        return await super()._can_retry_async(
            state=state, request=request, response=response, error=error
        )


class SafeConnectionErrorRetryHandler(AsyncConnectionErrorRetryHandler):
    """Retries dropped connections, except for calls that post a message."""

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if _posts_a_message(request):
            return False
        return await super()._can_retry_async(
            state=state, request=request, response=response, error=error
        )


class SlackWebClient(AsyncWebClient):
    """An AsyncWebClient whose calls (retries and 429 waits included) hold no work slot."""

    async def api_call(self, api_method: str, **kwargs: Any) -> AsyncSlackResponse:
        async with outside_work_slot():
            return await super().api_call(api_method, **kwargs)


def build_client(
    *, token: str, base_url: str, session: aiohttp.ClientSession | None = None
) -> SlackWebClient:
    """A client for ``base_url`` that retries 429, 5xx and connection errors.

    Posting a message is the exception: a dropped connection is never retried
    here (the message may have arrived), and a 5xx is not either when the sender
    posts a keyed message (it checks before sending again).

    Pass a long-lived ``session`` in a running bot: connections to Slack are then
    reused instead of opened for every call.
    """
    return SlackWebClient(
        token=token,
        base_url=base_url,
        timeout=REQUEST_TIMEOUT_SECONDS,
        session=session,
        retry_handlers=[
            AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
            SafeServerErrorRetryHandler(max_retry_count=SERVER_ERROR_RETRIES),
            SafeConnectionErrorRetryHandler(max_retry_count=CONNECTION_ERROR_RETRIES),
        ],
    )


async def post_to_response_url(
    client: AsyncWebClient, response_url: str, payload: dict[str, Any]
) -> int:
    """POST a reply to a slash command's ``response_url``; returns the HTTP status.

    Uses the client's session (when it has one) so answers reuse connections too.
    """
    webhook = AsyncWebhookClient(
        url=response_url,
        timeout=REQUEST_TIMEOUT_SECONDS,
        session=client.session,
        # only a connection never made is retried: a reply may have arrived before a drop
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(
                max_retry_count=CONNECTION_ERROR_RETRIES,
                error_types=[aiohttp.ClientConnectorError],
            )
        ],
    )
    async with outside_work_slot():
        response = await webhook.send_dict(payload)
    return response.status_code
