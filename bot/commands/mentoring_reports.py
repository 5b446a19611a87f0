"""``/mentoring status`` and ``my-answers`` (a member's own answers) and staff's
``/mentoring report`` (a cohort's check-ins and feedback at a glance).

A member's private answers are shown only to that member and only in a direct
message: asked anywhere else, they are sent by DM. The staff report holds no private
answer (the CLI names them when staff ask, by field).
"""

from __future__ import annotations

import logging

from bot.commands.registry import CommandContext
from bot.errors import DeliveryError, UserError
from bot.mentoring.import_csv import ApplicationInput
from bot.mentoring.models import PrivateAnswers
from bot.mentoring.year_report import (
    NEED_HELP,
    CheckinReport,
    FeedbackReport,
    PairYear,
    checkin_report,
    feedback_report,
)
from bot.outbound import DeliveryKey
from bot.replies import CommandSpan, Message, MessageBuilder, Reply, text_message

log = logging.getLogger(__name__)

#: Pairs needing attention the chat report names; the CLI lists them all.
ATTENTION_SHOWN = 10
_ADULT = {"yes": "yes", "no": "no", "guardian": "with a parent's or guardian's permission"}


def _application_lines(app: ApplicationInput) -> list[str]:
    """What the member told the program, private answers left out."""
    lines = [
        f"Name: {app.name}",
        f"E-mail: {app.email}",
        f"Role: {app.role.value}",
        f"Region: {app.region or '(none given)'}",
        f"Areas to work on: {', '.join(app.interests) or '(none given)'}",
        f"Goals: {app.goals or '(none given)'}",
        f"Association member: {'yes' if app.is_member else 'no'}",
        f"18 or over: {_ADULT.get(app.adult.value, app.adult.value)}",
    ]
    if app.capacity:
        lines.append(f"Mentees you can take: {app.capacity}")
    return lines


def _private_lines(private: PrivateAnswers) -> list[str]:
    def yes_no(value: bool) -> str:
        return "yes" if value else "no"

    return [
        f"Gender: {private.gender or '(not given)'}",
        f"Race/ethnicity: {private.race_ethnicity or '(not given)'}",
        f"Prefer a match in the same region: {yes_no(private.prefer_same_region)}",
        f"Prefer a match of the same gender: {yes_no(private.prefer_same_gender)}",
        f"Prefer a match of the same race/ethnicity: {yes_no(private.prefer_same_race_ethnicity)}",
        f"Interested in BIPOC membership funding: {yes_no(private.bipoc_funding_interest)}",
    ]


async def status(ctx: CommandContext) -> Reply:
    """The member's own application; private answers only as "given" and where to see
    or delete them."""
    chat = ctx.services.mentoring
    member_id = await chat.member_id(ctx.request.sender)
    cohort = await chat.members_cohort(member_id, ctx.args.text("cohort") or None)
    mine = await chat.service.status(cohort, member_id)
    builder = MessageBuilder().paragraph(
        f"Your application to the {mine.cohort} cohort ({mine.cohort_state.value}):"
    )
    lines = _application_lines(mine.application)
    lines.append(
        "Private answers: given (only staff see them)"
        if mine.has_private_answers
        else "Private answers: none"
    )
    builder.bullets([line] for line in lines)
    if mine.matched_with:
        builder.paragraph(f"Matched with: {', '.join(mine.matched_with)}.")
    if mine.has_private_answers:
        builder.paragraph(
            CommandSpan("mentoring", "my-answers", action="my-answers"),
            " shows your private answers to you alone; ",
            CommandSpan("mentoring", "forget", action="forget"),
            " deletes them.",
        )
    return Reply(builder.build())


async def my_answers(ctx: CommandContext) -> Reply:
    """Everything the member told the program, private answers included: in a direct
    message only (asked in a channel, it goes to them by DM)."""
    chat = ctx.services.mentoring
    sender = ctx.request.sender
    member_id = await chat.member_id(sender)
    cohort = await chat.members_cohort(member_id, ctx.args.text("cohort") or None)
    answers = await chat.service.my_answers(cohort, member_id)
    message = _my_answers_message(cohort, answers)
    if ctx.request.is_direct:
        return Reply(message)
    outbound = chat.pairs.outbound
    if outbound is None or not chat.pairs.reaches(sender):
        raise UserError(_ONLY_IN_DM)
    # keyed by the platform's delivery, so a retried request sends one DM, while
    # asking again (after a forget, say) sends the answers as they are now
    delivery = ctx.request.delivery_id
    try:
        await outbound.send_dm(
            user=sender,
            message=message,
            key=DeliveryKey(f"mya{member_id}-{delivery}") if delivery else None,
        )
    except DeliveryError as error:
        log.warning("mentoring answers not delivered", extra={"reason": error.reason})
        raise UserError(_ONLY_IN_DM) from None
    return Reply(text_message("I sent your answers to you in a direct message."))


_ONLY_IN_DM = (
    "Your private answers are shown only in a direct message, and I could not send you "
    "one. Send me /mentoring my-answers in a direct message."
)


def _my_answers_message(cohort: str, answers: ApplicationInput) -> Message:
    builder = MessageBuilder().paragraph(f"What you told the mentoring program ({cohort}):")
    builder.bullets([line] for line in _application_lines(answers))
    if answers.private is None:
        builder.paragraph("Private answers: none.")
        return builder.build()
    builder.paragraph("Private answers (only staff see them, only for matching):")
    builder.bullets([line] for line in _private_lines(answers.private))
    builder.paragraph(
        CommandSpan("mentoring", "forget", action="forget"),
        " deletes your private answers; your application stays.",
    )
    return builder.build()


async def report(ctx: CommandContext) -> Reply:
    """Staff: a cohort's check-in totals, feedback counts and the first pairs needing
    attention (the full tables are in the CLI and its CSV)."""
    name = ctx.args.text("name")
    database = ctx.services.mentoring.service.database
    checkins = await checkin_report(database, name)
    feedback = await feedback_report(database, name)
    return Reply(_report_message(checkins, feedback))


def _report_message(checkins: CheckinReport, feedback: FeedbackReport) -> Message:
    totals = checkins.totals
    rate = f" ({totals.months_met / totals.months_asked:.0%})" if totals.months_asked else ""
    answered = sum(1 for row in feedback.rows if row[4])
    ratings = ", ".join(f"{k} {v}" for k, v in sorted(feedback.ratings.items()))
    builder = MessageBuilder().paragraph(
        f"Mentoring report for {checkins.cohort}: {totals.matches} matches, "
        f"{totals.meeting_monthly} meeting every month, {totals.need_help} asked for help, "
        f"{totals.paused} paused, {totals.left} left. Months met: {totals.months_met} of "
        f"{totals.months_asked} asked{rate}."
    )
    builder.paragraph(
        f"End-of-year feedback: {answered} of {feedback.asked} answered"
        + (f" ({ratings})." if ratings else ".")
    )
    attention = checkins.attention()
    if attention:
        builder.paragraph("Needing attention:")
        builder.bullets([_attention_line(pair)] for pair in attention[:ATTENTION_SHOWN])
        if len(attention) > ATTENTION_SHOWN:
            builder.paragraph(f"and {len(attention) - ATTENTION_SHOWN} more.")
    builder.paragraph(
        f"Every pair and every feedback answer: memberbot mentoring report --cohort "
        f"'{checkins.cohort}' --checkins (or --feedback), with --csv for a spreadsheet."
    )
    return builder.build()


def _attention_line(pair: PairYear) -> str:
    why = []
    if pair.counts[NEED_HELP]:
        why.append(f"asked for help in {pair.counts[NEED_HELP]} month(s)")
    if pair.taking_part != "yes":
        why.append(pair.taking_part)
    if pair.recent_silence:
        why.append("no answer the last two months")
    return (
        f"{pair.mentor_name} mentors {pair.mentee_name}: {', '.join(why)}; "
        f"met {pair.counts['met']} of {pair.months_asked} months"
    )
