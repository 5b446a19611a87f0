"""Was this helpful? 👍 / 👎 under every answer from the knowledge file.

The buttons carry only the id of the stored question (``ask:helpful:41``); the
question, the answer and who may rate it are read back from storage, so a button
pressed by someone else, twice, or forged acts at most once, for the member who
asked. A 👎 puts the question, the answer given and the entry on the staff list
and in the staff channel at once, then offers a small optional form: what was wrong?
"""

from __future__ import annotations

import logging
from dataclasses import replace

from bot.actions import ActionRef, Button, FieldKind, Form, FormField
from bot.answers.engine import Answer
from bot.commands.registry import CommandContext
from bot.commands.staff_messages import question_buttons, staff_post, where_asked
from bot.commands.staff_services import Asked
from bot.errors import StorageUnavailable, UserError
from bot.replies import Reply, text_message

log = logging.getLogger(__name__)

#: Answer kinds that come from entries (or the calendar) and so can be rated.
RATED_KINDS = frozenset({"entry", "compound", "calendar"})
HELPFUL_LABEL = "👍 Helpful"
UNHELPFUL_LABEL = "👎 Not helpful"
COMMENT_LIMIT = 1000


def rating_buttons(asked_id: int) -> tuple[Button, Button]:
    """The 👍 / 👎 buttons for one stored answer (the console lists them as 1 and 2)."""
    value = (str(asked_id),)
    return (
        Button(HELPFUL_LABEL, ActionRef("ask", "helpful", value)),
        Button(UNHELPFUL_LABEL, ActionRef("ask", "unhelpful", value)),
    )


def entry_of(kind: str, sources: tuple[str, ...]) -> str:
    """What an answer's rating is counted against: its entry, or ``calendar``."""
    if kind == "calendar":
        return "calendar"
    return sources[0] if sources else kind


async def with_rating(ctx: CommandContext, question: str, answer: Answer, reply: Reply) -> Reply:
    """``reply`` with 👍 / 👎 under it when the answer came from an entry or the calendar.

    The question and answer are stored for the buttons; while the database is down
    the answer goes without them (the answer matters more than the buttons).
    """
    if answer.kind not in RATED_KINDS:
        return reply
    try:
        asked_id = await ctx.services.staff.record_asked(
            ctx.request,
            question=question,
            answer_text=answer.text,
            entry_id=entry_of(answer.kind, answer.sources),
            now=ctx.now,
        )
    except StorageUnavailable:
        return reply
    return replace(reply, actions=(*reply.actions, *rating_buttons(asked_id)))


async def remember_asker(
    ctx: CommandContext, question: str, answer: Answer, question_id: int
) -> None:
    """Note who asked a question the bot could not answer, so a staff answer reaches them."""
    try:
        await ctx.services.staff.record_asked(
            ctx.request,
            question=question,
            answer_text=answer.text,
            entry_id=None,
            now=ctx.now,
            review_question_id=question_id,
        )
    except StorageUnavailable:
        log.warning("asker not recorded", extra={"question_id": question_id})


async def helpful(ctx: CommandContext) -> Reply:
    """👍: counted once for the entry."""
    asked = await _own_answer(ctx)
    staff = ctx.services.staff
    if not await staff.rate(asked.id, helpful=True, now=ctx.now):
        return Reply(text_message("You already rated this answer. Thanks!"))
    await staff.record_feedback(asked, helpful=True, now=ctx.now)
    return Reply(text_message("Thanks, glad it helped!"))


async def unhelpful(ctx: CommandContext) -> Reply:
    """👎: counted once; the question goes to staff; the member may say what was wrong."""
    asked = await _own_answer(ctx)
    staff = ctx.services.staff
    if not await staff.rate(asked.id, helpful=False, now=ctx.now):
        return Reply(text_message("You already rated this answer. Thanks!"))
    question_id = await staff.record_feedback(asked, helpful=False, now=ctx.now)
    if question_id is not None:
        await staff.link_review(asked.id, question_id)
        post = staff_post(
            question_id=question_id,
            headline=f"An answer was marked not helpful (entry {asked.entry_id})",
            asker=asked.asker,
            where=where_asked(asked.channel_id, is_direct=asked.is_direct),
            question=asked.question,
            bot_answer=asked.answer_text,
        )
        await staff.post_to_staff(
            post, key=f"s{question_id}", actions=question_buttons(question_id)
        )
    form = Form(
        title="What was wrong?",
        ref=ActionRef("ask", "wrong", (str(asked.id),)),
        fields=(
            FormField(
                "comment",
                "What was wrong? (optional)",
                FieldKind.LONG_TEXT,
                required=False,
                max_length=COMMENT_LIMIT,
                placeholder="e.g. the date is last year's",
            ),
        ),
        submit_label="Send",
    )
    return Reply(
        text_message(
            "Sorry it did not help. I passed your question on to the staff; someone will "
            "get back to you. You can tell them what was wrong, if you like."
        ),
        form=form,
    )


async def wrong(ctx: CommandContext) -> Reply:
    """The "what was wrong?" form: the comment goes with the question on the staff list."""
    asked = await _own_answer(ctx)
    comment = ctx.args.text("comment").strip()
    if asked.rating is None or asked.review_question_id is None:
        raise UserError("Please press 👎 on the answer first. Nothing was sent.")
    if not comment:
        return Reply(text_message("OK. The staff have your question already."))
    await ctx.services.staff.add_comment(asked.review_question_id, comment)
    return Reply(text_message("Thanks, I added that for the staff."))


async def _own_answer(ctx: CommandContext) -> Asked:
    """The stored answer the button names, if it is the pressing member's own.

    Raises:
        UserError: No such answer, or someone else's (their buttons are theirs).
    """
    asked_id = ctx.args.get("asked")
    assert isinstance(asked_id, int)  # read by the option
    asked = await ctx.services.staff.asked(asked_id)
    if asked is None or not asked.asker.same_member(ctx.request.sender):
        log.info("rating refused", extra={"asked": asked_id, "user": ctx.request.sender.user_id})
        raise UserError("Only the member who asked can rate this answer. Nothing was recorded.")
    return asked
