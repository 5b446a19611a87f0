"""Telling staff that a broadcast or reminder was missed (due while the bot was down).

The notice is itself a one-row broadcast, created in the same transaction that
marks the rows missed and keyed ``missed:<broadcast id>`` (unique per platform),
so it is created once and delivered exactly once by the ordinary dispatcher.

Who hears about it: a staff broadcast's author gets a DM (they wrote it and are
the one to decide whether to send it again); a missed deadline reminder, which
has no author, gets a short notice in the announcements channel it was meant for.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.broadcasts import audit
from bot.broadcasts.audit import AuditAction
from bot.broadcasts.messages import broadcast_message, snippet
from bot.broadcasts.scheduling import format_local
from bot.date_wording import duration
from bot.outbound import ChannelPurpose
from bot.storage.models import Broadcast
from bot.storage.models.broadcasts import (
    CHANNEL_RECIPIENT,
    Audience,
    BroadcastKind,
    member_recipient,
)
from bot.storage.repositories.broadcasts import NoticeDelivery

if TYPE_CHECKING:
    from bot.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

QUOTE_LENGTH = 200


def notice_key(broadcast_id: int) -> str:
    """The unique key of the notice about missed deliveries of one broadcast."""
    return f"missed:{broadcast_id}"


def describe_duration(span: timedelta) -> str:
    """``6 hours``, ``90 minutes``, ``1 hour``: how long the grace period is, in words."""
    return duration(span)


def missed_notice_text(
    broadcast: Broadcast, *, missed: int, grace: timedelta, zone: ZoneInfo
) -> str:
    """Plain text of the notice about ``missed`` deliveries of ``broadcast``."""
    due = format_local(broadcast.due_at, zone)
    text = broadcast_message(broadcast).plain_text()
    if broadcast.kind == BroadcastKind.REMINDER:
        text = text.split("\n\n", 1)[0]  # the headline; the rest is the deadline's description
    quoted = snippet(text, QUOTE_LENGTH)
    offline = (
        f"memberbot was offline when it was due ({due}) and came back more than "
        f"{describe_duration(grace)} later"
    )
    if broadcast.kind == BroadcastKind.REMINDER:
        return (
            f"Missed reminder: {offline}, so this deadline reminder was not posted then. "
            f"It read: “{quoted}” Type /deadlines to see what is coming up."
        )
    if broadcast.audience == Audience.DM:
        what = f"was not sent to {missed} member{'s' if missed != 1 else ''}"
    else:
        channel = (
            f"#{broadcast.channel_id}" if broadcast.channel_id else "the announcements channel"
        )
        what = f"was not posted in {channel}"
    return (
        f"Your broadcast #{broadcast.id} {what}: {offline}. Late broadcasts are not sent "
        "automatically; if it still matters, send it again with /broadcast. "
        f"It said: “{quoted}”"
    )


async def add_missed_notice(
    work: UnitOfWork,
    broadcast: Broadcast,
    *,
    missed: int,
    now: datetime,
    grace: timedelta,
    zone: ZoneInfo,
) -> bool:
    """Schedule the notice about ``broadcast``'s missed rows; False if none is due.

    No notice is made about a missed notice or a member's own reminder, nor twice
    about one broadcast.
    """
    if broadcast.kind in {BroadcastKind.NOTICE, BroadcastKind.MEMBER_REMINDER}:
        return False  # a member's own reminder is theirs: staff are not told about it
    if broadcast.kind == BroadcastKind.STAFF:
        author = broadcast.created_by_member_id
        if author is None:
            log.warning(
                "missed broadcast has no author to tell", extra={"broadcast_id": broadcast.id}
            )
            return False
        to = NoticeDelivery(
            audience=Audience.DM,
            recipient=member_recipient(author),
            member_id=author,
            channel_purpose=None,
        )
    else:
        to = NoticeDelivery(
            audience=Audience.CHANNEL,
            recipient=CHANNEL_RECIPIENT,
            member_id=None,
            channel_purpose=ChannelPurpose.ANNOUNCEMENTS.value,
        )
    notice = await work.broadcasts.add_notice_once(
        about=broadcast,
        key=notice_key(broadcast.id),
        body=missed_notice_text(broadcast, missed=missed, grace=grace, zone=zone),
        to=to,
        now=now,
    )
    if notice is None:
        return False  # this broadcast's missed rows were reported already
    audit.record(work, action=AuditAction.CREATE, broadcast=notice, at=now)
    return True
