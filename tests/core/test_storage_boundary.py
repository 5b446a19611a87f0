"""SQL lives in ``bot/storage`` only: one repository per feature, one way in.

Outside ``bot/storage`` nothing imports SQLAlchemy or Alembic (not even for types),
and nothing opens a session, a transaction or a write batcher itself: features go
through ``database.unit_of_work()`` and the repositories on it. Read from the source,
like the import graph (tests/core/test_import_graph.py).
"""

from __future__ import annotations

import ast
import re

from tests.core.test_import_graph import ROOT, modules

STORAGE = "bot.storage"
DATABASE_LIBRARIES = ("sqlalchemy", "alembic", "aiosqlite", "asyncpg")
#: Database entry points reserved for the repositories (tests may use them freely).
PRIVATE_ENTRY_POINTS = re.compile(r"\.(session|transaction|single_statement)\(\)|\.batcher\(")


def _outside_storage() -> dict[str, ast.Module]:
    return {
        name: ast.parse(path.read_text(encoding="utf-8"))
        for name, path in modules().items()
        if name != STORAGE and not name.startswith(f"{STORAGE}.")
    }


def _all_imports(tree: ast.Module) -> set[str]:
    """Every module ``tree`` imports, ``if TYPE_CHECKING:`` blocks included."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


def test_only_the_storage_package_imports_a_database_library() -> None:
    offending = {
        (name, imported)
        for name, tree in _outside_storage().items()
        for imported in _all_imports(tree)
        if imported.split(".")[0] in DATABASE_LIBRARIES
    }
    assert offending == set()


def test_features_reach_the_database_only_through_a_unit_of_work() -> None:
    offending = {
        (name, match.group(0))
        for name, path in modules().items()
        if name != STORAGE and not name.startswith(f"{STORAGE}.")
        for match in PRIVATE_ENTRY_POINTS.finditer(path.read_text(encoding="utf-8"))
    }
    assert offending == set()


def test_the_checks_see_what_they_look_for() -> None:
    # The two rules above pass trivially if the scan finds nothing to scan.
    assert len(_outside_storage()) > 100
    typing_only = ast.parse(
        "if TYPE_CHECKING:\n    from sqlalchemy.ext.asyncio import AsyncSession\n"
    )
    assert _all_imports(typing_only) == {"sqlalchemy.ext.asyncio"}
    assert PRIVATE_ENTRY_POINTS.search("async with self.database.session() as session:")
    assert PRIVATE_ENTRY_POINTS.search("database.batcher('x', write)")
    assert not PRIVATE_ENTRY_POINTS.search("async with self.database.unit_of_work() as work:")
    assert ROOT.joinpath("bot", "storage", "unit_of_work.py").is_file()
