"""Start-up checks: are the tokens good and is Slack reachable? One clear line if not.

The Slack adapter calls these when it opens, before it serves anything, so a
wrong token stops the bot at once (exit 2) instead of logging "ready" and then
failing every member's command, and an unreachable Slack stops it with exit 3
so the process manager can try again later.
"""

from __future__ import annotations

from aiohttp import ClientError
from slack_bolt.authorization import AuthorizeResult
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.directory import slack_error
from bot.exits import EXIT_UNAVAILABLE, EXIT_USAGE, StartupFailure

#: Slack's answers for a token that is wrong, revoked or belongs to a removed app.
REJECTED_TOKEN_ERRORS = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "not_allowed_token_type",
        "invalid_token",
    }
)


async def verify_bot_token(client: AsyncWebClient) -> AuthorizeResult:
    """``auth.test`` with SLACK_BOT_TOKEN; the result is what Bolt needs to authorize requests."""
    try:
        response = await client.auth_test()
    except SlackApiError as error:
        code = _error_code(error)
        if code in REJECTED_TOKEN_ERRORS:
            raise StartupFailure(
                f"configuration error: Slack rejected SLACK_BOT_TOKEN ({code}); copy the Bot User "
                "OAuth Token (xoxb-...) from your app's OAuth & Permissions page",
                exit_code=EXIT_USAGE,
            ) from error
        raise _unavailable(client, f"Slack answered auth.test with {code}") from error
    except (ClientError, TimeoutError, OSError) as error:
        raise _unavailable(client, _describe(error)) from error
    return AuthorizeResult.from_auth_test_response(
        auth_test_response=response,
        bot_token=client.token,
        bot_scopes=response.headers.get("x-oauth-scopes"),
    )


async def open_socket_mode_url(client: AsyncWebClient, app_token: str) -> str:
    """``apps.connections.open`` with SLACK_APP_TOKEN: the websocket URL to connect to."""
    try:
        response = await client.apps_connections_open(app_token=app_token)
    except SlackApiError as error:
        code = _error_code(error)
        if code in REJECTED_TOKEN_ERRORS:
            raise StartupFailure(
                f"configuration error: Slack rejected SLACK_APP_TOKEN ({code}); create an "
                "app-level token with the connections:write scope under Basic Information -> "
                "App-Level Tokens, or leave SLACK_APP_TOKEN empty to serve HTTP",
                exit_code=EXIT_USAGE,
            ) from error
        if _is_transient(error, code):
            raise _unavailable(
                client, f"Slack answered apps.connections.open with {code}"
            ) from error
        raise StartupFailure(
            f"configuration error: Slack would not open a Socket Mode connection ({code}); "
            "turn Socket Mode on in the app's settings",
            exit_code=EXIT_USAGE,
        ) from error
    except (ClientError, TimeoutError, OSError) as error:
        raise _unavailable(client, _describe(error)) from error
    return str(response["url"])


def _error_code(error: SlackApiError) -> str:
    # a proxy's non-JSON 503 arrives as a raw response: slack_error reads either kind
    return slack_error(error)[0]


def _is_transient(error: SlackApiError, code: str) -> bool:
    status = slack_error(error)[1]
    return (status or 0) >= 500 or code in {"ratelimited", "internal_error"}


def _unavailable(client: AsyncWebClient, reason: str) -> StartupFailure:
    return StartupFailure(
        f"Slack is unreachable at {client.base_url} ({reason}); check the network and "
        "SLACK_API_URL, then start again",
        exit_code=EXIT_UNAVAILABLE,
    )


def _describe(error: BaseException) -> str:
    return str(error) or type(error).__name__
