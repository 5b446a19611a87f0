"""Load and validate the knowledge file, reporting problems by line.

Every failure becomes a :class:`~bot.errors.KnowledgeFileError` whose text
reads ``knowledge.yaml:42: entry 'mentoring-length': field 'answer' is
required``: never a raw YAML or pydantic traceback.
"""

from __future__ import annotations

import difflib
import logging
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails
from yaml.nodes import Node

from bot.errors import KnowledgeFileError
from bot.knowledge.checks import find_problems
from bot.knowledge.schema import Contact, Deadline, Entry, Knowledge, Link, Organisation
from bot.knowledge.yaml_nodes import DuplicateKeyError, compose, find_line, to_python

logger = logging.getLogger(__name__)

#: The model behind each list section, used to name items and suggest field names.
_SECTIONS: dict[str, tuple[str, type]] = {
    "entries": ("entry", Entry),
    "deadlines": ("deadline", Deadline),
    "contacts": ("contact", Contact),
}
_NESTED_MODELS: dict[str, type] = {"organisation": Organisation, "links": Link}


def load_knowledge(path: str | Path) -> Knowledge:
    """Read, parse and validate a knowledge file.

    Args:
        path: Where the YAML file is.

    Returns:
        The validated knowledge.

    Raises:
        KnowledgeFileError: when the file is missing, unreadable, not valid
            YAML, or does not follow the schema; the message names the line.
    """
    path = Path(path)
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KnowledgeFileError(path=shown, line=None, problem="file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise KnowledgeFileError(path=shown, line=None, problem=f"cannot read: {error}") from None
    knowledge = parse_knowledge(text, path=shown)
    logger.info(
        "loaded %s: %d entries, %d deadlines",
        shown,
        len(knowledge.entries),
        len(knowledge.deadlines),
    )
    return knowledge


def parse_knowledge(text: str, *, path: str = "knowledge.yaml") -> Knowledge:
    """Validate knowledge file text (``path`` is only used in error messages).

    Raises:
        KnowledgeFileError: as :func:`load_knowledge`.
    """
    root = _compose(text, path)
    data = _to_data(root, path)
    try:
        knowledge = Knowledge.model_validate(data)
    except ValidationError as error:
        raise _translate(error, root, data, path) from None
    problems = find_problems(knowledge)
    if problems:
        first = problems[0]
        raise KnowledgeFileError(
            path=path,
            line=find_line(root, first.location),
            problem=first.message + _more(len(problems) - 1),
        )
    return knowledge


def _compose(text: str, path: str) -> Node:
    try:
        root = compose(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(error, "problem", None) or str(error)
        context = getattr(error, "context_mark", None)
        if context is not None and line is not None and context.line + 1 != line:
            reason += f" (in the block that starts on line {context.line + 1})"
        raise KnowledgeFileError(
            path=path, line=line, problem=f"not valid YAML: {reason}"
        ) from None
    if root is None:
        raise KnowledgeFileError(
            path=path, line=1, problem="the file is empty (expected organisation, contacts, ...)"
        )
    return root


def _to_data(root: Node, path: str) -> dict[str, Any]:
    try:
        data = to_python(root)
    except DuplicateKeyError as error:
        raise KnowledgeFileError(path=path, line=error.line, problem=str(error)) from None
    if not isinstance(data, dict):
        raise KnowledgeFileError(
            path=path,
            line=1,
            problem="the top level must be keys like 'organisation:', 'contacts:', 'entries:'",
        )
    return data


def _translate(error: ValidationError, root: Node, data: dict[str, Any], path: str) -> Exception:
    details = error.errors(include_url=False)
    # a misspelt key also makes the real one "missing": report the typo first
    ordered = sorted(
        details,
        key=lambda detail: (detail["type"] != "extra_forbidden", _line(root, detail)),
    )
    first = ordered[0]
    return KnowledgeFileError(
        path=path,
        line=_line(root, first),
        problem=describe(first, data) + _more(len(details) - 1),
    )


def _line(root: Node, detail: ErrorDetails) -> int:
    return find_line(root, detail["loc"], at_key=detail["type"] == "extra_forbidden")


def describe(detail: ErrorDetails, data: dict[str, Any]) -> str:
    """One readable sentence for a pydantic error, naming the item it is in."""
    location = tuple(detail["loc"])
    prefix = _item_label(location, data)
    field = _field_name(location)
    kind = detail["type"]
    if kind == "missing":
        problem = f"field '{field}' is required" if field else "a required field is missing"
    elif kind == "extra_forbidden":
        noun = "key" if len(location) == 1 else "field"
        problem = f"unknown {noun} '{field}'{_suggestion(location)}"
    elif kind.startswith(("date_", "time_")):
        noun = "date (use YYYY-MM-DD)" if kind.startswith("date_") else "time (use HH:MM)"
        problem = f"field '{field}': {detail.get('input')!r} is not a valid {noun}"
    elif kind == "string_pattern_mismatch" and field in ("id", "contact", "entry"):
        problem = f"field '{field}': use lower-case letters, digits and dashes only"
    else:
        message = detail["msg"].removeprefix("Value error, ")
        problem = f"field '{field}': {message}" if field else message
    return f"{prefix}{problem}"


def _item_label(location: tuple[Any, ...], data: dict[str, Any]) -> str:
    if len(location) >= 2 and location[0] in _SECTIONS and isinstance(location[1], int):
        noun = _SECTIONS[location[0]][0]
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


def _model_at(location: tuple[Any, ...]) -> type | None:
    model: type | None = Knowledge
    for step in location:
        if isinstance(step, int):
            continue
        if step in _SECTIONS:
            model = _SECTIONS[step][1]
        elif step in _NESTED_MODELS:
            model = _NESTED_MODELS[step]
        else:
            return None
    return model


def _more(count: int) -> str:
    if count <= 0:
        return ""
    return f" (and {count} more problem{'s' if count > 1 else ''})"
