"""``/mentoring`` in the console chat: the three application forms asked field by field,
private answers never printed back, and a staff preview's buttons as numbered choices."""

from __future__ import annotations

from bot.core import BotCore
from tests.e2e.test_console_actions import chat

APPLICATION = (
    "/mentoring apply",
    "mentor",
    "alice@example.org",
    "Midwest",
    "storytime; outreach",
    "Grow as a supervisor",
    "2",
    "yes",
    "yes",
    "nonbinary",
    "Latina",
    "gender",
    "yes",
)


async def test_applying_in_the_console_asks_each_form_in_turn(core: BotCore) -> None:
    await chat(core, "/mentoring open Spring 2027", staff=True)
    output = await chat(core, *APPLICATION, "/mentoring status")
    assert output.index("Mentoring: about you") < output.index("Mentoring: eligibility")
    assert output.index("Mentoring: eligibility") < output.index("Mentoring: private")
    assert "now: no" not in output  # a first application is not prefilled
    assert "bot> Saved privately: only staff see these answers" in output
    assert "• Mentees you can take: 2" in output
    assert "• Private answers: given (only staff see them)" in output
    assert "nonbinary" not in output.split("Saved privately")[1]
    assert "Latina" not in output.split("Saved privately")[1]


async def test_a_staff_preview_in_the_console_confirms_by_number(core: BotCore) -> None:
    await chat(core, "/mentoring open Spring 2027", staff=True)
    await chat(core, *APPLICATION)
    output = await chat(
        core, "/mentoring close Spring 2027", "/mentoring match Spring 2027", staff=True
    )
    assert "0 pairs, 1 unmatched" in output and "[1] Match again" in output
    assert "[2] Confirm" in output
