"""/help: what the bot can do, built from the registered commands."""

from __future__ import annotations

from bot.commands.registry import Command, CommandContext, CommandRegistry
from bot.replies import CommandSpan, MessageBuilder, Reply, Text


async def handle_help(ctx: CommandContext) -> Reply:
    builder = MessageBuilder()
    requested = ctx.request.command
    if requested != "help":
        builder.paragraph(f"I don't know the command /{requested[:40]}. Here is what I can do:")
    else:
        builder.paragraph("Here is what I can do:")
    rows = []
    for command in ctx.core.commands:
        if command.staff_only and not ctx.request.is_staff:
            continue
        row = [command.usage, Text(f" — {command.summary}")]
        if command.examples:
            row.extend([Text(" Example: "), command.examples[0]])
        rows.append(row)
    builder.bullets(rows)
    builder.paragraph("You can also just type a question, like: When is the membership mixer?")
    return Reply(builder.build())


def register(registry: CommandRegistry) -> None:
    registry.register(
        Command(
            name="help",
            summary="Show this help.",
            usage=CommandSpan("help"),
            handler=handle_help,
            needs_database=False,
        )
    )
