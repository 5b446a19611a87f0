"""The one AsyncWebClient the adapter uses, with Slack's retry rules built in."""

from __future__ import annotations

from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

#: 429s are waited out (Slack says how long in Retry-After); a few in a row is
#: normal during a broadcast, so allow several before giving up.
RATE_LIMIT_RETRIES = 5
#: 500/503 and dropped connections are retried with backoff, then reported.
SERVER_ERROR_RETRIES = 2
CONNECTION_ERROR_RETRIES = 2
REQUEST_TIMEOUT_SECONDS = 30


def build_client(*, token: str, base_url: str) -> AsyncWebClient:
    """An AsyncWebClient for ``base_url`` that retries 429, 5xx and connection errors."""
    return AsyncWebClient(
        token=token,
        base_url=base_url,
        timeout=REQUEST_TIMEOUT_SECONDS,
        retry_handlers=[
            AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
            AsyncServerErrorRetryHandler(max_retry_count=SERVER_ERROR_RETRIES),
            AsyncConnectionErrorRetryHandler(max_retry_count=CONNECTION_ERROR_RETRIES),
        ],
    )
