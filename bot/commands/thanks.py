"""/thanks @someone NOTE: a private thank-you note, delivered as a DM."""

from __future__ import annotations

from bot.commands.kudos import people
from bot.commands.registry import CommandContext
from bot.errors import UserError
from bot.kudos import messages as kudos_messages
from bot.kudos.parsing import (
    first_user_mentioned,
    readable_text,
    reason_from_text,
    split_recipients,
    unresolved_leading_mention,
)
from bot.kudos.rules import (
    refuse_no_recipient,
    refuse_unresolved,
    validate_recipients,
    validate_text,
)
from bot.replies import CommandSpan, Reply
from bot.requests import Arguments, Request

THANKS_EXAMPLE = CommandSpan("thanks", "@sam thank you for covering my desk shift!")


def parse_thanks_text(request: Request) -> Arguments:
    """``/thanks @sam thank you ...`` -> the person (or people, refused later) and the note."""
    recipients, note = split_recipients(request)
    if not recipients:
        if raw := unresolved_leading_mention(request.text):
            refuse_unresolved(raw, what="thank-you notes")
        refuse_no_recipient(
            readable_text(request),
            command="thanks",
            placeholder="thank you for covering my desk shift!",
            mentioned_later=first_user_mentioned(request),
        )
    return Arguments(None, {"user": recipients, "note": note})


async def handle_thanks(ctx: CommandContext) -> Reply:
    parsed = reason_from_text(ctx.request, ctx.args.text("note"))
    recipients = validate_recipients(
        people(ctx.args.get("user")), giver=ctx.request.sender, what="thank-you notes"
    )
    if len(recipients) > 1:
        raise UserError(
            "A thank-you note goes to one person at a time, so it can be personal. "
            "Send one /thanks each, or use /kudos to thank several people in public. "
            "Nothing was sent."
        )
    rules = ctx.services.kudos_rules
    note = validate_text(parsed.reason_text, max_length=rules.max_length, what="note")
    if not note:
        raise UserError(
            f"Please write your note after the name, like: /thanks @{recipients[0].name} "
            "thank you for covering my desk shift! Nothing was sent."
        )
    outcome = await ctx.services.kudos.thank(
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
            quota=rules.daily_quota,
        )
    )
