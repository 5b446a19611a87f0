"""/reminders off|on|status: a member's choice about broadcast DMs.

One meaning everywhere (the Slack manifest, the Discord command, /help and the
replies): **broadcast DMs** are the announcements staff send to every member by
direct message (``/broadcast dm``). Automatic deadline reminders are posted in
the announcements channel, never by DM, so this choice does not change them.
"""

from __future__ import annotations

from bot.commands.registry import CommandContext
from bot.errors import UserError
from bot.replies import Reply, text_message

#: The one description of /reminders: the Slack manifest and Discord command use it too.
SUMMARY = "Turn broadcast DMs (staff announcements sent to you directly) off or on"
CHOICES = ("off", "on", "status")
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


def read_choice(text: str) -> str:
    """``off``, ``on`` or ``status`` as typed; anything else is refused with the usage."""
    choice = text.strip().lower()
    if choice not in CHOICES:
        raise UserError(f"I did not understand '{text.strip()[:40]}'. {USAGE}")
    return choice


async def handle_reminders(ctx: CommandContext) -> Reply:
    choice = ctx.args.text("choice") or "status"
    member, dm_choice = ctx.request.sender, ctx.services.dm_choice
    if choice == "status":
        opted_out = await dm_choice.opted_out(member, now=ctx.now)
        return Reply(text_message(STATUS_OFF if opted_out else STATUS_ON))
    opt_out = choice == "off"
    await dm_choice.choose(member, opt_out=opt_out, now=ctx.now)
    return Reply(text_message(OFF_TEXT if opt_out else ON_TEXT))
