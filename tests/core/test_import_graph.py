"""The layers import downwards only: no import cycle at run time, the core imports no
platform library and no adapter, and ``bot/cli`` (above both) is imported by neither.

The graph is read from the source (every ``import``, including those inside functions,
which run too; only ``if TYPE_CHECKING:`` blocks are left out), so a cycle hidden behind
a function-level import is found as well.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "adapters")
PLATFORM_LIBRARIES = ("slack_bolt", "slack_sdk", "discord")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                found[module_name(path)] = path
    return found


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node except what sits under ``if TYPE_CHECKING:``."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from (n for child in node.orelse for n in [child, *_runtime_nodes(child)])
            continue
        yield node
        yield from _runtime_nodes(node)


def imported_names(name: str) -> set[str]:
    """The absolute names ``name`` imports at run time (modules, or names in them)."""
    path = modules()[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    names: set[str] = set()
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                # ``from package import module`` needs the module; the package's
                # __init__ only for the names that are not modules.
                full = f"{base}.{alias.name}"
                names.add(full if full in modules() else base)
    return names


def internal_edges(name: str) -> set[str]:
    """The project modules ``name`` imports (itself left out)."""
    return {target for target in imported_names(name) if target in modules()} - {name}


def cycles() -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(internal_edges(node)):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for name in sorted(modules()):
        if name not in index:
            visit(name)
    return found


def test_no_module_imports_itself_back_at_run_time() -> None:
    # A loop means one module cannot be imported without the other already half-loaded.
    assert cycles() == []


def test_the_cycle_finder_finds_a_cycle_behind_a_function_level_import() -> None:
    # What adapters/slack/app.py and serve.py used to do: serve imported app at the
    # top, app imported serve inside run(). The finder must see that.
    source = "def run():\n    from adapters.slack.serve import serve\n"
    tree = ast.parse(source)
    found = {node.module for node in _runtime_nodes(tree) if isinstance(node, ast.ImportFrom)}
    assert found == {"adapters.slack.serve"}
    typing_only = ast.parse("if TYPE_CHECKING:\n    from bot.core import BotCore\n")
    assert [n for n in _runtime_nodes(typing_only) if isinstance(n, ast.ImportFrom)] == []


def test_the_core_imports_no_platform_library_and_no_adapter() -> None:
    offending = {
        (name, target)
        for name in modules()
        if name.startswith("bot")
        for target in imported_names(name)
        if target.split(".")[0] in (*PLATFORM_LIBRARIES, "adapters")
        and not name.startswith("bot.cli")
    }
    assert offending == set()


def test_the_command_line_sits_above_the_core_and_the_adapters() -> None:
    offending = {
        (name, target)
        for name in modules()
        if not name.startswith(("bot.cli", "bot.__main__"))  # python -m bot is the CLI
        for target in imported_names(name)
        if target == "bot.cli" or target.startswith("bot.cli.")
    }
    assert offending == set()
