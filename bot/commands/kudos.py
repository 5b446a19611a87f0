"""/kudos: public recognition, the leaderboard, histories, undo, help and the staff digest."""

from __future__ import annotations

from datetime import date, datetime

from bot.commands.registry import Command, CommandContext, CommandRegistry
from bot.errors import PermissionDenied, UserError
from bot.kudos import KudosService
from bot.kudos import messages as kudos_messages
from bot.kudos.digest import digest_message, digest_stats
from bot.kudos.messages import KUDOS_EXAMPLE
from bot.kudos.notes import undelivered_notes_for
from bot.kudos.parsing import (
    RecipientsAndReason,
    first_user_mentioned,
    parse_recipients_and_reason,
    readable_text,
    split_subcommand,
    unresolved_leading_mention,
)
from bot.kudos.periods import digest_month, leaderboard_period
from bot.kudos.queries import kudos_given, kudos_received, leaderboard, thanks_received_count
from bot.kudos.removal import parse_kudos_id, remove_kudos
from bot.kudos.rules import (
    refuse_no_recipient,
    refuse_unresolved,
    require_person,
    validate_recipients,
    validate_text,
)
from bot.replies import Bold, CommandSpan, MessageBuilder, NameSpan, Reply, Text


def service_for(ctx: CommandContext) -> KudosService:
    return KudosService(
        database=ctx.core.database,
        settings=ctx.core.settings,
        outbound=ctx.outbound,
        seen=ctx.core.seen_members,
    )


async def handle_kudos(ctx: CommandContext) -> Reply:
    subcommand, rest = split_subcommand(ctx.request.text)
    if subcommand == "help" or (subcommand is None and not rest):
        return show_help(ctx)
    if subcommand == "top":
        return await show_leaderboard(ctx, rest)
    if subcommand == "mine":
        return await show_mine(ctx)
    if subcommand == "undo":
        return await undo(ctx)
    if subcommand == "digest":
        return await show_digest(ctx, rest)
    if subcommand == "remove":
        return await remove(ctx, rest)
    parsed = parse_recipients_and_reason(ctx.request)
    if not parsed.recipients:
        if raw := unresolved_leading_mention(ctx.request.text):
            refuse_unresolved(raw)
        refuse_no_recipient(
            readable_text(ctx.request),
            command="kudos",
            placeholder="for running the sensory storytime",
            mentioned_later=first_user_mentioned(ctx.request),
        )
    if len(parsed.recipients) == 1 and not parsed.reason_typed:
        return await show_someone(ctx, parsed)
    return await give(ctx, parsed)


async def give(ctx: CommandContext, parsed: RecipientsAndReason) -> Reply:
    settings = ctx.core.settings
    recipients = validate_recipients(parsed.recipients, giver=ctx.request.sender)
    reason = validate_text(parsed.reason_text, max_length=settings.kudos_max_length, what="reason")
    if not reason:
        names = " ".join(f"@{user.name}" for user in recipients)
        raise UserError(
            "Please say why, so everyone knows what to celebrate: "
            f"/kudos {names} for running the sensory storytime. Nothing was sent."
        )
    outcome = await service_for(ctx).give(
        request=ctx.request,
        recipients=recipients,
        reason=parsed.reason,
        reason_text=reason,
        now=ctx.now,
    )
    if outcome.posted is None:
        return Reply(
            kudos_messages.kudos_saved_not_posted(
                outcome.recipients, will_retry=outcome.post_retried
            )
        )
    return Reply(kudos_messages.kudos_confirmation(outcome.recipients))


async def undo(ctx: CommandContext) -> Reply:
    outcome = await service_for(ctx).undo_last(request=ctx.request, now=ctx.now)
    return Reply(
        kudos_messages.undo_done(
            outcome.recipients, post_deleted=outcome.post_deleted, failure=outcome.delete_failure
        )
    )


async def remove(ctx: CommandContext, id_text: str) -> Reply:
    """Staff only: take down a kudos (see :mod:`bot.kudos.removal`)."""
    if not ctx.request.is_staff:
        raise PermissionDenied(
            "Sorry, /kudos remove is for association staff only, so nothing was removed. "
            "If a kudos needs to come down, please ask a staff member."
        )
    outcome = await remove_kudos(
        ctx.core.database,
        ctx.outbound,
        request=ctx.request,
        kudos_id=parse_kudos_id(id_text),
        now=ctx.now,
    )
    return Reply(
        kudos_messages.removed(
            outcome.kudos_id,
            outcome.giver,
            outcome.recipients,
            post_deleted=outcome.post_deleted,
            was_posted=outcome.was_posted,
        )
    )


async def show_leaderboard(ctx: CommandContext, period_text: str) -> Reply:
    period = leaderboard_period(period_text, today=ctx.today, tz=ctx.core.settings.timezone)
    standings = await leaderboard(
        ctx.core.database,
        platform=ctx.request.platform,
        workspace_id=ctx.request.workspace_id,
        since=period.start,
    )
    builder = MessageBuilder().paragraph(Bold(f"🏆 Kudos leaderboard — {period.label}"))
    if not standings:
        builder.paragraph(
            "No kudos yet for this period. Be the first: ",
            CommandSpan("kudos", "@someone for ...", action="give"),
        )
        return Reply(builder.build())
    rows = []
    rank = 0
    previous: int | None = None
    for position, standing in enumerate(standings, start=1):
        if standing.count != previous:  # members with the same count share a rank
            rank, previous = position, standing.count
        count = f"{standing.count} kudos"
        rows.append([Text(f"{rank}. "), NameSpan(standing.member), Text(f" — {count}")])
    builder.bullets(rows)
    return Reply(builder.build())


async def show_mine(ctx: CommandContext) -> Reply:
    me = ctx.request.sender
    database = ctx.core.database
    received_total, received = await kudos_received(database, me)
    given_total, given = await kudos_given(database, me)
    notes = await thanks_received_count(database, me)
    waiting_total, waiting = await undelivered_notes_for(database, me, now=ctx.now)
    builder = MessageBuilder()
    builder.paragraph(Bold(f"Kudos you received: {received_total}"))
    if received:
        builder.bullets(
            kudos_messages.kudos_line(
                _local_date(ctx, e.created_at),
                e.person,
                e.reason,
                direction="from",
                number=_number_for_staff(ctx, e.kudos_id),
            )
            for e in received
        )
    builder.paragraph(Bold(f"Kudos you gave: {given_total}"))
    if given:
        builder.bullets(
            kudos_messages.kudos_line(
                _local_date(ctx, e.created_at),
                e.person,
                e.reason,
                direction="to",
                number=_number_for_staff(ctx, e.kudos_id),
            )
            for e in given
        )
    kudos_messages.undelivered_notes_section(
        builder,
        total=waiting_total,
        notes=[(_local_date(ctx, n.created_at), n.giver, n.note) for n in waiting],
    )
    if notes:
        builder.paragraph(
            f"You have also received {notes} private thank-you note{'s' if notes != 1 else ''} "
            "by direct message."
        )
    if not received_total and not given_total and not waiting_total:
        builder.paragraph(
            "Nothing yet! Try ",
            CommandSpan("kudos", "@colleague for ...", action="give"),
            " to get started.",
        )
    return Reply(builder.build())


async def show_someone(ctx: CommandContext, parsed: RecipientsAndReason) -> Reply:
    user = require_person(parsed.recipients[0], member=ctx.request.sender)
    total, received = await kudos_received(ctx.core.database, user)
    builder = MessageBuilder()
    builder.paragraph(Text("Kudos received by "), NameSpan(user), Text(f": {total}"))
    if received:
        builder.bullets(
            kudos_messages.kudos_line(
                _local_date(ctx, e.created_at),
                e.person,
                e.reason,
                direction="from",
                number=_number_for_staff(ctx, e.kudos_id),
            )
            for e in received
        )
    else:
        builder.paragraph(
            "None yet. To give them kudos, add why: ",
            CommandSpan("kudos", f"@{user.name} for what they did", action="give"),
        )
    return Reply(builder.build())


async def show_digest(ctx: CommandContext, month_text: str) -> Reply:
    if not ctx.request.is_staff:
        raise PermissionDenied("Sorry, /kudos digest is for association staff only.")
    month = digest_month(month_text, today=ctx.today)
    start, end = month.bounds(ctx.core.settings.timezone)
    stats = await digest_stats(
        ctx.core.database,
        platform=ctx.request.platform,
        workspace_id=ctx.request.workspace_id,
        start=start,
        end=end,
    )
    current = month.first_day == ctx.today.replace(day=1)
    return Reply(digest_message(stats, month=month, current=current))


def show_help(ctx: CommandContext) -> Reply:
    settings = ctx.core.settings
    return Reply(
        kudos_messages.help_message(
            quota=settings.kudos_daily_quota,
            max_length=settings.kudos_max_length,
            undo_minutes=settings.kudos_undo_minutes,
            is_staff=ctx.request.is_staff,
        )
    )


def _number_for_staff(ctx: CommandContext, kudos_id: int) -> int | None:
    """Staff see each kudos' number, for ``/kudos remove``; members need none."""
    return kudos_id if ctx.request.is_staff else None


def _local_date(ctx: CommandContext, when: datetime) -> date:
    return when.astimezone(ctx.core.settings.timezone).date()


def register(registry: CommandRegistry) -> None:
    registry.register(
        Command(
            name="kudos",
            summary="Thank a colleague in public; see the leaderboard (/kudos help).",
            usage=CommandSpan("kudos", "@someone for WHY", action="give"),
            examples=(KUDOS_EXAMPLE,),
            handler=handle_kudos,
        )
    )
