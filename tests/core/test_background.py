"""Background services run side by side, survive each other's crashes, stop together;
``every`` repeats work through failures; closing the database waits for the writes
still in flight."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.background import every, run_services
from bot.errors import StorageUnavailable
from tests.support.databases import open_database


class ServiceLog:
    """What the test services did, in order."""

    def __init__(self) -> None:
        self.events: list[str] = []
        self.ticked = asyncio.Event()

    def add(self, event: str) -> None:
        self.events.append(event)
        if event == "tick":
            self.ticked.set()


class Crashes:
    name = "crashes"

    async def run(self) -> None:
        raise RuntimeError("the dispatcher broke")


class Ticks:
    name = "ticks"

    def __init__(self, seen: ServiceLog) -> None:
        self.seen = seen

    async def run(self) -> None:
        while True:
            await asyncio.sleep(0.01)
            self.seen.add("tick")


class StopsSlowly:
    name = "stops slowly"

    def __init__(self, seen: ServiceLog) -> None:
        self.seen = seen

    async def run(self) -> None:
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            await asyncio.sleep(0.2)  # records the sends it has in flight
            self.seen.add("slow service stopped")
            raise


async def test_a_crashed_service_is_logged_and_the_others_go_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    seen = ServiceLog()
    caplog.set_level(logging.ERROR, logger="bot.background")
    running = asyncio.create_task(run_services([Crashes(), Ticks(seen)]))
    await asyncio.wait_for(seen.ticked.wait(), timeout=5)
    seen.ticked.clear()
    await asyncio.wait_for(seen.ticked.wait(), timeout=5)  # still ticking after the crash
    [report] = [r for r in caplog.records if r.name == "bot.background"]
    assert report.service == "crashes"  # type: ignore[attr-defined]
    assert report.exc_info is not None and "dispatcher broke" in str(report.exc_info[1])
    assert not running.done()
    running.cancel()
    with pytest.raises(asyncio.CancelledError):
        await running


async def test_stopping_waits_for_every_service_to_finish() -> None:
    seen = ServiceLog()
    running = asyncio.create_task(run_services([Ticks(seen), StopsSlowly(seen)]))
    await asyncio.wait_for(seen.ticked.wait(), timeout=5)
    running.cancel()
    with pytest.raises(asyncio.CancelledError):
        await running
    # The ticking service stops at once; the slow one is still waited for.
    assert seen.events[-1] == "slow service stopped"


class Passes:
    """Work for ``every``: fails on the passes listed, and records the waits asked for."""

    def __init__(self, *, failing: dict[int, Exception], stop_after: int) -> None:
        self.failing = failing
        self.stop_after = stop_after
        self.count = 0
        self.waits: list[float] = []

    async def work(self) -> None:
        self.count += 1
        if self.count in self.failing:
            raise self.failing[self.count]

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        if self.count >= self.stop_after:
            raise asyncio.CancelledError  # as when the runner stops the service


async def test_every_goes_on_after_a_failed_pass_and_logs_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    passes = Passes(
        failing={1: StorageUnavailable("locked"), 2: ValueError("a bad row")}, stop_after=3
    )
    caplog.set_level(logging.WARNING, logger="bot.background")
    with pytest.raises(asyncio.CancelledError):
        await every(30, passes.work, what="note retries", first_delay=5, sleep=passes.sleep)
    assert passes.count == 3  # both failures were followed by another pass
    assert passes.waits == [5, 30, 30, 30]
    outage, crash = [(r.levelname, r.getMessage(), r.exc_info) for r in caplog.records]
    assert outage == (
        "WARNING",
        "note retries skipped: database unavailable; trying again later",
        None,
    )
    assert crash[:2] == ("ERROR", "note retries failed; trying again later")
    assert crash[2] is not None and "a bad row" in str(crash[2][1])


async def test_every_asks_a_changing_interval_before_each_wait() -> None:
    passes = Passes(failing={}, stop_after=2)
    intervals = iter([1.0, 2.0, 3.0])
    with pytest.raises(asyncio.CancelledError):
        await every(lambda: next(intervals), passes.work, what="watching", sleep=passes.sleep)
    assert passes.waits == [1.0, 2.0, 3.0]  # the first delay defaults to the interval


async def test_every_real_interval_runs_again_until_cancelled() -> None:
    ran = asyncio.Semaphore(0)

    async def work() -> None:
        ran.release()

    task = asyncio.create_task(every(0.01, work, what="ticking", first_delay=0))
    for _ in range(3):
        await asyncio.wait_for(ran.acquire(), timeout=5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_closing_the_database_waits_for_queued_writes(tmp_path: Path) -> None:
    async def slow_write(connection: AsyncConnection, items: list[int]) -> list[int | Exception]:
        await asyncio.sleep(0.1)
        await connection.execute(text("SELECT 1"))
        return list(items)

    async with open_database("sqlite", tmp_path) as database:
        batcher = database.batcher("slow", slow_write)
        first = batcher.submit_nowait(1)
        second = batcher.submit_nowait(2)
        await database.dispose()
        assert first.done() and second.done()
        assert (first.result(), second.result()) == (1, 2)
