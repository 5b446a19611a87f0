"""Who a broadcast reaches: the DM audience of a workspace, and its size."""

from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Broadcast, Member
from bot.storage.models.broadcasts import Audience


def dm_audience(platform: str, workspace_id: str) -> Select[int]:
    """Ids of the members a DM broadcast goes to: humans who have not opted out."""
    return select(Member.id).where(
        Member.platform == platform,
        Member.workspace_id == workspace_id,
        Member.is_bot.is_(False),
        Member.reminders_opt_out.is_(False),
    )


async def dm_audience_size(session: AsyncSession, platform: str, workspace_id: str) -> int:
    """How many members a DM broadcast in this workspace would go to now."""
    count = await session.scalar(
        select(func.count()).select_from(dm_audience(platform, workspace_id).subquery())
    )
    return int(count or 0)


async def audience_size(session: AsyncSession, broadcast: Broadcast) -> int:
    """Recipients ``broadcast`` would have if it were confirmed now (a channel post: 1)."""
    if broadcast.audience != Audience.DM:
        return 1
    return await dm_audience_size(session, broadcast.platform, broadcast.workspace_id)
