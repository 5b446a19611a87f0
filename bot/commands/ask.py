"""/ask QUESTION: answer from the knowledge file; Ask someone passes a miss on to staff."""

from __future__ import annotations

from bot.actions import Action, ActionRef, Button
from bot.answers.dates import sort_key
from bot.commands import feedback
from bot.commands.deadline_actions import remind_me
from bot.commands.registry import CommandContext
from bot.commands.staff_messages import staff_post, where_asked
from bot.errors import StorageUnavailable, UserError
from bot.markup import parse_markup
from bot.replies import Reply, text_message

#: Answers after which a member may want a person: the bot abstained, or knows the
#: topic but not the fact asked for.
PASS_ON_KINDS = frozenset({"abstained", "missing_fact"})
ASK_SOMEONE = "Ask someone"
#: Answers that may name deadlines: a calendar answer's sources are deadline ids; an
#: entry's deadlines are those the knowledge file links to it.
REMIND_KINDS = frozenset({"calendar", "entry", "compound"})


async def handle_ask(ctx: CommandContext) -> Reply:
    # Questions rarely need mentions; show them as typed so the engine sees words.
    question = ctx.request.text_as_typed(ctx.args.text("question"))
    answer = await ctx.services.answers.answer(
        question, today=ctx.today, now=ctx.now, platform=ctx.request.platform
    )
    reply = Reply(parse_markup(answer.text))
    if answer.kind in REMIND_KINDS:
        reply = Reply(reply.message, actions=_remind_me(ctx, answer.sources))
        return await feedback.with_rating(ctx, question, answer, reply)
    if answer.kind not in PASS_ON_KINDS:
        return reply
    forwarding = ctx.services.interactions.forwarding
    try:
        question_id = await forwarding.recorded_id(
            question, platform=ctx.request.platform, now=ctx.now
        )
    except StorageUnavailable:  # the answer matters more than the button
        question_id = None
    if question_id is None:  # not stored (database down): nothing to pass on later
        return reply
    # Who asked, so only they pass it on, and a staff answer reaches them.
    await feedback.remember_asker(ctx, question, answer, question_id)
    button = Button(ASK_SOMEONE, ActionRef("ask", "forward", (str(question_id),)))
    return Reply(reply.message, actions=(button,))


async def forward(ctx: CommandContext) -> Reply:
    """Ask someone pressed: the stored question goes to the staff channel, once, with
    who asked; the member is told it was passed on."""
    question_id = ctx.args.get("question")
    assert isinstance(question_id, int)  # read by the option's reader
    request = ctx.request
    forwarding = ctx.services.interactions.forwarding
    claims = ctx.services.interactions.once
    question = await forwarding.load(question_id, platform=request.platform, now=ctx.now)
    askers = await ctx.services.staff.askers([question_id])
    if askers and not any(asked.asker.same_member(request.sender) for asked in askers):
        raise UserError(
            "That question was asked by someone else, so I did not pass it on. "
            "Ask it yourself and press Ask someone under my answer."
        )
    contact = forwarding.contact_line()
    key = f"forward:{question_id}"
    if not await claims.claim(platform=request.platform, key=key, command="ask", now=ctx.now):
        return Reply(
            text_message(
                "That question was already passed on to the staff; someone will get back "
                "to you. Nothing was sent again."
            )
        )
    message = staff_post(
        question_id=question_id,
        headline="A member asked something I could not answer",
        asker=request.sender,
        where=where_asked(request.channel_id, is_direct=request.is_direct),
        question=question,
        bot_answer=await ctx.services.staff.bot_answer(question_id),
    )
    if not await forwarding.post(request=request, message=message, question_id=question_id):
        await claims.release(platform=request.platform, key=key)
        raise UserError(
            f"Sorry, I could not pass your question on right now. Please contact {contact} "
            "directly."
        )
    return Reply(
        text_message(
            "Thanks: I passed your question on to the staff, and someone will get back "
            f"to you. You can also contact {contact}."
        )
    )


def _remind_me(ctx: CommandContext, sources: tuple[str, ...]) -> tuple[Action, ...]:
    """Remind me under an answer, for the deadlines it names or its entries link to."""
    named = [
        item
        for item in ctx.services.answers.current.deadlines
        if item.id in sources or (item.entry is not None and item.entry in sources)
    ]
    return remind_me(sorted(named, key=sort_key), ctx.services.catalogue, today=ctx.today)
