"""Builders for kudos tests: members, mentions and requests as an adapter would make them."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.requests import Mention, MentionKind, Request, UserRef, mention_token
from bot.storage import Database
from bot.storage.models import Kudos, KudosRecipient, ThankYouNote

PLATFORM = "slack"
WORKSPACE = "T1"


def member(user_id: str, name: str | None = None, *, bot: bool = False) -> UserRef:
    return UserRef(
        platform=PLATFORM,
        workspace_id=WORKSPACE,
        user_id=user_id,
        display_name=name or user_id.lower(),
        is_bot=bot,
    )


ALICE = member("U1", "alice")
BOB = member("U2", "bob")
CAROL = member("U3", "carol")
DAN = member("U4", "dan")


def at(user: UserRef, raw: str | None = None) -> Mention:
    return Mention(kind=MentionKind.USER, raw=raw or f"<@{user.user_id}>", user=user)


def other(kind: MentionKind, raw: str) -> Mention:
    return Mention(kind=kind, raw=raw)


def request(
    *parts: str | Mention,
    sender: UserRef = ALICE,
    command: str = "kudos",
    delivery_id: str | None = None,
    staff: bool = False,
) -> Request:
    """Assemble ``Request.text`` with mention tokens from strings and mentions."""
    text: list[str] = []
    mentions: list[Mention] = []
    for part in parts:
        if isinstance(part, Mention):
            text.append(mention_token(len(mentions)))
            mentions.append(part)
        else:
            text.append(part)
    return Request(
        platform=sender.platform,
        workspace_id=sender.workspace_id,
        channel_id="C-general",
        sender=sender,
        command=command,
        text="".join(text),
        mentions=tuple(mentions),
        delivery_id=delivery_id,
        is_staff=staff,
    )


async def count_rows(database: Database, model: type) -> int:
    async with database.session() as session:
        return await session.scalar(select(func.count()).select_from(model)) or 0


async def stored_counts(database: Database) -> tuple[int, int, int]:
    """(kudos, kudos recipients, thank-you notes) stored."""
    return (
        await count_rows(database, Kudos),
        await count_rows(database, KudosRecipient),
        await count_rows(database, ThankYouNote),
    )
