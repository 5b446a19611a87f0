"""Staff take down a kudos: removed from every count, its post deleted, the act audited.

A giver can take back their own kudos for a few minutes (``/kudos undo``); after
that only staff can remove one, with ``/kudos remove ID``. Staff see each kudos'
number in ``/kudos @someone`` and ``/kudos mine``, and a giver whose undo came too
late is told the number to pass on. The removal is one transaction with its audit
row (in the shared ``audit_log``, next to broadcast actions), so a kudos is never
gone without a record of who removed it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime

from bot.broadcasts.audit import describe_actor
from bot.errors import DeliveryError, UserError
from bot.kudos.store import posted_message, posts_saved
from bot.outbound import OutboundSender
from bot.requests import Request, UserRef
from bot.storage import Database
from bot.storage.models import Kudos

log = logging.getLogger(__name__)

#: ``audit_log.action`` of a staff removal.
REMOVE_ACTION = "kudos_remove"


@dataclass(frozen=True, slots=True)
class RemoveOutcome:
    kudos_id: int
    giver: UserRef
    recipients: tuple[UserRef, ...]
    post_deleted: bool
    was_posted: bool
    delete_failure: str | None = None


def parse_kudos_id(text: str) -> int:
    """``"12"`` or ``"#12"`` -> 12; anything else is refused with the usage."""
    typed = text.strip().removeprefix("#")
    if not typed.isascii() or not typed.isdigit() or len(typed) > 12:
        shown = f"'{text.strip()[:40]}' is not a kudos number. " if text.strip() else ""
        raise UserError(
            f"{shown}Type /kudos remove and the kudos number, like /kudos remove 12 "
            "(staff see each kudos' number in /kudos @someone). Nothing was removed."
        )
    return int(typed)


async def remove_kudos(
    database: Database,
    outbound: OutboundSender | None,
    *,
    request: Request,
    kudos_id: int,
    now: datetime,
) -> RemoveOutcome:
    """Remove one kudos of the staff member's workspace, audit it, then delete its post.

    Raises:
        UserError: No such kudos in this workspace (never given, or already removed).
    """
    await posts_saved(database)  # a kudos removed right after it was given has its post
    async with database.unit_of_work() as work:
        kudos = await work.kudos.in_workspace(
            kudos_id, platform=request.platform, workspace_id=request.workspace_id
        )
        if kudos is None:
            raise UserError(
                f"There is no kudos #{kudos_id} here: it may have been removed already. "
                "Staff see each kudos' number in /kudos @someone. Nothing was removed."
            )
        giver = await work.kudos.giver(kudos)
        recipients = await work.kudos.recipients(kudos.id)
        actor = await work.members.ensure(request.sender, now=now)
        giver_ref = giver.ref() if giver else UserRef(request.platform, request.workspace_id, "?")
        work.audit.add(
            at=now,
            actor_member_id=actor.id,
            actor=describe_actor(actor),
            action=REMOVE_ACTION,
            audience=_describe(kudos, giver_ref, recipients),
            text=kudos.reason,
        )
        posted = posted_message(kudos, request.platform)
        await work.kudos.delete(kudos.id)
    log.info(
        "kudos removed by staff",
        extra={"kudos_id": kudos_id, "actor": request.sender.user_id, "giver": giver_ref.user_id},
    )
    outcome = RemoveOutcome(
        kudos_id, giver_ref, tuple(recipients), post_deleted=False, was_posted=posted is not None
    )
    if posted is None:
        return outcome
    if outbound is None:
        return replace(outcome, delete_failure="no outbound sender")
    try:
        await outbound.delete(posted=posted)
    except DeliveryError as error:
        log.warning("removed kudos post not deleted", extra={"kudos_id": kudos_id})
        return replace(outcome, delete_failure=error.reason)
    return replace(outcome, post_deleted=True)


def _describe(kudos: Kudos, giver: UserRef, recipients: list[UserRef]) -> str:
    names = ", ".join(f"@{user.name}" for user in recipients)
    return (
        f"kudos #{kudos.id} from @{giver.name} to {names} ({kudos.platform}/{kudos.workspace_id})"
    )
