"""/deadlines: upcoming deadlines and events; /deadlines ics: all of them as a calendar file."""

from __future__ import annotations

from datetime import date

from bot.answers import format_deadlines, upcoming_deadlines
from bot.answers.dates import sort_key, status_sentence
from bot.broadcasts.ics import CONTENT_TYPE, FILENAME, calendar_bytes
from bot.commands.deadline_actions import remind_me
from bot.commands.registry import CommandContext
from bot.errors import UserError
from bot.knowledge import Knowledge
from bot.markup import parse_markup
from bot.replies import Attachment, Reply, text_message

UPCOMING_LIMIT = 10
ICS_WORDS = ("ics", "ical", "calendar")


def read_calendar_word(text: str) -> bool:
    """``/deadlines ics`` asks for the calendar file; any other word is refused."""
    if text.strip().lower() in ICS_WORDS:
        return True
    raise UserError(
        "Type /deadlines to see what is coming up, or /deadlines ics for a calendar file."
    )


async def handle_deadlines(ctx: CommandContext) -> Reply:
    knowledge = ctx.services.answers.current
    if ctx.args.get("calendar") is True:
        return _calendar_reply(knowledge, ctx)
    items = upcoming_deadlines(knowledge, today=ctx.today, limit=UPCOMING_LIMIT)
    if not items:
        return Reply(parse_markup(_nothing_upcoming(knowledge, today=ctx.today)))
    return Reply(
        parse_markup(format_deadlines(knowledge, today=ctx.today, items=items)),
        actions=remind_me(items, ctx.services.catalogue, today=ctx.today),
    )


def _nothing_upcoming(knowledge: Knowledge, *, today: date) -> str:
    """No date ahead: say so, and name the latest one so the calendar is not a mystery."""
    past = sorted(knowledge.deadlines, key=sort_key)
    text = "There are no upcoming deadlines or events in my calendar."
    if past:
        latest = status_sentence(past[-1], today=today, default_tz=knowledge.organisation.zone)
        text += f" The most recent: {latest}"
    return text


def _calendar_reply(knowledge: Knowledge, ctx: CommandContext) -> Reply:
    count = len(knowledge.deadlines)
    text = (
        f"Here are all {count} deadlines and events as a calendar file ({FILENAME}). "
        "Open it or import it into your calendar app; importing it again updates the "
        "same events instead of duplicating them."
    )
    data = calendar_bytes(knowledge, now=ctx.now)
    return Reply(text_message(text), attachments=(Attachment(FILENAME, CONTENT_TYPE, data),))
