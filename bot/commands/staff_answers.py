"""Staff answer members from chat: /ask-staff, /unanswered, and the Answer form.

A question reaches staff three ways: a member presses Ask someone under an answer
the bot could not give, presses 👎, or types ``/ask-staff QUESTION``. It is posted
in the staff channel and listed by ``/unanswered``, with **Answer**, **Not for us**
and **Assign to ...**. Only one staff member has a question at a time
(:func:`bot.answers.review.claim`); the others are told who has it.

**Answer** opens a form: the answer (in the knowledge markup), an optional link,
and "Add to the knowledge": no, add the member's wording to one of the entries the
engine thinks closest, or a new entry (its title and the wordings members use).
On submit the knowledge file is taught first (a refusal keeps the form open with
the reason), then the question is marked answered and the answer is sent to every
member who asked it, marked as coming from staff by name.
"""

from __future__ import annotations

import logging
from functools import partial
from urllib.parse import urlsplit

from bot.actions import ActionRef, Button, FieldErrors, FieldKind, Form, FormField
from bot.answers.review import ReviewItem
from bot.commands.registry import CommandContext
from bot.commands.staff_messages import (
    closed_note,
    question_buttons,
    staff_answer_message,
    staff_post,
    taken_note,
    thanks_button,
    where_asked,
)
from bot.commands.staff_services import Asked
from bot.errors import StorageUnavailable, UserError
from bot.knowledge.teach import Draft, TeachRefused, TeachResult, draft_entry, draft_question
from bot.replies import Reply, text_message
from bot.requests import Mention, MentionKind

log = logging.getLogger(__name__)

#: Questions ``/unanswered`` shows with buttons (three each; 25 buttons fit a message).
LIST_LIMIT = 8
#: The "Add to the knowledge" choices besides the engine's best guesses.
TEACH_NONE = "no"
TEACH_NEW = "new-entry"
LINK_LABEL = "More information"


# -- members ----------------------------------------------------------------------


async def ask_staff(ctx: CommandContext) -> Reply:
    """``/ask-staff QUESTION``: the question goes to the staff channel and list."""
    question = " ".join(ctx.args.text("question").split())
    if not question:
        raise UserError("Write your question after the command, e.g. /ask-staff Is there parking?")
    staff = ctx.services.staff
    request = ctx.request
    question_id = await staff.add_question(
        question, platform=request.platform, now=ctx.now, bot_answer=None
    )
    await staff.record_asked(
        request,
        question=question,
        answer_text="",
        entry_id=None,
        now=ctx.now,
        review_question_id=question_id,
    )
    post = staff_post(
        question_id=question_id,
        headline="A member asked the staff",
        asker=request.sender,
        where=where_asked(request.channel_id, is_direct=request.is_direct),
        question=question,
        bot_answer=None,
    )
    posted = await staff.post_to_staff(
        post, key=f"s{question_id}", actions=question_buttons(question_id)
    )
    if not posted:
        log.warning("asked question not posted; it is on the list", extra={"id": question_id})
    return Reply(
        text_message(
            "Thanks, I passed your question on to the staff. You will get their answer "
            "from me as a direct message."
        )
    )


# -- the staff list -----------------------------------------------------------------


async def show_list(ctx: CommandContext) -> Reply:
    """``/unanswered``: the open questions, most asked first, each with its buttons."""
    items = await ctx.services.staff.waiting(limit=LIST_LIMIT + 1)
    if not items:
        return Reply(text_message("No unanswered questions waiting. 🎉"))
    shown = items[:LIST_LIMIT]
    lines = [_line(item) for item in shown]
    if len(items) > LIST_LIMIT:
        lines.append("More are waiting: answer these first, or see memberbot unanswered.")
    actions: list[Button] = []
    for item in shown:
        actions.extend(question_buttons(item.id))
    return Reply(
        text_message("\n\n".join(["Questions waiting for staff:", *lines])), actions=tuple(actions)
    )


def _line(item: ReviewItem) -> str:
    state = f"claimed by {item.claimed_by}" if item.status == "claimed" else item.status
    asked = "once" if item.count == 1 else f"{item.count} times"
    why = f" [unhelpful answer from {item.entry_id}]" if item.reason == "unhelpful" else ""
    return (
        f"{item.id}. {item.question}{why} (asked {asked}, last {item.last_asked:%Y-%m-%d}; {state})"
    )


async def answer(ctx: CommandContext) -> Reply:
    """**Answer**: the question becomes the presser's, and the Answer form opens."""
    question_id = _question_id(ctx)
    staff = ctx.services.staff
    who = await staff.staff_name(ctx.request.sender)
    before = await _item(ctx, question_id)
    item = await staff.claim(question_id, who=who, now=ctx.now)  # TakenByOther: "taken by X"
    if before.status != "claimed":
        await staff.post_to_staff(
            taken_note(question_id, item.question, who=who), key=f"s{question_id}-c-{_slug(who)}"
        )
    guesses = staff.best_guesses(item.question)
    return Reply(
        text_message(f"Question {question_id} is yours: {item.question}"),
        form=_answer_form(item, guesses),
    )


def _answer_form(item: ReviewItem, guesses: list[str]) -> Form:
    choices = (TEACH_NONE, *[g for g in guesses if g not in {TEACH_NONE, TEACH_NEW}], TEACH_NEW)
    return Form(
        title=f"Answer question {item.id}",
        ref=ActionRef("unanswered", "reply", (str(item.id),)),
        fields=(
            FormField(
                "text",
                "Answer (sent to the member)",
                FieldKind.LONG_TEXT,
                max_length=4000,
                hint=f"They asked: {item.question[:200]}. **bold** and [label](https://...) work.",
            ),
            FormField(
                "link", "Link (optional)", FieldKind.TEXT, required=False, placeholder="https://"
            ),
            FormField(
                "teach",
                "Add to the knowledge",
                FieldKind.CHOICE,
                required=False,
                choices=choices,
                initial=TEACH_NONE,
                hint="no; the member's wording added to one of these entries; or a new entry",
            ),
            FormField("title", "New entry: title", FieldKind.TEXT, required=False, max_length=120),
            FormField(
                "questions",
                "New entry: how members ask it (one per line)",
                FieldKind.LONG_TEXT,
                required=False,
                initial=item.question,
                max_length=2000,
            ),
        ),
        submit_label="Send answer",
    )


async def reply(ctx: CommandContext) -> Reply:
    """The Answer form submitted: teach (if asked), mark answered, send to the member(s)."""
    question_id = _question_id(ctx)
    staff = ctx.services.staff
    who = await staff.staff_name(ctx.request.sender)
    text = ctx.args.text("text").strip()
    link = ctx.args.text("link").strip()
    teach_to = ctx.args.text("teach").strip() or TEACH_NONE
    title = ctx.args.text("title").strip()
    _check_form(staff.entry_ids(), text=text, link=link, teach_to=teach_to, title=title)
    item = await staff.claim(question_id, who=who, now=ctx.now)  # still theirs? else who has it
    taught: TeachResult | None = None
    if teach_to != TEACH_NONE:
        make = _teach_change(
            ctx, item, teach_to=teach_to, title=title, text=text, link=link, who=who
        )
        try:
            taught = await staff.teach(make, who=who, now=ctx.now)
        except TeachRefused as error:
            raise FieldErrors({"teach": error.message}) from None
    markup = f"{text}\n\n[{LINK_LABEL}]({link})" if link else text
    done, closed = await staff.answer(
        question_id, who=who, text=markup, now=ctx.now, taught=taught.entry_id if taught else None
    )
    sent, failed = await _send_to_askers(ctx, await staff.askers(closed), who=who, markup=markup)
    await staff.post_to_staff(
        closed_note(question_id, done.question, who=who, answered=True), key=f"s{question_id}-a"
    )
    return Reply(text_message(_answered_summary(done, sent, failed, taught)))


def _check_form(entries: set[str], *, text: str, link: str, teach_to: str, title: str) -> None:
    errors: dict[str, str] = {}
    if not text:
        errors["text"] = "Write the answer to send to the member."
    if link:
        parts = urlsplit(link)
        if parts.scheme not in {"http", "https"} or not parts.netloc or " " in link:
            errors["link"] = "Give a full link starting with https://, or leave it empty."
    if teach_to not in {TEACH_NONE, TEACH_NEW} and teach_to not in entries:
        errors["teach"] = f"There is no entry '{teach_to}' in the knowledge file any more."
    if teach_to == TEACH_NEW and not title:
        errors["title"] = "A new entry needs a title (a short name of the topic)."
    if errors:
        raise FieldErrors(errors)


def _teach_change(
    ctx: CommandContext,
    item: ReviewItem,
    *,
    teach_to: str,
    title: str,
    text: str,
    link: str,
    who: str,
) -> partial[Draft]:
    path = ctx.services.staff.knowledge_path
    if teach_to != TEACH_NEW:
        return partial(draft_question, entry_id=teach_to, question=item.question, path=path)
    wordings = [line.strip() for line in ctx.args.text("questions").splitlines() if line.strip()]
    return partial(
        draft_entry,
        title=title,
        questions=[item.question, *wordings],
        answer=text,
        path=path,
        links=[(LINK_LABEL, link)] if link else None,
        note=f"taught by {' '.join(who.split())} on {ctx.now:%Y-%m-%d}",
    )


async def _send_to_askers(
    ctx: CommandContext, askers: list[Asked], *, who: str, markup: str
) -> tuple[list[str], list[str]]:
    """DM the answer to each member who asked (once each): names sent to, and failures."""
    staff = ctx.services.staff
    sent: list[str] = []
    failed: list[str] = []
    seen: set[tuple[str, str, str]] = set()
    for asked in askers:
        if asked.asker.key in seen:
            continue
        seen.add(asked.asker.key)
        message = staff_answer_message(who=who, question=asked.question, answer_markup=markup)
        try:  # 👍 Thanks: the member's own, once; the answer matters more than the button
            answer_id = await staff.record_staff_answer(asked, answer_text=markup, now=ctx.now)
            thanks: tuple[Button, ...] = (thanks_button(answer_id),)
        except StorageUnavailable:
            thanks = ()
        problem = await staff.send_dm(asked.asker, message, key=f"sa{asked.id}", actions=thanks)
        if problem is None:
            sent.append(asked.asker.name)
        else:
            failed.append(f"{asked.asker.name} ({problem})")
    return sent, failed


def _answered_summary(
    item: ReviewItem, sent: list[str], failed: list[str], taught: TeachResult | None
) -> str:
    times = "" if item.count == 1 else f" (asked {item.count} times)"
    lines = [f"Answered{times}: {item.question}"]
    if sent:
        lines.append(f"Sent to {', '.join(sent)} as a direct message.")
    if failed:
        lines.append(f"Could not send it to {', '.join(failed)}; please reach them another way.")
    if not sent and not failed:
        lines.append(
            "I don't know who asked it in chat (asked before the bot kept that, or from the "
            "command line), so nothing was sent; the answer is recorded."
        )
    if taught is not None:
        lines.append(f"Taught: {taught.summary}. The bot answers it from now on.")
    return "\n\n".join(lines)


async def dismiss(ctx: CommandContext) -> Reply:
    """**Not for us**: the question (and its repeats) leaves the list."""
    question_id = _question_id(ctx)
    staff = ctx.services.staff
    who = await staff.staff_name(ctx.request.sender)
    item = await staff.dismiss(question_id, who=who, now=ctx.now)
    await staff.post_to_staff(
        closed_note(question_id, item.question, who=who, answered=False), key=f"s{question_id}-d"
    )
    times = "" if item.count == 1 else f" (asked {item.count} times)"
    return Reply(text_message(f'Marked "not for us"{times}; it is off the list: {item.question}'))


async def assign(ctx: CommandContext) -> Reply:
    """**Assign to ...**: a form to pick the colleague who should answer it."""
    question_id = _question_id(ctx)
    item = await _item(ctx, question_id)
    if item.status not in {"open", "claimed"}:
        raise UserError(f"Question {question_id} is already {item.status}. Nothing changed.")
    form = Form(
        title=f"Assign question {question_id}",
        ref=ActionRef("unanswered", "assign-to", (str(question_id),)),
        fields=(FormField("who", "Who should answer it?", FieldKind.MEMBER),),
        submit_label="Assign",
    )
    return Reply(
        text_message(f"Who should answer question {question_id}? {item.question}"), form=form
    )


async def assign_to(ctx: CommandContext) -> Reply:
    """The Assign form submitted: the question is claimed for the colleague, who is told."""
    question_id = _question_id(ctx)
    picked = ctx.args.get("who")
    if not (isinstance(picked, Mention) and picked.kind is MentionKind.USER and picked.user):
        raise FieldErrors({"who": "Please pick a colleague."})
    staff = ctx.services.staff
    by = await staff.staff_name(ctx.request.sender)
    who = await staff.staff_name(picked.user)
    item = await staff.claim(question_id, who=who, now=ctx.now)  # TakenByOther when someone has it
    await staff.post_to_staff(
        taken_note(question_id, item.question, who=who, by=by), key=f"s{question_id}-c-{_slug(who)}"
    )
    note = staff_post(
        question_id=question_id,
        headline=f"{by} asked you to answer this",
        asker=None,
        where=None,
        question=item.question,
        bot_answer=item.bot_answer,
        comment=item.comment,
    )
    problem = await staff.send_dm(picked.user, note, key=f"sg{question_id}-{_slug(who)}")
    told = "" if problem is None else f" I could not DM them ({problem}); please tell them."
    return Reply(text_message(f"Question {question_id} is now {who}'s.{told}"))


# -- helpers ------------------------------------------------------------------------


def read_question_id(text: str) -> int:
    """``12`` or ``#12`` typed after a sub-command, as a question number."""
    digits = text.strip().lstrip("#")
    if not (digits.isascii() and digits.isdigit()):
        raise UserError(
            f"'{text.strip()}' is not a question number; /unanswered lists them "
            "(e.g. /unanswered answer 12)."
        )
    return int(digits)


def _question_id(ctx: CommandContext) -> int:
    question_id = ctx.args.get("id")
    if not isinstance(question_id, int):
        raise UserError("Which question? Give its number, e.g. /unanswered answer 12.")
    return question_id


async def _item(ctx: CommandContext, question_id: int) -> ReviewItem:
    item = await ctx.services.staff.item(question_id)
    if item is None:
        raise UserError(f"There is no question {question_id}; see /unanswered.")
    return item


def _slug(name: str) -> str:
    """A name as delivery keys take it (letters, digits, dashes)."""
    return "".join(c if c.isascii() and c.isalnum() else "-" for c in name)[:40]
