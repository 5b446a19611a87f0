"""/ask QUESTION: answer from the knowledge file."""

from __future__ import annotations

from bot.answers.service import answer_question
from bot.commands.registry import Command, CommandContext, CommandRegistry
from bot.markup import parse_markup
from bot.replies import CommandSpan, Reply
from bot.requests import MENTION_MARK


async def handle_ask(ctx: CommandContext) -> Reply:
    question = _without_mentions(ctx)
    answer = await answer_question(
        knowledge=ctx.core.knowledge,
        database=ctx.core.database,
        question=question,
        today=ctx.today,
        now=ctx.now,
        platform=ctx.request.platform,
    )
    return Reply(parse_markup(answer.text))


def _without_mentions(ctx: CommandContext) -> str:
    """Questions rarely need mentions; show them as names so the engine sees words."""
    parts = ctx.request.text.split(MENTION_MARK)
    words = []
    for position, part in enumerate(parts):
        if position % 2 == 1 and part.isdigit() and int(part) < len(ctx.request.mentions):
            words.append(ctx.request.mentions[int(part)].raw)
        else:
            words.append(part)
    return "".join(words)


def register(registry: CommandRegistry) -> None:
    registry.register(
        Command(
            name="ask",
            summary="Ask about committees, mentoring, awards, membership and deadlines.",
            usage=CommandSpan("ask", "QUESTION"),
            examples=(
                CommandSpan("ask", "When do mentoring applications close?"),
                CommandSpan("ask", "What is Día?"),
            ),
            handler=handle_ask,
            needs_database=False,
        )
    )
