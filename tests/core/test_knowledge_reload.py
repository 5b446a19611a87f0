"""A running bot picks up a new knowledge file and survives a broken one."""

from __future__ import annotations

import asyncio
import contextlib
import os
from pathlib import Path

import pytest

from bot import knowledge_watch
from bot.clock import FixedClock
from bot.config import DEFAULT_KNOWLEDGE_FILE, Settings
from bot.core import BotCore
from bot.knowledge_store import KnowledgeStore
from bot.storage import Database

MENTORING_QUESTION = "What is the mentoring program?"


@pytest.fixture
def knowledge_file(tmp_path: Path) -> Path:
    path = tmp_path / "knowledge.yaml"
    path.write_text(DEFAULT_KNOWLEDGE_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def save(path: Path, text: str) -> None:
    """Write a new version whose modification time surely differs from the last one."""
    previous = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(previous + 1_000_000_000, previous + 1_000_000_000))


async def test_unchanged_file_is_not_reloaded(knowledge_file: Path) -> None:
    store = KnowledgeStore(path=knowledge_file)
    engine = store.engine
    assert await store.reload_if_changed() is None
    assert store.engine is engine


async def test_a_new_version_is_loaded(knowledge_file: Path) -> None:
    store = KnowledgeStore(path=knowledge_file)
    text = knowledge_file.read_text(encoding="utf-8")
    save(knowledge_file, text.replace("name: ALSC\n", "name: ALSC Test\n", 1))
    assert await store.reload_if_changed() is None
    assert store.knowledge.organisation.name == "ALSC Test"


async def test_a_broken_version_keeps_the_last_good_one_and_is_reported_once(
    knowledge_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = KnowledgeStore(path=knowledge_file)
    entries = len(store.knowledge.entries)
    save(knowledge_file, knowledge_file.read_text(encoding="utf-8") + "\n  - : [\n")

    error = await store.reload_if_changed()

    assert error is not None and "knowledge.yaml:" in str(error)
    assert store.last_error is error
    assert len(store.knowledge.entries) == entries
    assert store.engine.answer(MENTORING_QUESTION, today=store.knowledge.deadlines[0].date).answered
    assert "still serving the last good file" in caplog.text
    # The same broken version is not parsed and reported again on every poll.
    assert await store.reload_if_changed() is None


async def test_the_background_watcher_reloads_a_saved_file(
    tmp_path: Path, knowledge_file: Path, sqlite_database: Database, clock: FixedClock
) -> None:
    settings = Settings(
        data_dir=tmp_path,
        knowledge_file=knowledge_file,
        knowledge_reload_seconds=0.01,
        _env_file=None,  # type: ignore[call-arg]
    )
    core = BotCore(
        settings=settings,
        database=sqlite_database,
        knowledge=KnowledgeStore(path=knowledge_file),
        clock=clock,
    )
    task = asyncio.create_task(knowledge_watch.run(core))
    try:
        text = knowledge_file.read_text(encoding="utf-8")
        save(knowledge_file, text.replace("name: ALSC\n", "name: ALSC Watched\n", 1))
        for _ in range(300):
            if core.knowledge.knowledge.organisation.name == "ALSC Watched":
                break
            await asyncio.sleep(0.01)
        assert core.knowledge.knowledge.organisation.name == "ALSC Watched"
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
