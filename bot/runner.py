"""The one owner of a running bot's life: start, serve, stop, in one order for every platform.

``memberbot run slack|discord`` and ``memberbot console`` load every setting
first (a bad one is one line and exit 2 before anything starts), build the
platform's :class:`~bot.adapter.Adapter`, and hand both to :class:`Runner`:

start
    SIGINT/SIGTERM handlers are installed (from here on they stop the bot, even
    mid-start); the adapter checks its credentials and gives its outbound
    sender; the core is built with that sender and its database migrated.
serve
    The adapter takes requests; once they flow, the background services
    (:func:`background_services`) start.
stop
    In reverse: the adapter stops taking requests and finishes what it already
    acknowledged; the background services are cancelled and given
    ``stop_timeout`` seconds to record their in-flight sends; the database is
    closed; the adapter releases its connections.

A start-up problem is one line on stderr and an exit code (:mod:`bot.exits`),
never a traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

from bot.adapter import Adapter
from bot.background import BackgroundService, run_services
from bot.broadcasts.background import BroadcastsAndReminders
from bot.clock import Clock
from bot.config import Settings
from bot.core import BotCore
from bot.delivery_ids import PruneDeliveryIds
from bot.errors import BotError
from bot.exits import failure_for
from bot.knowledge_store import KnowledgeStore
from bot.knowledge_watch import KnowledgeWatch
from bot.kudos.background import KudosRetries
from bot.mentoring.checkins import MentoringCheckins
from bot.mentoring.pairs import PairMessages
from bot.outbound import OutboundSender
from bot.storage import Database

log = logging.getLogger(__name__)

#: How long stopping waits for background services to record their in-flight sends.
BACKGROUND_STOP_SECONDS = 10.0
ServiceFactory = Callable[[BotCore], list[BackgroundService]]


def build_core(
    settings: Settings, *, outbound: OutboundSender, clock: Clock | None = None
) -> BotCore:
    """The core of a running bot: its database (not connected yet), its knowledge, its sender."""
    database = Database(
        url=settings.resolved_database_url,
        data_dir=settings.data_dir,
        start_timeout=settings.database_start_timeout_seconds,
    )
    return BotCore(
        settings=settings,
        database=database,
        knowledge=KnowledgeStore.from_settings(settings, running_bot=True),
        clock=clock,
        outbound=outbound,
    )


def background_services(core: BotCore) -> list[BackgroundService]:
    """Everything a running bot does besides answering: each given what it needs."""
    settings = core.settings
    assert core.outbound is not None  # the runner builds the core with its sender
    return [
        BroadcastsAndReminders(
            database=core.database,
            outbound=core.outbound,
            knowledge=core.knowledge,
            clock=core.clock,
            settings=settings,
            wake=core.deliveries_due,
        ),
        KnowledgeWatch(store=core.knowledge, interval=settings.knowledge_reload_seconds),
        KudosRetries(
            database=core.database,
            outbound=core.outbound,
            clock=core.clock,
            timezone=settings.timezone,
        ),
        PruneDeliveryIds(database=core.database, clock=core.clock),
        MentoringCheckins(
            PairMessages(core.database, core.outbound, core.clock, settings.timezone)
        ),
    ]


class Runner:
    """Runs one adapter with the core and the background services until stopped.

    Args:
        settings: Every core setting, already loaded and validated.
        adapter: The platform.
        clock: The core's clock (``--today`` pretends another day).
        services: Builds the background services for the core (tests replace them).
        stop_timeout: Seconds the background services get to stop.
        handle_signals: Stop on SIGINT/SIGTERM (only possible in the main thread).
    """

    def __init__(
        self,
        *,
        settings: Settings,
        adapter: Adapter,
        clock: Clock | None = None,
        services: ServiceFactory = background_services,
        stop_timeout: float = BACKGROUND_STOP_SECONDS,
        handle_signals: bool = True,
    ) -> None:
        self.settings = settings
        self.adapter = adapter
        self.clock = clock
        self.services = services
        self.stop_timeout = stop_timeout
        self.handle_signals = handle_signals
        #: The running core (``None`` before start): for tests and logs.
        self.core: BotCore | None = None

    async def run(self, stop: asyncio.Event | None = None) -> int:
        """Start, serve until ``stop`` is set (or SIGINT/SIGTERM), stop; the exit code.

        0 after a clean stop; a problem that stops the bot is one line on stderr
        and its exit code (2: a setting to fix, 3: try again later).
        """
        stop = stop or asyncio.Event()
        with self._stop_on_signals(stop):
            try:
                await self._run(stop)
            except BotError as error:
                failure = failure_for(error)
                print(failure, file=sys.stderr)
                return failure.exit_code
        return 0

    async def _run(self, stop: asyncio.Event) -> None:
        try:
            opening = asyncio.ensure_future(self.adapter.open())
            if not await _done_before(stop, opening):
                return
            core = build_core(self.settings, outbound=opening.result(), clock=self.clock)
            self.core = core
            try:
                if not await _done_before(stop, asyncio.ensure_future(core.start())):
                    return
                await self._serve(core, stop)
            finally:
                await core.database.dispose()
        finally:
            await self.adapter.close()

    async def _serve(self, core: BotCore, stop: asyncio.Event) -> None:
        services = self.services(core)
        background: list[asyncio.Task[None]] = []

        def started() -> None:
            if not background:
                task = asyncio.create_task(run_services(services), name="memberbot-background")
                background.append(task)
                log.info("background services started", extra={"count": len(services)})

        try:
            await self.adapter.serve(core, stop=stop, started=started)
        finally:
            for task in background:
                await self._stop_background(task)

    async def _stop_background(self, task: asyncio.Task[None]) -> None:
        task.cancel()
        done, _ = await asyncio.wait([task], timeout=self.stop_timeout)
        if not done:
            log.warning(
                "background services did not stop in time; closing anyway",
                extra={"stop_timeout": self.stop_timeout},
            )

    @contextlib.contextmanager
    def _stop_on_signals(self, stop: asyncio.Event) -> Iterator[None]:
        """Set ``stop`` on SIGINT/SIGTERM while the bot runs; the defaults come back after."""
        loop = asyncio.get_running_loop()
        installed: list[signal.Signals] = []
        if self.handle_signals and threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                    loop.add_signal_handler(sig, _stopper(stop, sig))
                    installed.append(sig)
        try:
            yield
        finally:
            for sig in installed:
                loop.remove_signal_handler(sig)


def _stopper(stop: asyncio.Event, sig: signal.Signals) -> Callable[[], None]:
    def on_signal() -> None:
        if not stop.is_set():
            log.info("stopping", extra={"signal": sig.name})
        stop.set()

    return on_signal


async def _done_before(stop: asyncio.Event, work: asyncio.Future[Any]) -> bool:
    """Whether ``work`` ended (its error raised here) before ``stop`` was set; if not,
    it is cancelled: a signal stops a start-up that waits on a platform or a database."""
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({work, stopping}, return_when=asyncio.FIRST_COMPLETED)
    except asyncio.CancelledError:
        work.cancel()
        raise
    finally:
        stopping.cancel()
    if work.done():
        work.result()
        return True
    work.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await work
    return False
