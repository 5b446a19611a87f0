"""Pydantic's validation errors in words staff understand.

Pydantic says "Input should be 'deadline' or 'event'"; staff should read
"field 'kind': 'dedline' is not allowed; use deadline or event (did you mean
'deadline'?)", with the entry it is in.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from bot.knowledge.schema import Contact, Deadline, Entry, Knowledge, Link, Organisation

#: The model behind each list section, used to name items and suggest field names.
SECTIONS: dict[str, tuple[str, type[BaseModel]]] = {
    "entries": ("entry", Entry),
    "deadlines": ("deadline", Deadline),
    "contacts": ("contact", Contact),
}
_NESTED_MODELS: dict[str, type[BaseModel]] = {"organisation": Organisation, "links": Link}


def describe(detail: ErrorDetails, data: dict[str, Any]) -> str:
    """One readable sentence for a pydantic error, naming the item it is in."""
    location = tuple(detail["loc"])
    field = _field_name(location)
    named = f"field '{field}'" if field else "this value"
    return f"{_item_label(location, data)}{_problem(detail, location, field, named)}"


def _problem(detail: ErrorDetails, location: tuple[Any, ...], field: str, named: str) -> str:
    kind = detail["type"]
    given = detail.get("input")
    context = detail.get("ctx") or {}
    if kind == "missing":
        return f"{named} is required" if field else "a required field is missing"
    if kind == "extra_forbidden":
        noun = "key" if len(location) == 1 else "field"
        return f"unknown {noun} '{field}'{_suggestion(location)}"
    if kind.startswith(("date_", "time_")):
        noun = "date (use YYYY-MM-DD)" if kind.startswith("date_") else "time (use HH:MM)"
        return f"{named}: {given!r} is not a valid {noun}"
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", str(context.get("expected", "")))
        close = difflib.get_close_matches(str(given), choices, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        return f"{named}: {given!r} is not allowed; use {' or '.join(choices)}{hint}"
    if kind == "string_pattern_mismatch":
        return f"{named}: {_pattern_advice(field, given)}"
    if kind == "string_too_short":
        return f"{named} is empty; write something or leave the field out"
    if kind == "too_short":
        least = context.get("min_length", 1)
        return f"{named} needs at least {least} item{'s' if least != 1 else ''}"
    if kind == "string_too_long":
        return f"{named} is too long (at most {context.get('max_length')} characters)"
    if kind == "string_type":
        return f"{named} should be text, not {_shape(given)}"
    if kind == "list_type":
        shape = _shape(given)
        return f"{named} should be a list (lines starting with '- ', or [a, b]), not {shape}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"{named} should be a block of 'name: value' lines, not {_shape(given)}"
    message = detail["msg"].removeprefix("Value error, ")
    return f"{named}: {message}" if field else message


def _pattern_advice(field: str, given: object) -> str:
    last = field.rsplit(".", 1)[-1]
    if last in ("id", "contact", "entry", "default_contact"):
        return "use lower-case letters, digits and dashes only"
    if last == "url":
        return f"{given!r} is not a web address (start it with https://)"
    if last == "email":
        return f"{given!r} is not an email address"
    return f"{given!r} is not in the expected form"


def _shape(value: object) -> str:
    """What staff wrote, in YAML words."""
    if isinstance(value, dict):
        return "a block of 'name: value' lines"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"{value!r}"


def _item_label(location: tuple[Any, ...], data: dict[str, Any]) -> str:
    if len(location) >= 2 and location[0] in SECTIONS and isinstance(location[1], int):
        noun = SECTIONS[location[0]][0]
        items = data.get(location[0])
        item = items[location[1]] if isinstance(items, list) and location[1] < len(items) else None
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            return f"{noun} {item['id']!r}: "
        return f"{noun} #{location[1] + 1}: "
    if location and location[0] == "organisation":
        return "organisation: "
    return ""


def _field_name(location: tuple[Any, ...]) -> str:
    names = [step for step in location if isinstance(step, str)]
    if len(location) == 1:
        return str(location[0])
    return ".".join(names[1:]) if len(names) > 1 else (names[0] if names else "")


def _suggestion(location: tuple[Any, ...]) -> str:
    """Suggest the closest valid field name for a typo."""
    wrong = str(location[-1])
    model = _model_at(location[:-1])
    candidates = list(model.model_fields) if model is not None else []
    close = difflib.get_close_matches(wrong, candidates, n=1, cutoff=0.6)
    where = " at the top level" if len(location) == 1 else ""
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"{where}{hint}"


def _model_at(location: tuple[Any, ...]) -> type[BaseModel] | None:
    model: type[BaseModel] | None = Knowledge
    for step in location:
        if isinstance(step, int):
            continue
        if step in SECTIONS:
            model = SECTIONS[step][1]
        elif step in _NESTED_MODELS:
            model = _NESTED_MODELS[step]
        else:
            return None
    return model
