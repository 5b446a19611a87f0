"""Fixtures shared by every test: databases, a fixed clock, the core."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.answers import AnswerEngine
from bot.clock import FixedClock
from bot.config import Settings
from bot.core import BotCore
from bot.knowledge import load_knowledge
from bot.knowledge_store import KnowledgeStore
from bot.storage import Database
from tests.support.cores import start_core
from tests.support.databases import TEMPLATES, open_database
from tests.support.knowledge import FROZEN_KNOWLEDGE_FILE, SHIPPED_KNOWLEDGE_FILE
from tests.support.recording import RecordingSender
from tests.support.retries import remove_retry_waits

SHARED_DIR = Path(__file__).resolve().parent.parent.parent / "shared"


@pytest.fixture(autouse=True)
def restore_root_logging() -> Iterator[None]:
    """CLI commands run in-process set up logging to the stderr of their test; later
    tests must not log into that (by then closed) stream."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture(autouse=True)
def no_retry_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Client retries happen at once (tests count tries, not seconds)."""
    remove_retry_waits(monkeypatch)


@pytest.fixture(scope="session", autouse=True)
def migrated_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Each kind of database is migrated once per session (on first use); every test
    gets a clean copy. The templates are removed when the session ends."""
    TEMPLATES.folder = tmp_path_factory.getbasetemp()
    yield
    asyncio.run(TEMPLATES.close())


@pytest.fixture(params=["sqlite", "postgresql"])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated, empty database: each test using this runs on SQLite and, when
    configured, PostgreSQL."""
    async with open_database(request.param, tmp_path) as db:
        yield db


@pytest.fixture
async def sqlite_database(tmp_path: Path) -> AsyncIterator[Database]:
    async with open_database("sqlite", tmp_path) as db:
        yield db


@pytest.fixture
def clock() -> FixedClock:
    # A Monday morning in Chicago, mid-season.
    return FixedClock(datetime(2026, 11, 23, 15, 0, tzinfo=UTC))


@pytest.fixture(scope="session")
def frozen_knowledge() -> KnowledgeStore:
    """The knowledge unit tests read: a frozen copy of the sample (staff edits to
    data/knowledge.yaml do not change it)."""
    return KnowledgeStore(path=FROZEN_KNOWLEDGE_FILE)


@pytest.fixture(scope="session")
def shipped_knowledge() -> KnowledgeStore:
    """The sample data/knowledge.yaml as shipped (accuracy on the question sets)."""
    return KnowledgeStore(path=SHIPPED_KNOWLEDGE_FILE)


@pytest.fixture
def core_knowledge(request: pytest.FixtureRequest) -> KnowledgeStore:
    """What the ``core`` fixture serves: the frozen copy, or the shipped file for tests
    marked ``shipped_knowledge``."""
    if request.node.get_closest_marker("shipped_knowledge"):
        return request.getfixturevalue("shipped_knowledge")
    return request.getfixturevalue("frozen_knowledge")


@pytest.fixture(scope="session")
def engine() -> AnswerEngine:
    """The answer engine on the shipped sample, built once: answering changes nothing in it."""
    return AnswerEngine(knowledge=load_knowledge(SHIPPED_KNOWLEDGE_FILE))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
def outbound() -> RecordingSender:
    return RecordingSender()


@pytest.fixture
async def core(
    settings: Settings,
    sqlite_database: Database,
    clock: FixedClock,
    outbound: RecordingSender,
    core_knowledge: KnowledgeStore,
) -> BotCore:
    return await start_core(
        settings=settings,
        database=sqlite_database,
        knowledge=core_knowledge,
        clock=clock,
        outbound=outbound,
    )
