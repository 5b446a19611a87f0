"""Console input line -> neutral Request."""

from __future__ import annotations

import re

from bot.requests import Mention, MentionKind, Request, UserRef, mention_token, strip_control_chars

PLATFORM = "console"
WORKSPACE = "local"
CHANNEL = "console"
BOT_NAME = "memberbot"

_MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9][A-Za-z0-9._-]*)")
_EVERYONE_NAMES = {"everyone", "here", "channel"}


def console_user(name: str) -> UserRef:
    """Console members are identified by their lower-cased name."""
    clean = name.strip().lstrip("@")
    return UserRef(
        platform=PLATFORM,
        workspace_id=WORKSPACE,
        user_id=clean.lower(),
        display_name=clean,
        is_bot=clean.lower() == BOT_NAME,
    )


def translate_line(line: str, *, sender: UserRef, is_staff: bool) -> Request | None:
    """Turn one typed line into a Request; blank lines give ``None``.

    ``/cmd args`` is a command, anything else is a question for ``/ask``.
    """
    text = strip_control_chars(line).strip()
    if not text:
        return None
    command, arguments = "ask", text
    if text.startswith("/"):
        head, _, rest = text[1:].partition(" ")
        command, arguments = head.lower() or "help", rest.strip()
    mentions: list[Mention] = []

    def _replace(match: re.Match[str]) -> str:
        name = match.group(1).rstrip(".")
        trailing = match.group(1)[len(name) :]
        if name.lower() in _EVERYONE_NAMES:
            mention = Mention(kind=MentionKind.EVERYONE, raw=f"@{name}")
        else:
            mention = Mention(kind=MentionKind.USER, raw=f"@{name}", user=console_user(name))
        mentions.append(mention)
        return mention_token(len(mentions) - 1) + trailing

    return Request(
        platform=PLATFORM,
        workspace_id=WORKSPACE,
        channel_id=CHANNEL,
        sender=sender,
        command=command,
        text=_MENTION.sub(_replace, arguments),
        mentions=tuple(mentions),
        is_staff=is_staff,
    )
