"""The staff answer loop in chat, through BotCore.handle on SQLite and PostgreSQL.

A member asks staff (/ask-staff); staff see it in the staff channel and in
/unanswered, take it with Answer (one of two wins), answer it in the form (the
member gets a DM naming them), and teach it to the bot from the same form (a temp
knowledge file), after which the bot answers the question itself. Not for us
takes a question off the list; forged and someone else's buttons do nothing.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from bot.actions import form_request
from bot.answers.review import review_list
from bot.core import BotCore
from bot.requests import Mention, MentionKind
from tests.core.staff_loop_support import (  # noqa: F401  (the *_fixture names are fixtures)
    ANA,
    DANA,
    PARKING,
    PLATFORM,
    SAM,
    WORKSPACE,
    ask_staff,
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

# -- asking staff ------------------------------------------------------------------------


async def test_ask_staff_posts_who_asked_where_and_how_to_answer(
    bot: BotCore, sender: RecordingSender
) -> None:
    question_id = await ask_staff(bot)
    assert len(sender.posts) == 1
    channel, post = sender.posts[0]
    text = post.plain_text()
    assert channel == "#staff"
    assert f"(question {question_id})" in text
    assert "From: @Ana in channel C-general" in text
    assert f"Question: {PARKING}" in text
    assert f"/unanswered answer {question_id}" in text
    assert f"/unanswered dismiss {question_id}" in text
    assert f"/unanswered assign {question_id}" in text


async def test_unanswered_is_for_staff_and_lists_each_question_with_its_buttons(
    bot: BotCore,
) -> None:
    question_id = await ask_staff(bot)
    await ask_staff(bot, "Can I bring my dog to the conference?")
    refused = await handled(bot, typed("unanswered", "", user=ANA))
    assert "for association staff only" in refused.text and not refused.actions
    listing = await handled(bot, typed("unanswered", "", user=DANA, staff=True))
    assert f"{question_id}. {PARKING}" in listing.text
    assert "Can I bring my dog" in listing.text
    assert button(listing, f"Answer {question_id}").ref.encode() == (
        f"unanswered:answer:{question_id}"
    )
    assert button(listing, f"Not for us {question_id}").ref.encode() == (
        f"unanswered:dismiss:{question_id}"
    )
    assert button(listing, f"Assign {question_id} to ...").ref.encode() == (
        f"unanswered:assign:{question_id}"
    )
    assert len(listing.actions) == 6


async def test_not_for_us_takes_the_question_off_the_list(
    bot: BotCore, sender: RecordingSender
) -> None:
    question_id = await ask_staff(bot)
    done = await handled(bot, click(f"unanswered:dismiss:{question_id}"))
    assert 'Marked "not for us"' in done.text
    assert await review_list(bot.database) == []
    listing = await handled(bot, typed("unanswered", "", user=DANA, staff=True))
    assert "No unanswered questions waiting" in listing.text
    assert (
        f"Question {question_id} was marked not for us by Dana" in sender.posts[-1][1].plain_text()
    )
    again = await handled(bot, click(f"unanswered:answer:{question_id}", user=SAM))
    assert "marked not for us by Dana" in again.text and again.form is None


# -- claiming ----------------------------------------------------------------------------


async def test_a_member_who_is_not_staff_cannot_press_answer(bot: BotCore) -> None:
    question_id = await ask_staff(bot)
    refused = await handled(bot, click(f"unanswered:answer:{question_id}", user=ANA, staff=False))
    assert "for association staff only" in refused.text
    assert refused.form is None
    forged_submit = await handled(
        bot,
        form_request(
            f"unanswered:reply:{question_id}",
            {"text": "Anything I like"},
            platform=PLATFORM,
            workspace_id=WORKSPACE,
            channel_id="C-general",
            sender=ANA,
        ),
    )
    assert "for association staff only" in forged_submit.text
    (item,) = await review_list(bot.database)
    assert item.status == "open"


async def test_two_staff_pressing_answer_at_once_one_gets_it_the_other_sees_who(
    bot: BotCore, sender: RecordingSender
) -> None:
    question_id = await ask_staff(bot)
    first, second = await asyncio.gather(
        handled(bot, click(f"unanswered:answer:{question_id}", user=DANA, delivery="c1")),
        handled(bot, click(f"unanswered:answer:{question_id}", user=SAM, delivery="c2")),
    )
    winners = [reply for reply in (first, second) if reply.form is not None]
    losers = [reply for reply in (first, second) if reply.form is None]
    assert len(winners) == 1 and len(losers) == 1
    winner = "Dana" if first.form is not None else "Sam"
    assert f"Question {question_id} is taken by {winner}." in losers[0].text
    notes = [m.plain_text() for _, m in sender.posts if "is taken by" in m.plain_text()]
    assert notes == [f"Question {question_id} is taken by {winner}: {PARKING}"]
    # The winner pressing again keeps it (the form reopens); no second note.
    again = await handled(
        bot, click(f"unanswered:answer:{question_id}", user=DANA if winner == "Dana" else SAM)
    )
    assert again.form is not None
    assert len([m for _, m in sender.posts if "is taken by" in m.plain_text()]) == 1


async def test_assign_hands_the_question_to_a_colleague_who_is_told(
    bot: BotCore, sender: RecordingSender
) -> None:
    question_id = await ask_staff(bot)
    opened = await handled(bot, click(f"unanswered:assign:{question_id}"))
    assert opened.form is not None and [f.name for f in opened.form.fields] == ["who"]
    sam = Mention(MentionKind.USER, "@Sam", user=SAM)
    assigned = await handled(bot, submit(opened.form, {"who": sam}))
    assert f"Question {question_id} is now Sam's." in assigned.text
    assert sender.dms[-1][0] == SAM
    assert "Dana asked you to answer this" in sender.dms[-1][1].plain_text()
    assert "taken by Sam (handed over by Dana)" in sender.posts[-1][1].plain_text()
    taken = await handled(bot, click(f"unanswered:answer:{question_id}", user=DANA))
    assert f"Question {question_id} is taken by Sam." in taken.text
    assert (await open_answer_form(bot, question_id, user=SAM)).ref.encode() == (
        f"unanswered:reply:{question_id}"
    )


# -- answering and teaching --------------------------------------------------------------


async def test_the_staff_answer_reaches_the_member_by_dm_with_the_staff_name(
    bot: BotCore, sender: RecordingSender
) -> None:
    question_id = await ask_staff(bot)
    form = await open_answer_form(bot, question_id)
    assert [f.name for f in form.fields] == ["text", "link", "teach", "title", "questions"]
    done = await handled(
        bot,
        submit(
            form,
            {"text": "Bike racks are by the **east door**.", "link": "https://example.org/venue"},
        ),
    )
    assert "Sent to Ana as a direct message." in done.text
    ((user, message),) = sender.dms
    assert user == ANA
    text = message.plain_text()
    assert "An answer from Dana (staff)" in text
    assert f"You asked: {PARKING}" in text
    assert "Bike racks are by the east door." in text
    assert "https://example.org/venue" in text
    assert await review_list(bot.database) == []
    (answered,) = await review_list(bot.database, include_closed=True)
    assert answered.status == "answered"
    # Submitted again (a double click on Send): nothing is sent twice.
    twice = await handled(bot, submit(form, {"text": "Again"}))
    assert "already answered by Dana" in twice.text
    assert len(sender.dms) == 1


async def test_a_form_field_that_cannot_be_used_keeps_the_form_and_sends_nothing(
    bot: BotCore, sender: RecordingSender
) -> None:
    question_id = await ask_staff(bot)
    form = await open_answer_form(bot, question_id)
    refused = await handled(
        bot, submit(form, {"text": "Yes.", "link": "example.org", "teach": "new-entry"})
    )
    assert set(refused.field_errors) == {"link", "title"}
    unknown = await handled(bot, submit(form, {"text": "Yes.", "teach": "no-such-entry"}))
    assert set(unknown.field_errors) == {"teach"}
    assert sender.dms == []
    (item,) = await review_list(bot.database)
    assert item.status == "claimed" and item.claimed_by == "Dana"


async def test_teaching_a_new_entry_from_the_form_makes_the_bot_answer_it(
    bot: BotCore, sender: RecordingSender, knowledge_file: Path
) -> None:
    before = knowledge_file.read_text(encoding="utf-8")
    missed = await handled(bot, typed("ask", PARKING))
    assert "lot B" not in missed.text
    question_id = await ask_staff(bot)
    form = await open_answer_form(bot, question_id)
    teach = form.field("teach")
    assert teach is not None and teach.choices[0] == "no" and teach.choices[-1] == "new-entry"
    done = await handled(
        bot,
        submit(
            form,
            {
                "text": "Bike racks are in **lot B**, by the east door.",
                "teach": "new-entry",
                "title": "Bike parking at the conference",
                "questions": f"{PARKING}\nIs there bike parking at the conference?",
            },
        ),
    )
    assert "Taught: added the entry 'bike-parking-at-the-conference'" in done.text
    assert "Sent to Ana" in done.text
    after = knowledge_file.read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n")[:200])
    assert "taught by Dana on 2026-11-23" in after
    for asked in (PARKING, "Is there bike parking at the conference?"):
        answer = await handled(bot, typed("ask", asked))
        assert "lot B" in answer.text, asked


async def test_teaching_the_members_wording_to_a_guessed_entry(
    bot: BotCore, knowledge_file: Path
) -> None:
    wording = "Who looks after the Instagram account?"
    assert not bot.knowledge.engine.answer(wording, today=bot.today()).answered
    question_id = await ask_staff(bot, wording)
    form = await open_answer_form(bot, question_id)
    teach = form.field("teach")
    assert teach is not None and "social-media" in teach.choices
    done = await handled(
        bot, submit(form, {"text": "Our communications team does.", "teach": "social-media"})
    )
    assert f"added the question {wording!r} to entry 'social-media'" in done.text
    assert wording in knowledge_file.read_text(encoding="utf-8")
    missed_before = bot.knowledge.engine.answer(
        "who looks after the instagram account", today=bot.today()
    )
    assert missed_before.answered and "social-media" in missed_before.sources
    answer = await handled(bot, typed("ask", wording))
    assert "monitored by Elizabeth" in answer.text


async def test_a_teach_the_file_would_refuse_keeps_the_form_and_nothing_is_sent(
    bot: BotCore, sender: RecordingSender, knowledge_file: Path
) -> None:
    before = knowledge_file.read_bytes()
    question_id = await ask_staff(bot)
    form = await open_answer_form(bot, question_id)
    refused = await handled(
        bot,
        submit(
            form,
            {"text": "Unclosed **bold", "teach": "new-entry", "title": "Bike parking"},
        ),
    )
    assert set(refused.field_errors) == {"teach"}
    assert knowledge_file.read_bytes() == before
    assert sender.dms == []
    (item,) = await review_list(bot.database)
    assert item.status == "claimed"


# -- forged and outdated buttons ---------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "unanswered:answer:abc",
        "unanswered:answer:1:2",
        "unanswered:reply",
        "unanswered:nothing:1",
        "unanswered:answer:-1",
    ],
)
async def test_a_forged_action_value_is_refused_and_nothing_changes(
    bot: BotCore, value: str
) -> None:
    await ask_staff(bot)
    refused = await handled(bot, click(value))
    assert refused.form is None
    assert re.search(r"don't recognise that button|Which question|must be a number", refused.text)
    (item,) = await review_list(bot.database)
    assert item.status == "open"


async def test_a_question_that_does_not_exist_is_named(bot: BotCore) -> None:
    refused = await handled(bot, click("unanswered:answer:4242"))
    assert "There is no question 4242" in refused.text


async def test_concurrent_claims_never_fail_while_the_list_is_read(bot: BotCore) -> None:
    """Regression: reading the item back while a colleague's claim lands in between found
    no row in the state just read and failed with a generic apology."""
    for round_number in range(20):
        question_id = await ask_staff(bot, f"Question number {round_number} about parking?")
        replies = await asyncio.gather(
            handled(bot, click(f"unanswered:answer:{question_id}", user=DANA)),
            handled(bot, click(f"unanswered:answer:{question_id}", user=SAM)),
            handled(bot, click(f"unanswered:assign:{question_id}", user=DANA)),
        )
        texts = [reply.text for reply in replies]
        assert not any("went wrong" in text for text in texts), texts
        assert len([reply for reply in replies[:2] if reply.form is not None]) == 1, texts
