"""Who a broadcast reaches: the DM audience of a workspace, and its size."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.storage.models import Broadcast
from bot.storage.models.broadcasts import Audience

if TYPE_CHECKING:
    from bot.storage.unit_of_work import UnitOfWork


async def audience_size(work: UnitOfWork, broadcast: Broadcast) -> int:
    """Recipients ``broadcast`` would have if it were confirmed now (a channel post: 1)."""
    if broadcast.audience != Audience.DM:
        return 1
    return await work.broadcasts.dm_audience_size(
        platform=broadcast.platform, workspace_id=broadcast.workspace_id
    )
