"""Kudos with buttons and a form: Undo under a confirmation, the give form, posting a digest.

* ``/kudos`` alone opens a form (who, and why) where the platform can open one.
* A kudos confirmation carries **Undo** while undo is allowed; it names the kudos,
  and only its giver, and only for their latest kudos, can take it back.
* ``/kudos digest`` (staff) carries **Post to the kudos channel**; the digest of a
  month is posted there once, however many times it is pressed.
"""

from __future__ import annotations

import logging

from bot.actions import ActionRef, Button, ButtonStyle, ConfirmPrompt, FieldKind, Form, FormField
from bot.commands.registry import CommandContext
from bot.errors import DeliveryError, UserError
from bot.kudos import messages as kudos_messages
from bot.kudos.digest import digest_message
from bot.kudos.periods import Month, digest_month
from bot.outbound import ChannelPurpose, ChannelTarget, DeliveryKey
from bot.replies import Reply, text_message

log = logging.getLogger(__name__)

GIVE_TITLE = "Give kudos"
#: Slack's modal text limit; the kudos rules refuse a longer reason anyway.
FORM_REASON_LIMIT = 3000
POST_DIGEST_LABEL = "Post to the kudos channel"


def give_form(*, max_length: int) -> Form:
    """Who gets the kudos (up to three people) and why."""
    return Form(
        title=GIVE_TITLE,
        ref=ActionRef("kudos", "give"),
        submit_label="Give kudos",
        fields=(
            FormField("user", "Who gets the kudos", FieldKind.MEMBERS, limit=3),
            FormField(
                "reason",
                "What they did",
                FieldKind.LONG_TEXT,
                max_length=min(max_length, FORM_REASON_LIMIT),
                placeholder="for running the sensory storytime",
            ),
        ),
    )


async def open_give_form(ctx: CommandContext) -> Reply:
    """``/kudos`` with nothing after it: how kudos work, and the form to give one."""
    rules = ctx.services.kudos_rules
    help_text = kudos_messages.help_message(
        quota=rules.daily_quota,
        max_length=rules.max_length,
        undo_minutes=rules.undo_minutes,
        is_staff=ctx.request.is_staff,
    )
    return Reply(help_text, form=give_form(max_length=rules.max_length))


def undo_actions(kudos_id: int, *, undo_minutes: int) -> tuple[Button, ...]:
    """Undo under a kudos confirmation, when this installation allows undoing at all."""
    if undo_minutes <= 0:
        return ()
    return (
        Button(
            "Undo",
            ActionRef("kudos", "undo-one", (str(kudos_id),)),
            ButtonStyle.DANGER,
            confirm=ConfirmPrompt(
                "Take back this kudos?",
                "Its post is deleted and it no longer counts.",
                confirm="Take it back",
                deny="Keep it",
            ),
        ),
    )


async def undo_one(ctx: CommandContext) -> Reply:
    """Undo pressed: take back that kudos, if it is the presser's latest and undo is open.

    The kudos number comes from the button, so it is checked against the member who
    pressed it: only a kudos they gave, and only their latest (what ``/kudos undo``
    takes back), so an old Undo never takes back a newer kudos. A second press finds
    it already taken back.
    """
    kudos_id = ctx.args.get("id")
    assert isinstance(kudos_id, int)  # read by the option's reader
    _, given = await ctx.services.kudos_history.given(ctx.request.sender)
    latest = given[0].kudos_id if given else None
    if latest != kudos_id:
        if any(entry.kudos_id == kudos_id for entry in given):
            raise UserError(kudos_messages.undo_not_latest())
        raise UserError(
            "That kudos was already taken back, or it is not one you gave, so there is "
            "nothing to undo. Nothing changed."
        )
    outcome = await ctx.services.kudos.undo_last(
        request=ctx.request, now=ctx.now, expected_kudos_id=kudos_id
    )
    return Reply(
        kudos_messages.undo_done(
            outcome.recipients, post_deleted=outcome.post_deleted, failure=outcome.delete_failure
        )
    )


def digest_actions(month: Month) -> tuple[Button, ...]:
    """Post to the kudos channel, under a staff digest."""
    value = f"{month.first_day:%Y-%m}"
    return (
        Button(
            POST_DIGEST_LABEL,
            ActionRef("kudos", "post-digest", (value,)),
            ButtonStyle.PRIMARY,
            confirm=ConfirmPrompt(
                "Post the digest?",
                f"Everyone in the kudos channel sees the {month.label} digest.",
                confirm="Post it",
                deny="Not now",
            ),
        ),
    )


async def post_digest(ctx: CommandContext) -> Reply:
    """Staff pressed Post: the month's digest in the kudos channel, once per month."""
    month = digest_month(ctx.args.text("month"), today=ctx.today)
    outbound = ctx.services.interactions.outbound
    if outbound is None:
        raise UserError("There is no chat platform to post to; nothing was posted.")
    request = ctx.request
    claims = ctx.services.interactions.once
    key = f"digest:{request.workspace_id}:{month.first_day:%Y-%m}"
    if not await claims.claim(platform=request.platform, key=key, command="kudos", now=ctx.now):
        return Reply(
            text_message(
                f"The {month.label} digest was already posted to the kudos channel; "
                "nothing was posted again."
            )
        )
    start, end = month.bounds(ctx.services.zone)
    stats = await ctx.services.kudos_history.digest(
        platform=request.platform, workspace_id=request.workspace_id, start=start, end=end
    )
    current = month.first_day == ctx.today.replace(day=1)
    try:
        await outbound.post(
            target=ChannelTarget(
                purpose=ChannelPurpose.KUDOS, fallback_channel_id=request.channel_id
            ),
            message=digest_message(stats, month=month, current=current),
            key=DeliveryKey(f"g{month.first_day:%Y%m}"),
        )
    except DeliveryError as error:
        await claims.release(platform=request.platform, key=key)
        log.warning(
            "digest not posted", extra={"month": str(month.first_day), "reason": error.reason}
        )
        raise UserError(
            f"I could not post the {month.label} digest to the kudos channel right now "
            "(the chat platform refused). Nothing was posted; please try again later."
        ) from None
    return Reply(text_message(f"Posted: the {month.label} digest is in the kudos channel."))
