"""A started core for tests that need their own sender, database or knowledge."""

from __future__ import annotations

from bot.clock import FixedClock
from bot.config import Settings
from bot.core import BotCore
from bot.knowledge_store import KnowledgeStore
from bot.outbound import OutboundSender
from bot.storage import Database


async def start_core(
    *,
    settings: Settings,
    database: Database,
    knowledge: KnowledgeStore,
    clock: FixedClock,
    outbound: OutboundSender,
) -> BotCore:
    """A :class:`BotCore` built as the runner builds it, and started (migrations run)."""
    core = BotCore(
        settings=settings, database=database, knowledge=knowledge, clock=clock, outbound=outbound
    )
    await core.start()
    return core
