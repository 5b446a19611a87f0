"""Cross-reference checks on a file whose fields are not all valid yet.

``memberbot check --all`` should list every problem at once, so the reference
checks (:func:`~bot.knowledge.checks.find_problems`) also run over the items
that are valid on their own, with each problem's location mapped back to the
item's place in the file.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from bot.knowledge.checks import Problem, find_problems
from bot.knowledge.schema import Knowledge, Organisation
from bot.knowledge.wording import SECTIONS

#: Stand-in values for an invalid item kept only for its id: it refers to nothing.
_BLANK: dict[str, Any] = {"answer": "", "name": "", "entry": None, "contact": None}


def reference_problems(data: dict[str, Any]) -> list[Problem]:
    """Duplicate ids and unknown references among the individually valid items."""
    sections: dict[str, list[BaseModel]] = {}
    places: dict[str, list[int]] = {}
    for section, (_, model) in SECTIONS.items():
        raw = data.get(section)
        sections[section], places[section] = [], []
        for index, item in enumerate(raw if isinstance(raw, list) else []):
            try:
                sections[section].append(model.model_validate(item))
            except ValidationError:
                # Reported with the schema errors; its id still exists for references.
                raw_id = item.get("id") if isinstance(item, dict) else None
                if not isinstance(raw_id, str):
                    continue
                sections[section].append(model.model_construct(id=raw_id.strip(), **_BLANK))
            places[section].append(index)
    try:
        organisation = Organisation.model_validate(data.get("organisation"))
    except ValidationError:
        organisation = None
    knowledge = Knowledge.model_construct(
        organisation=organisation
        or Organisation.model_construct(name="", timezone="UTC", default_contact=""),
        contacts=sections["contacts"],
        entries=sections["entries"],
        deadlines=sections["deadlines"],
        synonyms=[],
    )
    problems = []
    for problem in find_problems(knowledge):
        first, *rest = problem.location
        section = str(first)  # a location starts with its section's name
        if section == "organisation" and organisation is None:
            continue  # its own fields are the problem, reported already
        if section in places and rest and isinstance(rest[0], int):
            rest[0] = places[section][rest[0]]
        problems.append(Problem((section, *rest), problem.message))
    return problems
