"""The console chat driven end to end through injected stdin/stdout."""

from __future__ import annotations

import io

from adapters.console.app import ConsoleApp, ConsoleSender
from adapters.console.translate import console_user
from bot.core import BotCore


async def chat(core: BotCore, *lines: str, staff: bool = False) -> str:
    stdout = io.StringIO()
    core.outbound = ConsoleSender(stdout=stdout)
    app = ConsoleApp(
        core=core,
        user=console_user("alice"),
        stdin=io.StringIO("".join(line + "\n" for line in lines)),
        stdout=stdout,
        is_staff=staff,
        interactive=False,
    )
    await app.run()
    return stdout.getvalue()


async def test_plain_question_and_slash_ask(core: BotCore) -> None:
    output = await chat(
        core,
        "When do applications for the mentoring program close?",
        "/ask whats elly's email",
    )
    assert "October 11" in output
    assert "eserrano@ala.org" in output
    assert output.rstrip().endswith("Bye!")


async def test_help_deadlines_and_unknown_commands(core: BotCore) -> None:
    output = await chat(core, "/help", "/deadlines", "/nonsense", "", "/quit", "/help")
    assert "Here is what I can do" in output
    assert "I don't know the command /nonsense" in output
    assert "Traceback" not in output
    # /quit ends the chat: the /help after it is never answered (three replies, then Bye)
    assert output.count("bot> ") == 3
    assert output.rstrip().endswith("Bye!")


async def test_out_of_scope_question_names_a_contact(core: BotCore) -> None:
    output = await chat(core, "what's the wifi password at the conference hotel?")
    assert "eserrano@ala.org" in output or "Elly" in output
