"""Bolt request bodies (slash commands, app mentions, DMs) -> neutral Requests.

Slack sends member text with its own markup: ``<@U123>`` or ``<@U123|name>``
for members, ``<!subteam^S1|@group>`` for user groups, ``<#C1|name>`` for
channels, ``<!here>``/``<!channel>``/``<!everyone>``, ``<https://url|label>``
for links, and ``&amp;``/``&lt;``/``&gt;`` for the three characters it escapes.
Mentions become ``Request.mentions`` with a placeholder in the text; everything
else becomes the plain text the member typed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from adapters.slack.directory import PLATFORM, StaffDirectory, UserDirectory
from bot.requests import (
    BLANKS,
    Mention,
    MentionKind,
    Request,
    UserRef,
    clean_member_text,
    mention_token,
)

#: Message subtypes that are still a member talking to the bot: a DM with a
#: file attached, and a thread reply also sent to the channel.
ANSWERED_SUBTYPES = frozenset({"file_share", "thread_broadcast"})

#: One Slack markup token: ``<...>``.
_TOKEN = re.compile(r"<([^<>]*)>")
_USER = re.compile(r"^@([UW][A-Z0-9]+)(?:\|(.*))?$")
_GROUP = re.compile(r"^!subteam\^([A-Z0-9]+)(?:\|(.*))?$")
_CHANNEL = re.compile(r"^#([CGD][A-Z0-9]+)(?:\|(.*))?$")
_EVERYONE = re.compile(r"^!(here|channel|everyone)(?:\|.*)?$")
_SPECIAL_WITH_FALLBACK = re.compile(r"^!\w[^|]*\|(.*)$")  # <!date^...|fallback> and friends

MAX_TEXT_LENGTH = 4000  # slash-command text is capped by Slack near this; events are longer


async def decode_text(
    raw_text: str,
    *,
    workspace_id: str,
    users: UserDirectory,
) -> tuple[str, tuple[Mention, ...]]:
    """Turn Slack-formatted text into core text with mention placeholders.

    Returns the text and the decoded mentions (in order of appearance).
    """
    found: list[Mention] = []
    text = clean_member_text(raw_text)[:MAX_TEXT_LENGTH]
    parts: list[str] = []
    position = 0
    for match in _TOKEN.finditer(text):
        parts.append(unescape(text[position : match.start()]))
        position = match.end()
        mention = await _decode_mention(match.group(1), workspace_id=workspace_id, users=users)
        if mention is None:
            parts.append(_plain_token(match.group(1)))
            continue
        found.append(mention)
        parts.append(mention_token(len(found) - 1))
    parts.append(unescape(text[position:]))
    return "".join(parts).strip(BLANKS), tuple(found)


async def _decode_mention(token: str, *, workspace_id: str, users: UserDirectory) -> Mention | None:
    if match := _USER.match(token):
        user_id, label = match.group(1), unescape(match.group(2) or "")
        user = await users.lookup(user_id, workspace_id=workspace_id)
        raw = f"@{user.name if user and user.display_name else (label or user_id)}"
        if user is None:
            return Mention(kind=MentionKind.UNKNOWN_USER, raw=raw)
        return Mention(kind=MentionKind.USER, raw=raw, user=user)
    if match := _GROUP.match(token):
        label = unescape(match.group(2) or "")
        return Mention(kind=MentionKind.GROUP, raw=label or f"@{match.group(1)}")
    if match := _CHANNEL.match(token):
        name = unescape(match.group(2) or "") or match.group(1)
        return Mention(kind=MentionKind.CHANNEL, raw=f"#{name}", channel_id=match.group(1))
    if match := _EVERYONE.match(token):
        return Mention(kind=MentionKind.EVERYONE, raw=f"@{match.group(1)}")
    return None


def _plain_token(token: str) -> str:
    """A non-mention token as the text the member sees: a link's label, a date's fallback."""
    if match := _SPECIAL_WITH_FALLBACK.match(token):
        return unescape(match.group(1))
    target, _, label = token.partition("|")
    if target.startswith("mailto:") and not label:
        target = target.removeprefix("mailto:")
    return unescape(label or target)


def unescape(text: str) -> str:
    """Undo Slack's escaping: it escapes ``&``, ``<`` and ``>`` and nothing else.

    Not ``html.unescape``: that would also turn ``&#x202e;`` in a forged event
    into a character the text was cleaned of.
    """
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _strip_leading_bot_mention(text: str, bot_user_id: str | None) -> str:
    """``@memberbot when is ...`` asks ``when is ...``."""
    if not bot_user_id:
        return text
    return re.sub(rf"^\s*<@{re.escape(bot_user_id)}(?:\|[^>]*)?>[\s,:]*", "", text, count=1)


async def _sender(
    body: Mapping[str, Any], user_id: str, *, workspace_id: str, users: UserDirectory
) -> UserRef:
    found = await users.lookup(user_id, workspace_id=workspace_id)
    if found is not None:
        return found
    # users.info could not resolve the sender (rare: a guest from another
    # workspace); keep the request, named as Slack named it in the payload.
    name = body.get("user_name") or user_id
    return UserRef(platform=PLATFORM, workspace_id=workspace_id, user_id=user_id, display_name=name)


async def translate_command(
    body: Mapping[str, Any],
    *,
    users: UserDirectory,
    staff: StaffDirectory,
    commands: Mapping[str, str],
) -> Request:
    """A slash-command payload -> Request (``trigger_id`` is the delivery id).

    Args:
        commands: ``/name`` as this workspace types it -> the core command (see
            :func:`adapters.slack.commands.slash_commands`).
    """
    workspace_id = str(body.get("team_id", ""))
    user_id = str(body.get("user_id", ""))
    slash = str(body.get("command", "")).strip().lower()
    command = commands.get(slash, slash.lstrip("/") or "help")
    text, mentions = await decode_text(
        str(body.get("text", "")), workspace_id=workspace_id, users=users
    )
    channel_id = str(body.get("channel_id", "")) or None
    return Request(
        platform=PLATFORM,
        workspace_id=workspace_id,
        channel_id=channel_id,
        sender=await _sender(body, user_id, workspace_id=workspace_id, users=users),
        command=command,
        text=text,
        mentions=mentions,
        delivery_id=str(body.get("trigger_id", "")) or None,
        is_staff=await staff.is_staff(user_id),
        is_direct=body.get("channel_name") == "directmessage"
        or bool(channel_id and channel_id.startswith("D")),
    )


async def translate_event(
    body: Mapping[str, Any],
    *,
    users: UserDirectory,
    staff: StaffDirectory,
    bot_user_id: str | None,
) -> Request | None:
    """An ``app_mention`` or DM ``message`` event -> an ``ask`` Request.

    Returns ``None`` for events that are not a member talking to the bot: bot
    messages (including our own), edits, deletions, joins and other subtypes.
    A message with a file attached or a thread reply also sent to the channel
    is answered like any other.
    """
    event = body.get("event") or {}
    user_id = str(event.get("user", ""))
    subtype = event.get("subtype")
    if not user_id or event.get("bot_id") or user_id == bot_user_id:
        return None
    if subtype and subtype not in ANSWERED_SUBTYPES:
        return None
    workspace_id = str(body.get("team_id") or event.get("team", ""))
    raw = _strip_leading_bot_mention(str(event.get("text", "")), bot_user_id)
    text, mentions = await decode_text(raw, workspace_id=workspace_id, users=users)
    is_direct = event.get("channel_type") == "im"
    return Request(
        platform=PLATFORM,
        workspace_id=workspace_id,
        channel_id=str(event.get("channel", "")) or None,
        sender=await _sender(body, user_id, workspace_id=workspace_id, users=users),
        command="ask",
        text=text,
        mentions=mentions,
        delivery_id=str(body.get("event_id", "")) or None,
        is_staff=await staff.is_staff(user_id),
        is_direct=is_direct,
    )
