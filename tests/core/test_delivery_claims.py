"""A delivery whose command failed after storing something is never acted on again."""

from __future__ import annotations

from bot.core import GENERIC_APOLOGY, BotCore
from bot.storage.models import Kudos
from tests.core.kudos_support import BOB, at, count_rows, request
from tests.support.recording import RecordingSender


async def test_a_retry_of_a_delivery_that_failed_after_storing_does_not_store_again(
    core: BotCore,
) -> None:
    core.outbound = RecordingSender(platform="slack", broken_posts=True)  # an adapter bug
    delivery = request(at(BOB), " for the storytime", delivery_id="trigger-1")
    first = await core.handle(delivery)
    assert first is not None and first.text == GENERIC_APOLOGY
    assert await count_rows(core.database, Kudos) == 1
    assert await core.handle(delivery) is None  # the platform's retry: already acted on
    assert await count_rows(core.database, Kudos) == 1
