"""The ``Adapter`` protocol: what a chat platform gives the runner.

The runner (:mod:`bot.runner`) owns the order of things; an adapter only knows
its platform:

1. :meth:`Adapter.open` checks the credentials and returns the outbound sender
   (the core is built with it);
2. :meth:`Adapter.serve` takes requests for the core until ``stop`` is set (or
   the platform ends the session), calling ``started()`` once requests flow, at
   which point the runner starts the background services; on ``stop`` it stops
   taking requests and finishes those already acknowledged, while the sender
   still works (background services may be finishing a send);
3. :meth:`Adapter.close` releases the connections, after the background
   services have stopped.

A problem the admin must fix (a rejected token, a port in use) or wait out (the
platform unreachable) is raised as :class:`bot.exits.StartupFailure`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from bot.core import BotCore
    from bot.outbound import OutboundSender


class Adapter(Protocol):
    """A chat platform as the runner drives it."""

    async def open(self) -> OutboundSender:
        """Check the credentials; the sender the core delivers with.

        Raises:
            StartupFailure: The platform refused the credentials or cannot be reached.
        """
        ...

    async def serve(
        self, core: BotCore, *, stop: asyncio.Event, started: Callable[[], None]
    ) -> None:
        """Take requests for ``core`` until ``stop`` is set or the platform ends the session.

        Args:
            core: Built with the sender :meth:`open` returned, and started.
            stop: Set by SIGINT/SIGTERM (or a test).
            started: Call once requests are taken; background services start then.

        Raises:
            StartupFailure: Serving could not begin (or the platform closed the session
                for a reason the admin must act on).
        """
        ...

    async def close(self) -> None:
        """Release what :meth:`open` and :meth:`serve` made; called once, whatever happened."""
        ...
