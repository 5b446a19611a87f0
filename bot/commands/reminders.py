"""/reminders off|on|status: a member's choice about broadcast DMs.

One meaning everywhere (the Slack manifest, the Discord command, /help and the
replies): **broadcast DMs** are the announcements staff send to every member by
direct message (``/broadcast dm``). Automatic deadline reminders are posted in
the announcements channel, never by DM, so this choice does not change them.
"""

from __future__ import annotations

from sqlalchemy import update

from bot.commands.registry import Command, CommandContext, CommandRegistry
from bot.errors import UserError
from bot.members import ensure_member
from bot.replies import CommandSpan, Reply, text_message
from bot.storage.models import Member

#: The one description of /reminders: the Slack manifest and Discord command use it too.
SUMMARY = "Turn broadcast DMs (staff announcements sent to you directly) off or on"
WHAT_IT_COVERS = (
    "Broadcast DMs are the announcements staff send to every member by direct message; "
    "deadline reminders and announcements posted in channels are not affected."
)
OFF_TEXT = (
    "Done: I will not send you broadcast DMs any more. "
    f"{WHAT_IT_COVERS} Type /reminders on to get broadcast DMs again."
)
ON_TEXT = f"Done: you will get broadcast DMs. {WHAT_IT_COVERS} Type /reminders off to stop them."
STATUS_OFF = f"Broadcast DMs are off for you. {WHAT_IT_COVERS} Type /reminders on to get them."
STATUS_ON = f"Broadcast DMs are on for you. {WHAT_IT_COVERS} Type /reminders off to stop them."
USAGE = (
    "Type /reminders off to stop broadcast DMs, /reminders on to get them, or /reminders status."
)


async def handle_reminders(ctx: CommandContext) -> Reply:
    choice = ctx.request.text.strip().lower()
    if choice in {"", "status"}:
        return Reply(text_message(STATUS_OFF if await _opted_out(ctx) else STATUS_ON))
    if choice not in {"on", "off"}:
        raise UserError(f"I did not understand '{ctx.request.text.strip()[:40]}'. {USAGE}")
    opt_out = choice == "off"
    async with ctx.core.database.session() as session:
        member = await ensure_member(session, ctx.request.sender, now=ctx.now)
        await session.execute(
            update(Member).where(Member.id == member.id).values(reminders_opt_out=opt_out)
        )
    return Reply(text_message(OFF_TEXT if opt_out else ON_TEXT))


async def _opted_out(ctx: CommandContext) -> bool:
    async with ctx.core.database.session() as session:
        member = await ensure_member(session, ctx.request.sender, now=ctx.now)
        return member.reminders_opt_out


def register(registry: CommandRegistry) -> None:
    registry.register(
        Command(
            name="reminders",
            summary=f"{SUMMARY}.",
            usage=CommandSpan("reminders", "off|on|status"),
            handler=handle_reminders,
            examples=(CommandSpan("reminders", "off", action="off"),),
        )
    )
