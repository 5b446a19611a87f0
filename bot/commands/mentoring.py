"""``/mentoring``: apply, status, withdraw, forget, pause/leave; staff run the cohort.

Members: ``apply`` (the forms in :mod:`bot.commands.mentoring_forms`), ``status`` and
``my-answers`` (in :mod:`bot.commands.mentoring_reports`, with staff's ``report``),
``withdraw``, ``forget`` (delete private answers), ``pause`` / ``resume`` / ``leave``
(check-ins stop; leaving tells staff). Staff: ``open``, ``close``, ``show``,
``match`` (the proposal with Pin / Forbid per pair, Match again and Confirm),
``confirm`` (records the matches and introduces each pair once), ``rematch``.
Check-in buttons and the feedback form come back here too.

No reply, staff post or log line carries a private answer.
"""

from __future__ import annotations

import logging

from bot.actions import ActionRef, Button, ButtonStyle, ConfirmPrompt, FieldKind, Form, FormField
from bot.commands.registry import CommandContext
from bot.errors import UserError
from bot.mentoring.matching import MatchResult
from bot.mentoring.pairs import CHECKIN, FEEDBACK, LEFT, PAUSED
from bot.mentoring.people import CHECKIN_ANSWERS, FEEDBACK_RATINGS
from bot.mentoring.views import CohortSummary
from bot.replies import CommandSpan, Message, MessageBuilder, Reply, text_message
from bot.requests import MentionKind
from bot.storage.models.mentoring import MentoringCohort

log = logging.getLogger(__name__)

#: Pairs a preview shows with Pin / Forbid (two buttons each; 25 fit a message).
BUTTON_PAIRS = 11
SHOWN_PAIRS = 40


# -- members ------------------------------------------------------------------------


async def overview(ctx: CommandContext) -> Reply:
    """``/mentoring`` alone: what it does, with Apply when a cohort is open."""
    builder = MessageBuilder().paragraph(
        "The mentoring program pairs members for a year of monthly meetings. "
    )
    builder.bullets(
        [
            [
                CommandSpan("mentoring", "apply", action="apply"),
                " apply (or edit your application)",
            ],
            [CommandSpan("mentoring", "status", action="status"), " your application and match"],
            [
                CommandSpan("mentoring", "my-answers", action="my-answers"),
                " everything you told the program (privately)",
            ],
            [CommandSpan("mentoring", "forget", action="forget"), " delete your private answers"],
            [CommandSpan("mentoring", "pause", action="pause"), " pause check-ins (resume later)"],
        ]
    )
    try:
        cohort = await ctx.services.mentoring.open_cohort_for_applying(None)
    except UserError:
        return Reply(builder.build())
    button = Button("Apply", ActionRef("mentoring", "apply-form", (str(cohort.id), "1")))
    return Reply(builder.build(), actions=(button,))


async def withdraw(ctx: CommandContext) -> Reply:
    chat = ctx.services.mentoring
    member_id = await chat.member_id(ctx.request.sender)
    cohort = await chat.members_cohort(member_id, ctx.args.text("cohort") or None)
    await chat.service.withdraw(cohort, member_id)
    return Reply(text_message(f"Your application to the {cohort} cohort is withdrawn."))


async def forget(ctx: CommandContext) -> Reply:
    chat = ctx.services.mentoring
    member_id = await chat.member_id(ctx.request.sender)
    cohort = await chat.members_cohort(member_id, ctx.args.text("cohort") or None)
    deleted = await chat.service.forget_private_answers(cohort, member_id)
    return Reply(
        text_message(
            "Your private answers are deleted; your application stays."
            if deleted
            else "You have no private answers stored. Nothing to delete."
        )
    )


async def pause(ctx: CommandContext) -> Reply:
    return await _take_part(ctx, PAUSED)


async def resume(ctx: CommandContext) -> Reply:
    return await _take_part(ctx, None)


async def leave(ctx: CommandContext) -> Reply:
    return await _take_part(ctx, LEFT)


async def _take_part(ctx: CommandContext, state: str | None) -> Reply:
    chat = ctx.services.mentoring
    member_id = await chat.member_id(ctx.request.sender)
    cohorts = await chat.pairs.set_participation(member_id, state)
    if not cohorts:
        raise UserError(
            "You have no confirmed mentoring match to "
            + {PAUSED: "pause", LEFT: "leave", None: "resume"}[state]
            + ". Nothing changed."
        )
    names = ", ".join(cohorts)
    if state == LEFT:
        who = ctx.request.sender.name
        await chat.pairs.alert_staff(
            f"Mentoring ({names}): {who} left the program. Their match may need "
            "a rematch (/mentoring rematch).",
            key=f"ml{member_id}-{ctx.now:%Y%m%d}",
        )
        return Reply(text_message(f"You have left the {names} cohort. Staff were told. Thank you!"))
    if state == PAUSED:
        return Reply(text_message("Check-ins are paused. /mentoring resume starts them again."))
    return Reply(text_message("Check-ins will come again from next month."))


async def checkin(ctx: CommandContext) -> Reply:
    """Met / Not yet / Need help under a check-in: recorded once, for its member only."""
    message_id, answer = ctx.args.get("id"), ctx.args.text("answer")
    assert isinstance(message_id, int)
    pairs = ctx.services.mentoring.pairs
    row, person, cohort = await pairs.own_message(message_id, ctx.request.sender, CHECKIN)
    if not await pairs.record_answer(message_id, answer=answer):
        return Reply(text_message("You already answered this check-in. Nothing changed."))
    if answer == "need_help":
        other = await pairs.other_name(row)
        await pairs.alert_staff(
            f"Mentoring ({cohort.name}): {person.name} ({person.email}) asked for help with "
            f"their match with {other} ({row.period} check-in).",
            key=f"mh{message_id}",
        )
        return Reply(
            text_message("Thanks for telling us. Someone from the staff will be in touch.")
        )
    label = CHECKIN_ANSWERS[answer]
    return Reply(text_message(f"Thanks! Recorded: {label}."))


async def feedback(ctx: CommandContext) -> Reply:
    """Give feedback: open the end-of-year form (its member only)."""
    message_id = ctx.args.get("id")
    assert isinstance(message_id, int)
    pairs = ctx.services.mentoring.pairs
    row, _person, cohort = await pairs.own_message(message_id, ctx.request.sender, FEEDBACK)
    if row.answer is not None:
        return Reply(text_message("You already sent your feedback. Thank you!"))
    form = Form(
        title="Mentoring feedback",
        ref=ActionRef("mentoring", "feedback-send", (str(message_id),)),
        submit_label="Send feedback",
        fields=(
            FormField(
                "rating", "How was your mentoring year?", FieldKind.CHOICE, choices=FEEDBACK_RATINGS
            ),
            FormField(
                "comment",
                "Anything you would like us to know?",
                FieldKind.LONG_TEXT,
                required=False,
                max_length=2000,
            ),
        ),
    )
    return Reply(text_message(f"Feedback on your {cohort.name} mentoring year."), form=form)


async def feedback_send(ctx: CommandContext) -> Reply:
    message_id = ctx.args.get("id")
    assert isinstance(message_id, int)
    pairs = ctx.services.mentoring.pairs
    await pairs.own_message(message_id, ctx.request.sender, FEEDBACK)
    comment = ctx.args.text("comment").strip() or None
    if not await pairs.record_answer(message_id, answer=ctx.args.text("rating"), comment=comment):
        return Reply(text_message("You already sent your feedback. Nothing changed."))
    return Reply(text_message("Thank you for your feedback! Only staff read it."))


# -- staff --------------------------------------------------------------------------


async def open_cohort(ctx: CommandContext) -> Reply:
    summary, created = await ctx.services.mentoring.service.open_cohort(ctx.args.text("name"))
    verb = "opened" if created else "reopened"
    return Reply(_summary_message(summary, headline=f"Cohort {summary.name} {verb}."))


async def close_cohort(ctx: CommandContext) -> Reply:
    summary = await ctx.services.mentoring.service.close_cohort(ctx.args.text("name"))
    return Reply(_summary_message(summary, headline=f"Cohort {summary.name} closed."))


async def show(ctx: CommandContext) -> Reply:
    service = ctx.services.mentoring.service
    name = ctx.args.text("name")
    summaries = [await service.summary(name)] if name else await service.cohorts()
    if not summaries:
        return Reply(text_message("No mentoring cohorts yet. /mentoring open NAME starts one."))
    message = Message()
    for summary in summaries:
        message = message + _summary_message(summary, headline=summary.name)
    return Reply(message)


def _summary_message(summary: CohortSummary, *, headline: str) -> Message:
    closes = f", closes {summary.closes_on:%Y-%m-%d}" if summary.closes_on else ""
    return text_message(
        f"{headline} ({summary.state.value}{closes}): {summary.applicants} applicants "
        f"({summary.eligible_mentors} eligible mentors with {summary.mentor_slots} places, "
        f"{summary.eligible_mentees} eligible mentees); {summary.pins} pins, "
        f"{summary.forbidden_pairs} do-not-match; {summary.proposed_matches} proposed, "
        f"{summary.confirmed_matches} confirmed matches."
    )


async def match(ctx: CommandContext) -> Reply:
    return await _preview(ctx, ctx.args.text("name"))


async def match_id(ctx: CommandContext) -> Reply:
    return await _preview(ctx, (await _cohort(ctx)).name)


async def _preview(ctx: CommandContext, name: str) -> Reply:
    chat = ctx.services.mentoring
    result = await chat.service.preview(name)
    return _preview_reply(name, await chat.cohort_id(name), result)


def _preview_reply(name: str, cohort_id: int, result: MatchResult) -> Reply:
    builder = MessageBuilder().paragraph(
        f"Proposed matches for {name}: {len(result.matches)} pairs, "
        f"{len(result.unmatched)} unmatched. Nothing is sent until you confirm."
    )
    builder.bullets(
        [
            f"{m.mentor.name} mentors {m.mentee.name} (score {m.score:.2f}"
            + (", pinned" if m.pinned else "")
            + f"): {'; '.join(m.reasons) or 'no shared criteria'}"
        ]
        for m in result.matches[:SHOWN_PAIRS]
    )
    if len(result.matches) > SHOWN_PAIRS:
        builder.paragraph("More pairs: memberbot mentoring match --cohort NAME shows them all.")
    if result.unmatched:
        builder.paragraph("Not matched:")
        builder.bullets([f"{u.email}: {u.reason}"] for u in result.unmatched[:SHOWN_PAIRS])
    actions: list[Button] = []
    for m in result.matches[:BUTTON_PAIRS]:
        ids = (str(m.mentor.id), str(m.mentee.id))
        pair = f"{m.mentor.name} / {m.mentee.name}"[:60]
        if not m.pinned:
            actions.append(Button(f"Pin {pair}", ActionRef("mentoring", "pin-pair", ids)))
        actions.append(
            Button(
                f"Forbid {pair}",
                ActionRef("mentoring", "forbid-pair", ids),
                ButtonStyle.DANGER,
            )
        )
    actions.append(Button("Match again", ActionRef("mentoring", "match-id", (str(cohort_id),))))
    actions.append(
        Button(
            "Confirm",
            ActionRef("mentoring", "confirm-id", (str(cohort_id),)),
            ButtonStyle.PRIMARY,
            confirm=ConfirmPrompt(
                "Confirm these matches?",
                "Each pair gets an introduction by direct message.",
                confirm="Confirm and introduce",
                deny="Not yet",
            ),
        )
    )
    return Reply(builder.build(), actions=tuple(actions))


async def pin_pair(ctx: CommandContext) -> Reply:
    chat = ctx.services.mentoring
    cohort, mentor, mentee = await chat.proposed_match(*_pair(ctx))
    await chat.service.pin(cohort, mentor, mentee)
    return await _preview(ctx, cohort)


async def forbid_pair(ctx: CommandContext) -> Reply:
    chat = ctx.services.mentoring
    cohort, mentor, mentee = await chat.proposed_match(*_pair(ctx))
    await chat.service.forbid(cohort, mentor, mentee)
    return await _preview(ctx, cohort)


async def confirm(ctx: CommandContext) -> Reply:
    return await _confirm(ctx, ctx.args.text("name"))


async def confirm_id(ctx: CommandContext) -> Reply:
    return await _confirm(ctx, (await _cohort(ctx)).name)


async def _confirm(ctx: CommandContext, name: str) -> Reply:
    chat = ctx.services.mentoring
    confirmed = await chat.service.confirm(name)
    outcome = await chat.pairs.introduce(name)
    text = f"Confirmed {confirmed} matches in {name}. Introductions sent: {outcome.sent}."
    if outcome.unreachable:
        text += (
            " Not reachable here (introduce them yourself): "
            + ", ".join(sorted(set(outcome.unreachable)))
            + "."
        )
    return Reply(text_message(text))


async def rematch(ctx: CommandContext) -> Reply:
    chat = ctx.services.mentoring
    users = [m for m in ctx.request.mentions if m.kind is MentionKind.USER]
    who: str | int = (
        await chat.member_id(users[0].user) if users and users[0].user else ctx.args.text("who")
    )
    cohort, done = await chat.rematch(who)
    lines = [f"{mentor} now mentors {mentee}" for mentor, mentee in done.pairs]
    lines += [f"no new mentor for {reason}" for reason in done.unmatched]
    return Reply(
        text_message(
            f"Rematched in {cohort}: "
            + ("; ".join(lines) or "nothing changed")
            + f". Introductions sent: {done.introductions.sent}."
        )
    )


async def _cohort(ctx: CommandContext) -> MentoringCohort:
    value = ctx.args.get("cohort_id")
    assert isinstance(value, int)
    return await ctx.services.mentoring.cohort_by_id(value)


def _pair(ctx: CommandContext) -> tuple[int, int]:
    mentor, mentee = ctx.args.get("mentor"), ctx.args.get("mentee")
    assert isinstance(mentor, int) and isinstance(mentee, int)
    return mentor, mentee
