"""Read YAML while remembering where every value came from.

The knowledge file is validated by pydantic, which reports problems by
*location* (``("entries", 3, "answer")``). Staff need a *line number*, so we
keep PyYAML's composed node tree and walk it along the location.

Scalars are kept as strings (only ``null``/``~``/empty become None): YAML 1.1
would otherwise turn ``17:00`` into the number 1020, ``no`` into False, and an
impossible date like ``2021-13-40`` into a crash inside PyYAML. Pydantic does
the typed parsing, with a proper error message.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

# libyaml's parser when PyYAML was built with it: several times faster at start-up.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StringsLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    """A SafeLoader whose only implicit type is null."""


_StringsLoader.yaml_implicit_resolvers = {}
_StringsLoader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)


class DuplicateKeyError(ValueError):
    """A mapping repeats a key (YAML would silently keep the last one)."""

    def __init__(self, key: str, line: int) -> None:
        super().__init__(f"key {key!r} appears twice in the same block")
        self.key = key
        self.line = line


class AliasError(ValueError):
    """The file reuses a value with a YAML anchor and alias (``&name`` / ``*name``)."""

    def __init__(self, line: int) -> None:
        super().__init__(
            "this value is reused with a YAML alias (*name); anchors (&name) and aliases are "
            "not allowed in the knowledge file: write each value out in full"
        )
        self.line = line


def compose(text: str) -> Node | None:
    """Parse YAML text into a node tree (None for an empty document).

    Raises:
        yaml.YAMLError: on a syntax error (it carries a ``problem_mark``).
    """
    return yaml.compose(text, Loader=_StringsLoader)


def reject_aliases(root: Node) -> None:
    """Refuse a tree in which any node is reached twice: that is what an alias is.

    The composer makes an alias point at the anchored node itself, so checking
    costs one visit per distinct node. Expanding aliases instead (as turning the
    tree into Python does) can take exponential time and memory: a few hundred
    bytes of nested aliases ("billion laughs") would expand into billions of values.

    Raises:
        AliasError: at the line of the first value used twice.
    """
    seen: set[int] = set()
    pending = [root]
    while pending:
        node = pending.pop()
        if id(node) in seen:
            raise AliasError(line_of(node))
        seen.add(id(node))
        if isinstance(node, MappingNode):
            for key_node, value_node in reversed(node.value):
                pending += (value_node, key_node)
        elif isinstance(node, SequenceNode):
            pending += reversed(node.value)


def line_of(node: Node) -> int:
    """The 1-based line a node starts on."""
    return node.start_mark.line + 1


def to_python(node: Node) -> Any:
    """Turn a node tree into dicts, lists, strings and None.

    Raises:
        DuplicateKeyError: when a mapping repeats a key.
    """
    if isinstance(node, MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = to_python(key_node)
            key = "" if key is None else str(key)
            if key in result:
                raise DuplicateKeyError(key, line_of(key_node))
            result[key] = to_python(value_node)
        return result
    if isinstance(node, SequenceNode):
        return [to_python(item) for item in node.value]
    if isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:null":
        return None
    return node.value


def find_line(root: Node, location: Sequence[str | int], *, at_key: bool = False) -> int:
    """The line of the deepest node reachable along ``location``.

    A missing field therefore points at the block that lacks it, and an
    invalid value at the value itself; ``at_key`` points at the last key
    instead of its value (for unknown keys).
    """
    node = root
    line = line_of(root)
    for number, step in enumerate(location):
        last = number == len(location) - 1
        child = _key(node, step) if at_key and last else _child(node, step)
        if child is None:
            break
        node = child
        line = line_of(child)
    return line


def node_at(root: Node, location: Sequence[str | int]) -> Node | None:
    """The node at ``location`` exactly (``("entries", 3, "answer")``), or None."""
    node: Node | None = root
    for step in location:
        if isinstance(node, MappingNode):
            node = next(
                (
                    value
                    for key, value in node.value
                    if isinstance(key, ScalarNode) and key.value == str(step)
                ),
                None,
            )
        elif isinstance(node, SequenceNode) and isinstance(step, int):
            node = node.value[step] if 0 <= step < len(node.value) else None
        else:
            return None
    return node


def _key(node: Node, step: str | int) -> Node | None:
    if isinstance(node, MappingNode):
        for key_node, _ in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value == str(step):
                return key_node
    return None


def _child(node: Node, step: str | int) -> Node | None:
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value == str(step):
                # an empty value starts where the key does, which reads better
                return value_node if value_node.value not in ("", None) else key_node
        return None
    if isinstance(node, SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
        return node.value[step]
    return None
