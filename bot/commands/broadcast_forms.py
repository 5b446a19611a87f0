"""Writing a broadcast with a form: ``/broadcast`` alone opens it, Edit reopens it filled.

The form asks who it goes to (the announcements channel, another channel, or a
DM to every member), the message and an optional send time. Its submission is the
``compose`` action: a new draft and its preview, with Confirm, Cancel and Edit.
Edit reopens the form with the draft's contents; submitting it drafts the edited
broadcast and drops the old draft, which only its author may do.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.actions import ActionRef, FieldErrors, FieldKind, Form, FormField
from bot.broadcasts.parsing import DraftRequest
from bot.commands import broadcast
from bot.commands.registry import CommandContext
from bot.errors import UserError
from bot.replies import MessageBuilder, Reply
from bot.requests import BLANKS, Mention, MentionKind
from bot.storage.models import Broadcast
from bot.storage.models.broadcasts import Audience

ANNOUNCEMENTS, CHANNEL, DM = "announcements", "channel", "dm"
AUDIENCES = (ANNOUNCEMENTS, CHANNEL, DM)
#: The smallest modal text limit of the platforms (Slack 3,000; Discord 4,000); the
#: service still refuses a broadcast longer than one chat message.
FORM_MESSAGE_LIMIT = 3000
FORM_TITLE = "New broadcast"
EDIT_TITLE = "Edit broadcast"


def compose_form(
    *,
    replaces: int | None = None,
    audience: str = ANNOUNCEMENTS,
    channel: Mention | None = None,
    message: str = "",
    at: str = "",
) -> Form:
    """The broadcast form, prefilled when it edits draft ``replaces``."""
    values = (str(replaces),) if replaces is not None else ()
    return Form(
        title=EDIT_TITLE if replaces is not None else FORM_TITLE,
        ref=ActionRef("broadcast", "compose", values),
        submit_label="Preview",
        fields=(
            FormField(
                "audience",
                "Send to",
                FieldKind.CHOICE,
                choices=AUDIENCES,
                initial=audience,
                hint="announcements: the announcements channel; channel: the one you pick "
                "below; dm: a direct message to every member who has not turned them off",
            ),
            FormField(
                "channel",
                "Channel (only when sending to a channel)",
                FieldKind.CHANNEL,
                required=False,
                initial=channel,
            ),
            FormField(
                "message",
                "Message",
                FieldKind.LONG_TEXT,
                initial=message or None,
                max_length=FORM_MESSAGE_LIMIT,
                placeholder="Mentoring applications close Monday!",
            ),
            FormField(
                "at",
                "Send time (organisation time)",
                FieldKind.DATETIME,
                required=False,
                initial=at or None,
                placeholder="2026-12-07 09:00",
                hint="empty: it goes out as soon as you confirm",
            ),
        ),
    )


async def open_form(ctx: CommandContext) -> Reply:
    """``/broadcast`` with nothing after it: the help, and the form where it can open."""
    help_reply = await broadcast.show_help(ctx)
    return Reply(help_reply.message, form=compose_form())


async def edit(ctx: CommandContext) -> Reply:
    """Edit: the form again, filled with the draft (only its author's, only a draft)."""
    number = ctx.args.get("id")
    assert isinstance(number, int)  # read by the option's reader
    draft = await ctx.services.interactions.drafts.own_draft(
        ctx.request.sender, number, now=ctx.now
    )
    form = compose_form(replaces=number, **_form_values(ctx, draft))
    text = f"Edit broadcast #{number}: change it in the form, then preview it again."
    return Reply(MessageBuilder().paragraph(text).build(), form=form)


def _form_values(ctx: CommandContext, draft: Broadcast) -> dict[str, Any]:
    if draft.audience == Audience.DM:
        audience, channel = DM, None
    elif draft.channel_id:
        audience = CHANNEL
        channel = Mention(MentionKind.CHANNEL, f"#{draft.channel_id}", channel_id=draft.channel_id)
    else:
        audience, channel = ANNOUNCEMENTS, None
    return {
        "audience": audience,
        "channel": channel,
        "message": draft.body,
        "at": "" if draft.send_now else _local_text(draft.due_at, ctx),
    }


def _local_text(moment: datetime, ctx: CommandContext) -> str:
    """A stored time as the form's field takes it: ``YYYY-MM-DD HH:MM``, organisation time."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return f"{aware.astimezone(ctx.services.zone):%Y-%m-%d %H:%M}"


async def compose(ctx: CommandContext) -> Reply:
    """The form submitted: a new draft and its preview (the edited draft is dropped)."""
    draft = _draft_from_form(ctx)
    replaces = ctx.args.get("replaces")
    if isinstance(replaces, int):
        # Checked before anything is stored: only the author edits, only a draft.
        await ctx.services.interactions.drafts.own_draft(ctx.request.sender, replaces, now=ctx.now)
    try:
        broadcast.check_send_day(ctx, draft)
    except UserError as error:
        raise FieldErrors({"at": error.message}) from None
    reply = await broadcast.preview_draft(ctx, draft)
    if isinstance(replaces, int):
        await broadcast.drop_draft(ctx, replaces)
    return reply


def _draft_from_form(ctx: CommandContext) -> DraftRequest:
    audience = ctx.args.text("audience")
    channel = ctx.args.get("channel")
    message = ctx.args.text("message").strip(BLANKS)
    errors: dict[str, str] = {}
    if audience == CHANNEL and not isinstance(channel, Mention):
        errors["channel"] = "Please pick the channel to post in (or send to announcements)."
    if not message:
        errors["message"] = "Please write the message."
    if errors:
        raise FieldErrors(errors)
    at = ctx.args.get("at")
    return DraftRequest(
        to_dm=audience == DM,
        channel_id=channel.channel_id
        if audience == CHANNEL and isinstance(channel, Mention)
        else None,
        local_day=at.date() if isinstance(at, datetime) else None,
        local_time=at.time() if isinstance(at, datetime) else None,
        text=message,
    )
