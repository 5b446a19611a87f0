"""/thanks @someone NOTE: a private thank-you note, delivered as a DM."""

from __future__ import annotations

from bot.commands.kudos import service_for
from bot.commands.registry import Command, CommandContext, CommandRegistry
from bot.errors import UserError
from bot.kudos import messages as kudos_messages
from bot.kudos.parsing import (
    first_user_mentioned,
    parse_recipients_and_reason,
    readable_text,
    unresolved_leading_mention,
)
from bot.kudos.rules import (
    refuse_no_recipient,
    refuse_unresolved,
    validate_recipients,
    validate_text,
)
from bot.replies import CommandSpan, Reply

THANKS_EXAMPLE = CommandSpan("thanks", "@sam thank you for covering my desk shift!")


async def handle_thanks(ctx: CommandContext) -> Reply:
    parsed = parse_recipients_and_reason(ctx.request)
    if not parsed.recipients:
        if raw := unresolved_leading_mention(ctx.request.text):
            refuse_unresolved(raw, what="thank-you notes")
        refuse_no_recipient(
            readable_text(ctx.request),
            command="thanks",
            placeholder="thank you for covering my desk shift!",
            mentioned_later=first_user_mentioned(ctx.request),
        )
    recipients = validate_recipients(
        parsed.recipients, giver=ctx.request.sender, what="thank-you notes"
    )
    if len(recipients) > 1:
        raise UserError(
            "A thank-you note goes to one person at a time, so it can be personal. "
            "Send one /thanks each, or use /kudos to thank several people in public. "
            "Nothing was sent."
        )
    note = validate_text(
        parsed.reason_text, max_length=ctx.core.settings.kudos_max_length, what="note"
    )
    if not note:
        raise UserError(
            f"Please write your note after the name, like: /thanks @{recipients[0].name} "
            "thank you for covering my desk shift! Nothing was sent."
        )
    outcome = await service_for(ctx).thank(
        request=ctx.request,
        recipient=recipients[0],
        note=parsed.reason,
        note_text=note,
        now=ctx.now,
    )
    return Reply(
        kudos_messages.thanks_outcome(
            outcome.recipient,
            status=outcome.status,
            reason=outcome.reason,
            quota=ctx.core.settings.kudos_daily_quota,
        )
    )


def register(registry: CommandRegistry) -> None:
    registry.register(
        Command(
            name="thanks",
            summary="Send a colleague a private thank-you note.",
            usage=CommandSpan("thanks", "@someone NOTE"),
            examples=(THANKS_EXAMPLE,),
            handler=handle_thanks,
        )
    )
