"""The staff list under concurrent use, at the review functions chat and the CLI share."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.answers import review
from bot.storage import Database

NOW = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)


async def test_claims_racing_a_read_of_the_item_never_fail(database: Database) -> None:
    """Regression: a claim landing between the two reads of an item (its state, then its
    repeats in that state) left no repeats and failed with an IndexError."""
    for number in range(25):
        question_id = await review.add_question(
            database, f"Parking question {number}?", platform="slack", now=NOW, bot_answer=None
        )
        results = await asyncio.gather(
            review.claim(database, question_id, who="Dana", now=NOW),
            review.claim(database, question_id, who="Sam", now=NOW),
            review.find_item(database, question_id),
            review.find_item(database, question_id),
            return_exceptions=True,
        )
        unexpected = [
            r
            for r in results
            if isinstance(r, Exception) and not isinstance(r, review.TakenByOther)
        ]
        assert unexpected == []
        claimed = [r for r in results[:2] if isinstance(r, review.ReviewItem)]
        assert len(claimed) == 1 and claimed[0].claimed_by in {"Dana", "Sam"}


async def test_a_new_question_and_a_thumbs_down_comment_are_on_the_list(
    database: Database,
) -> None:
    asked = await review.add_question(
        database, "Is there parking?", platform="slack", now=NOW, bot_answer=None
    )
    down = await review.record_feedback(
        database,
        entry_id="mentoring-length",
        helpful=False,
        question="How long is mentoring?",
        answer_text="Nine months.",
        now=NOW,
    )
    assert down is not None and down != asked
    assert (
        await review.record_feedback(
            database, entry_id="x", helpful=True, question="q", answer_text="a", now=NOW
        )
        is None
    )
    await review.add_comment(database, down, "  It is twelve months now.  ")
    await review.add_comment(database, asked, "not a thumbs down: ignored")
    items = {item.id: item for item in await review.review_list(database)}
    assert items[down].comment == "It is twelve months now."
    assert items[down].entry_id == "mentoring-length"
    assert items[asked].comment is None
    assert await review.find_item(database, 9999) is None
