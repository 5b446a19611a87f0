"""Buttons on what the console prints as posted or DMed, pressed by typing their number.

A question passed on to staff is printed as posted in #staff with Answer / Not for
us / Assign as numbered choices; typing 1 takes it and asks the answer form; the
staff answer is printed as a DM with 👍 Thanks, pressed the same way.
"""

from __future__ import annotations

import io

from adapters.console.app import ConsoleApp, ConsoleSender
from adapters.console.translate import console_user
from bot.answers.review import feedback_report, review_list
from bot.core import BotCore

QUESTION = "Where can I park my bike at the conference hotel?"


async def chat(core: BotCore, *lines: str) -> str:
    stdout = io.StringIO()
    core.outbound = ConsoleSender(stdout=stdout)
    app = ConsoleApp(
        core=core,
        user=console_user("alice"),
        stdin=io.StringIO("".join(line + "\n" for line in lines)),
        stdout=stdout,
        is_staff=True,
        interactive=False,
    )
    await app.run()
    return stdout.getvalue()


async def test_a_staff_post_lists_its_buttons_and_a_number_presses_them(core: BotCore) -> None:
    output = await chat(
        core,
        f"/ask-staff {QUESTION}",
        "1",  # Answer, from the post
        "Bike racks are by the east door.",  # the answer
        "",  # no link
        "",  # teach: keeps "no"
        "",  # no new entry title
        "",  # wordings: keeps the question
        "1",  # 👍 Thanks, from the DM
    )
    (item,) = await review_list(core.database, include_closed=True)
    choices = f"[1] Answer {item.id}  [2] Not for us {item.id}  [3] Assign {item.id} to ..."
    posted = output.index("[posted in #staff] A member asked the staff")
    assert output.index(choices) > posted
    assert f"/unanswered answer {item.id}" in output  # the text fallback stays
    assert f"bot> Answer question {item.id}: answer each question" in output
    assert "[DM to @alice] An answer from alice (staff)" in output
    assert output.index("[1] 👍 Thanks") > output.index("[DM to @alice]")
    assert "bot> Thanks, glad it helped!" in output
    assert item.status == "answered"
    (counts,) = await feedback_report(core.database)
    assert counts.helpful == 1


async def test_a_post_s_choices_go_once_something_else_is_typed(core: BotCore) -> None:
    output = await chat(core, f"/ask-staff {QUESTION}", "/help", "1")
    assert "[1] Answer" in output
    (item,) = [i for i in await review_list(core.database) if i.question == QUESTION]
    assert item.status == "open"  # "1" after /help was read as a question, not Answer
    assert "Answer question" not in output
