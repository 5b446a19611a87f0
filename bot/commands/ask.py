"""/ask QUESTION: answer from the knowledge file."""

from __future__ import annotations

from bot.commands.registry import CommandContext
from bot.markup import parse_markup
from bot.replies import Reply
from bot.requests import MENTION_MARK, Request


async def handle_ask(ctx: CommandContext) -> Reply:
    question = _without_mentions(ctx.request, ctx.args.text("question"))
    answer = await ctx.services.answers.answer(
        question, today=ctx.today, now=ctx.now, platform=ctx.request.platform
    )
    return Reply(parse_markup(answer.text))


def _without_mentions(request: Request, text: str) -> str:
    """Questions rarely need mentions; show them as names so the engine sees words."""
    parts = text.split(MENTION_MARK)
    words = []
    for position, part in enumerate(parts):
        if position % 2 == 1 and part.isdigit() and int(part) < len(request.mentions):
            words.append(request.mentions[int(part)].raw)
        else:
            words.append(part)
    return "".join(words)
