"""/help: what the bot can do, built from the command catalogue."""

from __future__ import annotations

import difflib

from bot.commands.registry import CommandContext
from bot.kudos.parsing import readable_text
from bot.replies import CommandSpan, Inline, MessageBuilder, Reply, Text
from bot.requests import Request

#: How alike a typed command and a real one must be for "did you mean" (difflib ratio).
SIMILAR_ENOUGH = 0.6


def nearest_command(typed: str, names: list[str]) -> str | None:
    """The command a mistyped name most likely meant (``kudo`` -> ``kudos``), if any."""
    matches = difflib.get_close_matches(typed.lower(), names, n=1, cutoff=SIMILAR_ENOUGH)
    return matches[0] if matches else None


def unknown_command_paragraphs(builder: MessageBuilder, request: Request, names: list[str]) -> None:
    """Say the command is unknown, suggest the nearest one with the member's own
    words after it, and repeat what they typed, so nothing they wrote is lost."""
    requested = request.command[:40]
    typed = readable_text(request)
    nearest = nearest_command(requested, names)
    if nearest is not None:  # the suggestion carries their words, ready to send again
        builder.paragraph(
            f"I don't know the command /{requested}. Did you mean: ", CommandSpan(nearest, typed)
        )
    elif typed:
        builder.paragraph(f"I don't know the command /{requested}. You typed: /{requested} {typed}")
    else:
        builder.paragraph(f"I don't know the command /{requested}.")
    builder.paragraph("Here is what I can do:")


async def handle_help(ctx: CommandContext) -> Reply:
    builder = MessageBuilder()
    requested = ctx.request.command
    visible = [
        command
        for command in ctx.services.catalogue
        if ctx.request.is_staff or not command.staff_only
    ]
    if requested != "help":
        unknown_command_paragraphs(builder, ctx.request, [c.name for c in visible])
    else:
        builder.paragraph("Here is what I can do:")
    rows: list[list[Inline]] = []
    for command in visible:
        row: list[Inline] = [command.usage, Text(f" — {command.summary}")]
        if command.examples:
            row.extend([Text(" Example: "), command.examples[0]])
        rows.append(row)
    builder.bullets(rows)
    builder.paragraph("You can also just type a question, like: When is the membership mixer?")
    return Reply(builder.build())
