"""/reminders off|on|status: a member's choice about broadcast DMs."""

from __future__ import annotations

from sqlalchemy import update

from bot.commands.registry import Command, CommandContext, CommandRegistry
from bot.errors import UserError
from bot.members import ensure_member
from bot.replies import CommandSpan, Reply, text_message
from bot.storage.models import Member

OFF_TEXT = (
    "Done: I will not send you broadcast DMs any more. Announcements in channels "
    "still appear there. Type /reminders on to get DMs again."
)
ON_TEXT = "Done: you will get broadcast DMs about deadlines and news. Type /reminders off to stop."
STATUS_OFF = "Broadcast DMs are off for you. Type /reminders on to get them."
STATUS_ON = "Broadcast DMs are on for you. Type /reminders off to stop them."
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
            summary="Turn broadcast DMs from the bot off or on.",
            usage=CommandSpan("reminders", "off|on|status"),
            handler=handle_reminders,
            examples=(CommandSpan("reminders", "off", action="off"),),
        )
    )
