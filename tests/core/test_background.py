"""Background services run side by side, survive each other's crashes, stop together;
closing the database waits for the writes still in flight."""

from __future__ import annotations

import asyncio
import logging
import sys
import types
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.background import run_services
from bot.core import BotCore
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


@pytest.fixture
def services(monkeypatch: pytest.MonkeyPatch) -> ServiceLog:
    """Three importable services: one crashes, one ticks, one needs time to stop."""
    seen = ServiceLog()

    async def crashes(core: BotCore) -> None:
        raise RuntimeError("the dispatcher broke")

    async def ticks(core: BotCore) -> None:
        while True:
            await asyncio.sleep(0.01)
            seen.add("tick")

    async def stops_slowly(core: BotCore) -> None:
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            await asyncio.sleep(0.2)  # records the sends it has in flight
            seen.add("slow service stopped")
            raise

    for name, run in (("crashes", crashes), ("ticks", ticks), ("stops_slowly", stops_slowly)):
        module = types.ModuleType(f"memberbot_test_{name}")
        module.run = run  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, module.__name__, module)
    return seen


async def test_a_crashed_service_is_logged_and_the_others_go_on(
    core: BotCore, services: ServiceLog, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="bot.background")
    running = asyncio.create_task(
        run_services(core, ["memberbot_test_crashes", "memberbot_test_ticks"])
    )
    await asyncio.wait_for(services.ticked.wait(), timeout=5)
    services.ticked.clear()
    await asyncio.wait_for(services.ticked.wait(), timeout=5)  # still ticking after the crash
    [report] = [r for r in caplog.records if r.name == "bot.background"]
    assert report.service == "memberbot_test_crashes"  # type: ignore[attr-defined]
    assert report.exc_info is not None and "dispatcher broke" in str(report.exc_info[1])
    assert not running.done()
    running.cancel()
    with pytest.raises(asyncio.CancelledError):
        await running


async def test_stopping_waits_for_every_service_to_finish(
    core: BotCore, services: ServiceLog
) -> None:
    running = asyncio.create_task(
        run_services(core, ["memberbot_test_ticks", "memberbot_test_stops_slowly"])
    )
    await asyncio.wait_for(services.ticked.wait(), timeout=5)
    running.cancel()
    with pytest.raises(asyncio.CancelledError):
        await running
    # The ticking service stops at once; the slow one is still waited for.
    assert services.events[-1] == "slow service stopped"


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
