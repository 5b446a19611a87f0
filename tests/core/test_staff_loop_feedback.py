"""Was this helpful? and the whole loop from an abstention, through BotCore.handle.

👍 / 👎 under every entry answer count once per answer (a double click, a click by
someone else and a forged value count nothing); a 👎 puts the question, the answer
and the entry on the staff list and in the staff channel, and its optional form
adds what was wrong. The target: a question the bot could not answer at 10:00 is
answered to the member and taught to the bot from chat alone.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.answers.review import feedback_report, review_list
from bot.clock import FixedClock
from bot.config import Settings
from bot.core import STORAGE_APOLOGY, BotCore
from bot.knowledge_store import KnowledgeStore
from bot.replies import Reply
from bot.storage import Database
from tests.core.staff_loop_support import (  # noqa: F401  (the *_fixture names are fixtures)
    ANA,
    DANA,
    SAM,
    bot_fixture,
    button,
    click,
    handled,
    knowledge_file_fixture,
    open_answer_form,
    sender_fixture,
    submit,
    typed,
)
from tests.support.recording import RecordingSender

MENTORING = "How long does the mentoring program last?"
HELPFUL, UNHELPFUL = "👍 Helpful", "👎 Not helpful"


async def rated_answer(bot: BotCore, question: str = MENTORING) -> Reply:
    reply = await handled(bot, typed("ask", question))
    assert [getattr(a, "label", "") for a in reply.actions][-2:] == [HELPFUL, UNHELPFUL]
    return reply


async def test_an_entry_answer_carries_helpful_buttons_and_a_miss_does_not(bot: BotCore) -> None:
    answer = await rated_answer(bot)
    assert button(answer, HELPFUL).ref.encode().startswith("ask:helpful:")
    missed = await handled(bot, typed("ask", "Where can I park my bike at the conference hotel?"))
    assert HELPFUL not in [getattr(a, "label", "") for a in missed.actions]
    small_talk = await handled(bot, typed("ask", "hi!"))
    assert small_talk.actions == ()


async def test_a_thumbs_up_counts_once_however_often_it_is_pressed(bot: BotCore) -> None:
    answer = await rated_answer(bot)
    value = button(answer, HELPFUL).ref.encode()
    first, second = await asyncio.gather(
        handled(bot, click(value, user=ANA, staff=False, delivery="d1")),
        handled(bot, click(value, user=ANA, staff=False, delivery="d2")),
    )
    assert sorted([first.text, second.text]) == [
        "Thanks, glad it helped!",
        "You already rated this answer. Thanks!",
    ]
    retried = await bot.handle(click(value, user=ANA, staff=False, delivery="d1"))
    assert retried is None  # the platform's retry of the same click
    down = await handled(bot, click(button(answer, UNHELPFUL).ref.encode(), user=ANA, staff=False))
    assert "already rated" in down.text
    (counts,) = await feedback_report(bot.database)
    assert (counts.helpful, counts.unhelpful) == (1, 0)
    assert await review_list(bot.database) == []


async def test_someone_elses_or_a_forged_rating_counts_nothing(bot: BotCore) -> None:
    answer = await rated_answer(bot)
    value = button(answer, HELPFUL).ref.encode()
    other = await handled(bot, click(value, user=SAM, staff=False))
    assert "Only the member who asked" in other.text
    for forged in ("ask:helpful:99999", "ask:helpful:x", "ask:helpful:1:2", "ask:rate:1"):
        refused = await handled(bot, click(forged, user=ANA, staff=False))
        assert "Only the member who asked" in refused.text or "recognise" in refused.text
    assert await feedback_report(bot.database) == []
    # the real one still counts afterwards
    assert "glad it helped" in (await handled(bot, click(value, user=ANA, staff=False))).text


async def test_a_thumbs_down_goes_to_staff_with_the_answer_and_what_was_wrong(
    bot: BotCore, sender: RecordingSender
) -> None:
    answer = await rated_answer(bot)
    down = await handled(bot, click(button(answer, UNHELPFUL).ref.encode(), user=ANA, staff=False))
    assert down.form is not None and [f.name for f in down.form.fields] == ["comment"]
    assert not down.form.fields[0].required
    (item,) = await review_list(bot.database)
    assert item.reason == "unhelpful" and item.question == MENTORING
    expected = bot.knowledge.engine.answer(MENTORING, today=bot.today())
    assert item.entry_id == expected.sources[0]
    assert item.bot_answer == expected.text
    (channel, post) = sender.posts[-1]
    assert channel == "#staff"
    assert f"marked not helpful (entry {item.entry_id})" in post.plain_text()
    assert "The bot said: " in post.plain_text()
    said = await handled(
        bot, submit(down.form, {"comment": "It is 12 months now, not 9."}, user=ANA, staff=False)
    )
    assert "added that for the staff" in said.text
    (item,) = await review_list(bot.database)
    assert item.comment == "It is 12 months now, not 9."
    (counts,) = await feedback_report(bot.database)
    assert (counts.entry_id, counts.helpful, counts.unhelpful) == (item.entry_id, 0, 1)
    # Staff answer the 👎 from the list: Ana gets it.
    form = await open_answer_form(bot, item.id)
    await handled(bot, submit(form, {"text": "It is 12 months since this year."}))
    assert sender.dms[-1][0] == ANA
    assert "An answer from Dana (staff)" in sender.dms[-1][1].plain_text()


async def test_a_question_missed_at_ten_is_answered_and_taught_from_chat_alone(
    bot: BotCore, sender: RecordingSender, clock: FixedClock
) -> None:
    question = "Where can I park my bike at the conference hotel?"
    clock.set(datetime(2026, 11, 23, 16, 0, tzinfo=UTC))  # 10:00 in Chicago
    missed = await handled(bot, typed("ask", question))
    assert "lot B" not in missed.text
    passed = await handled(
        bot, click(button(missed, "Ask someone").ref.encode(), user=ANA, staff=False)
    )
    assert "passed your question on" in passed.text
    staff_post = sender.posts[-1][1].plain_text()
    assert question in staff_post and "From: @Ana in channel" in staff_post
    assert "The bot said: " in staff_post  # what the member was told
    clock.set(datetime(2026, 11, 23, 16, 1, tzinfo=UTC))
    listing = await handled(bot, typed("unanswered", "", user=DANA, staff=True))
    (item,) = await review_list(bot.database)
    form = await open_answer_form(bot, item.id)
    assert f"Answer {item.id}" in [getattr(a, "label", "") for a in listing.actions]
    done = await handled(
        bot,
        submit(
            form,
            {
                "text": "Bike racks are in **lot B**.",
                "teach": "new-entry",
                "title": "Bike parking at the conference",
            },
        ),
    )
    assert "Sent to Ana" in done.text and "Taught" in done.text
    assert sender.dms[-1][0] == ANA and "lot B" in sender.dms[-1][1].plain_text()
    again = await handled(bot, typed("ask", question, user=SAM))
    assert "lot B" in again.text
    assert HELPFUL in [getattr(a, "label", "") for a in again.actions]


async def test_with_the_database_down_answers_come_without_ratings_and_ask_staff_apologises(
    settings: Settings, clock: FixedClock, frozen_knowledge: KnowledgeStore
) -> None:
    down = Database(url="postgresql://nobody@127.0.0.1:1/none")  # refuses every connection
    core = BotCore(settings=settings, database=down, knowledge=frozen_knowledge, clock=clock)
    try:
        answer = await handled(core, typed("ask", MENTORING))
        assert "month" in answer.text.lower()
        assert HELPFUL not in [getattr(a, "label", "") for a in answer.actions]
        asked = await handled(core, typed("ask-staff", "Is there parking?"))
        assert asked.text == STORAGE_APOLOGY
    finally:
        await down.dispose()
