"""/kudos: public recognition, the leaderboard, histories, undo, help and the staff digest."""

from __future__ import annotations

from datetime import date, datetime

from bot.commands.kudos_actions import digest_actions, undo_actions
from bot.commands.registry import CommandContext
from bot.errors import UserError
from bot.kudos import messages as kudos_messages
from bot.kudos.digest import digest_message
from bot.kudos.parsing import (
    first_user_mentioned,
    readable_text,
    reason_from_text,
    split_recipients,
    split_subcommand,
    unresolved_leading_mention,
)
from bot.kudos.periods import digest_month, leaderboard_period
from bot.kudos.rules import (
    refuse_no_recipient,
    refuse_unresolved,
    require_person,
    validate_recipients,
    validate_text,
)
from bot.replies import Bold, CommandSpan, Inline, MessageBuilder, NameSpan, Reply, Text
from bot.requests import Arguments, ArgumentValue, Mention, Request


def parse_kudos_text(request: Request) -> Arguments:
    """``/kudos top month``, ``/kudos @ana @ben for x``, ``/kudos @ana`` -> typed arguments.

    Raises:
        UserError: Words that name nobody (``/kudos bob for x``).
    """
    subcommand, rest = split_subcommand(request.text)
    if subcommand is None and not rest:
        return Arguments(None)  # the command itself: how kudos work, and the form
    if subcommand == "help":
        return Arguments("help")
    if subcommand in {"top", "digest", "remove"}:
        option = {"top": "period", "digest": "month", "remove": "id"}[subcommand]
        return Arguments(subcommand, {option: rest})
    if subcommand is not None:
        return Arguments(subcommand)
    recipients, reason = split_recipients(request)
    if not recipients:
        if raw := unresolved_leading_mention(request.text):
            refuse_unresolved(raw)
        refuse_no_recipient(
            readable_text(request),
            command="kudos",
            placeholder="for running the sensory storytime",
            mentioned_later=first_user_mentioned(request),
        )
    if len(recipients) == 1 and not reason:
        return Arguments("show", {"user": recipients[0]})
    return Arguments("give", {"user": recipients, "reason": reason})


def people(value: ArgumentValue) -> tuple[Mention, ...]:
    """A MEMBER or MEMBERS value as a tuple of mentions."""
    if isinstance(value, Mention):
        return (value,)
    if isinstance(value, tuple):
        return value
    return ()


async def give(ctx: CommandContext) -> Reply:
    rules = ctx.services.kudos_rules
    parsed = reason_from_text(ctx.request, ctx.args.text("reason"))
    recipients = validate_recipients(people(ctx.args.get("user")), giver=ctx.request.sender)
    reason = validate_text(parsed.reason_text, max_length=rules.max_length, what="reason")
    if not reason:
        names = " ".join(f"@{user.name}" for user in recipients)
        raise UserError(
            "Please say why, so everyone knows what to celebrate: "
            f"/kudos {names} for running the sensory storytime. Nothing was sent."
        )
    outcome = await ctx.services.kudos.give(
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
            ),
            actions=undo_actions(outcome.kudos_id, undo_minutes=rules.undo_minutes),
        )
    return Reply(
        kudos_messages.kudos_confirmation(outcome.recipients),
        actions=undo_actions(outcome.kudos_id, undo_minutes=rules.undo_minutes),
    )


async def undo(ctx: CommandContext) -> Reply:
    outcome = await ctx.services.kudos.undo_last(request=ctx.request, now=ctx.now)
    return Reply(
        kudos_messages.undo_done(
            outcome.recipients, post_deleted=outcome.post_deleted, failure=outcome.delete_failure
        )
    )


async def remove(ctx: CommandContext) -> Reply:
    """Staff only: take down a kudos (see :mod:`bot.kudos.removal`)."""
    kudos_id = ctx.args.get("id")
    assert isinstance(kudos_id, int)  # read by the option's reader
    outcome = await ctx.services.kudos_history.remove(
        request=ctx.request, kudos_id=kudos_id, now=ctx.now
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


async def show_leaderboard(ctx: CommandContext) -> Reply:
    period = leaderboard_period(ctx.args.text("period"), today=ctx.today, tz=ctx.services.zone)
    standings = await ctx.services.kudos_history.leaderboard(
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
    rows: list[list[Inline]] = []
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
    history = ctx.services.kudos_history
    received_total, received = await history.received(me)
    given_total, given = await history.given(me)
    notes = await history.thanks_received(me)
    waiting_total, waiting = await history.undelivered_notes(me, now=ctx.now)
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


async def show_someone(ctx: CommandContext) -> Reply:
    (mention,) = people(ctx.args.get("user"))
    user = require_person(mention, member=ctx.request.sender)
    total, received = await ctx.services.kudos_history.received(user)
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


async def show_digest(ctx: CommandContext) -> Reply:
    month = digest_month(ctx.args.text("month"), today=ctx.today)
    start, end = month.bounds(ctx.services.zone)
    stats = await ctx.services.kudos_history.digest(
        platform=ctx.request.platform,
        workspace_id=ctx.request.workspace_id,
        start=start,
        end=end,
    )
    current = month.first_day == ctx.today.replace(day=1)
    return Reply(digest_message(stats, month=month, current=current), actions=digest_actions(month))


async def show_help(ctx: CommandContext) -> Reply:
    rules = ctx.services.kudos_rules
    return Reply(
        kudos_messages.help_message(
            quota=rules.daily_quota,
            max_length=rules.max_length,
            undo_minutes=rules.undo_minutes,
            is_staff=ctx.request.is_staff,
        )
    )


def _number_for_staff(ctx: CommandContext, kudos_id: int) -> int | None:
    """Staff see each kudos' number, for ``/kudos remove``; members need none."""
    return kudos_id if ctx.request.is_staff else None


def _local_date(ctx: CommandContext, when: datetime) -> date:
    return when.astimezone(ctx.services.zone).date()
