"""/broadcast (staff only): preview, confirm, list and cancel broadcasts."""

from __future__ import annotations

import contextlib
import re
from datetime import date, datetime, time, timedelta

from bot.actions import ActionRef, Button, ButtonStyle
from bot.broadcasts.listing import BroadcastSummary, format_counts
from bot.broadcasts.messages import MAX_MESSAGE_LENGTH, broadcast_message, snippet
from bot.broadcasts.parsing import (
    DEFAULT_LIST_COUNT,
    USAGE,
    Action,
    DraftRequest,
    parse,
)
from bot.broadcasts.scheduling import format_local
from bot.broadcasts.service import BroadcastService
from bot.commands.registry import CommandContext
from bot.errors import UserError
from bot.replies import Bold, CommandSpan, Inline, MessageBuilder, Reply, Text, counted
from bot.requests import BLANKS, Arguments, ArgumentValue, Mention, Request
from bot.storage.models import Broadcast
from bot.storage.models.broadcasts import Audience, BroadcastKind, BroadcastStatus, DeliveryStatus

SNIPPET_LENGTH = 60
#: How far ahead a broadcast can be scheduled: a year and a day, so "same day next
#: year" always works.
MAX_DAYS_AHEAD = 366
#: A send time typed in its own field (Discord's ``at`` option, a form's date and time).
_SEND_TIME = re.compile(r"\d{4}-\d{1,2}-\d{1,2} \d{1,2}:\d{2}")

HELP_ROWS: tuple[tuple[Inline | str, ...], ...] = (
    (
        CommandSpan("broadcast", "#channel MESSAGE", action="post"),
        ": post in that channel.",
    ),
    (
        CommandSpan("broadcast", "announcements MESSAGE", action="announcements"),
        ": post in the announcements channel.",
    ),
    (
        CommandSpan("broadcast", "dm MESSAGE", action="dm"),
        ": DM every member who has not turned reminders off.",
    ),
    ("To send later, add the time: at YYYY-MM-DD HH:MM (organisation time).",),
    (f"A broadcast is one chat message: at most {MAX_MESSAGE_LENGTH:,} characters.",),
    (
        "You get a preview first; nothing is sent until ",
        CommandSpan("broadcast", "confirm ID", action="confirm"),
        ".",
    ),
    (
        CommandSpan("broadcast", "list [COUNT]", action="list"),
        ": staff broadcasts (newest first) and the automatic deadline reminders, "
        "with delivery counts and failures.",
    ),
    (
        CommandSpan("broadcast", "cancel ID", action="cancel"),
        ": stop the unsent part of a broadcast, or skip a reminder.",
    ),
)
REMINDER_CANCELLED = (
    "Reminder #{id} is cancelled: it will not be posted. Reminders follow the deadlines "
    "in the knowledge file: if this deadline's date changes, its reminders are scheduled "
    "again for the new date; to stop every reminder of a deadline, remove it from the file."
)


def parse_broadcast_text(request: Request) -> Arguments:
    """``/broadcast #news at 2026-12-01 09:00 Hello`` and friends -> typed arguments."""
    if not request.text.strip(BLANKS):
        return Arguments(None)  # the command itself: help, and the form to write one
    parsed = parse(request)
    if isinstance(parsed, Action):
        if parsed.name in {"confirm", "cancel"}:
            return Arguments(parsed.name, {"id": parsed.broadcast_id})
        if parsed.name == "list":
            return Arguments("list", {"count": parsed.count})
        return Arguments(parsed.name)
    values: dict[str, ArgumentValue] = {"message": parsed.text}
    if parsed.local_day is not None and parsed.local_time is not None:
        values["at"] = datetime.combine(parsed.local_day, parsed.local_time)
    if parsed.to_dm:
        return Arguments("dm", values)
    values["channel"] = parsed.channel_id
    return Arguments("post", values)


def read_send_time(value: str) -> datetime | None:
    """A send time typed in its own field: ``YYYY-MM-DD HH:MM``; empty means now.

    Raises:
        UserError: Not shaped like a date and time, or not a real one.
    """
    value = " ".join(value.split())
    if not value:
        return None
    if not _SEND_TIME.fullmatch(value):
        raise UserError(
            f"'{value[:40]}' is not a send time. Write it as YYYY-MM-DD HH:MM "
            "(24-hour clock, organisation time), e.g. 2026-12-07 09:00. Nothing was scheduled."
        )
    day, at = value.split(" ")
    year, month, day_of_month = day.split("-")
    try:
        return datetime.combine(
            date.fromisoformat(f"{year}-{month.zfill(2)}-{day_of_month.zfill(2)}"),
            time.fromisoformat(at.zfill(5)),
        )
    except ValueError:
        raise UserError(
            f"'{value}' is not a real date and time. "
            "Write it as `at YYYY-MM-DD HH:MM` on a 24-hour clock, e.g. at 2026-12-07 09:00."
        ) from None


def _service(ctx: CommandContext) -> BroadcastService:
    if ctx.services.broadcasts is None:
        raise UserError("Broadcasts need a chat platform to deliver them; nothing was scheduled.")
    return ctx.services.broadcasts


def _draft_request(ctx: CommandContext) -> DraftRequest:
    """The draft the typed arguments describe (the message's mentions shown as names)."""
    message = ctx.request.text_with_names(ctx.args.text("message")).strip(BLANKS)
    if not message:
        raise UserError(f"The broadcast has no message. Usage: {USAGE}")
    send_at = ctx.args.get("at")
    channel = ctx.args.get("channel")
    if isinstance(channel, Mention):
        channel = channel.channel_id
    return DraftRequest(
        to_dm=ctx.args.subcommand == "dm",
        channel_id=channel if isinstance(channel, str) else None,
        local_day=send_at.date() if isinstance(send_at, datetime) else None,
        local_time=send_at.time() if isinstance(send_at, datetime) else None,
        text=message,
    )


async def draft(ctx: CommandContext) -> Reply:
    return await preview_draft(ctx, _draft_request(ctx))


async def confirm(ctx: CommandContext) -> Reply:
    return await _confirm(ctx, Action("confirm", _number(ctx, "id")))


async def cancel(ctx: CommandContext) -> Reply:
    return await _cancel(ctx, Action("cancel", _number(ctx, "id")))


async def list_broadcasts(ctx: CommandContext) -> Reply:
    count = ctx.args.get("count")
    limit = count if isinstance(count, int) and not isinstance(count, bool) else DEFAULT_LIST_COUNT
    return await _list(ctx, Action("list", count=limit))


async def show_help(ctx: CommandContext) -> Reply:
    return await _help(ctx, Action("help"))


def _number(ctx: CommandContext, name: str) -> int:
    value = ctx.args.get(name)
    assert isinstance(value, int) and not isinstance(value, bool)  # read by the option's reader
    return value


async def _help(ctx: CommandContext, _: Action) -> Reply:
    return Reply(MessageBuilder().paragraph(Bold("Broadcasts")).bullets(HELP_ROWS).build())


async def preview_draft(ctx: CommandContext, draft: DraftRequest) -> Reply:
    """Store ``draft`` and show its preview with Confirm, Cancel and Edit."""
    check_send_day(ctx, draft)
    result = await _service(ctx).create_draft(request=ctx.request, draft=draft, now=ctx.now)
    broadcast = result.broadcast
    intro = MessageBuilder().paragraph(
        Bold(f"Preview of broadcast #{broadcast.id}"), " (nothing has been sent yet):"
    )
    details = MessageBuilder().bullets(
        [
            ["To: ", _audience_text(broadcast, result.audience_size)],
            ["When: ", _when_text(ctx, broadcast)],
        ]
    )
    details.paragraph(
        f"Type /broadcast confirm {broadcast.id} to schedule it, "
        f"or /broadcast cancel {broadcast.id} to drop it."
    )
    return Reply(
        intro.build() + broadcast_message(broadcast) + details.build(),
        actions=preview_actions(broadcast.id),
    )


def preview_actions(broadcast_id: int) -> tuple[Button, ...]:
    """Confirm, Cancel and Edit under a preview; each names the draft, which the core
    checks against whoever presses it (only its author confirms or edits it)."""
    number = str(broadcast_id)
    return (
        Button("Confirm", ActionRef("broadcast", "confirm", (number,)), ButtonStyle.PRIMARY),
        Button("Cancel", ActionRef("broadcast", "cancel", (number,)), ButtonStyle.DANGER),
        Button("Edit", ActionRef("broadcast", "edit", (number,))),
    )


async def drop_draft(ctx: CommandContext, broadcast_id: int) -> None:
    """Cancel a draft replaced by its edited version (already gone: nothing to do)."""
    # Cancelled meanwhile from another message: the new draft stands alone.
    with contextlib.suppress(UserError):
        await _service(ctx).cancel(request=ctx.request, broadcast_id=broadcast_id, now=ctx.now)


def check_send_day(ctx: CommandContext, draft: DraftRequest) -> None:
    """Refuse send days far in the past or future before any time arithmetic.

    Converting the year 9999 (or 0001) between time zones overflows what dates can
    hold; a day this far off is a typo anyway. Today and yesterday are left to the
    service, which compares the exact time with now.
    """
    if draft.local_day is None or draft.local_time is None:
        return
    zone = ctx.services.zone
    today = ctx.now.astimezone(zone).date()
    typed = f"{draft.local_day.isoformat()} {draft.local_time:%H:%M}"
    last_day = today + timedelta(days=MAX_DAYS_AHEAD)
    if draft.local_day > last_day:
        raise UserError(
            f"{typed} is too far ahead: broadcasts can be scheduled up to a year ahead, "
            f"until {last_day.isoformat()}. Pick an earlier date; nothing was drafted."
        )
    if draft.local_day < today - timedelta(days=1):
        raise UserError(
            f"{typed} ({zone.key}) is in the past. Pick a later time, or leave out "
            "`at ...` to send now."
        )


async def _confirm(ctx: CommandContext, action: Action) -> Reply:
    assert action.broadcast_id is not None
    result = await _service(ctx).confirm(
        request=ctx.request, broadcast_id=action.broadcast_id, now=ctx.now
    )
    broadcast = result.broadcast
    if broadcast.send_now:
        ctx.services.deliveries_due.set()
    zone = ctx.services.zone
    when = "now" if broadcast.send_now else format_local(broadcast.due_at, zone)
    audience = _audience_text(broadcast, result.audience_size)
    text = (
        f"Broadcast #{broadcast.id} is scheduled: {audience}, "
        f"sending {when}. Type /broadcast list to follow the deliveries."
    )
    return Reply(MessageBuilder().paragraph(text).build())


async def _cancel(ctx: CommandContext, action: Action) -> Reply:
    assert action.broadcast_id is not None
    result = await _service(ctx).cancel(
        request=ctx.request, broadcast_id=action.broadcast_id, now=ctx.now
    )
    if result.broadcast.kind == BroadcastKind.REMINDER:
        return Reply(
            MessageBuilder().paragraph(REMINDER_CANCELLED.format(id=result.broadcast.id)).build()
        )
    text = (
        f"Broadcast #{result.broadcast.id} is cancelled: "
        f"{counted(result.cancelled, 'unsent message')} dropped"
    )
    if result.already_sent:
        text += f"; {result.already_sent} had already gone out and cannot be recalled"
    return Reply(MessageBuilder().paragraph(text + ".").build())


async def _list(ctx: CommandContext, action: Action) -> Reply:
    listing = await _service(ctx).listing(request=ctx.request, now=ctx.now, limit=action.count)
    builder = MessageBuilder().paragraph(Bold("Staff broadcasts"), " (newest first):")
    if listing.staff:
        builder.bullets(_summary_line(ctx, summary) for summary in listing.staff)
    else:
        builder.paragraph("None yet. Start one with /broadcast help.")
    builder.paragraph(Bold("Deadline reminders"), " (last week and upcoming, soonest first):")
    if listing.reminders:
        builder.bullets(_summary_line(ctx, summary) for summary in listing.reminders)
    else:
        builder.paragraph("None scheduled: no deadline in the knowledge file is coming up.")
    builder.paragraph(
        "Reminders come from the deadlines in the knowledge file; /broadcast cancel ID "
        "skips one. Add a number to see more, e.g. /broadcast list 25."
    )
    return Reply(builder.build())


def _summary_line(ctx: CommandContext, summary: BroadcastSummary) -> list[Text | Bold | str]:
    broadcast = summary.broadcast
    counts = format_counts(summary.counts)
    line: list[Text | Bold | str] = [
        Bold(f"#{broadcast.id}"),
        f" {summary.state(ctx.now)} · {_audience_text(broadcast, summary.recipients)} · ",
        format_local(broadcast.due_at, ctx.services.zone),
        f" · {counts or 'no deliveries (draft)'} · ",
        Text(snippet(broadcast_message(broadcast).plain_text(), SNIPPET_LENGTH)),
    ]
    if summary.failures:
        failed = "; ".join(f"{name}: {reason}" for name, reason in summary.failures)
        more = summary.counts.get(DeliveryStatus.FAILED, 0) - len(summary.failures)
        line.append(f" · not delivered: {failed}" + (f" (and {more} more)" if more > 0 else ""))
    return line


def _audience_text(broadcast: Broadcast, size: int) -> str:
    if broadcast.audience == Audience.DM:
        return f"DM to {counted(size, 'member')}"
    if broadcast.channel_id:
        return f"post in #{broadcast.channel_id}"
    return "post in the announcements channel"


def _when_text(ctx: CommandContext, broadcast: Broadcast) -> str:
    if broadcast.send_now and broadcast.status == BroadcastStatus.DRAFT:
        return "as soon as you confirm"
    return format_local(broadcast.due_at, ctx.services.zone)
