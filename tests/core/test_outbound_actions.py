"""Buttons on what the bot posts and DMs in the staff answer loop, through BotCore.handle.

A question passed on to staff (``/ask-staff``, 👎, Ask someone) reaches the staff channel
with **Answer**, **Not for us** and **Assign to ...** (the references ``/unanswered``
lists), and pressing them there works; the text commands stay in the post for whoever
cannot press buttons. The staff answer a member receives carries **👍 Thanks**: the
member's 👍 on that answer, counted once, refused to anyone else.
"""

from __future__ import annotations

import asyncio

from bot.actions import Button
from bot.answers.review import feedback_report, review_list
from bot.commands.staff_messages import THANKS_LABEL
from bot.commands.staff_services import STAFF_ANSWER_ENTRY
from bot.core import BotCore
from tests.core.staff_loop_support import (  # noqa: F401  (the *_fixture names are fixtures)
    ANA,
    DANA,
    SAM,
    ask_staff,
    bot_fixture,
    button,
    click,
    handled,
    knowledge_file_fixture,
    sender_fixture,
    submit,
    typed,
)
from tests.support.recording import RecordingSender

MENTORING = "How long does the mentoring program last?"


def staff_buttons(sender: RecordingSender, index: int = -1) -> dict[str, str]:
    """The buttons under a staff channel post: label -> encoded reference."""
    channel, _ = sender.posts[index]
    assert channel == "#staff"
    return {
        action.label: action.ref.encode()
        for action in sender.post_actions[index]
        if isinstance(action, Button)
    }


def expected_buttons(question_id: int) -> dict[str, str]:
    return {
        f"Answer {question_id}": f"unanswered:answer:{question_id}",
        f"Not for us {question_id}": f"unanswered:dismiss:{question_id}",
        f"Assign {question_id} to ...": f"unanswered:assign:{question_id}",
    }


async def answer_from_the_post(bot: BotCore, sender: RecordingSender, question_id: int) -> str:
    """Dana presses Answer on the staff post and sends an answer; what she is told."""
    opened = await handled(bot, click(staff_buttons(sender)[f"Answer {question_id}"]))
    assert opened.form is not None, opened.text
    done = await handled(bot, submit(opened.form, {"text": "Bike racks are by the east door."}))
    return done.text


async def test_ask_staff_posts_the_three_buttons_and_keeps_the_commands_as_text(
    bot: BotCore, sender: RecordingSender
) -> None:
    question_id = await ask_staff(bot)
    assert staff_buttons(sender) == expected_buttons(question_id)
    # The same references /unanswered lists.
    listing = await handled(bot, typed("unanswered", "", user=DANA, staff=True))
    listed = {a.label: a.ref.encode() for a in listing.actions if isinstance(a, Button)}
    assert listed == expected_buttons(question_id)
    text = sender.posts[-1][1].plain_text()
    assert f"/unanswered answer {question_id}" in text  # for whoever has no buttons
    assert f"/unanswered dismiss {question_id}" in text


async def test_a_thumbs_down_and_ask_someone_posts_carry_the_buttons_too(
    bot: BotCore, sender: RecordingSender
) -> None:
    answer = await handled(bot, typed("ask", MENTORING))
    await handled(bot, click(button(answer, "👎 Not helpful").ref.encode(), user=ANA, staff=False))
    (item,) = await review_list(bot.database)
    assert staff_buttons(sender) == expected_buttons(item.id)
    missed = await handled(bot, typed("ask", "Where can I park my bike at the conference hotel?"))
    passed = await handled(
        bot, click(button(missed, "Ask someone").ref.encode(), user=ANA, staff=False)
    )
    assert "passed your question on" in passed.text
    forwarded = [i.id for i in await review_list(bot.database) if i.id != item.id]
    assert staff_buttons(sender) == expected_buttons(forwarded[0])


async def test_pressing_answer_on_the_post_answers_the_member(
    bot: BotCore, sender: RecordingSender
) -> None:
    question_id = await ask_staff(bot)
    told = await answer_from_the_post(bot, sender, question_id)
    assert "Sent to Ana as a direct message." in told
    assert sender.dms[-1][0] == ANA
    assert await review_list(bot.database) == []


async def test_not_for_us_on_the_post_is_for_staff_only(
    bot: BotCore, sender: RecordingSender
) -> None:
    question_id = await ask_staff(bot)
    value = staff_buttons(sender)[f"Not for us {question_id}"]
    refused = await handled(bot, click(value, user=SAM, staff=False))
    assert "for association staff only" in refused.text
    assert len(await review_list(bot.database)) == 1
    done = await handled(bot, click(value))
    assert 'Marked "not for us"' in done.text
    assert await review_list(bot.database) == []


async def test_the_staff_answer_carries_thanks_which_counts_once_for_its_member(
    bot: BotCore, sender: RecordingSender
) -> None:
    question_id = await ask_staff(bot)
    await answer_from_the_post(bot, sender, question_id)
    ((thanks,),) = sender.dm_actions
    assert isinstance(thanks, Button) and thanks.label == THANKS_LABEL
    value = thanks.ref.encode()
    other = await handled(bot, click(value, user=SAM, staff=False))
    assert "Only the member who asked" in other.text
    staff_press = await handled(bot, click(value, user=DANA, staff=True))
    assert "Only the member who asked" in staff_press.text
    assert await feedback_report(bot.database) == []
    first, second = await asyncio.gather(
        handled(bot, click(value, user=ANA, staff=False, delivery="t1")),
        handled(bot, click(value, user=ANA, staff=False, delivery="t2")),
    )
    assert sorted([first.text, second.text]) == [
        "Thanks, glad it helped!",
        "You already rated this answer. Thanks!",
    ]
    assert await bot.handle(click(value, user=ANA, staff=False, delivery="t1")) is None
    (counts,) = await feedback_report(bot.database)
    assert (counts.entry_id, counts.helpful, counts.unhelpful) == (STAFF_ANSWER_ENTRY, 1, 0)


async def test_each_member_who_asked_gets_their_own_thanks(
    bot: BotCore, sender: RecordingSender
) -> None:
    await ask_staff(bot)
    await ask_staff(bot, "where can I park my bike at the conference hotel", user=SAM)
    (item,) = await review_list(bot.database)  # one question, asked twice
    assert item.count == 2
    await answer_from_the_post(bot, sender, item.id)
    recipients = [user for user, _ in sender.dms]
    assert sorted(u.user_id for u in recipients) == [ANA.user_id, SAM.user_id]
    values = {
        user.user_id: actions[0].ref.encode()
        for (user, _), actions in zip(sender.dms, sender.dm_actions, strict=True)
        if isinstance(actions[0], Button)
    }
    assert values[ANA.user_id] != values[SAM.user_id]
    crossed = await handled(bot, click(values[ANA.user_id], user=SAM, staff=False))
    assert "Only the member who asked" in crossed.text
    own = await handled(bot, click(values[SAM.user_id], user=SAM, staff=False))
    assert own.text == "Thanks, glad it helped!"
