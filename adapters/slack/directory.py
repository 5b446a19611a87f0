"""Who is who on Slack: display names from users.info and staff membership, both cached.

Every translated request needs the sender's and mentioned members' names, so
lookups are cached for ``ttl`` seconds; a busy workspace then costs one
``users.info`` per member per TTL rather than one per command.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.requests import UserRef

log = logging.getLogger(__name__)

PLATFORM = "slack"
DEFAULT_TTL_SECONDS = 600.0
#: Slack's answer when the id names nobody in the workspace.
UNKNOWN_USER_ERRORS = frozenset({"user_not_found", "users_not_found"})


def slack_error(error: SlackApiError) -> tuple[str, int | None]:
    """Slack's error code and the HTTP status of a failed call, whatever the body was.

    ``error.response`` is a parsed :class:`AsyncSlackResponse` when Slack answered
    JSON, but the raw aiohttp response when the body was not JSON (a proxy's
    ``503 upstream connect error`` labelled ``application/json``): then the code is
    ``http_<status>``.
    """
    response = error.response
    status = getattr(response, "status_code", None)
    if not isinstance(status, int):
        status = getattr(response, "status", None)
    if not isinstance(status, int):
        status = None
    data = getattr(response, "data", None)
    code = str(data.get("error") or "") if isinstance(data, dict) else ""
    return code or f"http_{status or 'unknown'}", status


@dataclass(frozen=True, slots=True)
class _Cached:
    expires: float
    user: UserRef | None


def display_name_of(member: dict) -> str:
    """Slack's own order of preference for how a member is shown."""
    profile = member.get("profile") or {}
    for candidate in (
        profile.get("display_name"),
        profile.get("real_name"),
        member.get("real_name"),
        member.get("name"),
    ):
        if candidate and str(candidate).strip():
            return str(candidate).strip()
    return str(member.get("id", ""))


def user_ref_from_member(member: dict, *, workspace_id: str) -> UserRef:
    """A ``users.info``/``users.list`` member object as a neutral user ref."""
    return UserRef(
        platform=PLATFORM,
        workspace_id=workspace_id,
        user_id=str(member["id"]),
        display_name=display_name_of(member),
        is_bot=bool(member.get("is_bot")) or member.get("id") == "USLACKBOT",
    )


class UserDirectory:
    """Resolves Slack user ids to :class:`UserRef` with ``users.info``, cached with a TTL."""

    def __init__(
        self,
        *,
        client: AsyncWebClient,
        ttl: float = DEFAULT_TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._ttl = ttl
        self._clock = clock
        self._cache: dict[tuple[str, str], _Cached] = {}

    async def lookup(self, user_id: str, *, workspace_id: str) -> UserRef | None:
        """The member, or ``None`` when Slack says no such user exists.

        A transient failure (rate limit, network) still gives a usable ref without
        a display name: the id alone is enough to act on, and nothing is lost.
        """
        key = (workspace_id, user_id)
        cached = self._cache.get(key)
        now = self._clock()
        if cached is not None and cached.expires > now:
            return cached.user
        try:
            response = await self._client.users_info(user=user_id)
        except SlackApiError as error:
            code, _status = slack_error(error)
            if code in UNKNOWN_USER_ERRORS:
                self._cache[key] = _Cached(now + self._ttl, None)
                return None
            log.warning("users.info failed", extra={"slack_user": user_id, "slack_error": code})
            return UserRef(platform=PLATFORM, workspace_id=workspace_id, user_id=user_id)
        except (ClientError, TimeoutError) as error:
            log.warning(
                "users.info unreachable", extra={"slack_user": user_id, "error": repr(error)}
            )
            return UserRef(platform=PLATFORM, workspace_id=workspace_id, user_id=user_id)
        user = user_ref_from_member(response["user"], workspace_id=workspace_id)
        self._cache[key] = _Cached(now + self._ttl, user)
        return user


class StaffDirectory:
    """Staff are the listed user ids plus the members of one user group (cached)."""

    def __init__(
        self,
        *,
        client: AsyncWebClient,
        staff_user_ids: frozenset[str],
        staff_usergroup_id: str = "",
        ttl: float = DEFAULT_TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._staff_user_ids = staff_user_ids
        self._usergroup_id = staff_usergroup_id.strip()
        self._ttl = ttl
        self._clock = clock
        self._group_members: frozenset[str] = frozenset()
        self._group_expires = float("-inf")

    async def is_staff(self, user_id: str) -> bool:
        if user_id in self._staff_user_ids:
            return True
        if not self._usergroup_id:
            return False
        return user_id in await self._usergroup_members()

    async def _usergroup_members(self) -> frozenset[str]:
        now = self._clock()
        if self._group_expires > now:
            return self._group_members
        try:
            response = await self._client.usergroups_users_list(usergroup=self._usergroup_id)
        except (SlackApiError, ClientError, TimeoutError) as error:
            # Failing closed: a member is not treated as staff on a lookup error,
            # and the last known list (if any) stays in use until the next try.
            log.warning(
                "could not read the staff user group",
                extra={"usergroup": self._usergroup_id, "error": repr(error)},
            )
            return self._group_members
        self._group_members = frozenset(str(u) for u in response.get("users") or ())
        self._group_expires = now + self._ttl
        return self._group_members
