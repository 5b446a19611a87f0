"""Kudos and thank-you notes in the console chat, through the real core and SQLite."""

from __future__ import annotations

import io

from adapters.console.app import ConsoleApp, ConsoleSender
from adapters.console.translate import console_user
from bot.core import BotCore


async def chat(core: BotCore, *lines: str, as_user: str = "alice") -> str:
    stdout = io.StringIO()
    core.outbound = ConsoleSender(stdout=stdout)
    app = ConsoleApp(
        core=core,
        user=console_user(as_user),
        stdin=io.StringIO("".join(line + "\n" for line in lines)),
        stdout=stdout,
        interactive=False,
    )
    await app.run()
    return stdout.getvalue()


async def test_kudos_thanks_top_and_undo(core: BotCore) -> None:
    output = await chat(
        core,
        "/kudos @bob and @carol for running the sensory storytime @everyone",
        "/thanks @bob thank you for covering my desk shift!",
        "/kudos @dan for the Día booth",
        "/kudos top",
        "/kudos undo",
        "/kudos top",
    )
    lines = output.splitlines()
    post = next(line for line in lines if line.startswith("[posted in #kudos]"))
    assert post.startswith(
        "[posted in #kudos] 🎉 @bob and @carol got kudos from @alice: for running the sensory"
    )
    assert "@everyone" not in post  # neutralised: a word joiner sits after the @
    assert "[DM to @bob] 💌 @alice sent you a thank-you note:" in output
    assert "bot> Your thank-you note was delivered privately to @bob." in output
    assert "• 1. @bob — 1 kudos" in output
    assert "[deleted message 3 in #kudos]" in output
    assert "bot> Done: your kudos to @dan is removed, and its post deleted." in output
    final_board = output.rsplit("Kudos leaderboard", 1)[1]
    assert "@dan" not in final_board and "@bob" in final_board
    assert "Traceback" not in output


async def test_refusals_in_the_console(core: BotCore) -> None:
    output = await chat(
        core,
        "/kudos @alice for being me",
        "/kudos @everyone for everything",
        "/kudos @memberbot for answering",
        "/kudos @bob",
        "/thanks @bob",
    )
    assert "You can't give kudos to yourself (@alice)" in output
    assert "I can't give kudos to @everyone: it would notify everyone." in output
    assert "@memberbot is a bot" in output
    assert "Kudos received by @bob: 0" in output
    assert "Please write your note after the name" in output
    assert "[posted in" not in output and "[DM to" not in output
