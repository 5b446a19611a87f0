"""Console input line -> neutral Request."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from bot.requests import (
    Mention,
    MentionKind,
    Request,
    UserRef,
    clean_member_text,
    mention_token,
)

PLATFORM = "console"
WORKSPACE = "local"
CHANNEL = "console"
BOT_NAME = "memberbot"

# A name starts with a letter or digit in any script (``@José``, ``@Zoë``, ``@李``) and may
# go on with dots and hyphens (``@ana.m``); text is NFC-normalised first, so an accent
# typed as a combining mark is part of its letter.
_MENTION = re.compile(r"(?<![\w@])@([^\W_][\w.-]*)")
_EVERYONE_NAMES = {"everyone", "here", "channel"}


def console_user(name: str) -> UserRef:
    """Console members are identified by their lower-cased name."""
    clean = unicodedata.normalize("NFC", clean_member_text(name)).strip().lstrip("@")
    return UserRef(
        platform=PLATFORM,
        workspace_id=WORKSPACE,
        user_id=clean.lower(),
        display_name=clean,
        is_bot=clean.lower() == BOT_NAME,
    )


def translate_line(
    line: str,
    *,
    sender: UserRef,
    is_staff: bool,
    member: Callable[[UserRef], UserRef | None] | None = None,
) -> Request | None:
    """Turn one typed line into a Request; blank lines give ``None``.

    ``/cmd args`` is a command, anything else is a question for ``/ask``.

    Args:
        member: The console member a mentioned name is (as they spell their
            name), or ``None`` for a name that is no member: it becomes an
            ``UNKNOWN_USER`` mention, never a new member. Without it every name
            is taken as a member.
    """
    text = unicodedata.normalize("NFC", clean_member_text(line)).strip()
    if not text:
        return None
    command, arguments = "ask", text
    if text.startswith("/"):
        head, _, rest = text[1:].partition(" ")
        command, arguments = head.lower() or "help", rest.strip()
    text, mentions = read_mentions(arguments, member=member)
    return Request(
        platform=PLATFORM,
        workspace_id=WORKSPACE,
        channel_id=CHANNEL,
        sender=sender,
        command=command,
        text=text,
        mentions=mentions,
        is_staff=is_staff,
    )


def read_mentions(
    text: str, *, member: Callable[[UserRef], UserRef | None] | None = None
) -> tuple[str, tuple[Mention, ...]]:
    """``@name`` in ``text`` replaced by mention tokens, and the mentions they stand for.

    Args:
        member: As for :func:`translate_line`.
    """
    mentions: list[Mention] = []

    def _replace(match: re.Match[str]) -> str:
        name = match.group(1).rstrip(".")
        trailing = match.group(1)[len(name) :]
        if name.lower() in _EVERYONE_NAMES:
            mention = Mention(kind=MentionKind.EVERYONE, raw=f"@{name}")
        else:
            typed = console_user(name)
            user = member(typed) if member is not None else typed
            if user is None:
                mention = Mention(kind=MentionKind.UNKNOWN_USER, raw=f"@{typed.name}")
            else:
                mention = Mention(kind=MentionKind.USER, raw=f"@{name}", user=user)
        mentions.append(mention)
        return mention_token(len(mentions) - 1) + trailing

    return _MENTION.sub(_replace, text), tuple(mentions)
