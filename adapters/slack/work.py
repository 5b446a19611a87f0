"""The work behind Slack acks: acks first, bounded local work, nothing lost on shutdown.

A listener hands its work here *before* it acks, as plain data (the request
body and what to do with it), and returns; Bolt then sends the ack. Three rules
keep that safe under load and across restarts:

* **Acks come first.** Slack fails a command whose ack takes over 3 seconds,
  while an answer may follow a moment later. Queued work starts once the
  dispatcher has watched ``quiet`` seconds pass with no new request (a burst is
  over), or at the latest ``max_defer`` seconds after its request arrived: a
  burst of commands is acknowledged at full speed, and answers never starve
  under sustained load. Queued work is a few small objects, not a parked task,
  so a burst does not make the garbage collector stall the acks either.
* **Local work is bounded, waiting on Slack is not.** At most ``slots`` pieces
  of work run our own code (translation, the core, the database) at a time.
  Every Web API call leaves its slot while it waits (see
  :func:`outside_work_slot`), so a reply stuck behind a 429's ``Retry-After``
  never delays anyone else's answer.
* **Acked work is finished on shutdown.** :meth:`PostAckWork.drain` waits for
  queued and running work (bounded) and names anything it has to abandon.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

#: Pieces of work running our own code at once; waiting on Slack does not count.
DEFAULT_WORK_SLOTS = 8
#: The longest queued work lets newer requests' acks go first.
DEFAULT_MAX_DEFER_SECONDS = 2.0
#: This long without a new request means a burst is over and work may start.
DEFAULT_QUIET_SECONDS = 0.02


@dataclass(slots=True)
class _SlotHold:
    """The slot one task holds; ``held`` is False while it waits on Slack."""

    slots: asyncio.Semaphore
    task: asyncio.Task[Any] | None
    held: bool = True


_current_hold: ContextVar[_SlotHold | None] = ContextVar("slack_work_slot", default=None)


@contextlib.asynccontextmanager
async def outside_work_slot() -> AsyncIterator[None]:
    """Give the current task's work slot back while it waits on Slack.

    A no-op outside post-ack work (the background dispatcher, start-up checks)
    and in tasks spawned by the work (they copied the context, not the slot).
    """
    hold = _current_hold.get()
    if hold is None or not hold.held or hold.task is not asyncio.current_task():
        yield
        return
    hold.held = False
    hold.slots.release()
    try:
        yield
    finally:
        # If cancelled while queueing, ``held`` stays False: nothing to give back.
        await hold.slots.acquire()
        hold.held = True


@dataclass(eq=False, slots=True)
class WorkItem:
    """One acked request's work: what to run, log context, and when it arrived."""

    run: Callable[[], Awaitable[None]]
    context: dict[str, Any]
    received: float


class PostAckWork:
    """Queues, orders and bounds the work behind acks; one per Bolt app."""

    def __init__(
        self,
        *,
        slots: int = DEFAULT_WORK_SLOTS,
        max_defer: float = DEFAULT_MAX_DEFER_SECONDS,
        quiet: float = DEFAULT_QUIET_SECONDS,
    ) -> None:
        self.slots = asyncio.Semaphore(slots)
        self._max_defer = max_defer
        self._quiet = quiet
        self._queue: asyncio.Queue[WorkItem] = asyncio.Queue()
        self._starting: WorkItem | None = None
        self._running: dict[asyncio.Task[None], WorkItem] = {}
        self._dispatcher: asyncio.Task[None] | None = None
        self._awaiting_ack = 0
        self._last_request_at = float("-inf")
        self._quiet_since: float | None = None

    # ------------------------------------------------------------- the ack side

    def request_started(self) -> None:
        """A request from Slack is being dispatched (its ack is not yet sent)."""
        self._awaiting_ack += 1
        self._last_request_at = asyncio.get_running_loop().time()

    def request_finished(self) -> None:
        """Bolt has its answer for that request (the ack, or a refusal)."""
        self._awaiting_ack = max(0, self._awaiting_ack - 1)

    # ------------------------------------------------------------ the work side

    def submit(self, run: Callable[[], Awaitable[None]], context: dict[str, Any]) -> None:
        """Queue work for the current request; call it before ``ack()``."""
        loop = asyncio.get_running_loop()
        self._queue.put_nowait(WorkItem(run=run, context=context, received=loop.time()))
        if self._dispatcher is None or self._dispatcher.done():
            self._dispatcher = loop.create_task(self._dispatch(), name="slack-post-ack-work")

    @property
    def in_progress(self) -> int:
        """Work acked but not finished: queued, starting or running."""
        return self._queue.qsize() + (self._starting is not None) + len(self._running)

    async def _dispatch(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            item = await self._queue.get()
            self._starting = item
            await self.slots.acquire()
            try:
                await self._after_pending_acks(item.received)
            except BaseException:
                self.slots.release()
                raise
            self._starting = None
            task = loop.create_task(self._run(item))
            self._running[task] = item
            task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._running.pop(task, None)
        self._queue.task_done()

    async def _run(self, item: WorkItem) -> None:
        hold = _SlotHold(slots=self.slots, task=asyncio.current_task())
        token = _current_hold.set(hold)
        try:
            await item.run()
        except Exception:
            # Handlers report their own failures; this is the last line of defence.
            log.exception("work behind a Slack ack failed", extra=item.context)
        finally:
            _current_hold.reset(token)
            if hold.held:
                self.slots.release()

    async def _after_pending_acks(self, received: float) -> None:
        """Return once requests are quiet, or ``max_defer`` after ``received``.

        Quiet is only trusted when watched while waiting here: a loop busy with
        other work takes new requests in late, so "nothing arrived lately" could
        just mean "nothing was read yet". Once established, quiet lasts until
        the next request arrives.
        """
        loop = asyncio.get_running_loop()
        deadline = received + self._max_defer
        while True:
            now = loop.time()
            if now >= deadline or self._is_quiet():
                return
            watched_from = now
            await asyncio.sleep(min(self._quiet, deadline - now))
            if self._awaiting_ack == 0 and self._last_request_at <= watched_from:
                self._quiet_since = watched_from

    def _is_quiet(self) -> bool:
        return (
            self._quiet_since is not None
            and self._awaiting_ack == 0
            and self._last_request_at <= self._quiet_since
        )

    # ----------------------------------------------------------------- shutdown

    async def drain(self, timeout: float) -> int:
        """Finish acked work, for at most ``timeout`` seconds; call once no requests arrive.

        Returns how much work was abandoned at the deadline; each piece is logged
        with its context, then cancelled.
        """
        # Listeners scheduled by the last acks queue their work on their first step.
        await asyncio.sleep(0)
        if self.in_progress == 0:
            return 0
        log.info(
            "finishing acknowledged Slack requests before stopping",
            extra={"in_progress": self.in_progress, "timeout_seconds": timeout},
        )
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await self._queue.join()
        abandoned = [*self._running.values()]
        if self._starting is not None:
            abandoned.append(self._starting)
        while not self._queue.empty():
            abandoned.append(self._queue.get_nowait())
        for item in abandoned:
            log.error(
                "abandoned an acknowledged Slack request at shutdown; its answer was not sent",
                extra=item.context,
            )
        tasks = [*self._running]
        if self._dispatcher is not None:
            tasks.append(self._dispatcher)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=1.0)
        return len(abandoned)
