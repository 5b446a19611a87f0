"""A running bot picks up a new knowledge file and survives a broken one."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gc
import os
import re
import time
import weakref
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.broadcasts.reminders import ReminderScheduler
from bot.cli import main as cli_main
from bot.clock import FixedClock
from bot.config import Settings
from bot.core import BotCore
from bot.knowledge import Knowledge, parse_knowledge
from bot.knowledge_hold import HoldRecords, digest_of, shrink_reason
from bot.knowledge_store import KnowledgeStore
from bot.knowledge_watch import KnowledgeWatch
from bot.storage import Database
from bot.storage.models import Broadcast, BroadcastDelivery
from tests.support.knowledge import FROZEN_KNOWLEDGE_FILE

FIXTURES = Path(__file__).parent / "fixtures"

MENTORING_QUESTION = "What is the mentoring program?"


@pytest.fixture
def knowledge_file(tmp_path: Path) -> Path:
    path = tmp_path / "knowledge.yaml"
    path.write_text(FROZEN_KNOWLEDGE_FILE.read_text(encoding="utf-8"), encoding="utf-8")
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
    watch = KnowledgeWatch(store=core.knowledge, interval=settings.knowledge_reload_seconds)
    task = asyncio.create_task(watch.run())
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


def bigger_version(text: str, *, target_bytes: int) -> str:
    """The shipped file with its entries copied (new ids) until it is about this big."""
    head, rest = text.split("\nentries:\n", 1)
    entries, deadlines = rest.split("\ndeadlines:\n", 1)
    blocks = [block for block in re.split(r"(?m)^(?=  - id: )", entries) if block.strip()]
    parts, size, copy = [head, "\nentries:\n", entries], len(text), 0
    while size < target_bytes:
        copy += 1
        for block in blocks:
            renamed = re.sub(r"(?m)^  - id: (\S+)", rf"  - id: \1-copy{copy}", block, count=1)
            parts.append(renamed)
            size += len(renamed)
    return "".join(parts) + "\ndeadlines:\n" + deadlines


async def test_a_big_reload_never_stalls_the_event_loop_and_gives_memory_back(
    knowledge_file: Path,
) -> None:
    store = KnowledgeStore(path=knowledge_file, retire_after_seconds=0)
    small = knowledge_file.read_text(encoding="utf-8")
    save(knowledge_file, bigger_version(small, target_bytes=1_800_000))
    gaps: list[float] = []
    stop = asyncio.Event()

    async def tick() -> None:  # what Slack acks need: the loop getting a turn, often
        last = time.perf_counter()
        while not stop.is_set():
            await asyncio.sleep(0.002)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    ticker = asyncio.create_task(tick())
    await asyncio.sleep(0.02)
    started = time.perf_counter()
    assert await store.reload_if_changed() is None
    took = time.perf_counter() - started
    stop.set()
    await ticker
    assert len(store.knowledge.entries) > 1_000
    # The loop kept its turns all along: the longest gap is a small part of the load.
    assert max(gaps) < took / 4, (max(gaps), took)

    big_engine = weakref.ref(store.engine)
    save(knowledge_file, small)
    # Back to the small file: a big cut, so it is confirmed (as staff would).
    assert await store.reload(confirmed_digest=digest_of(small)) is None
    assert len(store.knowledge.entries) < 100
    assert big_engine() is None  # the big index (cycles and all) is freed, not left to chance
    assert gc.isenabled()


async def test_an_alias_bomb_is_refused_at_once_and_the_last_good_file_stays(
    knowledge_file: Path,
) -> None:
    store = KnowledgeStore(path=knowledge_file)
    entries = len(store.knowledge.entries)
    bomb = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
        for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
    )
    save(knowledge_file, bomb)
    started = time.perf_counter()
    error = await store.reload_if_changed()
    assert time.perf_counter() - started < 1.0
    assert error is not None and "YAML alias" in str(error)
    assert len(store.knowledge.entries) == entries


async def test_a_file_past_the_size_limit_is_refused(knowledge_file: Path) -> None:
    text = knowledge_file.read_text(encoding="utf-8")
    store = KnowledgeStore(path=knowledge_file, max_bytes=len(text.encode()) + 100)
    save(knowledge_file, text + "# more\n" * 50)
    error = await store.reload_if_changed()
    assert error is not None and "KNOWLEDGE_MAX_BYTES" in str(error)


async def test_a_file_still_being_written_is_loaded_only_once_it_settles(
    knowledge_file: Path,
) -> None:
    store = KnowledgeStore(path=knowledge_file, settle_seconds=0.3)
    text = knowledge_file.read_text(encoding="utf-8")
    cut = text.index("\n  - id: ", len(text) // 2)
    save(knowledge_file, text[:cut].replace("name: ALSC\n", "name: ALSC Saving\n", 1))
    assert await store.reload_if_changed() is None
    assert store.settling and store.knowledge.organisation.name == "ALSC"
    save(knowledge_file, text.replace("name: ALSC\n", "name: ALSC Saved\n", 1))  # save goes on
    assert await store.reload_if_changed() is None
    assert store.knowledge.organisation.name == "ALSC"
    deadline = time.monotonic() + 5
    while store.knowledge.organisation.name == "ALSC" and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
        await store.reload_if_changed()
    assert store.knowledge.organisation.name == "ALSC Saved"
    assert not store.settling


FUTURE_FILE = (FIXTURES / "good.yaml").read_text(encoding="utf-8").replace("2024-", "2096-")


async def test_a_reload_that_lost_most_of_the_file_keeps_reminders_until_staff_confirm(
    tmp_path: Path,
    sqlite_database: Database,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "knowledge.yaml"
    path.write_text(FUTURE_FILE, encoding="utf-8")
    data_dir = tmp_path / "var"
    store = KnowledgeStore(path=path, state_dir=data_dir)
    scheduler = ReminderScheduler(
        database=sqlite_database,
        platform="console",
        offsets=(7, 1),
        at=dt.time(9, 0),
        grace=dt.timedelta(hours=6),
    )

    async def reschedule(knowledge: Knowledge) -> None:
        await scheduler.reschedule(knowledge, now=clock.now())

    store.on_reload(reschedule)
    await reschedule(store.knowledge)
    assert len(await pending_keys(sqlite_database)) == 4

    # A save cut at an entry boundary: valid YAML, but every deadline is gone.
    save(path, FUTURE_FILE[: FUTURE_FILE.index("\ndeadlines:")] + "\n")
    error = await store.reload_if_changed()

    assert error is not None and "NOT LOADED: the new version drops 2 of 2 upcoming" in str(error)
    assert "memberbot knowledge reload --confirm" in str(error)
    assert len(store.knowledge.deadlines) == 2  # still serving the whole file
    assert len(await pending_keys(sqlite_database)) == 4  # no reminder cancelled
    assert await store.reload_if_changed() is None  # held once, not again on every poll

    monkeypatch.setenv("KNOWLEDGE_FILE", str(path))
    monkeypatch.setenv("DATA_DIR", str(data_dir))
    assert cli_main(["knowledge", "reload"]) == 0
    assert "The bot is holding back" in capsys.readouterr().out
    assert cli_main(["knowledge", "reload", "--confirm"]) == 0
    assert "Confirmed" in capsys.readouterr().out

    assert await store.reload_if_changed() is None
    assert store.knowledge.deadlines == []
    assert await pending_keys(sqlite_database) == set()  # cancelled now, as staff asked
    assert store.held is None and not (data_dir / "knowledge-held.json").exists()


def test_only_big_cuts_are_held() -> None:
    whole = parse_knowledge(FUTURE_FILE)
    today = dt.date(2026, 1, 1)
    one_deadline_less = whole.model_copy(update={"deadlines": whole.deadlines[:1]})
    assert shrink_reason(whole, one_deadline_less, today=today) is None  # an ordinary edit
    assert shrink_reason(whole, whole, today=today) is None
    # past deadlines may go: housekeeping
    assert (
        shrink_reason(whole, whole.model_copy(update={"deadlines": []}), today=dt.date(2097, 1, 1))
        is None
    )
    shipped = parse_knowledge(FROZEN_KNOWLEDGE_FILE.read_text(encoding="utf-8"))
    half = shipped.model_copy(update={"entries": shipped.entries[:21]})
    reason = shrink_reason(shipped, half, today=today)
    assert reason is not None and f"of {len(shipped.entries)} entries" in reason


async def pending_keys(database: Database) -> set[str]:
    async with database.session() as session:
        rows = await session.execute(
            select(Broadcast.reminder_key)
            .join(BroadcastDelivery, BroadcastDelivery.broadcast_id == Broadcast.id)
            .where(BroadcastDelivery.status == "pending")
        )
        return {key for (key,) in rows}


async def test_after_a_restart_a_file_that_lost_most_of_the_served_copy_is_held(
    tmp_path: Path,
) -> None:
    path = tmp_path / "knowledge.yaml"
    path.write_text(FUTURE_FILE, encoding="utf-8")
    data_dir = tmp_path / "var"
    KnowledgeStore(path=path, state_dir=data_dir, keep_served_copy=True)
    assert (data_dir / "knowledge-served.yaml").read_text(encoding="utf-8") == FUTURE_FILE

    # The bot stops; the file is saved cut short; the bot starts again.
    truncated = FUTURE_FILE[: FUTURE_FILE.index("\ndeadlines:")] + "\n"
    save(path, truncated)
    restarted = KnowledgeStore(path=path, state_dir=data_dir, keep_served_copy=True)

    assert len(restarted.knowledge.deadlines) == 2  # serving the copy: reminders stay
    assert restarted.held is not None
    assert "compared with the version served before" in str(restarted.last_error)
    assert (data_dir / "knowledge-held.json").exists()

    HoldRecords(data_dir).confirm(digest_of(truncated))
    assert await restarted.reload_if_changed() is None
    assert restarted.knowledge.deadlines == []
    assert (data_dir / "knowledge-served.yaml").read_text(encoding="utf-8") == truncated


def test_one_off_commands_keep_no_copy(tmp_path: Path) -> None:
    path = tmp_path / "knowledge.yaml"
    path.write_text(FUTURE_FILE, encoding="utf-8")
    KnowledgeStore(path=path, state_dir=tmp_path / "var")
    assert not (tmp_path / "var").exists()
