"""Load and validate the knowledge file, reporting problems by line.

Every failure becomes a :class:`~bot.errors.KnowledgeFileError` whose text
reads ``knowledge.yaml:42: entry 'mentoring-length': field 'answer' is
required``: never a raw YAML or pydantic traceback. :func:`check_knowledge_text`
collects every problem (``memberbot check --all``), including formatting that
members would see verbatim (warnings: the file still loads).

Limits: files past ``KNOWLEDGE_MAX_BYTES`` (2 MB by default) and YAML aliases
are refused before anything expensive happens, so a huge file or an alias bomb
cannot take the bot's memory or time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails
from yaml.nodes import Node

from bot.errors import KnowledgeFileError
from bot.knowledge.checks import find_problems
from bot.knowledge.markup_checks import find_cut_values, find_markup_problems
from bot.knowledge.partial import reference_problems
from bot.knowledge.schema import Knowledge
from bot.knowledge.wording import describe
from bot.knowledge.yaml_nodes import (
    AliasError,
    DuplicateKeyError,
    compose,
    find_line,
    reject_aliases,
    to_python,
)

logger = logging.getLogger(__name__)

#: Largest file loaded unless ``KNOWLEDGE_MAX_BYTES`` says otherwise (the sample is 50 kB).
DEFAULT_MAX_BYTES = 2_000_000
_ALL_HINT = "memberbot check --all lists them"


@dataclass(frozen=True)
class CheckReport:
    """Everything found in one knowledge file.

    Attributes:
        knowledge: The validated knowledge, or None when there are errors.
        errors: Problems that stop the file from loading, in file order.
        warnings: Formatting members would see verbatim (the file still loads).
    """

    knowledge: Knowledge | None
    errors: list[KnowledgeFileError] = field(default_factory=list)
    warnings: list[KnowledgeFileError] = field(default_factory=list)


def load_knowledge(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Knowledge:
    """Read, parse and validate a knowledge file.

    Args:
        path: Where the YAML file is.
        max_bytes: Files larger than this are refused unread.

    Returns:
        The validated knowledge.

    Raises:
        KnowledgeFileError: when the file is missing, unreadable, too large, not
            valid YAML, or does not follow the schema; the message names the line.
    """
    shown = str(path)
    knowledge = parse_knowledge(read_knowledge_text(path, max_bytes=max_bytes), path=shown)
    logger.info(
        "loaded %s: %d entries, %d deadlines",
        shown,
        len(knowledge.entries),
        len(knowledge.deadlines),
    )
    return knowledge


def read_knowledge_text(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The file's text, refusing files over ``max_bytes`` before reading them.

    Raises:
        KnowledgeFileError: missing, unreadable, not UTF-8, or too large.
    """
    path = Path(path)
    shown = str(path)
    try:
        with path.open("rb") as file:
            data = file.read(max_bytes + 1)
    except FileNotFoundError:
        raise KnowledgeFileError(path=shown, line=None, problem="file not found") from None
    except OSError as error:
        raise KnowledgeFileError(path=shown, line=None, problem=f"cannot read: {error}") from None
    if len(data) > max_bytes:
        raise KnowledgeFileError(
            path=shown,
            line=None,
            problem=(
                f"the file is larger than {max_bytes:,} bytes (KNOWLEDGE_MAX_BYTES); "
                "split long answers into links, or raise the limit"
            ),
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise KnowledgeFileError(
            path=shown,
            line=data[: error.start].count(b"\n") + 1,
            problem="not UTF-8 text (save the file as UTF-8)",
        ) from None


def parse_knowledge(text: str, *, path: str = "knowledge.yaml") -> Knowledge:
    """Validate knowledge file text (``path`` is only used in error messages).

    Raises:
        KnowledgeFileError: the first problem, saying how many more there are.
    """
    report = check_knowledge_text(text, path=path, formatting=False)
    if report.errors:
        first = report.errors[0]
        raise KnowledgeFileError(
            path=path, line=first.line, problem=first.problem + _more(len(report.errors) - 1)
        )
    assert report.knowledge is not None
    return report.knowledge


def check_knowledge_text(
    text: str, *, path: str = "knowledge.yaml", formatting: bool = True
) -> CheckReport:
    """Every problem in knowledge file text, each with its line.

    Args:
        text: The file's content.
        path: Shown in messages.
        formatting: Also look for markup members would see verbatim (warnings).
    """
    try:
        root = _compose(text, path)
        data = _to_data(root, path)
    except KnowledgeFileError as error:
        return CheckReport(None, [error])  # YAML itself is broken: nothing more to see
    try:
        knowledge = Knowledge.model_validate(data)
    except ValidationError as error:
        # References are checked too (among the valid items), so --all lists everything.
        references = [
            KnowledgeFileError(
                path=path, line=find_line(root, problem.location), problem=problem.message
            )
            for problem in reference_problems(data)
        ]
        return CheckReport(None, _schema_errors(error, root, data, path) + references)
    errors = [
        KnowledgeFileError(
            path=path, line=find_line(root, problem.location), problem=problem.message
        )
        for problem in find_problems(knowledge)
    ]
    if errors:
        return CheckReport(None, errors)
    warnings = []
    if formatting:
        found = find_cut_values(root, text) + find_markup_problems(knowledge, root)
        warnings = [
            KnowledgeFileError(path=path, line=problem.line, problem=problem.message)
            for problem in sorted(found, key=lambda problem: problem.line)
        ]
    return CheckReport(knowledge, [], warnings)


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
    try:
        reject_aliases(root)
    except AliasError as error:
        raise KnowledgeFileError(path=path, line=error.line, problem=str(error)) from None
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


def _schema_errors(
    error: ValidationError, root: Node, data: dict[str, Any], path: str
) -> list[KnowledgeFileError]:
    details = error.errors(include_url=False)
    # a misspelt key also makes the real one "missing": report the typo first
    ordered = sorted(
        details,
        key=lambda detail: (detail["type"] != "extra_forbidden", _line(root, detail)),
    )
    return [
        KnowledgeFileError(path=path, line=_line(root, detail), problem=describe(detail, data))
        for detail in ordered
    ]


def _line(root: Node, detail: ErrorDetails) -> int:
    return find_line(root, detail["loc"], at_key=detail["type"] == "extra_forbidden")


def _more(count: int) -> str:
    if count <= 0:
        return ""
    return f" (and {count} more problem{'s' if count > 1 else ''}; {_ALL_HINT})"
