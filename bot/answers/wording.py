"""The sentences the bot answers with, in neutral markup.

Kept apart from the scoring so the tone can be changed without touching the
retrieval logic.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from bot.date_wording import deadline_when, relative_day
from bot.knowledge.schema import Contact, Deadline, Entry, Knowledge


def entry_text(entry: Entry, knowledge: Knowledge) -> str:
    """An entry's answer, its links, and who to contact (when the entry names someone)."""
    parts = [entry.answer.strip()]
    if entry.links:
        parts.append("\n".join(f"- [{link.title}]({link.url})" for link in entry.links))
    contact = knowledge.contact(entry.contact) if entry.contact else None
    if contact is not None and not _already_named(contact, entry.answer):
        parts.append(f"Questions? Contact {contact_phrase(contact)}.")
    return "\n\n".join(parts)


def contact_phrase(contact: Contact) -> str:
    """``**Name**, Role, at email`` (only the parts the file has)."""
    text = f"**{contact.name}**"
    if contact.role:
        text += f", {contact.role}"
    if contact.email:
        text += f", at {contact.email}"
    return text


def abstention(knowledge: Knowledge, *, suggestion: Entry | None = None) -> str:
    """A friendly "I don't know" that names the default contact."""
    contact = knowledge.default_contact()
    text = (
        "I'm sorry, I don't have an answer to that, and I'd rather not guess. "
        f"Please ask {contact_phrase(contact)}: they will be glad to help."
    )
    if suggestion is not None and names_a_topic(suggestion.title):
        topic = suggestion.title.rstrip(".")
        text += f"\n\nIf your question was about **{topic}**, try asking it another way."
    return text


#: Words that name nothing on their own: a title made of them, or ending in one, is a fragment.
_FUNCTION_TEXT = (
    "a an the of for to in on at by with from and or but nor as is are was were be it its "
    "this that these those their our your my his her about into over under what which who "
    "how when where why"
)
_FUNCTION_WORDS = frozenset(_FUNCTION_TEXT.split())


def names_a_topic(title: str) -> bool:
    """True when a title can be shown as a topic: "The", "Contacting the" cannot."""
    words = re.findall(r"[\w'#-]+", title.lower())
    content = [word for word in words if word not in _FUNCTION_WORDS and len(word) > 2]
    return bool(content) and words[-1] not in _FUNCTION_WORDS


def empty_question(knowledge: Knowledge) -> str:
    """Reply when the message has no words to search for."""
    contact = knowledge.default_contact()
    return (
        "Ask me a question about the association, for example "
        '"How do I become a mentor?" or "What deadlines are coming up?". '
        f"For anything else, {contact_phrase(contact)} can help."
    )


DEADLINE_REFERENCE = re.compile(r"\{deadline:([a-z0-9][a-z0-9-]*)\}")


def dated_bullet(item: Deadline, *, today: dt.date, zone: ZoneInfo) -> str:
    """``- **Monday, October 11, 2021** (in 10 days): title`` with passed items marked."""
    when = _when(item, zone)
    title = item.title.rstrip(".")
    if item.has_passed(today):
        return f"- **{when}**: {title} (this date has passed)"
    return f"- **{when}** ({_still_open(item, today)}): {title}"


def deadline_phrase(item: Deadline, *, today: dt.date, zone: ZoneInfo) -> str:
    """A deadline named in the tense today calls for: ``closes on **...** (in 10 days)``."""
    when = _when(item, zone)
    if item.kind == "event":
        if item.has_passed(today):
            return f"took place on **{when}**"
        return f"takes place on **{when}** ({relative_day(item.date, today)})"
    if item.closes == "before":
        if item.has_passed(today):
            return f"had to be done **{when}**"
        return f"must be done **{when}** ({_still_open(item, today)})"
    if item.has_passed(today):
        return f"closed on **{when}**"
    return f"closes on **{when}** ({relative_day(item.date, today)})"


def with_deadlines(text: str, knowledge: Knowledge, *, today: dt.date) -> str:
    """Answer text with each ``{deadline:ID}`` written out for today."""
    zone = knowledge.organisation.zone

    def written(match: re.Match[str]) -> str:
        item = knowledge.deadline(match.group(1))
        return deadline_phrase(item, today=today, zone=zone) if item else match.group(0)

    return DEADLINE_REFERENCE.sub(written, text)


def without_deadlines(text: str, knowledge: Knowledge) -> str:
    """Answer text with each ``{deadline:ID}`` as the deadline's title (for searching)."""

    def titled(match: re.Match[str]) -> str:
        item = knowledge.deadline(match.group(1))
        return item.title if item else ""

    return DEADLINE_REFERENCE.sub(titled, text)


def _when(item: Deadline, zone: ZoneInfo) -> str:
    when = deadline_when(item, zone)
    return f"before {when}" if item.closes == "before" else when


def _still_open(item: Deadline, today: dt.date) -> str:
    if item.closes == "before":
        return f"last day {relative_day(item.last_day, today)}"
    return relative_day(item.date, today)


def key_dates(items: Sequence[Deadline], *, today: dt.date, zone: ZoneInfo) -> str:
    """A "Key dates" block for the end of an entry answer."""
    lines = [dated_bullet(item, today=today, zone=zone) for item in items]
    return "**Key dates**\n" + "\n".join(lines)


def passed_sentence(item: Deadline, *, today: dt.date, zone: ZoneInfo) -> str:
    """``that deadline closed on **Monday, October 11, 2021** (... ago)``."""
    verb = "deadline closed" if item.kind == "deadline" else "event took place"
    when = deadline_when(item, zone)
    if item.closes == "before":
        verb, when = "deadline closed", f"before {when}"
    else:
        verb += " on"
    return f"that {verb} **{when}** ({relative_day(item.date, today)}): {item.title.rstrip('.')}."


def _already_named(contact: Contact, answer: str) -> bool:
    return bool(contact.email and contact.email.lower() in answer.lower())
