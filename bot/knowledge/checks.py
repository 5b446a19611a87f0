"""Cross-reference checks pydantic cannot do field by field.

Each problem is reported with the location of the offending value so the
loader can turn it into a line number.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.knowledge.schema import Knowledge

Location = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a structurally valid knowledge file."""

    location: Location
    message: str


def find_problems(knowledge: Knowledge) -> list[Problem]:
    """Duplicate ids and references to ids that do not exist, in file order."""
    problems: list[Problem] = []
    problems += _duplicates("contacts", "contact", (item.id for item in knowledge.contacts))
    problems += _duplicates("entries", "entry", (item.id for item in knowledge.entries))
    problems += _duplicates("deadlines", "deadline", (item.id for item in knowledge.deadlines))

    contact_ids = {item.id for item in knowledge.contacts}
    entry_ids = {item.id for item in knowledge.entries}
    if knowledge.organisation.default_contact not in contact_ids:
        problems.append(
            Problem(
                ("organisation", "default_contact"),
                f"default_contact {knowledge.organisation.default_contact!r} is not a contact id"
                f"{_hint(knowledge.organisation.default_contact, contact_ids)}",
            )
        )
    for index, entry in enumerate(knowledge.entries):
        if entry.contact is not None and entry.contact not in contact_ids:
            problems.append(
                Problem(
                    ("entries", index, "contact"),
                    f"entry {entry.id!r}: contact {entry.contact!r} is not a contact id"
                    f"{_hint(entry.contact, contact_ids)}",
                )
            )
    for index, deadline in enumerate(knowledge.deadlines):
        if deadline.entry is not None and deadline.entry not in entry_ids:
            problems.append(
                Problem(
                    ("deadlines", index, "entry"),
                    f"deadline {deadline.id!r}: entry {deadline.entry!r} is not an entry id"
                    f"{_hint(deadline.entry, entry_ids)}",
                )
            )
    problems += _deadline_references(knowledge)
    return problems


_DEADLINE_REFERENCE = re.compile(r"\{deadline:([^}]*)\}")


def _deadline_references(knowledge: Knowledge) -> list[Problem]:
    """Every ``{deadline:ID}`` in an answer names a deadline of the file."""
    deadline_ids = {item.id for item in knowledge.deadlines}
    problems = []
    for index, entry in enumerate(knowledge.entries):
        for wanted in _DEADLINE_REFERENCE.findall(entry.answer):
            if wanted not in deadline_ids:
                close = difflib.get_close_matches(wanted, sorted(deadline_ids), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                problems.append(
                    Problem(
                        ("entries", index, "answer"),
                        f"entry {entry.id!r}: {{deadline:{wanted}}} is not a deadline id{hint}",
                    )
                )
    return problems


def _duplicates(section: str, noun: str, ids: Iterable[str]) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for index, item_id in enumerate(ids):
        if item_id in seen:
            problems.append(Problem((section, index, "id"), f"{noun} id {item_id!r} is used twice"))
        seen.add(item_id)
    return problems


def _hint(wrong: str, ids: set[str]) -> str:
    """``(did you mean 'x'?)`` for a near miss, else the known ids when there are few."""
    close = difflib.get_close_matches(wrong, sorted(ids), n=1, cutoff=0.6)
    if close:
        return f" (did you mean {close[0]!r}?)"
    if not ids or len(ids) > 8:
        return ""
    return " (known: " + ", ".join(sorted(ids)) + ")"
