"""The runner: one order of start and stop for every platform, start-up failures as one
line and an exit code, SIGINT/SIGTERM, and background services stopped within the timeout.

The adapter here is a small scripted one (the real adapters run under the runner in
tests/adapters/*/test_serve.py and the console tests); the core, the database and the
background machinery are real.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import event, text

from bot.background import BackgroundService
from bot.config import Settings
from bot.core import BotCore
from bot.exits import EXIT_UNAVAILABLE, EXIT_USAGE, StartupFailure
from bot.outbound import OutboundSender
from bot.runner import Runner, background_services
from tests.support.recording import RecordingSender

#: A safety net so a hang fails the test instead of blocking the suite (not a timing check).
PATIENCE = 30.0


async def until(condition: Callable[[], bool]) -> None:
    """Wait for ``condition`` (bounded by PATIENCE, so a broken runner fails, not hangs)."""
    async with asyncio.timeout(PATIENCE):
        while not condition():
            await asyncio.sleep(0.01)


class ScriptedAdapter:
    """Records what the runner asks of it; can fail at open or at serve, or end by itself."""

    def __init__(
        self,
        events: list[str],
        *,
        open_failure: StartupFailure | None = None,
        serve_failure: StartupFailure | None = None,
        open_waits: bool = False,
    ) -> None:
        self.events = events
        self.open_failure = open_failure
        self.serve_failure = serve_failure
        self.open_waits = open_waits
        self.serving = asyncio.Event()
        #: Set to end the session from the platform's side (Ctrl-D in the console).
        self.session_ended = asyncio.Event()
        self.sender = RecordingSender()

    async def open(self) -> OutboundSender:
        self.events.append("adapter opened")
        if self.open_failure is not None:
            raise self.open_failure
        if self.open_waits:
            await asyncio.Event().wait()  # a platform that never answers
        return self.sender

    async def serve(
        self, core: BotCore, *, stop: asyncio.Event, started: Callable[[], None]
    ) -> None:
        assert core.outbound is self.sender  # the core was built with this adapter's sender
        self.events.append("serving")
        if self.serve_failure is not None:
            raise self.serve_failure
        started()
        self.serving.set()
        stopping = asyncio.ensure_future(stop.wait())
        ending = asyncio.ensure_future(self.session_ended.wait())
        await asyncio.wait({stopping, ending}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        ending.cancel()
        self.events.append("no new requests")

    async def close(self) -> None:
        self.events.append("adapter closed")


class RecordsItsStop:
    """A service that, when stopped, records it in the database (as a dispatcher does)."""

    name = "records its stop"

    def __init__(self, core: BotCore, events: list[str]) -> None:
        self.core = core
        self.events = events

    async def run(self) -> None:
        self.events.append("background running")
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            async with self.core.database.transaction() as connection:
                await connection.execute(text("SELECT 1"))
            self.events.append("background stopped")
            raise


class IgnoresCancellation:
    """A service stuck in a send: cancellation reaches it only after a long time."""

    name = "stuck"

    async def run(self) -> None:
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            await asyncio.sleep(60)


class Crashes:
    name = "crashes"

    async def run(self) -> None:
        raise RuntimeError("the dispatcher broke")


def recording(events: list[str], *extra: BackgroundService) -> Callable[[BotCore], list]:
    """The services factory: one that records its stop, plus ``extra``; also notes when the
    database engine is disposed."""

    def services(core: BotCore) -> list[BackgroundService]:
        event.listen(
            core.database.engine.sync_engine,
            "engine_disposed",
            lambda _: events.append("database closed"),
        )
        return [RecordsItsStop(core, events), *extra]

    return services


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, _env_file=None)  # type: ignore[call-arg]


async def test_start_and_stop_happen_in_one_order(settings: Settings) -> None:
    events: list[str] = []
    adapter = ScriptedAdapter(events)
    runner = Runner(
        settings=settings, adapter=adapter, services=recording(events), handle_signals=False
    )
    stop = asyncio.Event()
    running = asyncio.create_task(runner.run(stop))
    await asyncio.wait_for(adapter.serving.wait(), PATIENCE)
    await until(lambda: "background running" in events)
    assert runner.core is not None and runner.core.outbound is adapter.sender
    stop.set()
    assert await asyncio.wait_for(running, PATIENCE) == 0
    assert events == [
        "adapter opened",
        "serving",
        "background running",
        "no new requests",
        "background stopped",  # it could still write: the database closes after it
        "database closed",
        "adapter closed",
    ]


async def test_an_adapter_that_ends_by_itself_stops_everything_too(settings: Settings) -> None:
    events: list[str] = []
    adapter = ScriptedAdapter(events)
    runner = Runner(
        settings=settings, adapter=adapter, services=recording(events), handle_signals=False
    )
    running = asyncio.create_task(runner.run())
    await until(lambda: "background running" in events)
    adapter.session_ended.set()
    assert await asyncio.wait_for(running, PATIENCE) == 0
    assert events[-3:] == ["background stopped", "database closed", "adapter closed"]


async def test_a_rejected_credential_is_one_line_and_exit_2_before_the_database_opens(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events: list[str] = []
    failure = StartupFailure(
        "configuration error: the platform rejected TOKEN", exit_code=EXIT_USAGE
    )
    adapter = ScriptedAdapter(events, open_failure=failure)
    runner = Runner(
        settings=settings, adapter=adapter, services=recording(events), handle_signals=False
    )
    assert await asyncio.wait_for(runner.run(), PATIENCE) == 2
    assert capsys.readouterr().err == "configuration error: the platform rejected TOKEN\n"
    assert events == ["adapter opened", "adapter closed"]
    assert runner.core is None
    assert not (tmp_path / "memberbot.sqlite3").exists()


async def test_a_failure_to_serve_is_exit_3_and_closes_what_was_opened(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    events: list[str] = []
    failure = StartupFailure("cannot start: the platform is unreachable", exit_code=3)
    adapter = ScriptedAdapter(events, serve_failure=failure)
    runner = Runner(
        settings=settings, adapter=adapter, services=recording(events), handle_signals=False
    )
    assert await asyncio.wait_for(runner.run(), PATIENCE) == EXIT_UNAVAILABLE
    assert capsys.readouterr().err == "cannot start: the platform is unreachable\n"
    # No background service ever started; the database and the adapter are closed.
    assert events == ["adapter opened", "serving", "database closed", "adapter closed"]


async def test_a_bad_knowledge_file_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "knowledge.yaml"
    broken.write_text("organisation: [\n", encoding="utf-8")
    settings = Settings(data_dir=tmp_path, knowledge_file=broken, _env_file=None)  # type: ignore[call-arg]
    events: list[str] = []
    runner = Runner(settings=settings, adapter=ScriptedAdapter(events), handle_signals=False)
    assert await asyncio.wait_for(runner.run(), PATIENCE) == 2
    line = capsys.readouterr().err
    assert line.count("\n") == 1 and line.startswith(f"error: {broken}")
    assert events == ["adapter opened", "adapter closed"]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
async def test_a_signal_stops_everything_within_the_stop_timeout(
    settings: Settings, sig: signal.Signals, caplog: pytest.LogCaptureFixture
) -> None:
    events: list[str] = []
    adapter = ScriptedAdapter(events)
    runner = Runner(
        settings=settings,
        adapter=adapter,
        services=recording(events, IgnoresCancellation()),
        stop_timeout=0.5,
    )
    running = asyncio.create_task(runner.run())
    await asyncio.wait_for(adapter.serving.wait(), PATIENCE)
    # The runner replaced the default action, or this would end pytest.
    assert signal.getsignal(sig) not in (signal.SIG_DFL, signal.default_int_handler)
    signalled = time.monotonic()
    os.kill(os.getpid(), sig)
    assert await asyncio.wait_for(running, PATIENCE) == 0
    # The stuck service got its 0.5 s, not its 60: the runner closed down anyway.
    assert time.monotonic() - signalled < 5
    assert events[-2:] == ["database closed", "adapter closed"]
    assert "background stopped" in events  # the well-behaved service still stopped cleanly
    assert any("did not stop in time" in r.getMessage() for r in caplog.records)
    # The defaults are back once the runner returned.
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


async def test_a_signal_while_the_platform_is_still_answering_stops_at_once(
    settings: Settings,
) -> None:
    events: list[str] = []
    runner = Runner(
        settings=settings,
        adapter=ScriptedAdapter(events, open_waits=True),
        services=recording(events),
    )
    running = asyncio.create_task(runner.run())
    await until(lambda: "adapter opened" in events)
    os.kill(os.getpid(), signal.SIGTERM)
    assert await asyncio.wait_for(running, PATIENCE) == 0
    assert events == ["adapter opened", "adapter closed"]


async def test_a_crashed_background_service_is_logged_and_the_bot_goes_on(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    events: list[str] = []
    adapter = ScriptedAdapter(events)
    runner = Runner(
        settings=settings,
        adapter=adapter,
        services=recording(events, Crashes()),
        handle_signals=False,
    )
    stop = asyncio.Event()
    caplog.set_level(logging.ERROR, logger="bot.background")
    running = asyncio.create_task(runner.run(stop))
    await until(lambda: any(r.name == "bot.background" for r in caplog.records))
    assert not running.done()
    stop.set()
    assert await asyncio.wait_for(running, PATIENCE) == 0
    [report] = [r for r in caplog.records if r.name == "bot.background"]
    assert report.service == "crashes"  # type: ignore[attr-defined]
    assert "background stopped" in events  # the other service ran until the stop


def test_a_running_bot_has_every_background_service(core: BotCore) -> None:
    names = {service.name for service in background_services(core)}
    assert names == {
        "broadcasts and reminders",
        "knowledge reloads",
        "kudos retries",
        "delivery id pruning",
        "mentoring check-ins",
    }
