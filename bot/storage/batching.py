"""Group the small writes that arrive together into one transaction.

Every kudos makes three small writes (claim the delivery id, store the kudos,
remember where it was posted). Each alone costs a connection checkout, a BEGIN,
a COMMIT and a few round trips, which is far more than the rows themselves.
A :class:`WriteBatcher` sends the first write at once; writes submitted while
it is in flight wait for it and then go together, as one transaction with
multi-row statements. Under light load nothing waits; under a burst, dozens of
commands share one commit ("group commit", done by the application).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

ItemT = TypeVar("ItemT")
ResultT = TypeVar("ResultT")

#: Writes one batch in an open transaction: one result (or exception to raise to
#: that item's caller, such as a refusal) per item, in the items' order.
BatchWrite = Callable[[AsyncConnection, list[ItemT]], Awaitable[list[ResultT | Exception]]]


class WriteBatcher(Generic[ItemT, ResultT]):
    """Runs :attr:`write` on batches of submitted items, each batch in one transaction.

    Args:
        open_transaction: Opens the transaction a batch runs in (a
            :meth:`~bot.storage.Database.transaction`-like context manager).
        write: Writes one batch; see :data:`BatchWrite`.
        max_batch: Most items per transaction (bounds statement size and latency).
        parallel: Batches in flight at once (1 for SQLite's single writer; a few for
            PostgreSQL, so one batch's round trips overlap another's).
    """

    def __init__(
        self,
        *,
        open_transaction: Callable[[], AbstractAsyncContextManager[AsyncConnection]],
        write: BatchWrite[ItemT, ResultT],
        max_batch: int = 100,
        parallel: int = 1,
    ) -> None:
        self._open = open_transaction
        self.write = write
        self.max_batch = max_batch
        self.parallel = parallel
        self._waiting: list[tuple[ItemT, asyncio.Future[ResultT]]] = []
        self._running = 0
        self._tasks: set[asyncio.Task[None]] = set()

    async def submit(self, item: ItemT) -> ResultT:
        """Write ``item`` with whatever else is waiting; its result, or its exception."""
        future: asyncio.Future[ResultT] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        if self._running < self.parallel:
            self._running += 1
            # A task of its own: a caller that gives up must not cancel others' writes.
            task = asyncio.create_task(self._drain())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return await future

    async def _drain(self) -> None:
        try:
            while self._waiting:
                batch = self._waiting[: self.max_batch]
                del self._waiting[: self.max_batch]
                await self._write_batch(batch)
        finally:
            self._running -= 1

    async def _write_batch(self, batch: list[tuple[ItemT, asyncio.Future[ResultT]]]) -> None:
        try:
            async with self._open() as connection:
                results = await self.write(connection, [item for item, _ in batch])
        except Exception as error:
            # Nothing of this batch was committed: every caller hears why.
            for _, future in batch:
                if not future.done():
                    future.set_exception(error)
            return
        except asyncio.CancelledError:
            for _, future in batch:
                future.cancel()
            raise
        for (_, future), result in zip(batch, results, strict=True):
            if future.done():  # the caller went away; the write stands
                continue
            if isinstance(result, Exception):
                future.set_exception(result)
            else:
                future.set_result(result)
