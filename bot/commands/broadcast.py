"""/broadcast (staff only): preview, confirm, list and cancel broadcasts."""

from __future__ import annotations

from datetime import timedelta

from bot.broadcasts.listing import BroadcastSummary, format_counts
from bot.broadcasts.messages import MAX_MESSAGE_LENGTH, broadcast_message, snippet
from bot.broadcasts.parsing import Action, DraftRequest, parse
from bot.broadcasts.scheduling import format_local
from bot.broadcasts.service import BroadcastService
from bot.commands.registry import Command, CommandContext, CommandRegistry
from bot.errors import UserError
from bot.replies import Bold, CommandSpan, Inline, MessageBuilder, Reply, Text, counted
from bot.storage.models import Broadcast
from bot.storage.models.broadcasts import Audience, BroadcastKind, BroadcastStatus, DeliveryStatus

SNIPPET_LENGTH = 60
#: How far ahead a broadcast can be scheduled: a year and a day, so "same day next
#: year" always works.
MAX_DAYS_AHEAD = 366

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


def _service(ctx: CommandContext) -> BroadcastService:
    if ctx.outbound is None:
        raise UserError("Broadcasts need a chat platform to deliver them; nothing was scheduled.")
    return BroadcastService(
        database=ctx.core.database, outbound=ctx.outbound, zone=ctx.core.settings.timezone
    )


async def handle_broadcast(ctx: CommandContext) -> Reply:
    parsed = parse(ctx.request)
    if isinstance(parsed, DraftRequest):
        return await _draft(ctx, parsed)
    return await _ACTIONS[parsed.name](ctx, parsed)


async def _help(ctx: CommandContext, _: Action) -> Reply:
    return Reply(MessageBuilder().paragraph(Bold("Broadcasts")).bullets(HELP_ROWS).build())


async def _draft(ctx: CommandContext, draft: DraftRequest) -> Reply:
    _check_send_day(ctx, draft)
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
    return Reply(intro.build() + broadcast_message(broadcast) + details.build())


def _check_send_day(ctx: CommandContext, draft: DraftRequest) -> None:
    """Refuse send days far in the past or future before any time arithmetic.

    Converting the year 9999 (or 0001) between time zones overflows what dates can
    hold; a day this far off is a typo anyway. Today and yesterday are left to the
    service, which compares the exact time with now.
    """
    if draft.local_day is None or draft.local_time is None:
        return
    zone = ctx.core.settings.timezone
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
        ctx.core.deliveries_due.set()
    zone = ctx.core.settings.timezone
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
        format_local(broadcast.due_at, ctx.core.settings.timezone),
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
    return format_local(broadcast.due_at, ctx.core.settings.timezone)


_ACTIONS = {"help": _help, "confirm": _confirm, "cancel": _cancel, "list": _list}


def register(registry: CommandRegistry) -> None:
    registry.register(
        Command(
            name="broadcast",
            summary="Staff: send a message to a channel or DM every member, now or later.",
            usage=CommandSpan("broadcast", "help", action="help"),
            handler=handle_broadcast,
            examples=(
                CommandSpan(
                    "broadcast",
                    "announcements Mentoring applications close Monday!",
                    action="announcements",
                ),
                CommandSpan(
                    "broadcast",
                    "dm at 2026-12-01 09:00 Gift memberships close December 14.",
                    action="dm",
                ),
            ),
            staff_only=True,
        )
    )
