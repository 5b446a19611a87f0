"""Shared steps of the fault-injection tests: a DM broadcast sent through a real sender."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.broadcasts.dispatcher import Dispatcher, DispatchPolicy
from bot.broadcasts.parsing import DraftRequest
from bot.broadcasts.service import BroadcastService
from bot.clock import FixedClock
from bot.outbound import OutboundSender
from bot.requests import Request, UserRef
from bot.storage import Database
from tests.core.broadcast_support import delivery_statuses

CHICAGO = ZoneInfo("America/Chicago")


async def broadcast_to_everyone(
    database: Database, sender: OutboundSender, clock: FixedClock, *, staff: UserRef
) -> int:
    """Draft, confirm and deliver a DM broadcast to every member ``sender`` lists.

    Returns how many delivery rows were sent (all of them, or the test fails).
    """
    request = Request(
        platform=staff.platform,
        workspace_id=staff.workspace_id,
        channel_id="C1",
        sender=staff,
        command="broadcast",
        text="dm Renewals open Monday",
        is_staff=True,
    )
    service = BroadcastService(database=database, outbound=sender, zone=CHICAGO)
    draft = DraftRequest(
        to_dm=True, channel_id=None, local_day=None, local_time=None, text="Renewals open Monday"
    )
    created = await service.create_draft(request=request, draft=draft, now=clock.now())
    confirmed = await service.confirm(
        request=request, broadcast_id=created.broadcast.id, now=clock.now()
    )
    dispatcher = Dispatcher(
        database=database,
        outbound=sender,
        clock=clock,
        worker_id="fault-test",
        policy=DispatchPolicy(concurrency=8),
        zone=CHICAGO,
    )
    await dispatcher.drain()
    statuses = await delivery_statuses(database)
    assert statuses == {"sent": confirmed.audience_size}, statuses
    return confirmed.audience_size
