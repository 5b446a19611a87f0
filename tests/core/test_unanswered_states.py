"""Unanswered questions move through open -> claimed -> answered / not for us; feedback counts."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, select

from bot.answers import review
from bot.answers.review import TakenByOther
from bot.answers.service import answer_question, most_frequent_unanswered
from bot.errors import UserError
from bot.knowledge_store import KnowledgeStore
from bot.storage import Database
from bot.storage.models import Base, UnansweredQuestion

NOW = dt.datetime(2026, 12, 6, 10, 0, tzinfo=dt.UTC)
TODAY = dt.date(2021, 10, 1)
PARKING = "Where can I park at the conference?"


async def _ask(database: Database, store: KnowledgeStore, question: str, minutes: int = 0) -> None:
    await answer_question(
        knowledge=store,
        database=database,
        question=question,
        today=TODAY,
        now=NOW + dt.timedelta(minutes=minutes),
        platform="slack",
    )


#: What migration 0009 adds (older columns are checked by the tests of their migrations).
NEW_COLUMNS = {
    "status",
    "reason",
    "entry_id",
    "bot_answer",
    "comment",
    "claimed_by",
    "claimed_at",
    "closed_by",
    "closed_at",
    "staff_answer",
    "taught_entry",
}


def _differences_in_0009(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    found = []
    for diff in compare_metadata(context, Base.metadata):
        flat = diff if isinstance(diff, tuple) else diff[0]
        text = repr(flat)
        if "answer_feedback" in text or (
            "unanswered_questions" in text and any(f"'{name}'" in text for name in NEW_COLUMNS)
        ):
            found.append(diff)
    return found


async def test_migration_matches_the_models(database: Database) -> None:
    async with database.engine.connect() as connection:
        assert await connection.run_sync(_differences_in_0009) == []


async def test_a_miss_is_stored_open_with_what_the_bot_said(
    database: Database, frozen_knowledge: KnowledgeStore
) -> None:
    await _ask(database, frozen_knowledge, PARKING)
    await _ask(database, frozen_knowledge, "where can i park at the CONFERENCE", minutes=5)
    [item] = await review.review_list(database)
    assert (item.count, item.status, item.reason, item.claimed_by) == (2, "open", "abstained", None)
    assert item.bot_answer and "Elly" in item.bot_answer  # the contact the member was sent to
    assert item.last_asked == NOW + dt.timedelta(minutes=5)


async def test_only_one_of_two_staff_claiming_at_once_gets_it(
    database: Database, frozen_knowledge: KnowledgeStore
) -> None:
    await _ask(database, frozen_knowledge, PARKING)
    [item] = await review.review_list(database)
    results = await asyncio.gather(
        *(review.claim(database, item.id, who=name, now=NOW) for name in ("Ann", "Bob", "Cy")),
        return_exceptions=True,
    )
    winners = [result for result in results if isinstance(result, review.ReviewItem)]
    losers = [result for result in results if isinstance(result, TakenByOther)]
    assert len(winners) == 1 and len(losers) == 2
    holder = winners[0].claimed_by
    assert all(str(loser) == f"Question {item.id} is taken by {holder}." for loser in losers)
    # the holder claiming again is fine; another staff member cannot answer or dismiss it
    assert (await review.claim(database, item.id, who=holder, now=NOW)).claimed_by == holder
    other = next(name for name in ("Ann", "Bob") if name != holder)
    with pytest.raises(TakenByOther, match=f"taken by {holder}"):
        await review.answer(database, item.id, who=other, text="Lot B.", now=NOW)
    with pytest.raises(TakenByOther, match=f"taken by {holder}"):
        await review.dismiss(database, item.id, who=other, now=NOW)
    [listed] = await review.review_list(database)
    assert (listed.status, listed.claimed_by) == ("claimed", holder)


async def test_answering_closes_every_repeat_and_keeps_the_answer(
    database: Database, frozen_knowledge: KnowledgeStore
) -> None:
    await _ask(database, frozen_knowledge, PARKING)
    await _ask(database, frozen_knowledge, "Where can I park at the conference", minutes=1)
    await _ask(database, frozen_knowledge, "What is the dress code for the mixer?", minutes=2)
    parking = next(item for item in await review.review_list(database) if item.count == 2)
    done = await review.answer(
        database, parking.id, who="Dana", text="Lot B.", now=NOW, taught_entry="parking"
    )
    assert (done.status, done.count) == ("answered", 2)
    assert [item.question for item in await review.review_list(database)] == [
        "What is the dress code for the mixer?"
    ]
    async with database.session() as session:
        rows = (await session.scalars(select(UnansweredQuestion))).all()
    answered = [row for row in rows if row.status == "answered"]
    assert {(row.closed_by, row.staff_answer, row.taught_entry) for row in answered} == {
        ("Dana", "Lot B.", "parking")
    }
    assert all(row.closed_at == NOW for row in answered)
    with pytest.raises(TakenByOther, match="already answered by Dana"):
        await review.answer(database, parking.id, who="Eve", text="Other.", now=NOW)
    closed = await review.review_list(database, include_closed=True)
    assert {item.status for item in closed} == {"open", "answered"}


async def test_not_for_us_leaves_the_list_and_the_old_listing(
    database: Database, frozen_knowledge: KnowledgeStore
) -> None:
    await _ask(database, frozen_knowledge, "What is the dress code for the mixer?")
    await _ask(database, frozen_knowledge, PARKING, minutes=1)
    mixer = next(item for item in await review.review_list(database) if "mixer" in item.question)
    await review.dismiss(database, mixer.id, who="Dana", now=NOW)
    assert [row[0] for row in await most_frequent_unanswered(database)] == [PARKING]
    assert "mixer" not in str(await review.review_list(database, include_closed=True))
    # asked again later: a new question for staff
    await _ask(database, frozen_knowledge, "What is the dress code for the mixer?", minutes=9)
    assert len(await review.review_list(database)) == 2


async def test_bad_ids_and_answers_get_clear_messages(database: Database) -> None:
    with pytest.raises(UserError, match="no question 999"):
        await review.claim(database, 999, who="Dana", now=NOW)
    with pytest.raises(UserError, match="Write the answer"):
        await review.answer(database, 999, who="Dana", text="  ", now=NOW)


async def test_feedback_counts_per_entry_and_a_thumbs_down_goes_on_the_list(
    database: Database,
) -> None:
    for helpful in (True, True, True, False):
        await review.record_feedback(
            database,
            entry_id="mentoring-length",
            helpful=helpful,
            question="How long is mentoring?",
            answer_text="One year.",
            now=NOW,
        )
    await review.record_feedback(
        database,
        entry_id="dsa-nominate",
        helpful=False,
        question="How do I nominate someone for the DSA?",
        answer_text="Use the form.",
        comment="the form link is broken",
        now=NOW,
    )
    report = await review.feedback_report(database)
    assert [(row.entry_id, row.helpful, row.unhelpful) for row in report] == [
        ("dsa-nominate", 0, 1),
        ("mentoring-length", 3, 1),
    ]
    assert report[1].helpful_rate == 0.75
    items = {item.question: item for item in await review.review_list(database)}
    assert set(items) == {"How long is mentoring?", "How do I nominate someone for the DSA?"}
    dsa = items["How do I nominate someone for the DSA?"]
    assert (dsa.reason, dsa.entry_id, dsa.bot_answer, dsa.comment) == (
        "unhelpful",
        "dsa-nominate",
        "Use the form.",
        "the form link is broken",
    )
