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
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

ItemT = TypeVar("ItemT")
ResultT = TypeVar("ResultT")

#: Writes one batch in an open transaction: one result (or exception to raise to
#: that item's caller, such as a refusal) per item, in the items' order.
BatchWrite = Callable[[AsyncConnection, list[ItemT]], Awaitable[Sequence[ResultT | Exception]]]


class WriteBatcher(Generic[ItemT, ResultT]):
    """Runs :attr:`write` on batches of submitted items, each batch in one transaction.

    Args:
        open_transaction: Opens the transaction a batch runs in (a
            :meth:`~bot.storage.Database.transaction`-like context manager).
        write: Writes one batch; see :data:`BatchWrite`.
        max_batch: Most items per transaction (bounds statement size and latency).

    One batch is in flight at a time. Batches of one kind touch the same rows (the
    same givers, the same recipients), so two at once would only queue on each
    other's row locks (PostgreSQL) or on the write lock (SQLite); one after the
    other, each takes everything that arrived meanwhile, which measured faster
    and with a far shorter tail.
    """

    def __init__(
        self,
        *,
        open_transaction: Callable[[], AbstractAsyncContextManager[AsyncConnection]],
        write: BatchWrite[ItemT, ResultT],
        max_batch: int = 100,
    ) -> None:
        self._open = open_transaction
        self.write = write
        self.max_batch = max_batch
        self._waiting: list[tuple[ItemT, asyncio.Future[ResultT]]] = []
        self._drainer: asyncio.Task[None] | None = None

    async def submit(self, item: ItemT) -> ResultT:
        """Write ``item`` with whatever else is waiting; its result, or its exception."""
        return await self.submit_nowait(item)

    def submit_nowait(self, item: ItemT) -> asyncio.Future[ResultT]:
        """Queue ``item`` and return at once; the future settles when it is written.

        For writes the caller need not wait for: await :meth:`settled` before
        reading what they write.
        """
        future: asyncio.Future[ResultT] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        if self._drainer is None:
            # A task of its own: a caller that gives up must not cancel others' writes.
            self._drainer = asyncio.create_task(self._drain())
        return future

    async def settled(self) -> None:
        """Return once every item queued so far has been written (or has failed)."""
        while self._drainer is not None:
            await asyncio.shield(self._drainer)

    async def _drain(self) -> None:
        try:
            while self._waiting:
                batch = self._waiting[: self.max_batch]
                del self._waiting[: self.max_batch]
                await self._write_batch(batch)
        except asyncio.CancelledError:
            # Shutting down: callers still waiting are cancelled too, not left hanging.
            for _, future in self._waiting:
                future.cancel()
            self._waiting.clear()
            raise
        finally:
            self._drainer = None

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
