"""/reminders: a member's own deadline reminders, and their choice about broadcast DMs.

Sub-commands (declared in :mod:`bot.commands.catalogue`; the same names and options
on every platform, typed as text on console and Slack, as options on Discord):

``remind`` — **stable: buttons route here** ("Remind me" on /deadlines and calendar
answers send command ``reminders``, sub-command ``remind``):
    ``deadline`` (text): the deadline's id from the knowledge file (e.g.
    ``mentoring-applications-2021``); typed, words of its title that fit one
    deadline also work.
    ``when`` (choice, optional, default ``1d``): ``1w`` a week before, ``1d`` the
    day before, ``morning`` that morning (at ``REMINDER_TIME``, in the
    organisation's time zone). Text platforms also take ``when:1w``, ``a week``,
    ``same morning``...
    Asking twice for the same deadline and ``when`` keeps one reminder (the reply
    says so); a past deadline, or a ``when`` already past, is refused kindly.
``list`` — the member's reminders still to come, with their numbers.
``cancel`` ``id`` (number) — cancel one of the member's own reminders.
``change`` ``id`` (number) ``when`` (choice) — move one to another lead time.
``off`` / ``on`` / ``status`` — **broadcast DMs**: the announcements staff send to
every member by direct message (``/broadcast dm``). Deadline reminders posted in
the announcements channel, and the reminders a member asked for, are not affected.
With nothing after it, ``/reminders`` shows the broadcast DM choice and the list.

Typed forms: ``/reminders remind mentoring-applications-2021 1w``,
``/reminders list``, ``/reminders cancel 3``, ``/reminders change 3 morning``,
``/reminders off``.
"""

from __future__ import annotations

from bot.commands.registry import CommandContext
from bot.date_wording import local_moment
from bot.errors import UserError
from bot.reminders.lead_times import DEFAULT_WHEN, describe, match_when, offset_days
from bot.reminders.service import ReminderView, Subscribed
from bot.replies import CommandSpan, Message, MessageBuilder, Reply, text_message
from bot.requests import BLANKS, Arguments, Request

#: The one description of /reminders: the Slack manifest and Discord command use it too.
SUMMARY = (
    "Get a DM before a deadline you choose; turn broadcast DMs (staff announcements) off or on"
)
#: The broadcast-DM choices, each its own sub-command.
CHOICES = ("off", "on", "status")
WHAT_IT_COVERS = (
    "Broadcast DMs are the announcements staff send to every member by direct message; "
    "deadline reminders posted in channels, and the reminders you asked for "
    "(/reminders list), are not affected."
)
OFF_TEXT = (
    "Done: I will not send you broadcast DMs any more. "
    f"{WHAT_IT_COVERS} Type /reminders on to get broadcast DMs again."
)
ON_TEXT = f"Done: you will get broadcast DMs. {WHAT_IT_COVERS} Type /reminders off to stop them."
STATUS_OFF = f"Broadcast DMs are off for you. {WHAT_IT_COVERS} Type /reminders on to get them."
STATUS_ON = f"Broadcast DMs are on for you. {WHAT_IT_COVERS} Type /reminders off to stop them."
WHEN_HELP = "1w (a week before), 1d (the day before) or morning (that morning)"
USAGE = (
    "Type /reminders off to stop broadcast DMs, /reminders on to get them, or /reminders "
    "status. For a DM before a deadline: /reminders remind DEADLINE-ID 1w|1d|morning; "
    "/reminders list shows yours and /reminders cancel NUMBER stops one."
)
NONE_YET = (
    "You have no deadline reminders. Ask for one with /reminders remind DEADLINE-ID "
    f"and {WHEN_HELP}; /deadlines lists what is coming up."
)


def parse_reminders_text(request: Request) -> Arguments:
    """``remind mentoring-2026 when:1w``, ``cancel 3``, ``change 3 1d``, ``off`` -> arguments.

    Raises:
        UserError: A first word that is no sub-command, with the usage.
    """
    text = request.text.strip(BLANKS)
    head, _, rest = text.partition(" ")
    head, rest = head.lower(), rest.strip(BLANKS)
    if not head:
        return Arguments(None)
    if head in (*CHOICES, "list"):
        return Arguments(head)
    if head == "remind":
        deadline, when = _split_when(rest)
        values = {"deadline": deadline} | ({"when": when} if when else {})
        return Arguments("remind", values)
    if head in {"cancel", "change"}:
        number, _, after = rest.partition(" ")
        when = after.strip() if head == "change" else ""
        values = {"id": number} | ({"when": when} if when else {})
        return Arguments(head, values)
    raise UserError(f"I did not understand '{text[:40]}'. {USAGE}")


def _split_when(text: str) -> tuple[str, str]:
    """``mentoring-2026 when:1w`` / ``mentoring-2026 a week`` -> (deadline, when text)."""
    lowered = text.lower()
    if "when:" in lowered:
        at = lowered.rindex("when:")
        return text[:at].strip(), text[at:].strip()
    words = text.split()
    for size in (2, 1):  # "a week", "same morning", then "1w", "morning"
        if len(words) > size and match_when(" ".join(words[-size:])):
            return " ".join(words[:-size]), " ".join(words[-size:])
    return text, ""


def read_reminder_id(text: str) -> int:
    """``3`` or ``#3``: a reminder's number as /reminders list shows it."""
    cleaned = text.strip().lstrip("#")
    if not cleaned.isdigit():
        shown = f" '{text.strip()[:20]}'" if text.strip() else ""
        raise UserError(
            f"Which reminder? Give its number{shown and ', not' + shown}, as /reminders list "
            "shows it: /reminders cancel 3."
        )
    return int(cleaned)


async def remind(ctx: CommandContext) -> Reply:
    when = ctx.args.text("when") or DEFAULT_WHEN
    subscribed = await ctx.services.member_reminders.remind(
        ctx.request.sender,
        deadline=ctx.args.text("deadline"),
        offset_days=offset_days(when),
        now=ctx.now,
    )
    return Reply(_subscribed_message(ctx, subscribed, changed=False))


async def change(ctx: CommandContext) -> Reply:
    when = ctx.args.text("when")
    if not when:
        raise UserError(f"When should it come instead? Choose {WHEN_HELP}: /reminders change 3 1w.")
    subscribed = await ctx.services.member_reminders.change(
        ctx.request.sender,
        reminder_id=_reminder_id(ctx),
        offset_days=offset_days(when),
        now=ctx.now,
    )
    return Reply(_subscribed_message(ctx, subscribed, changed=True))


async def cancel(ctx: CommandContext) -> Reply:
    view = await ctx.services.member_reminders.cancel(
        ctx.request.sender, reminder_id=_reminder_id(ctx), now=ctx.now
    )
    return Reply(
        text_message(
            f"Cancelled reminder #{view.id} ({view.title}, {describe(view.offset_days)}). "
            "I will not send it."
        )
    )


async def show_list(ctx: CommandContext) -> Reply:
    return Reply(await _list_message(ctx))


async def overview(ctx: CommandContext) -> Reply:
    """``/reminders`` alone: the broadcast DM choice, then the member's own reminders."""
    opted_out = await ctx.services.dm_choice.opted_out(ctx.request.sender, now=ctx.now)
    return Reply(text_message(STATUS_OFF if opted_out else STATUS_ON) + await _list_message(ctx))


async def broadcast_dms_off(ctx: CommandContext) -> Reply:
    await ctx.services.dm_choice.choose(ctx.request.sender, opt_out=True, now=ctx.now)
    return Reply(text_message(OFF_TEXT))


async def broadcast_dms_on(ctx: CommandContext) -> Reply:
    await ctx.services.dm_choice.choose(ctx.request.sender, opt_out=False, now=ctx.now)
    return Reply(text_message(ON_TEXT))


async def broadcast_dms_status(ctx: CommandContext) -> Reply:
    opted_out = await ctx.services.dm_choice.opted_out(ctx.request.sender, now=ctx.now)
    return Reply(text_message(STATUS_OFF if opted_out else STATUS_ON))


def _reminder_id(ctx: CommandContext) -> int:
    value = ctx.args.get("id")
    if not isinstance(value, int) or isinstance(value, bool):
        return read_reminder_id("")  # raises: the number is missing
    return value


def _when_line(ctx: CommandContext, view: ReminderView) -> str:
    return f"{describe(view.offset_days)}, {local_moment(view.due_at, ctx.services.zone)}"


def _subscribed_message(ctx: CommandContext, subscribed: Subscribed, *, changed: bool) -> Message:
    view = subscribed.reminder
    builder = MessageBuilder()
    if subscribed.already and not changed:
        builder.paragraph(
            f"You already have this reminder (#{view.id}): {view.title}, "
            f"{_when_line(ctx, view)}. Nothing changed."
        )
    else:
        builder.paragraph(
            f"Done: I will DM you about {view.title} {_when_line(ctx, view)} "
            f"(it is {view.deadline_when}). This is reminder #{view.id}."
        )
    builder.paragraph(
        "To stop it: ",
        CommandSpan("reminders", f"cancel {view.id}", action="cancel"),
        ". To see yours: ",
        CommandSpan("reminders", "list", action="list"),
        ".",
    )
    return builder.build()


async def _list_message(ctx: CommandContext) -> Message:
    views = await ctx.services.member_reminders.mine(ctx.request.sender, now=ctx.now)
    if not views:
        return text_message(NONE_YET)
    builder = MessageBuilder()
    builder.paragraph("Your deadline reminders:")
    builder.bullets([f"#{view.id} {view.title}: {_when_line(ctx, view)}"] for view in views)
    builder.paragraph(
        "Stop one with /reminders cancel NUMBER; change when it comes with "
        f"/reminders change NUMBER and {WHEN_HELP}."
    )
    return builder.build()
